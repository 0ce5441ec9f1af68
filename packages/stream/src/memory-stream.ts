import {
  allocateBuffer,
  assertAttached,
  ExportLock,
  isDetached,
  exportBuffer,
  getbuffer,
  releaseBuffer,
  releasebuffer,
  type BufferInfo,
  type Exporter,
} from '@interop/core';
import { StreamError } from './errors/stream-error.js';
import { acquireSource, checkCount, checkOpen, resolveSeek } from './internal/checks.js';
import { SyncStreamBase } from './internal/sync-stream-base.js';
import type { Whence } from './stream-access.js';

/** Options of `new MemoryStream`. */
export interface MemoryStreamOptions {
  /** Bytes to reserve up front, so that writes up to this size never reallocate (default 0). */
  readonly capacity?: number;
}

const MIN_GROWTH = 64;

/**
 * A growable in-memory byte stream (Python's `io.BytesIO`) that is itself a buffer exporter of its
 * current contents: `MemoryView.from(stream)` or `getBuffer(stream)` gives its bytes with no copy.
 *
 * While an export is held, any change of size (a write past the end, `truncate`) and `close` are
 * refused with `BufferError` `ERR_BUFFER_EXPORTED`, as CPython refuses to resize a `bytearray`
 * with live views; writes inside the current size are allowed (they move no memory).
 * Deviations from `BytesIO`, chosen to match `FileIO` and every other stream here: a seek before
 * byte 0 throws instead of clamping, and `truncate` past the end extends with zero bytes.
 *
 * @example
 * ```ts
 * import { MemoryStream } from '@interop/stream';
 * const stream = new MemoryStream();
 * stream.write(new Uint8Array([1, 2, 3, 4]));
 * stream.seek(1);
 * const target = new Uint8Array(2);
 * console.log(stream.readInto(target), target); // 2 Uint8Array(2) [ 2, 3 ]
 * ```
 * @throws {StreamError} `ERR_INVALID_ARGUMENT` for a bad capacity.
 * @throws {BufferError} `ERR_BUFFER_NOT_EXPORTER` when `initial` is not an exporter; `ERR_BUFFER_NOT_CONTIGUOUS` when it is strided.
 */

export class MemoryStream extends SyncStreamBase implements Exporter {
  readonly #lock = new ExportLock();
  /** Capacity-sized storage; bytes in [size, capacity) are always zero. */
  #data: Uint8Array;
  #size = 0;
  #position = 0;
  #closed = false;

  /**
   * @param initial Bytes to start with (copied from any exporter); the position starts at 0.
   */
  constructor(initial?: unknown, options: MemoryStreamOptions = {}) {
    super();
    const capacity = options.capacity === undefined ? 0 : checkCount(options.capacity, 'capacity', 'new MemoryStream');
    if (initial === undefined) {
      this.#data = new Uint8Array(allocateBuffer(capacity));
    } else {
      const held = acquireSource(initial, 'new MemoryStream');
      try {
        this.#data = new Uint8Array(allocateBuffer(Math.max(capacity, held.bytes.length)));
        this.#data.set(held.bytes);
        this.#size = held.bytes.length;
      } finally {
        releaseBuffer(held.info);
      }
    }
  }

  get closed(): boolean {
    return this.#closed;
  }
  get readable(): boolean {
    return true;
  }
  get writable(): boolean {
    return true;
  }
  get seekable(): boolean {
    return true;
  }

  /** Bytes reserved before the next reallocation. */
  get capacity(): number {
    return this.#data.length;
  }

  /** Live exports of the contents (views that block resizing). */
  get exports(): number {
    return this.#lock.exports;
  }

  /**
   * A copy of the whole contents, whatever the position (Python's `BytesIO.getvalue`).
   *
   * @example
   * ```ts
   * import { MemoryStream } from '@interop/stream';
   * console.log(new MemoryStream(new Uint8Array([7, 8])).getValue()); // Uint8Array(2) [ 7, 8 ]
   * ```
   * @throws {StreamError} `ERR_BUFFER_RELEASED` after `close`.
   */
  getValue(): Uint8Array {
    checkOpen(this, 'getValue');
    this.#attached('getValue');
    return this.#data.slice(0, this.#size);
  }

