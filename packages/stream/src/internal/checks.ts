import { allocateBuffer, BufferError, BufferFlags, getBuffer, isCContiguous, releaseBuffer, type BufferInfo } from '@interop/core';
import { StreamError } from '../errors/stream-error.js';

/** The capabilities and state every check reads. */
export interface StreamState {
  readonly closed: boolean;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly seekable: boolean;
}

function kind(stream: object): string {
  return stream.constructor.name;
}

export function checkOpen(stream: StreamState & object, operation: string): void {
  if (stream.closed) {
    throw new StreamError(
      'ERR_BUFFER_RELEASED',
      `Cannot ${operation}: this ${kind(stream)} is closed. Open a new stream, or keep this one open until you are done with it.`,
      {
        details: { operation },
      },
    );
  }
}

export function checkReadable(stream: StreamState & object, operation: string): void {
  checkOpen(stream, operation);
  if (!stream.readable) {
    throw new StreamError(
      'ERR_STREAM_NOT_READABLE',
      `Cannot ${operation}: this ${kind(stream)} was opened without read access. Open it with a readable mode (e.g. "r" or "r+").`,
      {
        details: { operation },
      },
    );
  }
}

export function checkWritable(stream: StreamState & object, operation: string): void {
  checkOpen(stream, operation);
  if (!stream.writable) {
    throw new StreamError(
      'ERR_STREAM_NOT_WRITABLE',
      `Cannot ${operation}: this ${kind(stream)} is read-only. Open it with a writable mode (e.g. "r+" or "w"), or over writable memory.`,
      {
        details: { operation },
      },
    );
  }
}

export function checkSeekable(stream: StreamState & object, operation: string): void {
  checkOpen(stream, operation);
  if (!stream.seekable) {
    throw new StreamError(
      'ERR_STREAM_NOT_SEEKABLE',
      `Cannot ${operation}: this ${kind(stream)} is not seekable (a pipe or a one-way source). Read it sequentially, or copy it into a MemoryStream first.`,
      {
        details: { operation },
      },
    );
  }
}

/** A non-negative safe integer (a size, a length, an absolute offset). */
export function checkCount(value: unknown, name: string, operation: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StreamError('ERR_INVALID_ARGUMENT', `${operation}: ${name} must be a non-negative integer number of bytes; received ${describe(value)}.`, {
      details: { operation, argument: name, value },
    });
  }
  return value;
}

/**
 * A count a wrapped stream reported for a request of at most `limit` bytes: an integer from 0 to
 * `limit`. Anything else breaks the StreamAccess contract (found by fuzzing: a count past the
 * request made the WHATWG adapter throw a plain RangeError, NaN ended a write loop silently).
 */
export function checkReportedCount(count: unknown, limit: number, operation: string): number {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || count > limit) {
    throw new StreamError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: the wrapped stream reported ${describe(count)} bytes for a request of ${limit}; a stream must report an integer count from 0 to ${limit}. The stream implementation is broken.`,
      {
        details: { operation, reported: typeof count === 'number' ? count : describe(count), limit },
      },
    );
  }
  return count;
}

/** Bytes a wrapped stream's read returned for a request of at most `limit` bytes: a Uint8Array no longer than that. */
export function checkReportedBytes(bytes: unknown, limit: number, operation: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length > limit) {
    throw new StreamError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: the wrapped stream's read returned ${bytes instanceof Uint8Array ? `${bytes.length} bytes` : describe(bytes)} for a request of at most ${limit}; a read returns a Uint8Array of at most the size asked. The stream implementation is broken.`,
      {
        details: { operation, limit },
      },
    );
  }
  return bytes;
}

/** The byte length of an exportable `target` (read-only export, released at once). */
export function byteLengthOf(target: unknown): number {
  const info = getBuffer(target, BufferFlags.STRIDED_RO);
  const length = info.byteLength;
  releaseBuffer(info);
  return length;
}

/** A chunk size: a positive safe integer. */
export function checkChunkSize(value: unknown, operation: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new StreamError('ERR_INVALID_ARGUMENT', `${operation}: chunkSize must be a positive integer number of bytes; received ${describe(value)}.`, {
      details: { operation, argument: 'chunkSize', value },
    });
  }
  return value;
}

export function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return Object.prototype.toString.call(value);
}

/**
 * Resolves a seek request to an absolute position. `limit` is the largest position allowed
 * (the size of a stream that cannot grow), or undefined when the stream can grow.
 */
