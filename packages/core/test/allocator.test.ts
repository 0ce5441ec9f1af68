import { afterEach, describe, expect, it } from 'vitest';
import {
  allocateBuffer,
  BufferError,
  DEFAULT_ALLOCATOR_THRESHOLD,
  MemoryView,
  registerAllocator,
  registeredAllocator,
  resetAllocator,
  type BufferAllocator,
} from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';

// The registration in force before this file (e.g. the huge-page allocator in the INTEROP_ALLOCATOR=huge-page run).
const before = registeredAllocator();
afterEach(() => {
  if (before === null) resetAllocator();
  else registerAllocator(before.allocator, { threshold: before.threshold, fallback: before.fallback });
});

/** An allocator that records every request (and the options of each) and hands out plain ArrayBuffers it remembers. */
function recording(): BufferAllocator & { readonly requests: number[]; readonly options: unknown[][]; readonly given: Set<ArrayBuffer> } {
  const requests: number[] = [];
  const options: unknown[][] = [];
  const given = new Set<ArrayBuffer>();
  return {
    name: 'recording',
    requests,
    options,
    given,
    allocate(byteLength: number, ...rest: unknown[]): ArrayBuffer {
      requests.push(byteLength);
      options.push(rest);
      const buffer = new ArrayBuffer(byteLength);
      given.add(buffer);
      return buffer;
    },
  };
}

describe('allocateBuffer', () => {
  it('returns zero-filled ArrayBuffers of the requested size by default', () => {
    resetAllocator();
    const buffer = allocateBuffer(1000);
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(buffer.byteLength).toBe(1000);
    expect(new Uint8Array(buffer).every((b) => b === 0)).toBe(true);
    expect(allocateBuffer(0).byteLength).toBe(0);
  });

  it('refuses sizes that are not non-negative safe integers', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53, '8' as unknown as number])
      expectErrorCode(() => allocateBuffer(bad), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('types the failure of the default path (no plain RangeError)', () => {
    resetAllocator();
    const error = expectErrorCode(() => allocateBuffer(2 ** 52), 'ERR_BUFFER_ALLOCATION_FAILED', { family: BufferError });
    expect(error.cause).toBeInstanceOf(RangeError);
  });
});

