import { StreamError } from './errors/stream-error.js';
import { checkAdapterSource, checkChunkSize, checkReportedCount } from './internal/checks.js';
import { ChunkStream, chunkBytes } from './internal/chunk-stream.js';
import { writeAll } from './internal/write-all.js';
import { DEFAULT_CHUNK_SIZE, type AsyncStreamAccess, type StreamAccess } from './stream-access.js';

/** Options of `toReadableStream`. */
export interface ToReadableStreamOptions {
  /** Bytes per chunk for default (non-BYOB) readers (default 64 KiB). */
  readonly chunkSize?: number;
  /** Keep the stream open when the ReadableStream ends, is cancelled or errors (default false: close it). */
  readonly preventClose?: boolean;
}

/** Options of `toWritableStream`. */
export interface ToWritableStreamOptions {
  /** Keep the stream open when the WritableStream is closed or aborted (default false: close it). */
  readonly preventClose?: boolean;
}

/**
 * Exposes a stream as a WHATWG byte stream (`type: 'bytes'`), from its position to its end.
 *
 * A BYOB reader's view is handed to `stream.readInto` as is, so the bytes land directly in the
 * reader's memory: no intermediate chunk, no copy (the Streams standard then transfers that same
 * memory back to the reader). Default readers get chunks of `chunkSize` bytes, each read in place
 * into a buffer the stream allocates once per chunk.
 *
 * @example
 * ```ts
 * import { MemoryStream, toReadableStream } from '@interop/stream';
 * const readable = toReadableStream(new MemoryStream(new Uint8Array([1, 2, 3])));
 * const reader = readable.getReader({ mode: 'byob' });
 * const { value } = await reader.read(new Uint8Array(8));
 * console.log(value); // Uint8Array(3) [ 1, 2, 3 ]
 * ```
 * @throws {StreamError} `ERR_INVALID_ARGUMENT` for a bad chunk size; `ERR_STREAM_NOT_READABLE` / `ERR_BUFFER_RELEASED` for a stream that cannot be read.
 */
export function toReadableStream(stream: StreamAccess | AsyncStreamAccess, options: ToReadableStreamOptions = {}): ReadableStream<Uint8Array> {
  const chunkSize = checkChunkSize(options.chunkSize ?? DEFAULT_CHUNK_SIZE, 'toReadableStream');
  checkAdapterSource(stream, 'toReadableStream', 'read');
  const release = async (): Promise<void> => {
    if (options.preventClose !== true && !stream.closed) await stream.close();
  };
  return new ReadableStream({
    type: 'bytes',
    autoAllocateChunkSize: chunkSize,
    async pull(controller: ReadableByteStreamController): Promise<void> {
      try {
        const request = controller.byobRequest;
        if (request?.view != null) {
          // The reader's own memory: read in place.
          const count = checkReportedCount(await stream.readInto(request.view), request.view.byteLength, 'ReadableStream pull');
          if (count === 0) {
            await release();
            controller.close();
            request.respond(0);
          } else {
            request.respond(count);
          }
          return;
        }
        const chunk = await stream.read(chunkSize);
        if (chunk.length === 0) {
          await release();
          controller.close();
        } else {
          controller.enqueue(chunk as Uint8Array<ArrayBuffer>);
        }
      } catch (error) {
        await release().catch(() => undefined);
        throw error;
      }
    },
    async cancel(): Promise<void> {
      await release();
    },
  });
}

/**
 * A WHATWG `WritableStream` that writes each chunk (any exporter: Uint8Array, ArrayBuffer,
 * MemoryView...) to `stream` in full, repeating partial writes; closing it flushes and closes the
 * stream.
 *
 * @example
 * ```ts
 * import { MemoryStream, toWritableStream } from '@interop/stream';
 * const memory = new MemoryStream();
 * const writable = toWritableStream(memory, { preventClose: true });
 * await new Blob(['hello']).stream().pipeTo(writable);
 * console.log(memory.size); // 5
 * ```
 * @throws {StreamError} `ERR_STREAM_NOT_WRITABLE` / `ERR_BUFFER_RELEASED` for a stream that cannot be written.
 */
export function toWritableStream(stream: StreamAccess | AsyncStreamAccess, options: ToWritableStreamOptions = {}): WritableStream<unknown> {
  checkAdapterSource(stream, 'toWritableStream', 'write');
  const release = async (): Promise<void> => {
    if (options.preventClose !== true && !stream.closed) await stream.close();
  };
  return new WritableStream<unknown>({
    async write(chunk: unknown): Promise<void> {
      await writeAll(stream, chunk, 'WritableStream.write');
    },
    async close(): Promise<void> {
      await stream.flush();
      await release();
    },
    async abort(): Promise<void> {
      await release();
    },
  });
}

/**
 * Reads a WHATWG `ReadableStream` of bytes through the `AsyncStreamAccess` interface: readable,
 * not seekable, not writable. A read returns at most one source chunk (a short read, as from a
 * pipe); `close` cancels the source.
 *
 * @example
 * ```ts
 * import { fromReadableStream } from '@interop/stream';
 * const stream = fromReadableStream(new Blob(['abc']).stream());
 * const target = new Uint8Array(2);
 * console.log(await stream.readInto(target), target); // 2 Uint8Array(2) [ 97, 98 ]
 * ```
 * @throws {StreamError} `ERR_INVALID_ARGUMENT` when `readable` is not a ReadableStream or is locked, and (on read) for chunks that are not bytes.
 */
export function fromReadableStream(readable: ReadableStream<unknown>): AsyncStreamAccess {
  if (typeof ReadableStream === 'undefined' || !(readable instanceof ReadableStream)) {
    throw new StreamError('ERR_INVALID_ARGUMENT', 'fromReadableStream expects a WHATWG ReadableStream.', { details: { operation: 'fromReadableStream' } });
  }
  if (readable.locked) {
    throw new StreamError('ERR_INVALID_ARGUMENT', 'fromReadableStream: the ReadableStream is locked to another reader; release that reader first.', {
      details: { operation: 'fromReadableStream' },
    });
  }
  const reader = readable.getReader();
  return new ChunkStream({
    async next() {
      const result = await reader.read();
      return result.done ? null : chunkBytes(result.value, 'The ReadableStream');
    },
    async cancel() {
      await reader.cancel();
      reader.releaseLock();
    },
  });
}
