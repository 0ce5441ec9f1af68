import { InteropError } from '@interop/core';
import {
  CompressionType,
  type RecordBatch,
  type RecordBatchFileReader,
  RecordBatchFileWriter,
  RecordBatchReader,
  RecordBatchStreamWriter,
  type Schema,
  Table,
  tableFromIPC,
} from 'apache-arrow';
import { type FromArrowOptions, fromArrowTable, toArrowTable, type ToArrowOptions } from './arrow.js';
import type { DataFrameView } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';
import {
  canEncode,
  decodeAhead,
  decodesAhead,
  type DecodeBudget,
  defaultMaxDecompressedBytes,
  ensureCodecs,
  limitError,
  withDecodeBudget,
  withEncoders,
} from './internal/codecs.js';
import { planDecodeArena } from './internal/decode-arena.js';
import { checkIpcBounds } from './internal/ipc-bounds.js';

/** Options of `readArrowIPC`. */
export interface ReadArrowIPCOptions extends FromArrowOptions {
  /** A name for the bytes (a file path, a URL) used in error messages. */
  readonly source?: string;
  /**
   * The most bytes the LZ4/ZSTD-compressed buffers of one read may decompress to, in total
   * (decompression bomb protection). Each compressed buffer declares its uncompressed length in
   * an 8-byte prefix; that length is checked against what is left of this limit before anything
   * is decoded, and no decoder allocation exceeds it. Default: 255 x the input size (LZ4 cannot
   * compress more than that, so a genuine LZ4 file always fits), at least 256 MiB and at most
   * 4 GiB. `Infinity` turns the limit off.
   */
  readonly maxDecompressedBytes?: number;
}

/** Options of `writeArrowIPC`. */
export interface WriteArrowIPCOptions extends ToArrowOptions {
  /** `"file"` (Feather v2, the default) or `"stream"`. */
  readonly format?: 'file' | 'stream';
  /**
   * Compress record batch buffers: `"lz4"` (LZ4 frame, pandas' Feather default), `"zstd"` (level 1,
   * as pandas' `to_feather(compression="zstd")`; needs the native encoder on Node or
   * `await loadZstdEncoder()` elsewhere) or none (default).
   */
  readonly compression?: 'lz4' | 'zstd' | null;
}

/**
 * Reads Arrow IPC bytes (the file format, i.e. Feather v2, or the stream format; LZ4- or
 * ZSTD-compressed or not) into a `DataFrameView`. Uncompressed single-batch columns share the
 * given bytes' memory.
 *
 * @example
 * ```ts
 * import { DataFrameView, readArrowIPC, writeArrowIPC } from '@interop/pandas';
 * const bytes = writeArrowIPC(DataFrameView.fromColumns({ a: [1, 2] }));
 * console.log(readArrowIPC(bytes).column('a').toArray()); // [1, 2]
 * ```
 * @throws {PandasError} `ERR_PANDAS_IPC_INVALID` (the Arrow reader's error as `cause`, with the source named; also a compressed buffer whose decompressed length differs from its prefix), `ERR_SIZE_LIMIT` (compressed buffers declare more than `maxDecompressedBytes`), `ERR_PANDAS_UNSUPPORTED_TYPE`, `ERR_INVALID_ARGUMENT`.
 */