  /** Exports the stream's current contents (format 'B', 1-D); counted on the stream's lock. */
  [getbuffer](flags: number): BufferInfo {
    checkOpen(this, 'getbuffer');
    this.#attached('getbuffer');
    return exportBuffer(
      this,
      { buffer: this.#data.buffer, byteOffset: this.#data.byteOffset, format: 'B', itemsize: 1, shape: [this.#size] },
      flags,
      this.#lock,
    );
  }

  /** Ends an export taken with `[getbuffer]`. */
  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }

  protected readBytes(bytes: Uint8Array): number {
    this.#attached('read');
    const count = Math.max(0, Math.min(bytes.length, this.#size - this.#position));
    if (count === 0) return 0;
    // Uint8Array.set copies as if through a temporary when both views share a buffer, so a
    // stream reading into a view of its own memory stays correct.
    bytes.set(this.#data.subarray(this.#position, this.#position + count));
    this.#position += count;
    return count;
  }

  override readAll(): Uint8Array {
    checkOpen(this, 'readAll');
    this.#attached('readAll');
    const start = Math.min(this.#position, this.#size);
    const out = this.#data.slice(start, this.#size);
    this.#position = Math.max(this.#position, this.#size);
    return out;
  }

  protected writeBytes(bytes: Uint8Array): number {
    this.#attached('write');
    const end = this.#position + bytes.length;
    if (end > this.#size) {
      // Growing changes what an export describes, even without a reallocation: refuse first.
      this.#lock.assertUnlocked('write past the end of the stream');
      this.#reserve(end, 'write');
    }
    this.#data.set(bytes, this.#position);
    this.#size = Math.max(this.#size, end);
    this.#position = end;
    return bytes.length;
  }

  protected remainingHint(): number {
    this.#attached('read');
    return Math.max(0, this.#size - this.#position);
  }

  protected currentSize(): number {
    this.#attached('size');
    return this.#size;
  }

  protected currentPosition(): number {
    this.#attached('tell');
    return this.#position;
  }

  protected seekTo(offset: number, whence: Whence): number {
    this.#attached('seek');
    this.#position = resolveSeek(offset, whence, this.#position, () => this.#size, undefined);
    return this.#position;
  }

  protected truncateTo(size: number): number {
    this.#attached('truncate');
    if (size === this.#size) return size;
    this.#lock.assertUnlocked('truncate');
    if (size > this.#size) {
      this.#reserve(size, 'truncate');
    } else if (size < this.#data.length >>> 2) {
      // Give memory back when the stream shrinks to a quarter of its storage.
      const smaller = new Uint8Array(allocateBuffer(size));
      smaller.set(this.#data.subarray(0, size));
      this.#data = smaller;
    } else {
      this.#data.fill(0, size, this.#size);
    }
    this.#size = size;
    return size;
  }

  protected override flushBytes(): void {
    this.#attached('flush');
  }

  /**
   * The storage can be lost through an export (a consumer transferring the exported buffer):
   * the contents are gone then, and reads must not report end of stream.
   */
  #attached(operation: string): void {
    if (this.#size === 0) {
      // An empty stream loses nothing but its capacity: start over with fresh storage (a
      // detached array would still make slice() and set() throw an engine TypeError).
      if (this.#data.byteLength === 0 && isDetached(this.#data.buffer)) this.#data = new Uint8Array(0);
      return;
    }
    assertAttached(this.#data.byteLength, this.#size, 'MemoryStream', operation);
  }

  protected closeResource(): void {
    this.#lock.assertUnlocked('close');
    this.#closed = true;
    this.#data = new Uint8Array(0);
    this.#size = 0;
    this.#position = 0;
  }

  /** Makes room for `needed` bytes; throws before any change when memory cannot be had. */
  #reserve(needed: number, operation: string): void {
    if (needed <= this.#data.length) return;
    const grown = Math.max(needed, Math.min(this.#data.length * 2, Number.MAX_SAFE_INTEGER), MIN_GROWTH);
    let next: Uint8Array;
    try {
      next = new Uint8Array(allocateBuffer(grown));
    } catch (first) {
      try {
        next = new Uint8Array(allocateBuffer(needed));
      } catch {
        throw new StreamError(
          'ERR_STREAM_NO_SPACE',
          `Cannot ${operation}: growing the stream to ${needed} bytes failed (${(first as Error).message}). Write less, or stream to a file instead.`,
          {
            cause: first,
            details: { operation, size: needed },
          },
        );
      }
    }
    next.set(this.#data.subarray(0, this.#size));
    this.#data = next;
  }
}
