import { allocateBuffer, releaseBuffer } from '@interop/core';
import { DEFAULT_CHUNK_SIZE, type AsyncStreamAccess, type Whence } from '../stream-access.js';
import { acquireSource, acquireTarget, checkChunkSize, checkCount, checkOpen, checkReadable, checkSeekable, checkWritable, concatChunks } from './checks.js';

const UNKNOWN_READ_CAP = 1 << 20;

/**
 * The shared half of every asynchronous stream: the same checks and export handling as the
 * synchronous base, with every operation queued so that operations on one stream run in call
 * order (a read issued before a seek sees the old position). A target's export is held across the
 * await, so its exporter cannot move the memory while the backing writes into it.
 */
export abstract class AsyncStreamBase implements AsyncStreamAccess {
  #tail: Promise<unknown> = Promise.resolve();

  abstract get closed(): boolean;
  abstract get readable(): boolean;
  abstract get writable(): boolean;
  abstract get seekable(): boolean;

  protected abstract readBytes(bytes: Uint8Array): Promise<number>;
  protected abstract writeBytes(bytes: Uint8Array): Promise<number>;
  protected abstract remainingHint(): Promise<number | undefined>;
  protected abstract currentSize(): Promise<number>;
  protected abstract currentPosition(): number;
  protected abstract seekTo(offset: number, whence: Whence): Promise<number>;
  protected abstract truncateTo(size: number): Promise<number>;
  protected abstract closeResource(): Promise<void>;
  protected flushBytes(): Promise<void> {
    return Promise.resolve();
  }

  /** Runs `operation` after every operation queued before it, whatever their outcome. */
  protected enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(operation);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  size(): Promise<number> {
    return this.enqueue(() => {
      checkSeekable(this, 'size');
      return this.currentSize();
    });
  }

  read(size?: number): Promise<Uint8Array> {
    return this.enqueue(() => this.#read(size));
  }

  async #read(size: number | undefined): Promise<Uint8Array> {
    checkReadable(this, 'read');
    if (size === undefined) return this.#readAll();
    const wanted = checkCount(size, 'size', 'read');
    if (wanted === 0) return new Uint8Array(0);
    const hint = await this.remainingHint();
    const allocation = hint === undefined ? Math.min(wanted, UNKNOWN_READ_CAP) : Math.min(wanted, hint);
    if (allocation === 0) return new Uint8Array(0);
    const out = new Uint8Array(allocateBuffer(allocation));
    const count = await this.readBytes(out);
    return count === allocation ? out : out.slice(0, count);
  }

  readInto(target: unknown, offset?: number, length?: number): Promise<number> {
    return this.enqueue(async () => {
      checkReadable(this, 'readInto');
      const held = acquireTarget(target, offset, length, 'readInto');
      try {
        return held.bytes.length === 0 ? 0 : await this.readBytes(held.bytes);
      } finally {
        releaseBuffer(held.info);
      }
    });
  }

  readAll(): Promise<Uint8Array> {
    return this.enqueue(() => this.#readAll());
  }

  async #readAll(): Promise<Uint8Array> {
    checkReadable(this, 'readAll');
    const chunks: Uint8Array[] = [];
    let total = 0;
    let next = Math.max((await this.remainingHint()) ?? UNKNOWN_READ_CAP, 1);
    for (;;) {
      const chunk = new Uint8Array(allocateBuffer(next));
      const count = await this.readBytes(chunk);
      if (count === 0) break;
      chunks.push(count === chunk.length ? chunk : chunk.subarray(0, count));
      total += count;
      next = UNKNOWN_READ_CAP;
    }
    return concatChunks(chunks, total);
  }

  write(source: unknown): Promise<number> {
    return this.enqueue(async () => {
      checkWritable(this, 'write');
      const held = acquireSource(source, 'write');
      try {
        return held.bytes.length === 0 ? 0 : await this.writeBytes(held.bytes);
      } finally {
        releaseBuffer(held.info);
      }
    });
  }

  seek(offset: number, whence: Whence = 0): Promise<number> {
    return this.enqueue(() => {
      checkSeekable(this, 'seek');
      return this.seekTo(offset, whence);
    });
  }

  tell(): Promise<number> {
    return this.enqueue(() => {
      checkSeekable(this, 'tell');
      return Promise.resolve(this.currentPosition());
    });
  }

  truncate(size?: number): Promise<number> {
    return this.enqueue(() => {
      checkWritable(this, 'truncate');
      checkSeekable(this, 'truncate');
      return this.truncateTo(size === undefined ? this.currentPosition() : checkCount(size, 'size', 'truncate'));
    });
  }

  flush(): Promise<void> {
    return this.enqueue(() => {
      checkOpen(this, 'flush');
      return this.flushBytes();
    });
  }

  close(): Promise<void> {
    return this.enqueue(() => (this.closed ? Promise.resolve() : this.closeResource()));
  }

  chunks(chunkSize: number = DEFAULT_CHUNK_SIZE): AsyncIterableIterator<Uint8Array> {
    return this.#chunks(checkChunkSize(chunkSize, 'chunks'));
  }

  async *#chunks(chunkSize: number): AsyncIterableIterator<Uint8Array> {
    for (;;) {
      const chunk = await this.read(chunkSize);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this.chunks();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
