import { allocateBuffer, releaseBuffer } from '@interop/core';
import { DEFAULT_CHUNK_SIZE, type StreamAccess, type Whence } from '../stream-access.js';
import { acquireSource, acquireTarget, checkChunkSize, checkCount, checkOpen, checkReadable, checkSeekable, checkWritable, concatChunks } from './checks.js';

/** Reads of unknown length grow by chunks of this size at most. */
const UNKNOWN_READ_CAP = 1 << 20;

/**
 * The shared half of every synchronous stream: argument checks in one order (closed, capability,
 * arguments), export handling for targets and sources, and read/readAll/iteration built on the
 * backing's two primitives `readBytes` and `writeBytes`.
 */
export abstract class SyncStreamBase implements StreamAccess {
  abstract get closed(): boolean;
  abstract get readable(): boolean;
  abstract get writable(): boolean;
  abstract get seekable(): boolean;

  /** Reads into `bytes` (non-empty) at the position and advances it; 0 at end of stream. */
  protected abstract readBytes(bytes: Uint8Array): number;
  /** Writes `bytes` (non-empty) at the position and advances it; all checks come before any change. */
  protected abstract writeBytes(bytes: Uint8Array): number;
  /** Bytes left before the end, when known. */
  protected abstract remainingHint(): number | undefined;
  protected abstract currentSize(): number;
  protected abstract currentPosition(): number;
  /** Moves to an already-validated absolute position computed by `resolveSeek`. */
  protected abstract seekTo(offset: number, whence: Whence): number;
  protected abstract truncateTo(size: number): number;
  protected abstract closeResource(): void;
  protected flushBytes(): void {}

  get size(): number {
    checkSeekable(this, 'size');
    return this.currentSize();
  }

  read(size?: number): Uint8Array {
    checkReadable(this, 'read');
    if (size === undefined) return this.readAll();
    const wanted = checkCount(size, 'size', 'read');
    if (wanted === 0) return new Uint8Array(0);
    const hint = this.remainingHint();
    const allocation = hint === undefined ? Math.min(wanted, UNKNOWN_READ_CAP) : Math.min(wanted, hint);
    if (allocation === 0) return new Uint8Array(0);
    const out = new Uint8Array(allocateBuffer(allocation));
    const count = this.readBytes(out);
    return count === allocation ? out : out.slice(0, count);
  }

  readInto(target: unknown, offset?: number, length?: number): number {
    checkReadable(this, 'readInto');
    const held = acquireTarget(target, offset, length, 'readInto');
    try {
      return held.bytes.length === 0 ? 0 : this.readBytes(held.bytes);
    } finally {
      releaseBuffer(held.info);
    }
  }

  readAll(): Uint8Array {
    checkReadable(this, 'readAll');
    const chunks: Uint8Array[] = [];
    let total = 0;
    let next = Math.max(this.remainingHint() ?? UNKNOWN_READ_CAP, 1);
    for (;;) {
      const chunk = new Uint8Array(allocateBuffer(next));
      const count = this.readBytes(chunk);
      if (count === 0) break;
      chunks.push(count === chunk.length ? chunk : chunk.subarray(0, count));
      total += count;
      next = UNKNOWN_READ_CAP;
    }
    return concatChunks(chunks, total);
  }

  write(source: unknown): number {
    checkWritable(this, 'write');
    const held = acquireSource(source, 'write');
    try {
      return held.bytes.length === 0 ? 0 : this.writeBytes(held.bytes);
    } finally {
      releaseBuffer(held.info);
    }
  }

  seek(offset: number, whence: Whence = 0): number {
    checkSeekable(this, 'seek');
    return this.seekTo(offset, whence);
  }

  tell(): number {
    checkSeekable(this, 'tell');
    return this.currentPosition();
  }

  truncate(size?: number): number {
    checkWritable(this, 'truncate');
    checkSeekable(this, 'truncate');
    return this.truncateTo(size === undefined ? this.currentPosition() : checkCount(size, 'size', 'truncate'));
  }

  flush(): void {
    checkOpen(this, 'flush');
    this.flushBytes();
  }

  close(): void {
    if (!this.closed) this.closeResource();
  }

  chunks(chunkSize: number = DEFAULT_CHUNK_SIZE): IterableIterator<Uint8Array> {
    const size = checkChunkSize(chunkSize, 'chunks');
    checkReadable(this, 'chunks');
    return this.#chunks(size);
  }

  *#chunks(chunkSize: number): IterableIterator<Uint8Array> {
    for (;;) {
      const chunk = this.read(chunkSize);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }

  [Symbol.iterator](): IterableIterator<Uint8Array> {
    return this.chunks();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return toAsyncIterator(this.chunks());
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

async function* toAsyncIterator(iterator: IterableIterator<Uint8Array>): AsyncIterableIterator<Uint8Array> {
  for (const chunk of iterator) yield await Promise.resolve(chunk);
}
