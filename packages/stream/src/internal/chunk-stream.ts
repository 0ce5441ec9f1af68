import { isDetached } from '@interop/core';
import { StreamError } from '../errors/stream-error.js';
import type { Whence } from '../stream-access.js';
import { AsyncStreamBase } from './async-stream-base.js';

/** Pulls the next chunk from a one-way source; null at its end. */
export interface ChunkSource {
  next(): Promise<Uint8Array | null>;
  cancel(): Promise<void>;
}

/**
 * A readable, non-seekable `AsyncStreamAccess` over a source that produces chunks (a WHATWG or a
 * Node readable stream). A read returns at most what one chunk holds (a short read, as from a
 * pipe); the rest of a chunk is kept for the next read. `tell` counts the bytes consumed.
 */
export class ChunkStream extends AsyncStreamBase {
  readonly #source: ChunkSource;
  #pending: Uint8Array | null = null;
  #done = false;
  #position = 0;
  #closed = false;

  constructor(source: ChunkSource) {
    super();
    this.#source = source;
  }

  get closed(): boolean {
    return this.#closed;
  }
  get readable(): boolean {
    return true;
  }
  get writable(): boolean {
    return false;
  }
  get seekable(): boolean {
    return false;
  }

  /**
   * Closes at once, without waiting for queued reads: cancelling the source ends a read that is
   * waiting for a chunk that may never come (that read then reports end of stream).
   */
  override async close(): Promise<void> {
    if (this.#closed) return;
    await this.closeResource();
  }

  override tell(): Promise<number> {
    return this.enqueue(() => {
      if (this.#closed) return Promise.reject(closedError('tell'));
      return Promise.resolve(this.#position);
    });
  }

  async #nextChunk(): Promise<Uint8Array | null> {
    while (this.#pending === null || this.#pending.length === 0) {
      if (this.#done) return null;
      const chunk = await this.#source.next();
      if (chunk === null) {
        this.#done = true;
        return null;
      }
      this.#pending = chunk;
    }
    return this.#pending;
  }

  protected async readBytes(bytes: Uint8Array): Promise<number> {
    const chunk = await this.#nextChunk();
    if (chunk === null) return 0;
    const count = Math.min(chunk.length, bytes.length);
    bytes.set(count === chunk.length ? chunk : chunk.subarray(0, count));
    this.#pending = chunk.subarray(count);
    this.#position += count;
    return count;
  }

  protected writeBytes(): Promise<number> {
    return Promise.reject(new Error('unreachable: ChunkStream is not writable'));
  }

  protected async remainingHint(): Promise<number | undefined> {
    const chunk = await this.#nextChunk();
    return chunk === null ? 0 : chunk.length;
  }

  protected currentSize(): Promise<number> {
    return Promise.reject(new Error('unreachable: ChunkStream is not seekable'));
  }

  protected currentPosition(): number {
    return this.#position;
  }

  protected seekTo(_offset: number, _whence: Whence): Promise<number> {
    return Promise.reject(new Error('unreachable: ChunkStream is not seekable'));
  }

  protected truncateTo(): Promise<number> {
    return Promise.reject(new Error('unreachable: ChunkStream is not seekable'));
  }

  protected async closeResource(): Promise<void> {
    this.#closed = true;
    this.#pending = null;
    if (!this.#done) {
      this.#done = true;
      await this.#source.cancel();
    }
  }
}

function closedError(operation: string): StreamError {
  return new StreamError('ERR_BUFFER_RELEASED', `Cannot ${operation}: this stream is closed.`, { details: { operation } });
}

/** Accepts a chunk a byte source produced: any ArrayBufferView or ArrayBuffer, viewed without a copy. */
export function chunkBytes(chunk: unknown, where: string): Uint8Array {
  // A chunk whose memory was transferred away reads as empty (found by fuzzing: viewing a
  // detached DataView's buffer threw a plain TypeError).
  if (ArrayBuffer.isView(chunk) && isDetached(chunk.buffer)) return new Uint8Array(0);
  if (chunk instanceof ArrayBuffer && isDetached(chunk)) return new Uint8Array(0);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new StreamError(
    'ERR_INVALID_ARGUMENT',
    `${where} produced a chunk that is not bytes (${typeof chunk === 'string' ? 'a string' : Object.prototype.toString.call(chunk)}). Byte streams only: remove setEncoding() or any text decoding before this adapter.`,
    { details: { operation: 'read' } },
  );
}
