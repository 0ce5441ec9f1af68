/**
 * Where a seek offset counts from, as Python's `os.SEEK_SET` (0, start), `os.SEEK_CUR` (1, current
 * position) and `os.SEEK_END` (2, end of stream).
 */
export type Whence = 0 | 1 | 2;

/** Seek from the start of the stream (Python's `os.SEEK_SET`). */
export const SEEK_SET = 0 as const;
/** Seek from the current position (Python's `os.SEEK_CUR`). */
export const SEEK_CUR = 1 as const;
/** Seek from the end of the stream (Python's `os.SEEK_END`). */
export const SEEK_END = 2 as const;

/**
 * A raw, seekable byte stream (IOLink's `StreamAccess`, Python's `io.RawIOBase`), synchronous.
 *
 * The contract, shared by every implementation (see docs/guides/stream.md for the full table):
 * - `readInto` and `read` may return fewer bytes than asked (a short read); 0 bytes (an empty
 *   array) from a non-empty request means end of stream, never "try again".
 * - `write` may write fewer bytes than given (a partial write) and returns the count; a write that
 *   fails throws and leaves position and contents as they were.
 * - Sizes, offsets and lengths are non-negative safe integers; anything else is a `StreamError`
 *   `ERR_INVALID_ARGUMENT`, never a silent clamp.
 * - Every operation on a closed stream throws `ERR_BUFFER_RELEASED`; `close` itself is idempotent.
 *
 * @example
 * ```ts
 * import { MemoryStream, type StreamAccess } from '@interop/stream';
 * const stream: StreamAccess = new MemoryStream();
 * stream.write(new TextEncoder().encode('hello'));
 * stream.seek(0);
 * console.log(stream.read(5).length); // 5
 * ```
 */
export interface StreamAccess {
  /** True once `close` has been called. */
  readonly closed: boolean;
  /** True when the stream supports reading. */
  readonly readable: boolean;
  /** True when the stream supports writing and truncation. */
  readonly writable: boolean;
  /** True when the stream supports `seek`, `size` and `truncate`. */
  readonly seekable: boolean;
  /** The current size of the stream in bytes. */
  readonly size: number;
  /** Reads up to `size` bytes (all remaining bytes when omitted) into a new array; empty at end of stream. */
  read(size?: number): Uint8Array;
  /**
   * Reads into the memory of `target` (any exporter, TypedArray, ArrayBuffer or MemoryView) in
   * place, starting `offset` bytes into it and filling at most `length` bytes; returns the count.
   */
  readInto(target: unknown, offset?: number, length?: number): number;
  /** Reads every remaining byte. */
  readAll(): Uint8Array;
  /** Writes the bytes of `source` (any exporter) at the position; returns the count written. */
  write(source: unknown): number;
  /** Moves the position; returns the new absolute position. */
  seek(offset: number, whence?: Whence): number;
  /** The current position. */
  tell(): number;
  /** Resizes the stream to `size` bytes (default: the position); the position is unchanged. Returns the new size. */
  truncate(size?: number): number;
  /** Pushes written bytes to the backing (a no-op for raw memory and files, as in Python). */
  flush(): void;
  /** Closes the stream and frees what it holds; idempotent. */
  close(): void;
  /** Iterates over chunks of at most `chunkSize` bytes from the position to the end. */
  chunks(chunkSize?: number): IterableIterator<Uint8Array>;
  [Symbol.iterator](): IterableIterator<Uint8Array>;
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array>;
  [Symbol.dispose](): void;
}

/**
 * The asynchronous twin of `StreamAccess` for files and network-like sources: the same methods
 * and contract, each returning a promise. Operations on one stream run in call order.
 *
 * @example
 * ```ts
 * import { fromReadableStream, type AsyncStreamAccess } from '@interop/stream';
 * const stream: AsyncStreamAccess = fromReadableStream(new Blob(['hello']).stream());
 * console.log((await stream.readAll()).length); // 5
 * ```
 */
export interface AsyncStreamAccess {
  readonly closed: boolean;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly seekable: boolean;
  /** The current size of the stream in bytes. */
  size(): Promise<number>;
  read(size?: number): Promise<Uint8Array>;
  readInto(target: unknown, offset?: number, length?: number): Promise<number>;
  readAll(): Promise<Uint8Array>;
  write(source: unknown): Promise<number>;
  seek(offset: number, whence?: Whence): Promise<number>;
  tell(): Promise<number>;
  truncate(size?: number): Promise<number>;
  flush(): Promise<void>;
  close(): Promise<void>;
  chunks(chunkSize?: number): AsyncIterableIterator<Uint8Array>;
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Default chunk size of iteration and stream adapters: 64 KiB. */
export const DEFAULT_CHUNK_SIZE: number = 65536;
