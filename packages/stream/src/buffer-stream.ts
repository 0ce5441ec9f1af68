import {
  assertAttached,
  BufferError,
  BufferFlags,
  ExportLock,
  exportBuffer,
  getBuffer,
  getbuffer,
  isCContiguous,
  releaseBuffer,
  releasebuffer,
  type BufferInfo,
  type Exporter,
} from '@interop/core';
import { StreamError } from './errors/stream-error.js';
import { checkOpen, resolveSeek } from './internal/checks.js';
import { SyncStreamBase } from './internal/sync-stream-base.js';
import type { Whence } from './stream-access.js';

/** Options of `new BufferStream`. */
export interface BufferStreamOptions {
  /** Take a read-only export even when the memory is writable (default false). */
  readonly readonly?: boolean;
}

/**
 * A fixed-size stream over the bytes of any exporter (a TypedArray, an ArrayBuffer, a MemoryView,
 * an image, a matrix...), reading and writing that memory in place.
 *
 * The stream holds one export of `source` from construction until `close`, so the source cannot
 * resize or free its memory meanwhile. It is read-only when the export is (or when asked), cannot
 * grow: a seek past the end throws `ERR_STREAM_SEEK_OUT_OF_RANGE`, a write near the end is a
 * partial write and a write at the end throws `ERR_STREAM_NO_SPACE`. It is itself an exporter of
 * the same bytes; `close` is refused while those exports are held.
 *
 * @example
 * ```ts
 * import { BufferStream } from '@interop/stream';
 * const pixels = new Float32Array([1, 2, 3]);
 * const stream = new BufferStream(pixels);
 * stream.seek(4);
 * stream.write(new Float32Array([20]));
 * stream.close();
 * console.log(pixels); // Float32Array(3) [ 1, 20, 3 ]
 * ```
 * @throws {BufferError} `ERR_BUFFER_NOT_EXPORTER` for a value without the buffer protocol; `ERR_BUFFER_NOT_CONTIGUOUS` for a strided one; any refusal of the exporter.
 */

export class BufferStream extends SyncStreamBase implements Exporter {
  readonly #lock = new ExportLock();
  readonly #held: BufferInfo;
  readonly #bytes: Uint8Array;
  readonly #readonly: boolean;
  #position = 0;
  #closed = false;

  constructor(source: unknown, options: BufferStreamOptions = {}) {
    super();
    this.#held = BufferStream.#acquire(source, options.readonly === true);
    const held = this.#held;
    if (held.strides !== null && !isCContiguous(held.shape ?? [], held.strides, held.itemsize)) {
      releaseBuffer(held);
      throw new BufferError(
        'ERR_BUFFER_NOT_CONTIGUOUS',
        `new BufferStream needs C-contiguous memory; received strides [${held.strides.join(', ')}] for shape [${(held.shape ?? []).join(', ')}]. Copy it first (MemoryView.copy(view, { order: 'C' })).`,
        {
          details: { operation: 'new BufferStream', requestedFlags: BufferFlags.STRIDED_RO },
        },
      );
    }
    this.#bytes = new Uint8Array(held.buffer, held.byteOffset, held.byteLength);
    this.#readonly = held.readonly || options.readonly === true;
  }

  static #acquire(source: unknown, readonly: boolean): BufferInfo {
    if (readonly) return getBuffer(source, BufferFlags.STRIDED_RO);
    try {
      return getBuffer(source, BufferFlags.STRIDED);
    } catch (error) {
      if (BufferError.isInstance(error) && error.code === 'ERR_BUFFER_READONLY') return getBuffer(source, BufferFlags.STRIDED_RO);
      throw error;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }
  get readable(): boolean {
    return true;
  }
  get writable(): boolean {
    return !this.#readonly;
  }
  get seekable(): boolean {
    return true;
  }

  /** The exporter whose memory this stream reads and writes. */
  get source(): object {
    return this.#held.obj;
  }

  /** Exports the stream's current contents (format 'B', 1-D); counted on the stream's lock. */
  [getbuffer](flags: number): BufferInfo {
    checkOpen(this, 'getbuffer');
    this.#attached('getbuffer');
    return exportBuffer(
      this,
      { buffer: this.#held.buffer, byteOffset: this.#held.byteOffset, format: 'B', itemsize: 1, shape: [this.#bytes.length], readonly: this.#readonly },
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
    const count = Math.min(bytes.length, this.#bytes.length - this.#position);
    if (count <= 0) return 0;
    bytes.set(this.#bytes.subarray(this.#position, this.#position + count));
    this.#position += count;
    return count;
  }

  protected writeBytes(bytes: Uint8Array): number {
    this.#attached('write');
    const room = this.#bytes.length - this.#position;
    if (room <= 0) {
      throw new StreamError(
        'ERR_STREAM_NO_SPACE',
        `Cannot write ${bytes.length} bytes: the position is at the end (${this.#bytes.length}) of a fixed-size BufferStream. Seek back, or write to a MemoryStream, which grows.`,
        {
          details: { operation: 'write', size: this.#bytes.length, position: this.#position },
        },
      );
    }
    const count = Math.min(room, bytes.length);
    this.#bytes.set(count === bytes.length ? bytes : bytes.subarray(0, count), this.#position);
    this.#position += count;
    return count;
  }

  protected remainingHint(): number {
    this.#attached('read');
    return this.#bytes.length - this.#position;
  }

  protected currentSize(): number {
    this.#attached('size');
    return this.#bytes.length;
  }

  protected currentPosition(): number {
    this.#attached('tell');
    return this.#position;
  }

  protected seekTo(offset: number, whence: Whence): number {
    this.#attached('seek');
    this.#position = resolveSeek(offset, whence, this.#position, () => this.#bytes.length, this.#bytes.length);
    return this.#position;
  }

  protected truncateTo(size: number): number {
    this.#attached('truncate');
    if (size === this.#bytes.length) return size;
    throw new StreamError(
      'ERR_NOT_RESIZABLE',
      `Cannot truncate a BufferStream to ${size} bytes: it reads and writes the fixed ${this.#bytes.length} bytes of its source. Copy into a MemoryStream to resize.`,
      {
        details: { operation: 'truncate', size, currentSize: this.#bytes.length },
      },
    );
  }

  protected override flushBytes(): void {
    this.#attached('flush');
  }

  /** The source's memory may have been transferred or shrunk behind the stream's back: never read it as end of stream. */
  #attached(operation: string): void {
    assertAttached(this.#bytes.byteLength, this.#held.byteLength, 'BufferStream', operation);
  }

  protected closeResource(): void {
    this.#lock.assertUnlocked('close');
    this.#closed = true;
    releaseBuffer(this.#held);
  }
}
