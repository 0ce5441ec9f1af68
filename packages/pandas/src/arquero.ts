import { fromArrow, toArrowIPC, type ColumnTable } from 'arquero';
import { readArrowIPC, writeArrowIPC } from './arrow-ipc.js';
import { describe } from './column.js';
import type { DataFrameView } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';

/**
 * Converts an arquero table to a `DataFrameView` through Arrow IPC (arquero keeps its columns in
 * its own arrays, so this is one copy). Browser-safe; arquero is an optional peer dependency.
 *
 * @example
 * ```ts no-run
 * import * as aq from 'arquero';
 * import { fromArquero } from '@interop/pandas/arquero';
 * const frame = fromArquero(aq.table({ a: [1, 2], b: ['x', null] }));
 * ```
 * @throws {PandasError} `ERR_PANDAS_ADAPTER_UNAVAILABLE` (not an arquero table), and every code of `readArrowIPC`.
 */
export function fromArquero(table: ColumnTable): DataFrameView {
  if (typeof (table as { numRows?: unknown } | null)?.numRows !== 'function' || typeof (table as { columnNames?: unknown }).columnNames !== 'function') {
    throw new PandasError('ERR_PANDAS_ADAPTER_UNAVAILABLE', `fromArquero expects an arquero table (aq.table(...)); received ${describe(table)}.`, {
      details: { operation: 'fromArquero' },
    });
  }
  return readArrowIPC(toArrowIPC(table), { source: 'arquero table' });
}

/**
 * Converts a `DataFrameView` to an arquero table through Arrow IPC (one copy). The index is not
 * carried over: arquero tables have none.
 *
 * @example
 * ```ts no-run
 * import { DataFrameView } from '@interop/pandas';
 * import { toArquero } from '@interop/pandas/arquero';
 * toArquero(DataFrameView.fromColumns({ a: [1, 2] })).numRows(); // 2
 * ```
 * @throws {PandasError} the codes of `writeArrowIPC`.
 */
export function toArquero(frame: DataFrameView): ColumnTable {
  return fromArrow(writeArrowIPC(frame, { format: 'stream', pandasMetadata: false }));
}