export function readArrowIPC(bytes: Uint8Array | ArrayBuffer, options: ReadArrowIPCOptions = {}): DataFrameView {
  ensureCodecs();
  const view = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : undefined;
  const source = options.source ?? 'Arrow IPC bytes';
  if (view === undefined) {
    throw new PandasError('ERR_INVALID_ARGUMENT', `readArrowIPC expects a Uint8Array or ArrayBuffer; received ${typeof bytes}.`, {
      details: { operation: 'readArrowIPC', source },
    });
  }
  const explicit = options.maxDecompressedBytes !== undefined;
  const limit = options.maxDecompressedBytes ?? defaultMaxDecompressedBytes(view.byteLength);
  if (typeof limit !== 'number' || !(limit >= 0) || (!Number.isSafeInteger(limit) && limit !== Number.POSITIVE_INFINITY)) {
    throw new PandasError('ERR_INVALID_ARGUMENT', `readArrowIPC: maxDecompressedBytes must be a non-negative integer or Infinity; received ${String(limit)}.`, {
      details: { operation: 'readArrowIPC', source },
    });
  }
  let table: Table;
  try {
    const budget: DecodeBudget = { limit, source, inputBytes: view.byteLength, explicit, used: 0 };
    table = withDecodeBudget(budget, () => readTable(view, budget));
  } catch (error) {
    if (InteropError.isInstance(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new PandasError(
      'ERR_PANDAS_IPC_INVALID',
      `Cannot read ${source} (${view.byteLength} bytes) as an Arrow IPC file or stream: ${reason}. Check that it is a Feather v2 / Arrow IPC file (pandas' to_feather) or stream, not truncated.`,
      {
        cause: error,
        details: { operation: 'readArrowIPC', source, byteLength: view.byteLength },
      },
    );
  }
  try {
    return fromArrowTable(table, options);
  } catch (error) {
    // apache-arrow decodes some metadata lazily (e.g. an Int type's bit width): a corrupted file
    // can fail here with a plain Error, which is a corrupt-file error like the ones above.
    if (InteropError.isInstance(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new PandasError(
      'ERR_PANDAS_IPC_INVALID',
      `Cannot read ${source} (${view.byteLength} bytes) as an Arrow IPC file or stream: ${reason}. Check that it is a Feather v2 / Arrow IPC file (pandas' to_feather) or stream, not truncated.`,
      {
        cause: error,
        details: { operation: 'readArrowIPC', source, byteLength: view.byteLength },
      },
    );
  }
}

function readTable(view: Uint8Array, budget: DecodeBudget): Table {
  if (startsWithMagic(view) && !endsWithMagic(view))
    throw new Error('the file starts with the "ARROW1" magic but does not end with it, so its footer is missing (truncated?)');
  const compressed = checkIpcBounds(view, startsWithMagic(view), budget);
  budget.arena = planDecodeArena(
    view,
    compressed,
    budget.limit,
    (total) => {
      throw limitError(budget, total, 'by the compressed buffers of all record batches together');
    },
    decodesAhead,
  );
  // With @interop/native's decoders (installed by the Node entry), every buffer is decompressed
  // now, on several threads, straight into the arena; apache-arrow then finds them decoded.
  decodeAhead(budget);
  // The reader returns an empty table when it finds no schema at all: refuse that as corrupt.
  const probe = RecordBatchReader.from(view);
  probe.open();
  if ((probe.schema as Schema | undefined) === undefined) throw new Error('no Arrow schema message was found');
  return probe.isFile() ? readFileBatches(probe) : tableFromIPC(view);
}

/**
 * Writes a frame as Arrow IPC bytes: the file format (Feather v2, `pd.read_feather` reads it)
 * or the stream format (`pa.ipc.open_stream`), optionally LZ4-compressed, with pandas metadata.
 *
 * @example
 * ```ts
 * import { DataFrameView, writeArrowIPC } from '@interop/pandas';
 * const feather = writeArrowIPC(DataFrameView.fromColumns({ a: [1, 2] }), { compression: 'lz4' });
 * ```
 * @throws {PandasError} `ERR_PANDAS_CODEC_UNSUPPORTED` (ZSTD without an encoder: see `compression`), `ERR_INVALID_ARGUMENT`.
 */
export function writeArrowIPC(frame: DataFrameView, options: WriteArrowIPCOptions = {}): Uint8Array {
  const format = options.format ?? 'file';
  if (format !== 'file' && format !== 'stream')
    throw new PandasError('ERR_INVALID_ARGUMENT', `writeArrowIPC: format must be "file" or "stream"; received ${JSON.stringify(format)}.`, {
      details: { operation: 'writeArrowIPC' },
    });
  let compression: CompressionType | null = null;
  if (options.compression === 'lz4') compression = CompressionType.LZ4_FRAME;
  else if (options.compression === 'zstd') compression = CompressionType.ZSTD;
  else if (options.compression !== undefined && options.compression !== null) {
    throw new PandasError(
      'ERR_INVALID_ARGUMENT',
      `writeArrowIPC: compression must be "lz4", "zstd" or null; received ${JSON.stringify(options.compression)}.`,
      { details: { operation: 'writeArrowIPC' } },
    );
  }
  if (compression !== null && !canEncode(compression)) {
    throw new PandasError(
      'ERR_PANDAS_CODEC_UNSUPPORTED',
      `No ${options.compression ?? ''} encoder is available: writing ZSTD needs the optional native codec (@toondepauw/node-zstd, installed with @interop/pandas on Node) or the WebAssembly one (await loadZstdEncoder() first, in browsers). Write with compression "lz4" or null otherwise.`,
      {
        details: { operation: 'writeArrowIPC', compression: options.compression },
      },
    );
  }
  const table = toArrowTable(frame, options);
  if (compression === null) return (format === 'file' ? RecordBatchFileWriter : RecordBatchStreamWriter).writeAll(table).toUint8Array(true);
  return writeCompressed(table, format, compression);
}

// apache-arrow 21.2.0 writes the compressed length into the 8-byte prefix of each compressed
// body buffer, where the Arrow format (and pyarrow) expect the uncompressed length; its own
// reader ignores the prefix, so the bug only shows in other readers ("Lz4 decompression buffer
// too small"). These writers correct the prefixes after apache-arrow compresses the buffers.

type BodyBuffers = ReturnType<RecordBatchFileWriter['_compressBodyBuffers']>;

function correctPrefixes<Result extends { buffers: ArrayBufferView[] }>(original: readonly ArrayBufferView[], result: Result): Result {
  original.forEach((buffer, position) => {
    const prefix = result.buffers[2 * position];
    if (buffer.byteLength === 0 || prefix === undefined || prefix.byteLength !== 8) return;
    const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
    if (view.getBigInt64(0, true) !== -1n) view.setBigInt64(0, BigInt(buffer.byteLength), true);
  });
  return result;
}

class CompressedFileWriter extends RecordBatchFileWriter {
  protected override _compressBodyBuffers(buffers: ArrayBufferView[]): BodyBuffers {
    return correctPrefixes(buffers, super._compressBodyBuffers(buffers));
  }
}

class CompressedStreamWriter extends RecordBatchStreamWriter {
  protected override _compressBodyBuffers(buffers: ArrayBufferView[]): BodyBuffers {
    return correctPrefixes(buffers, super._compressBodyBuffers(buffers));
  }
}

function writeCompressed(table: Table, format: 'file' | 'stream', compression: CompressionType): Uint8Array {
  return withEncoders(() => {
    const writer =
      format === 'file' ? new CompressedFileWriter({ compressionType: compression }) : new CompressedStreamWriter({ compressionType: compression });
    writer.writeAll(table);
    return writer.toUint8Array(true);
  });
}

function startsWithMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && bytes[0] === 0x41 && bytes[1] === 0x52 && bytes[2] === 0x52 && bytes[3] === 0x4f && bytes[4] === 0x57 && bytes[5] === 0x31;
}

function endsWithMagic(bytes: Uint8Array): boolean {
  const end = bytes.length;
  return (
    end >= 12 &&
    bytes[end - 6] === 0x41 &&
    bytes[end - 5] === 0x52 &&
    bytes[end - 4] === 0x52 &&
    bytes[end - 3] === 0x4f &&
    bytes[end - 2] === 0x57 &&
    bytes[end - 1] === 0x31
  );
}

/**
 * Reads every record batch a file's footer lists, one by one. apache-arrow's own iteration of a
 * file loops forever when a footer block points at a message that is not a record batch (a
 * corrupted file found by fuzzing); reading by index cannot loop, and a bad block is an error.
 */
function readFileBatches(reader: RecordBatchFileReader): Table {
  const batches: RecordBatch[] = [];
  for (let index = 0; index < reader.numRecordBatches; index++) {
    const batch = reader.readRecordBatch(index);
    if (batch === null) throw new Error(`record batch ${index} of ${reader.numRecordBatches} listed in the file footer is not a record batch message`);
    batches.push(batch);
  }
  return batches.length === 0 ? new Table(reader.schema) : new Table(reader.schema, batches);
}
