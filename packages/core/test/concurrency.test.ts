// SharedArrayBuffer-backed exports across worker_threads. What is guaranteed: every worker sees the
// same memory, and exports/locks work within each thread. What is not: an ExportLock is per object
// and per thread — a worker's exports do not lock an exporter living in another thread (see the
// specification, "Export locks").
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BufferError, BufferFlags, ExportLock, exportBuffer, getBuffer, getbuffer, releaseBuffer, releasebuffer, type BufferInfo } from '@interop/core';

const workerFile = fileURLToPath(new URL('./fixtures/shared-worker.mjs', import.meta.url));

function runWorker(shared: SharedArrayBuffer, rounds: number): Promise<{ sameMemory: boolean; format: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { shared, rounds } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

class SharedCounters {
  readonly lock = new ExportLock();
  readonly shared: SharedArrayBuffer;
  constructor(length: number) {
    this.shared = new SharedArrayBuffer(length * 4);
  }
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.shared, byteOffset: 0, format: 'i', shape: [this.shared.byteLength / 4] }, flags, this.lock);
  }
  [releasebuffer](): void {
    this.lock.release();
  }
  replace(): void {
    this.lock.assertUnlocked('replace');
  }
}

describe('SharedArrayBuffer exporters and worker_threads', () => {
  it('lets views in several workers update the same memory, with no lost updates under Atomics', async () => {
    const counters = new SharedCounters(64);
    const info = getBuffer(counters, BufferFlags.FULL);
    const rounds = 2000;
    const results = await Promise.all([runWorker(counters.shared, rounds), runWorker(counters.shared, rounds), runWorker(counters.shared, rounds)]);
    expect(results.every((result) => result.sameMemory && result.format === 'i')).toBe(true);
    const values = new Int32Array(info.buffer, info.byteOffset, 64);
    expect([...values].every((value) => value === 3 * rounds)).toBe(true);
    releaseBuffer(info);
  }, 60_000);

  it("keeps locks per thread: the main thread's lock counts only its own exports", async () => {
    const counters = new SharedCounters(4);
    const held = getBuffer(counters, BufferFlags.FULL_RO);
    expect(() => counters.replace()).toThrow(BufferError);
    await runWorker(counters.shared, 1);
    expect(counters.lock.exports).toBe(1);
    releaseBuffer(held);
    expect(counters.lock.exports).toBe(0);
    expect(() => counters.replace()).not.toThrow();
  }, 60_000);

  it('cannot transfer a SharedArrayBuffer away, so shared exports never detach', () => {
    const counters = new SharedCounters(4);
    const info = getBuffer(counters, BufferFlags.FULL_RO);
    expect(() => structuredClone(counters.shared, { transfer: [counters.shared as unknown as ArrayBuffer] })).toThrow();
    expect(info.buffer.byteLength).toBe(16);
    releaseBuffer(info);
  });
});
