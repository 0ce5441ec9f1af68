import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { allocateBuffer, BufferError, MemoryView, registerAllocator, registeredAllocator, resetAllocator } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import {
  allocateHugePages,
  allocateSharedHugePages,
  hugePageAllocator,
  hugePageStats,
  installNativeAllocator,
  NativeError,
  setHugePageCache,
  DEFAULT_HUGE_PAGE_CACHE,
} from '../src/index.js';
import { addonBinary } from './helpers/build-addons.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

const before = registeredAllocator();
afterEach(() => {
  setHugePageCache({ entries: 0 });
  if (before === null) resetAllocator();
  else registerAllocator(before.allocator, { threshold: before.threshold, fallback: before.fallback });
});
afterAll(() => setHugePageCache({ entries: 0 }));

/** Collects garbage until `done()` holds (the backing-store deleter runs on a V8 sweeper thread). */
async function collectUntil(done: () => boolean, rounds = 40): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (done()) return true;
  }
  return done();
}

/** Collects until the free count stops moving: garbage of earlier tests is freed before a test counts. */
async function settle(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const { frees } = hugePageStats();
    if (frees === last) return;
    last = frees;
  }
}

const thpMode = ((): string => {
  try {
    return /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unavailable';
  }
})();
const thpUsable = process.platform === 'linux' && (thpMode === 'always' || thpMode === 'madvise');

function anonHugeKiB(): number {
  const match = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
  return match === null ? 0 : Number(match[1]);
}

describe('allocateHugePages', () => {
  it('returns zero-filled, writable ArrayBuffers of exactly the size asked', () => {
    for (const size of [1, 4095, 2 * MiB, 5 * MiB + 3]) {
      const buffer = allocateHugePages(size);
      expect(buffer).toBeInstanceOf(ArrayBuffer);
      expect(buffer.byteLength).toBe(size);
      const bytes = new Uint8Array(buffer);
      expect(bytes.every((b) => b === 0)).toBe(true);
      bytes[size - 1] = 7;
      expect(bytes[size - 1]).toBe(7);
    }
    expect(allocateHugePages(0).byteLength).toBe(0);
    const shared = allocateSharedHugePages(4 * MiB);
    expect(shared).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.byteLength).toBe(4 * MiB);
  });

  it('refuses bad sizes and types out-of-memory as NativeError', () => {
    for (const bad of [-1, 1.5, Number.NaN]) expectErrorCode(() => allocateHugePages(bad), 'ERR_NATIVE_INVALID_SIZE', { family: NativeError });
    // 4 PiB: more than any machine can map.
    expectErrorCode(() => allocateHugePages(2 ** 52), 'ERR_BUFFER_ALLOCATION_FAILED', { family: NativeError });
  });

  it.skipIf(!thpUsable)(`marks regions of 2 MiB and more MADV_HUGEPAGE: AnonHugePages grows in /proc/self/smaps (THP mode: ${thpMode})`, () => {
    const stats = hugePageStats();
    expect(stats.madvise).toBe(true);
    const baseline = anonHugeKiB();
    const buffer = allocateHugePages(16 * MiB);
    new Uint8Array(buffer).fill(1);
    expect(hugePageStats().advised).toBeGreaterThan(stats.advised);
    // The kernel may not find a free huge page for every 2 MiB (fragmentation); it finds some.
    expect(anonHugeKiB() - baseline).toBeGreaterThanOrEqual(2048);
    expect(buffer.byteLength).toBe(16 * MiB);
  });

  it.skipIf(thpUsable)(`huge-page marking not checked: transparent huge pages are ${thpMode} on ${process.platform}`, () => {
    expect(thpUsable).toBe(false);
  });
});

