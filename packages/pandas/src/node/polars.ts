import { createRequire } from 'node:module';
import type { DataFrame as PolarsDataFrame } from 'nodejs-polars';
import { readArrowIPC, writeArrowIPC } from '../arrow-ipc.js';
import { describe } from '../column.js';
import type { DataFrameView } from '../data-frame-view.js';
import { PandasError } from '../errors/pandas-error.js';

type PolarsModule = { readIPC(body: Buffer): PolarsDataFrame };

/**
 * Converts a nodejs-polars `DataFrame` to a `DataFrameView` through Arrow IPC (polars keeps its
 * memory in Rust, so this is one copy). String views become UTF-8 offsets + data.
 *
 * @example
 * ```ts no-run
 * import pl from 'nodejs-polars';
 * import { fromPolars } from '@interop/pandas/polars';
 * const frame = fromPolars(pl.DataFrame({ a: [1, 2] }));
 * ```
 * @throws {PandasError} `ERR_PANDAS_ADAPTER_UNAVAILABLE` (not a polars DataFrame), and every code of `readArrowIPC`.
 */
export function fromPolars(frame: PolarsDataFrame): DataFrameView {
  if (typeof (frame as { writeIPC?: unknown } | null)?.writeIPC !== 'function') {
    throw new PandasError('ERR_PANDAS_ADAPTER_UNAVAILABLE', `fromPolars expects a nodejs-polars DataFrame (with writeIPC()); received ${describe(frame)}.`, {
      details: { operation: 'fromPolars' },
    });
  }
  const bytes = frame.writeIPC();
  return readArrowIPC(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { source: 'nodejs-polars DataFrame' });
}

/**
 * Converts a `DataFrameView` to a nodejs-polars `DataFrame` through Arrow IPC (one copy).
 * Polars has no index, second-resolution durations or ordered categoricals: the index is
 * dropped, `timedelta64[s]` becomes milliseconds and categories lose their order.
 *
 * @example
 * ```ts no-run
 * import { DataFrameView } from '@interop/pandas';
 * import { toPolars } from '@interop/pandas/polars';
 * console.log(toPolars(DataFrameView.fromColumns({ a: [1, 2] })).shape); // { height: 2, width: 1 }
 * ```
 * @throws {PandasError} `ERR_PANDAS_ADAPTER_UNAVAILABLE` when nodejs-polars is not installed.
 */
export function toPolars(frame: DataFrameView): PolarsDataFrame {
  const bytes = writeArrowIPC(frame, { pandasMetadata: false });
  return loadPolars().readIPC(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

function loadPolars(): PolarsModule {
  try {
    const loaded = createRequire(import.meta.url)('nodejs-polars') as PolarsModule | { default: PolarsModule };
    return 'readIPC' in loaded ? loaded : loaded.default;
  } catch (error) {
    throw new PandasError(
      'ERR_PANDAS_ADAPTER_UNAVAILABLE',
      'toPolars needs the optional peer dependency nodejs-polars (0.24 works on Node 20): install it next to @interop/pandas.',
      {
        cause: error,
        details: { operation: 'toPolars' },
      },
    );
  }
}
