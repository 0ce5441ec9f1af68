import { CompressionType, tableFromIPC, tableToIPC } from 'apache-arrow';
import { type FromArrowOptions, fromArrowTable, toArrowTable, type ToArrowOptions } from './arrow.js';
import type { DataFrameView } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';
import { canEncode, ensureCodecs } from './internal/codecs.js';

/** Options of `readArrowIPC`. */
export interface ReadArrowIPCOptions extends FromArrowOptions {
  /** A name for the bytes (a file path, a URL) used in error messages. */
  readonly source?: string;
}

/** Options of `writeArrowIPC`. */
export interface WriteArrowIPCOptions extends ToArrowOptions {
  /** `"file"` (Feather v2, the default) or `"stream"`. */
  readonly format?: 'file' | 'stream';
  /** Compress record batch buffers: `"lz4"` (LZ4 frame, pandas' Feather default) or none (default). */
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
 * @throws {PandasError} `ERR_PANDAS_IPC_INVALID` (the Arrow reader's error as `cause`, with the source named), `ERR_PANDAS_UNSUPPORTED_TYPE`.
 */
export function readArrowIPC(bytes: Uint8Array | ArrayBuffer, options: ReadArrowIPCOptions = {}): DataFrameView {
  ensureCodecs();
  const view = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : undefined;
  const source = options.source ?? 'Arrow IPC bytes';
  if (view === undefined) {
    throw new PandasError('ERR_PANDAS_INVALID_ARGUMENT', `readArrowIPC expects a Uint8Array or ArrayBuffer; received ${typeof bytes}.`, { details: { operation: 'readArrowIPC', source } });
  }
  let table;
  try {
    table = tableFromIPC(view);
    if (table.schema.fields.length === 0 && view.byteLength > 0 && !looksLikeIPC(view)) throw new Error('no Arrow schema message was found');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PandasError('ERR_PANDAS_IPC_INVALID', `Cannot read ${source} (${view.byteLength} bytes) as an Arrow IPC file or stream: ${reason}. Check that it is a Feather v2 / Arrow IPC file (pandas' to_feather) or stream, not truncated.`, {
      cause: error,
      details: { operation: 'readArrowIPC', source, byteLength: view.byteLength },
    });
  }
  return fromArrowTable(table, options);
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
 * @throws {PandasError} `ERR_PANDAS_CODEC_UNSUPPORTED` (ZSTD writing needs a codec you register), `ERR_PANDAS_INVALID_ARGUMENT`.
 */
export function writeArrowIPC(frame: DataFrameView, options: WriteArrowIPCOptions = {}): Uint8Array {
  const format = options.format ?? 'file';
  if (format !== 'file' && format !== 'stream') throw new PandasError('ERR_PANDAS_INVALID_ARGUMENT', `writeArrowIPC: format must be "file" or "stream"; received ${JSON.stringify(format)}.`, { details: { operation: 'writeArrowIPC' } });
  let compression: CompressionType | null = null;
  if (options.compression === 'lz4') compression = CompressionType.LZ4_FRAME;
  else if (options.compression === 'zstd') compression = CompressionType.ZSTD;
  else if (options.compression !== undefined && options.compression !== null) {
    throw new PandasError('ERR_PANDAS_INVALID_ARGUMENT', `writeArrowIPC: compression must be "lz4", "zstd" or null; received ${JSON.stringify(options.compression)}.`, { details: { operation: 'writeArrowIPC' } });
  }
  if (compression !== null && !canEncode(compression)) {
    throw new PandasError('ERR_PANDAS_CODEC_UNSUPPORTED', `No ${options.compression ?? ''} encoder is registered: ZSTD is read-only here. Write with compression "lz4" or null, or register an encoder with apache-arrow's compressionRegistry.`, {
      details: { operation: 'writeArrowIPC', compression: options.compression },
    });
  }
  return tableToIPC(toArrowTable(frame, options), format, compression);
}

function looksLikeIPC(bytes: Uint8Array): boolean {
  // "ARROW1" magic (file) or a continuation marker 0xFFFFFFFF (stream).
  const magic = bytes[0] === 0x41 && bytes[1] === 0x52 && bytes[2] === 0x52 && bytes[3] === 0x4f && bytes[4] === 0x57 && bytes[5] === 0x31;
  const continuation = bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff;
  return magic || continuation;
}
