import type { FromArrowOptions, ToArrowOptions } from './arrow.js';
import { writeArrowIPC } from './arrow-ipc.js';
import { DataFrameView } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';
import { loadParquetEngine } from './internal/parquet-engine.js';
import { inspect, invalidArgument, iterateSelection, type ParquetSource, readSelection, select } from './internal/parquet-read.js';

/** Options of `readParquet`. */
export interface ReadParquetOptions extends FromArrowOptions {
  /** A name for the bytes (a file path, a URL) used in error messages. */
  readonly source?: string;
  /** Read only these top-level columns, in this order (pandas' index columns are added); their pages alone are read. */
  readonly columns?: readonly string[];
  /** Read only these row groups (0-based, in this order); the others are not decoded. */
  readonly rowGroups?: readonly number[];
  /**
   * The most bytes one read may decompress and decode, in total (decompression bomb
   * protection): the sum of the selected pages' declared uncompressed sizes plus 8 bytes per
   * decoded value. Every page is checked against it before anything is decoded. Default, as
   * for `readArrowIPC`: 255 x the input size, at least 256 MiB and at most 4 GiB; `Infinity`
   * turns it off. Batch readers apply it to each row group.
   */
  readonly maxDecompressedBytes?: number;
}

/** Options of `readParquetBatches`. */
export interface ReadParquetBatchesOptions extends ReadParquetOptions {
  /** Split each row group into frames of at most this many rows; default one frame per row group. */
  readonly batchSize?: number;
}

/** Options of `writeParquet`. */
export interface WriteParquetOptions extends ToArrowOptions {
  /** `"snappy"` (pandas' default, the default here), `"zstd"`, or `null` for uncompressed pages. */
  readonly compression?: 'snappy' | 'zstd' | null;
  /** The most rows of one row group; default 1,048,576 (pyarrow's default). */
  readonly rowGroupSize?: number;
}

/**
 * Reads Parquet bytes (what pandas' `to_parquet` writes: Snappy, gzip, Brotli, ZSTD, LZ4 or
 * uncompressed pages, dictionary-encoded or plain, any number of row groups) into a
 * `DataFrameView`, with pandas' dtypes and index restored from the `pandas` schema metadata.
 * Decoding runs in parquet-wasm (an optional peer dependency, loaded on first use).
 *
 * @example
 * ```ts
 * import { DataFrameView, readParquet, writeParquet } from '@interop/pandas';
 * const bytes = await writeParquet(DataFrameView.fromColumns({ a: [1, 2], b: ['x', null] }));
 * const frame = await readParquet(bytes, { columns: ['b'] });
 * console.log(frame.column('b').toArray()); // ['x', null]
 * ```
 * @throws {PandasError} `ERR_PANDAS_PARQUET_INVALID` (truncated or corrupt file, the reader's error as `cause`), `ERR_SIZE_LIMIT` (pages declare more than `maxDecompressedBytes`), `ERR_PANDAS_CODEC_UNSUPPORTED` (a codec other than Snappy, gzip, Brotli, ZSTD, LZ4_RAW or none), `ERR_PANDAS_COLUMN_NOT_FOUND`, `ERR_INDEX_OUT_OF_RANGE` (a row group that does not exist), `ERR_PANDAS_UNSUPPORTED_TYPE`, `ERR_PANDAS_ADAPTER_UNAVAILABLE` (parquet-wasm is not installed), `ERR_INVALID_ARGUMENT`.
 */
export async function readParquet(bytes: Uint8Array | ArrayBuffer, options: ReadParquetOptions = {}): Promise<DataFrameView> {
  const source = memorySource(bytes, options.source, 'readParquet');
  const layout = await inspect(source, 'readParquet');
  return readSelection(source, layout, select(layout, options, 'readParquet'), options, 'readParquet');
}

