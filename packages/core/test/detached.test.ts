import { describe, expect, it } from 'vitest';
import {
  assertAttached,
  BufferError,
  BufferFlags,
  detachedMemoryError,
  exportBuffer,
  getBuffer,
  getbuffer,
  MemoryView,
  releaseBuffer,
  releasebuffer,
  type BufferInfo,
} from '../src/index.js';
import { expectDetachedEverywhere, loseMemory, publicMethods, resizableBuffer, type MemoryLoss, expectErrorCode } from '../src/testing/index.js';

describe('assertAttached', () => {
  it('passes while the memory spans what is needed, and throws ERR_BUFFER_DETACHED below it', () => {
    expect(() => assertAttached(64, 64, 'Thing', 'get')).not.toThrow();
    expect(() => assertAttached(0, 0, 'Thing', 'get')).not.toThrow();
    const error = expectErrorCode(() => assertAttached(8, 64, 'Thing', 'get'), 'ERR_BUFFER_DETACHED', { family: BufferError });
    expect(error.details).toMatchObject({ operation: 'get', owner: 'Thing', available: 8, needed: 64 });
    expect(detachedMemoryError(0, 1, 'X', 'y').code).toBe('ERR_BUFFER_DETACHED');
  });
});

describe('publicMethods', () => {
  it('lists own and inherited methods with symbol keys, without getters and constructor', () => {
    class A {
      get size(): number {
        return 1;
      }
      a(): void {}
      [Symbol.iterator](): void {}
    }
    class B extends A {
      b(): void {}
    }
    expect(publicMethods(new B())).toEqual(['b', 'a', Symbol.iterator]);
  });
});

const losses: readonly MemoryLoss[] = ['transfer', 'shrink'];

const viewCalls: Record<string, (view: MemoryView) => unknown> = {
  get: (view) => view.get(1),
  set: (view) => view.set(1, 3),
  slice: (view) => view.slice('1:3'),
  transpose: (view) => view.transpose(),
  flip: (view) => view.flip(),
  reshape: (view) => view.reshape([2, 4]),
  cast: (view) => view.cast('B'),
  toReadonly: (view) => view.toReadonly(),
  toList: (view) => view.toList(),
  toBytes: (view) => view.toBytes(),
  hex: (view) => view.hex(),
  equals: (view) => view.equals(new Float64Array(8)),
  toTypedArray: (view) => view.toTypedArray(),
  copyToTypedArray: (view) => view.copyToTypedArray(),
  copyInto: (view) => view.copyInto(new Float64Array(8)),
  view: (view) => view.view('B'),
  astype: (view) => view.astype('f'),
  [getbuffer as unknown as string]: (view) => getBuffer(view, BufferFlags.FULL_RO),
};

describe('MemoryView over memory that is taken away', () => {
  for (const loss of losses) {
    const make = () => {
      const buffer = loss === 'transfer' ? new ArrayBuffer(64) : resizableBuffer(64);
      new Float64Array(buffer).set([1, 2, 3, 4, 5, 6, 7, 8]);
      return { object: MemoryView.from(new Float64Array(buffer, 0, 8), BufferFlags.FULL), lose: () => loseMemory(buffer, loss) };
    };
    it(`every method throws ERR_BUFFER_DETACHED after a ${loss} (whole TypedArray view)`, async () => {
      await expectDetachedEverywhere(make, { calls: viewCalls, exempt: ['release', Symbol.dispose, releasebuffer, 'toString'] });
    });
    it(`every method throws ERR_BUFFER_DETACHED after a ${loss} (derived and exporter-backed views)`, async () => {
      await expectDetachedEverywhere(
        () => {
          const { object, lose } = make();
          return { object: object.slice('::1'), lose };
        },
        { calls: viewCalls, exempt: ['release', Symbol.dispose, releasebuffer, 'toString'] },
      );
      await expectDetachedEverywhere(
        () => {
          const buffer = loss === 'transfer' ? new ArrayBuffer(64) : resizableBuffer(64);
          // An ArrayBuffer exporter goes through getBuffer (not the TypedArray fast path).
          return { object: MemoryView.from(buffer, BufferFlags.FULL).cast('d'), lose: () => loseMemory(buffer, loss) };
        },
        { calls: viewCalls, exempt: ['release', Symbol.dispose, releasebuffer, 'toString'] },
      );
    });
  }

  it('a partial shrink of a length-tracking view is detected; release and attributes still work', () => {
    const buffer = resizableBuffer(80, 160);
    const view = MemoryView.from(new Int16Array(buffer), BufferFlags.FULL);
    view.set(10, 7);
    (buffer as ArrayBuffer & { resize(n: number): void }).resize(10);
    expectErrorCode(() => view.get(10), 'ERR_BUFFER_DETACHED');
    expectErrorCode(() => view.get(0), 'ERR_BUFFER_DETACHED');
    expect(view.shape).toEqual([40]);
    view.release();
    expect(view.released).toBe(true);
  });

  it('an indirect view checks each of its segments', () => {
    const rows = [new ArrayBuffer(16), new ArrayBuffer(16)];
    const exporter = {
      [getbuffer]: (flags: number): BufferInfo =>
        exportBuffer(
          exporter,
          { buffer: rows[0]!, byteOffset: 0, format: 'd', shape: [2, 2], segments: rows.map((buffer) => ({ buffer, byteOffset: 0, byteLength: 16 })) },
          flags,
        ),
      [releasebuffer]: () => {},
    };
    const view = MemoryView.from(exporter);
    expect(view.toList()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    loseMemory(rows[1]!, 'transfer');
    expectErrorCode(() => view.toList(), 'ERR_BUFFER_DETACHED');
    expectErrorCode(() => view.get([0, 0]), 'ERR_BUFFER_DETACHED');
    view.release();
  });

  it('an empty view of a detached buffer is refused too (as getBuffer refuses it)', () => {
    const buffer = new ArrayBuffer(8);
    const view = MemoryView.from(buffer).slice('0:0');
    expect(view.toList()).toEqual([]);
    loseMemory(buffer, 'transfer');
    expectErrorCode(() => view.toList(), 'ERR_BUFFER_DETACHED');
    view.release();
  });

  it('a live export taken before the transfer does not make the view answer from lost memory', () => {
    const data = new Float64Array(4);
    const view = MemoryView.from(data);
    const info = getBuffer(view, BufferFlags.FULL_RO);
    loseMemory(data.buffer, 'transfer');
    expectErrorCode(() => view.toList(), 'ERR_BUFFER_DETACHED');
    releaseBuffer(info);
    view.release();
  });
});

describe('the check stays right in optimised code', () => {
  it('views over resizable and ordinary buffers, mixed in one hot loop, never read lost memory (Node 20 V8 answers a stale TypedArray length there)', () => {
    let missed = 0;
    for (let i = 0; i < 3000; i++) {
      const shrink = i % 2 === 0;
      const buffer = shrink ? resizableBuffer(16) : new ArrayBuffer(16);
      const view = MemoryView.from(new Uint8Array(buffer, 0, 16));
      view.get(1);
      loseMemory(buffer, shrink ? 'shrink' : 'transfer');
      try {
        view.get(1);
        missed++;
      } catch (error) {
        if (!BufferError.isInstance(error) || error.code !== 'ERR_BUFFER_DETACHED') throw error;
      }
      view.release();
    }
    expect(missed).toBe(0);
  });
});