describe('freeing', () => {
  it('frees a region exactly once, when V8 collects its last view, never while a view holds it', async () => {
    await settle();
    const start = hugePageStats();
    const held: { view: Float64Array | null } = {
      view: ((): Float64Array => {
        const array = new Float64Array(allocateHugePages(8 * MiB), 8, 16);
        array.fill(2.5);
        return array;
      })(),
    };
    expect(hugePageStats().allocations).toBe(start.allocations + 1);
    // Only a view of part of the buffer is reachable: the region stays mapped and intact.
    await collectUntil(() => false, 10);
    expect(hugePageStats().frees).toBe(start.frees);
    expect(held.view?.every((x) => x === 2.5)).toBe(true);
    held.view = null;
    expect(await collectUntil(() => hugePageStats().frees >= start.frees + 1)).toBe(true);
    await collectUntil(() => false, 5);
    const end = hugePageStats();
    expect(end.frees).toBe(start.frees + 1);
    expect(end.live).toBe(start.live);
  });

  it('keeps the region while a MemoryView export of it is held', async () => {
    await settle();
    const start = hugePageStats();
    const held: { view: MemoryView | null } = { view: MemoryView.from(new Uint8Array(allocateHugePages(4 * MiB))) };
    await collectUntil(() => false, 10);
    expect(hugePageStats().frees).toBe(start.frees);
    expect(held.view?.get(0)).toBe(0);
    held.view?.release();
    held.view = null;
    expect(await collectUntil(() => hugePageStats().frees === start.frees + 1)).toBe(true);
  });

  it('reuses cached regions zeroed, and only when the cache is on', async () => {
    await settle();
    setHugePageCache({ entries: 2, bytes: 64 * MiB });
    const start = hugePageStats();
    ((): void => {
      new Uint8Array(allocateHugePages(6 * MiB)).fill(9);
    })();
    expect(await collectUntil(() => hugePageStats().cached === start.cached + 1)).toBe(true);
    const reused = new Uint8Array(allocateHugePages(6 * MiB - 5));
    const after = hugePageStats();
    expect(after.cacheHits).toBe(start.cacheHits + 1);
    expect(reused.every((b) => b === 0)).toBe(true);
    setHugePageCache({ entries: 0 });
    expect(hugePageStats().cached).toBe(0);
    expectErrorCode(() => setHugePageCache({ entries: -1 }), 'ERR_INVALID_ARGUMENT', { family: NativeError });
  });
});

describe('the cache of freed regions', () => {
  /** Allocates and fills a region, then lets it go and waits until the cache holds it. */
  async function cacheOne(size: number, fill: number): Promise<void> {
    const start = hugePageStats().cached;
    ((): void => {
      new Uint8Array(allocateHugePages(size)).fill(fill);
    })();
    expect(await collectUntil(() => hugePageStats().cached === start + 1)).toBe(true);
  }

  it('is on from the start of a process (4 regions, 512 MiB, 5 s)', () => {
    const script = `const stats = require(${JSON.stringify(addonBinary)}).hugeStats(); console.log(JSON.stringify([stats.cacheMaxEntries, stats.cacheMaxBytes, stats.cacheMaxAgeMs]));`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual([4, 512 * MiB, 5000]);
    expect(DEFAULT_HUGE_PAGE_CACHE).toEqual({ entries: 4, bytes: 512 * MiB, maxAgeMs: 5000 });
  });

  it('hands a recycled region out unzeroed only to zeroFill: false; fresh regions are always zero', async () => {
    await settle();
    setHugePageCache({ entries: 2, bytes: 64 * MiB });
    expect(new Uint8Array(allocateHugePages(6 * MiB, { zeroFill: false })).every((b) => b === 0)).toBe(true);
    await cacheOne(6 * MiB, 9);
    const hits = hugePageStats().cacheHits;
    const recycled = new Uint8Array(allocateHugePages(6 * MiB, { zeroFill: false }));
    expect(hugePageStats().cacheHits).toBe(hits + 1);
    expect(recycled[0]).toBe(9);
    expect(recycled[6 * MiB - 1]).toBe(9);
    expectErrorCode(() => allocateHugePages(8, { zeroFill: 'no' as never }), 'ERR_INVALID_ARGUMENT', { family: NativeError });
  });

  it('serves a request from the smallest cached region that fits without wasting more than a quarter', async () => {
    await settle();
    setHugePageCache({ entries: 4, bytes: 256 * MiB });
    await cacheOne(16 * MiB, 1);
    const hits = hugePageStats().cacheHits;
    // 4 MiB would waste three quarters of the 16 MiB region: a new region is mapped.
    allocateHugePages(4 * MiB);
    expect(hugePageStats().cacheHits).toBe(hits);
    const reused = new Uint8Array(allocateHugePages(14 * MiB));
    expect(hugePageStats().cacheHits).toBe(hits + 1);
    expect(reused.every((b) => b === 0)).toBe(true);
  });

  it('unmaps regions older than maxAgeMs at the next allocation', async () => {
    await settle();
    setHugePageCache({ entries: 4, bytes: 256 * MiB, maxAgeMs: 0 });
    await cacheOne(4 * MiB, 3);
    await new Promise((resolve) => setTimeout(resolve, 5));
    allocateHugePages(MiB);
    expect(hugePageStats().cached).toBe(0);
    expect(hugePageStats().cacheMaxAgeMs).toBe(0);
    expectErrorCode(() => setHugePageCache({ entries: 1, maxAgeMs: -1 }), 'ERR_INVALID_ARGUMENT', { family: NativeError });
  });
});