export function resolveSeek(offset: unknown, whence: unknown, position: number, size: () => number, limit: number | undefined, operation = 'seek'): number {
  if (whence !== 0 && whence !== 1 && whence !== 2) {
    throw new StreamError('ERR_INVALID_ARGUMENT', `${operation}: whence must be 0 (SEEK_SET), 1 (SEEK_CUR) or 2 (SEEK_END); received ${describe(whence)}.`, {
      details: { operation, argument: 'whence', value: whence },
    });
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) {
    throw new StreamError('ERR_INVALID_ARGUMENT', `${operation}: offset must be an integer number of bytes; received ${describe(offset)}.`, {
      details: { operation, argument: 'offset', value: offset },
    });
  }
  if (whence === 0 && offset < 0) {
    throw new StreamError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: an offset from the start (whence 0) must be non-negative; received ${offset}. Use whence 1 or 2 for relative offsets.`,
      {
        details: { operation, argument: 'offset', value: offset },
      },
    );
  }
  const base = whence === 0 ? 0 : whence === 1 ? position : size();
  const target = base + offset;
  if (target < 0) {
    throw new StreamError(
      'ERR_STREAM_SEEK_OUT_OF_RANGE',
      `${operation}(${offset}, ${whence}) would move the position to ${target}, before the start of the stream (from ${base}). Positions start at 0.`,
      {
        details: { operation, offset, whence, position: target },
      },
    );
  }
  if (limit !== undefined && target > limit) {
    throw new StreamError(
      'ERR_STREAM_SEEK_OUT_OF_RANGE',
      `${operation}(${offset}, ${whence}) would move the position to ${target}, past the end (${limit}) of a stream that cannot grow. Seek to at most ${limit}.`,
      {
        details: { operation, offset, whence, position: target, limit },
      },
    );
  }
  return target;
}

/** Bytes of one export, plus the export to release. */
export interface HeldBytes {
  readonly info: BufferInfo;
  readonly bytes: Uint8Array;
}

function checkContiguous(info: BufferInfo, operation: string, role: string): void {
  if (info.strides !== null && !isCContiguous(info.shape ?? [], info.strides, info.itemsize)) {
    throw new BufferError(
      'ERR_BUFFER_NOT_CONTIGUOUS',
      `${operation} needs a C-contiguous ${role}, as Python's raw I/O does; received a strided layout (shape [${(info.shape ?? []).join(', ')}], strides [${info.strides.join(', ')}]). Copy it to contiguous memory first (MemoryView.copy(view, { order: 'C' })).`,
      { details: { operation, requestedFlags: BufferFlags.STRIDED } },
    );
  }
}

/**
 * Takes a writable, C-contiguous export of `target` and the byte range [offset, offset + length)
 * of it. The caller releases `info` when the read is over (after the await, for async reads).
 */
export function acquireTarget(target: unknown, offset: unknown, length: unknown, operation: string): HeldBytes {
  const start = offset === undefined ? 0 : checkCount(offset, 'offset', operation);
  const count = length === undefined ? undefined : checkCount(length, 'length', operation);
  const info = getBuffer(target, BufferFlags.STRIDED);
  try {
    checkContiguous(info, operation, 'target');
    const nbytes = info.byteLength;
    const end = count === undefined ? nbytes : start + count;
    if (start > nbytes || end > nbytes) {
      throw new StreamError(
        'ERR_INVALID_ARGUMENT',
        `${operation}: the range [${start}, ${count === undefined ? 'end' : end}) does not fit in the target's ${nbytes} bytes. Pass an offset and length inside the target.`,
        { details: { operation, argument: 'offset', offset: start, length: count, nbytes } },
      );
    }
    return { info, bytes: new Uint8Array(info.buffer, info.byteOffset + start, end - start) };
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

/** Takes a read-only, C-contiguous export of `source`. The caller releases `info`. */
export function acquireSource(source: unknown, operation: string): HeldBytes {
  const info = getBuffer(source, BufferFlags.STRIDED_RO);
  try {
    checkContiguous(info, operation, 'source');
    return { info, bytes: new Uint8Array(info.buffer, info.byteOffset, info.byteLength) };
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

/** Joins chunks into one array (no copy for a single chunk). */
export function concatChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === total) return chunks[0]!;
  const out = new Uint8Array(allocateBuffer(total));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Checks, when an adapter is created, that `stream` is open and can do what the adapter needs. */
export function checkAdapterSource(stream: StreamState & object, operation: string, access: 'read' | 'write'): void {
  if (access === 'read') checkReadable(stream, operation);
  else checkWritable(stream, operation);
}
