import { Readable, Writable } from 'node:stream';
import { StreamError } from '../errors/stream-error.js';
import { checkAdapterSource, checkChunkSize } from '../internal/checks.js';
import { ChunkStream, chunkBytes } from '../internal/chunk-stream.js';
import { writeAll } from '../internal/write-all.js';
import { DEFAULT_CHUNK_SIZE, type AsyncStreamAccess, type StreamAccess } from '../stream-access.js';

/** Options of `toNodeReadable`. */
export interface ToNodeReadableOptions {
  /** Bytes per pushed chunk (default 64 KiB). */
  readonly chunkSize?: number;
  /** Node's buffering threshold in bytes (default: Node's). */
  readonly highWaterMark?: number;
  /** Keep the stream open when the Readable ends or is destroyed (default false: close it). */
  readonly preventClose?: boolean;
}

/** Options of `toNodeWritable`. */
export interface ToNodeWritableOptions {
  /** Node's buffering threshold in bytes (default: Node's). */
  readonly highWaterMark?: number;
  /** Keep the stream open when the Writable finishes or is destroyed (default false: close it). */
  readonly preventClose?: boolean;
}

/**
 * A Node `Readable` that reads `stream` from its position to its end in chunks of `chunkSize`.
 *
 * @example
 * ```ts
 * import { MemoryStream } from '@interop/stream';
 * import { toNodeReadable } from '@interop/stream/node';
 * const readable = toNodeReadable(new MemoryStream(new TextEncoder().encode('hi')));
 * for await (const chunk of readable) console.log(chunk); // <Buffer 68 69>
 * ```
 * @throws {StreamError} `ERR_INVALID_ARGUMENT` for a bad chunk size; `ERR_STREAM_NOT_READABLE` / `ERR_BUFFER_RELEASED` for a stream that cannot be read.
 */
export function toNodeReadable(stream: StreamAccess | AsyncStreamAccess, options: ToNodeReadableOptions = {}): Readable {
  const chunkSize = checkChunkSize(options.chunkSize ?? DEFAULT_CHUNK_SIZE, 'toNodeReadable');
  checkAdapterSource(stream, 'toNodeReadable', 'read');
  const release = async (): Promise<void> => {
    if (options.preventClose !== true && !stream.closed) await stream.close();
  };
  return new Readable({
    ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
    read(this: Readable): void {
      Promise.resolve(stream.read(chunkSize))
        .then(
          async (chunk) => {
            if (chunk.length === 0) {
              await release();
              this.push(null);
            } else {
              this.push(chunk);
            }
          },
          (error: unknown) => this.destroy(error as Error),
        )
        .catch((error: unknown) => this.destroy(error as Error));
    },
    destroy(error: Error | null, callback: (error?: Error | null) => void): void {
      release().then(
        () => callback(error),
        (closeError: unknown) => callback(error ?? (closeError as Error)),
      );
    },
  });
}

/**
 * A Node `Writable` that writes each chunk to `stream` in full (repeating partial writes);
 * finishing it flushes and closes the stream.
 *
 * @example
 * ```ts
 * import { MemoryStream } from '@interop/stream';
 * import { toNodeWritable } from '@interop/stream/node';
 * import { pipeline } from 'node:stream/promises';
 * import { Readable } from 'node:stream';
 * const memory = new MemoryStream();
 * await pipeline(Readable.from([new Uint8Array([1, 2]), new Uint8Array([3])]), toNodeWritable(memory, { preventClose: true }));
 * console.log(memory.getValue()); // Uint8Array(3) [ 1, 2, 3 ]
 * ```
 * @throws {StreamError} `ERR_STREAM_NOT_WRITABLE` / `ERR_BUFFER_RELEASED` for a stream that cannot be written.
 */
export function toNodeWritable(stream: StreamAccess | AsyncStreamAccess, options: ToNodeWritableOptions = {}): Writable {
  checkAdapterSource(stream, 'toNodeWritable', 'write');
  const release = async (): Promise<void> => {
    if (options.preventClose !== true && !stream.closed) await stream.close();
  };
  return new Writable({
    ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
    write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
      writeAll(stream, chunk, 'Writable.write').then(
        () => callback(),
        (error: unknown) => callback(error as Error),
      );
    },
    final(callback: (error?: Error | null) => void): void {
      Promise.resolve(stream.flush())
        .then(release)
        .then(
          () => callback(),
          (error: unknown) => callback(error as Error),
        );
    },
    destroy(error: Error | null, callback: (error?: Error | null) => void): void {
      release().then(
        () => callback(error),
        (closeError: unknown) => callback(error ?? (closeError as Error)),
      );
    },
  });
}

/**
 * Reads a Node `Readable` of bytes through the `AsyncStreamAccess` interface: readable, not
 * seekable. A read returns at most one chunk the Readable produced; `close` destroys it.
 *
 * @example
 * ```ts
 * import { Readable } from 'node:stream';
 * import { fromNodeReadable } from '@interop/stream/node';
 * const stream = fromNodeReadable(Readable.from([Buffer.from('abc'), Buffer.from('def')]));
 * console.log(new TextDecoder().decode(await stream.readAll())); // "abcdef"
 * ```
 * @throws {StreamError} `ERR_INVALID_ARGUMENT` when `readable` is not a Node Readable, and (on read) for chunks that are not bytes (a Readable with setEncoding).
 */
export function fromNodeReadable(readable: NodeJS.ReadableStream | Readable): AsyncStreamAccess {
  if (typeof readable !== 'object' || readable === null || typeof (readable as Partial<Readable>)[Symbol.asyncIterator] !== 'function') {
    throw new StreamError('ERR_INVALID_ARGUMENT', 'fromNodeReadable expects a Node Readable stream.', { details: { operation: 'fromNodeReadable' } });
  }
  const iterator = (readable as Readable)[Symbol.asyncIterator]();
  return new ChunkStream({
    async next() {
      const result = await iterator.next();
      return result.done === true ? null : chunkBytes(result.value, 'The Node Readable');
    },
    async cancel() {
      await iterator.return?.();
      if (typeof (readable as Partial<Readable>).destroy === 'function') (readable as Readable).destroy();
    },
  });
}