describe('installNativeAllocator', () => {
  it('registers the huge-page allocator with the threshold, below which new ArrayBuffer serves', () => {
    resetAllocator();
    expect(installNativeAllocator({ threshold: 4 * MiB })).toBe(true);
    expect(registeredAllocator()).toMatchObject({ threshold: 4 * MiB });
    expect(registeredAllocator()?.allocator.name).toBe('huge-page');
    const start = hugePageStats().allocations;
    allocateBuffer(4 * MiB - 1);
    expect(hugePageStats().allocations).toBe(start);
    allocateBuffer(4 * MiB);
    expect(hugePageStats().allocations).toBe(start + 1);
    using copy = MemoryView.copy(new Float32Array(MiB + 1));
    expect(hugePageStats().allocations).toBe(start + 2);
    expect(copy.nbytes).toBe(4 * MiB + 4);
  });

  it('respects INTEROP_ALLOCATOR=default and an allocator the user registered', () => {
    const saved = process.env['INTEROP_ALLOCATOR'];
    try {
      resetAllocator();
      process.env['INTEROP_ALLOCATOR'] = 'default';
      expect(installNativeAllocator()).toBe(false);
      expect(registeredAllocator()).toBeNull();
      expect(installNativeAllocator({ force: true })).toBe(true);
      delete process.env['INTEROP_ALLOCATOR'];
      const mine = { name: 'mine', allocate: (n: number) => new ArrayBuffer(n) };
      registerAllocator(mine);
      expect(installNativeAllocator()).toBe(false);
      expect(registeredAllocator()?.allocator.name).toBe('mine');
    } finally {
      if (saved === undefined) delete process.env['INTEROP_ALLOCATOR'];
      else process.env['INTEROP_ALLOCATOR'] = saved;
    }
  });

  it('falls back typed when even new ArrayBuffer cannot serve (huge-page allocator first, then the default)', () => {
    registerAllocator(hugePageAllocator, { threshold: 0 });
    expectErrorCode(() => allocateBuffer(2 ** 52), 'ERR_BUFFER_ALLOCATION_FAILED', { family: BufferError });
    registerAllocator(hugePageAllocator, { threshold: 0, fallback: false });
    const error = expectErrorCode(() => allocateBuffer(2 ** 52), 'ERR_BUFFER_ALLOCATION_FAILED', { family: BufferError });
    expect(NativeError.isInstance(error.cause)).toBe(true);
  });
});

function runWorker<T>(source: string, transfer?: ArrayBuffer): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, execArgv: [], workerData: { addon: addonBinary } });
    worker.once('message', (message: T) => {
      void worker.terminate().then(() => resolve(message));
    });
    worker.once('error', reject);
    if (transfer !== undefined) worker.postMessage(transfer, [transfer]);
  });
}

describe('workers', () => {
  it('a region allocated in a worker and transferred out outlives the worker, then is freed once', async () => {
    await settle();
    const start = hugePageStats();
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const addon = require(workerData.addon);
      const buffer = addon.hugeAlloc(${4 * MiB}, false);
      new Uint32Array(buffer).fill(0xabcdef);
      parentPort.postMessage(buffer, [buffer]);`;
    const held: { buffer: ArrayBuffer | null } = { buffer: await runWorker<ArrayBuffer>(source) };
    expect(held.buffer?.byteLength).toBe(4 * MiB);
    // The worker has ended; the memory is still there.
    await collectUntil(() => false, 5);
    expect(new Uint32Array(held.buffer ?? new ArrayBuffer(0)).every((x) => x === 0xabcdef)).toBe(true);
    expect(hugePageStats().frees).toBe(start.frees);
    held.buffer = null;
    expect(await collectUntil(() => hugePageStats().frees === start.frees + 1)).toBe(true);
  });

  it('a region transferred into a worker stays mapped there and comes back intact', async () => {
    await settle();
    const start = hugePageStats();
    const buffer = allocateHugePages(4 * MiB);
    new Uint8Array(buffer).set([1, 2, 3]);
    const source = `
      const { parentPort } = require('node:worker_threads');
      parentPort.once('message', (buffer) => {
        require('node:v8').setFlagsFromString('--expose-gc');
        require('node:vm').runInNewContext('gc')();
        const bytes = new Uint8Array(buffer);
        bytes[3] = bytes[0] + bytes[1] + bytes[2];
        parentPort.postMessage(buffer, [buffer]);
      });`;
    const back = await runWorker<ArrayBuffer>(source, buffer);
    expect(buffer.byteLength).toBe(0);
    expect(Array.from(new Uint8Array(back, 0, 4))).toEqual([1, 2, 3, 6]);
    expect(hugePageStats().frees).toBe(start.frees);
  });
});