describe('registerAllocator', () => {
  it('serves requests at or above the threshold, and new ArrayBuffer below it', () => {
    const allocator = recording();
    registerAllocator(allocator, { threshold: 100 });
    const small = allocateBuffer(99);
    const edge = allocateBuffer(100);
    const big = allocateBuffer(4096);
    expect(allocator.requests).toEqual([100, 4096]);
    expect(allocator.given.has(small)).toBe(false);
    expect(allocator.given.has(edge) && allocator.given.has(big)).toBe(true);
    expect(registeredAllocator()).toMatchObject({ threshold: 100, fallback: true });
    expect(registeredAllocator()?.allocator.name).toBe('recording');
  });

  it('passes { zeroFill: false } on to the allocator, and nothing when the caller did not ask', () => {
    const allocator = recording();
    registerAllocator(allocator, { threshold: 1 });
    allocateBuffer(8);
    allocateBuffer(8, { zeroFill: true });
    allocateBuffer(8, { zeroFill: false });
    expect(allocator.options).toEqual([[], [], [{ zeroFill: false }]]);
    // Below the threshold new ArrayBuffer serves, zero-filled whatever the option says.
    registerAllocator(allocator, { threshold: 100 });
    expect(new Uint8Array(allocateBuffer(50, { zeroFill: false })).every((b) => b === 0)).toBe(true);
    expect(allocator.requests).toEqual([8, 8, 8]);
    for (const bad of ['no', 0, null]) expectErrorCode(() => allocateBuffer(8, { zeroFill: bad as never }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it("defaults to NumPy's 4 MiB threshold", () => {
    const allocator = recording();
    registerAllocator(allocator);
    expect(DEFAULT_ALLOCATOR_THRESHOLD).toBe(4 * 1024 * 1024);
    allocateBuffer(DEFAULT_ALLOCATOR_THRESHOLD - 1);
    allocateBuffer(DEFAULT_ALLOCATOR_THRESHOLD);
    expect(allocator.requests).toEqual([DEFAULT_ALLOCATOR_THRESHOLD]);
  });

  it('routes MemoryView.copy, toBytes, copyToTypedArray and overlapping copies through the seam', () => {
    const allocator = recording();
    registerAllocator(allocator, { threshold: 1 });
    using source = MemoryView.from(new Float32Array([1, 2, 3, 4, 5, 6]))
      .cast('B')
      .cast('f', [2, 3]);
    using copy = MemoryView.copy(source.transpose());
    expect(allocator.given.has(copy.obj as ArrayBuffer)).toBe(true);
    expect(copy.toList()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const bytes = source.toBytes('F');
    expect(allocator.given.has(bytes.buffer as ArrayBuffer)).toBe(true);
    const typed = source.transpose().copyToTypedArray();
    expect(allocator.given.has(typed.buffer as ArrayBuffer)).toBe(true);
    const count = allocator.requests.length;
    // A copy between overlapping views takes a temporary from the seam too.
    const data = new Float64Array([1, 2, 3, 4, 5]);
    using all = MemoryView.from(data);
    all.slice('1:').copyInto(all.slice(':4'));
    expect(Array.from(data)).toEqual([2, 3, 4, 5, 5]);
    expect(allocator.requests.length).toBe(count + 1);
  });

  it('replaces the previous allocator, and resetAllocator goes back to the default', () => {
    const first = recording();
    const second = recording();
    registerAllocator(first, { threshold: 0 });
    registerAllocator(second, { threshold: 0 });
    allocateBuffer(8);
    expect(first.requests).toEqual([]);
    expect(second.requests).toEqual([8]);
    resetAllocator();
    expect(registeredAllocator()).toBeNull();
    allocateBuffer(8);
    expect(second.requests).toEqual([8]);
  });

  it('snapshots the allocator: later changes to the object do not take effect', () => {
    const allocator = recording();
    const mutable = { name: 'mutable', allocate: (n: number) => allocator.allocate(n) };
    registerAllocator(mutable, { threshold: 0 });
    mutable.allocate = () => {
      throw new Error('not this one');
    };
    expect(allocateBuffer(4).byteLength).toBe(4);
    expect(allocator.requests).toEqual([4]);
  });

  it('refuses malformed allocators and options', () => {
    expectErrorCode(() => registerAllocator(null as unknown as BufferAllocator), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => registerAllocator({ name: 'x' } as unknown as BufferAllocator), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    for (const threshold of [-1, 0.5, Number.POSITIVE_INFINITY])
      expectErrorCode(() => registerAllocator(recording(), { threshold }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => registerAllocator(recording(), { fallback: 'yes' as unknown as boolean }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('is shared by every copy of @interop/core through a Symbol.for slot', () => {
    const allocator = recording();
    registerAllocator(allocator, { threshold: 0 });
    const slot = (globalThis as Record<symbol, { registration: unknown } | undefined>)[Symbol.for('@interop/core/allocator')];
    expect(slot?.registration).toBe(registeredAllocator());
  });
});

describe('a failing allocator', () => {
  const failures: [string, (n: number) => unknown][] = [
    [
      'throws',
      () => {
        throw new Error('out of huge pages');
      },
    ],
    ['returns a SharedArrayBuffer', (n) => new SharedArrayBuffer(n)],
    ['returns a smaller buffer', (n) => new ArrayBuffer(n - 1)],
    ['returns a TypedArray', (n) => new Uint8Array(n)],
    ['returns an impostor', (n) => ({ byteLength: n, [Symbol.toStringTag]: 'ArrayBuffer' })],
    [
      'returns a detached buffer',
      (n) => {
        const buffer = new ArrayBuffer(n);
        structuredClone(buffer, { transfer: [buffer] });
        return buffer;
      },
    ],
    [
      'returns a resizable buffer',
      (n) => new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer)(n, { maxByteLength: n * 2 }),
    ],
  ];

  for (const [what, allocate] of failures) {
    it(`that ${what} falls back to a complete new ArrayBuffer and warns once`, () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on('warning', onWarning);
      try {
        registerAllocator({ name: 'broken', allocate: allocate as (n: number) => ArrayBuffer }, { threshold: 0 });
        const first = allocateBuffer(64);
        const second = allocateBuffer(64);
        for (const buffer of [first, second]) {
          expect(buffer).toBeInstanceOf(ArrayBuffer);
          expect(buffer.byteLength).toBe(64);
          expect((buffer as { resizable?: boolean }).resizable ?? false).toBe(false);
          expect(new Uint8Array(buffer).every((b) => b === 0)).toBe(true);
        }
      } finally {
        resetAllocator();
      }
      return new Promise<void>((resolve) => {
        setImmediate(() => {
          process.off('warning', onWarning);
          const ours = warnings.filter((w) => w.name === 'InteropAllocatorWarning');
          expect(ours).toHaveLength(1);
          expect((ours[0] as Error & { code?: string }).code).toBe('INTEROP_ALLOCATOR_FALLBACK');
          resolve();
        });
      });
    });

    it(`that ${what} throws ERR_BUFFER_ALLOCATION_FAILED with fallback off`, () => {
      registerAllocator({ name: 'broken', allocate: allocate as (n: number) => ArrayBuffer }, { threshold: 0, fallback: false });
      const error = expectErrorCode(() => allocateBuffer(64), 'ERR_BUFFER_ALLOCATION_FAILED', { family: BufferError });
      expect(error.details).toMatchObject({ allocator: 'broken', byteLength: 64 });
    });
  }

  it('leaves MemoryView.copy complete or typed-failing, never half-made', () => {
    registerAllocator({ name: 'broken', allocate: () => new ArrayBuffer(3) }, { threshold: 0, fallback: false });
    using source = MemoryView.from(new Int16Array([1, 2, 3]));
    expectErrorCode(() => MemoryView.copy(source), 'ERR_BUFFER_ALLOCATION_FAILED', { family: BufferError });
    registerAllocator({ name: 'broken', allocate: () => new ArrayBuffer(3) }, { threshold: 0, fallback: true });
    using copy = MemoryView.copy(source);
    expect(copy.toList()).toEqual([1, 2, 3]);
  });

  it('an allocator that allocates through the seam itself gets the default (no recursion)', () => {
    const allocator = {
      name: 'reentrant',
      calls: 0,
      allocate(n: number): ArrayBuffer {
        this.calls++;
        return allocateBuffer(n);
      },
    };
    registerAllocator(allocator, { threshold: 0 });
    expect(allocateBuffer(16).byteLength).toBe(16);
    expect(allocator.calls).toBe(1);
  });
});

describe('workers', () => {
  it('a worker starts with the default allocator and buffers from the seam transfer to and from it', async () => {
    const { Worker } = await import('node:worker_threads');
    registerAllocator(recording(), { threshold: 0 });
    const buffer = allocateBuffer(16);
    new Uint8Array(buffer).set([1, 2, 3]);
    const source = `
      const { parentPort } = require('node:worker_threads');
      const slot = globalThis[Symbol.for('@interop/core/allocator')];
      parentPort.once('message', (buffer) => {
        const view = new Uint8Array(buffer);
        view[3] = view[0] + view[1] + view[2];
        parentPort.postMessage({ registered: slot !== undefined && slot.registration !== null, buffer }, [buffer]);
      });`;
    const worker = new Worker(source, { eval: true });
    try {
      const reply = new Promise<{ registered: boolean; buffer: ArrayBuffer }>((resolve) => worker.once('message', resolve));
      worker.postMessage(buffer, [buffer]);
      expect(buffer.byteLength).toBe(0);
      const { registered, buffer: back } = await reply;
      expect(registered).toBe(false);
      expect(Array.from(new Uint8Array(back, 0, 4))).toEqual([1, 2, 3, 6]);
    } finally {
      await worker.terminate();
    }
  });
});