/**
 * Reads Parquet bytes one row group (or `batchSize` rows) at a time, each as a frame whose
 * index continues where the previous one stopped. Only the current row group is checked and
 * decoded, so decoded memory is bounded by the largest row group, not the file.
 *
 * @example
 * ```ts
 * import { DataFrameView, readParquetBatches, writeParquet } from '@interop/pandas';
 * const bytes = await writeParquet(DataFrameView.fromColumns({ a: Float64Array.of(1, 2, 3) }), { rowGroupSize: 2 });
 * for await (const batch of readParquetBatches(bytes)) console.log(batch.numRows); // 2, then 1
 * ```
 * @throws {PandasError} every code of `readParquet`, when the batch that needs it is reached.
 */
export async function* readParquetBatches(
  bytes: Uint8Array | ArrayBuffer,
  options: ReadParquetBatchesOptions = {},
): AsyncGenerator<DataFrameView, void, undefined> {
  const source = memorySource(bytes, options.source, 'readParquetBatches');
  const layout = await inspect(source, 'readParquetBatches');
  yield* iterateSelection(source, layout, select(layout, options, 'readParquetBatches'), options, 'readParquetBatches');
}

/**
 * Writes a frame as Parquet bytes that `pd.read_parquet` reads back with the same dtypes and
 * index (pandas and Arrow schema metadata are stored), Snappy-compressed by default.
 *
 * @example
 * ```ts
 * import { DataFrameView, writeParquet } from '@interop/pandas';
 * const bytes = await writeParquet(DataFrameView.fromColumns({ a: [1, 2] }), { compression: 'zstd' });
 * ```
 * @throws {PandasError} `ERR_INVALID_ARGUMENT` (not a frame, unknown compression, bad row group size), `ERR_PANDAS_ADAPTER_UNAVAILABLE` (parquet-wasm is not installed).
 */
export async function writeParquet(frame: DataFrameView, options: WriteParquetOptions = {}): Promise<Uint8Array> {
  const operation = 'writeParquet';
  if (!(frame instanceof DataFrameView)) throw invalidArgument(operation, 'expects a DataFrameView.');
  const compression = options.compression === undefined ? 'snappy' : options.compression;
  if (compression !== 'snappy' && compression !== 'zstd' && compression !== null) {
    throw invalidArgument(operation, `compression must be "snappy", "zstd" or null; received ${JSON.stringify(compression)}.`);
  }
  const rowGroupSize = options.rowGroupSize ?? 1 << 20;
  if (typeof rowGroupSize !== 'number' || !Number.isSafeInteger(rowGroupSize) || rowGroupSize < 1 || rowGroupSize > 2 ** 31 - 1) {
    throw invalidArgument(operation, `rowGroupSize must be an integer from 1 to 2^31-1; received ${String(rowGroupSize)}.`);
  }
  const ipc = writeArrowIPC(frame, { format: 'stream', ...(options.pandasMetadata === undefined ? {} : { pandasMetadata: options.pandasMetadata }) });
  const engine = await loadParquetEngine(operation);
  const codec = compression === 'snappy' ? engine.Compression.SNAPPY : compression === 'zstd' ? engine.Compression.ZSTD : engine.Compression.UNCOMPRESSED;
  try {
    const table = engine.Table.fromIPCStream(ipc);
    const properties = new engine.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(rowGroupSize).build();
    return engine.writeParquet(table, properties);
  } catch (error) {
    // Only a bug (ours or parquet-wasm's) lands here: the frame was already valid Arrow.
    const reason = error instanceof Error ? error.message : String(error);
    throw new PandasError(
      'ERR_INVALID_ARGUMENT',
      `writeParquet could not encode the frame (${frame.numRows} rows, columns ${frame.columnNames.join(', ')}): ${reason}.`,
      { cause: error, details: { operation } },
    );
  }
}

function memorySource(bytes: Uint8Array | ArrayBuffer, name: string | undefined, operation: string): ParquetSource {
  const view = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : undefined;
  if (view === undefined) throw invalidArgument(operation, `expects a Uint8Array or ArrayBuffer; received ${typeof bytes}.`);
  return {
    name: name ?? 'Parquet bytes',
    byteLength: view.byteLength,
    bytes: view,
    read: (start, end) => view.subarray(start, end),
  };
}
