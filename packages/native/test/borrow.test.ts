import { BufferError, BufferFlags, ExportLock, exportBuffer, getbuffer, MemoryView, releasebuffer, type BufferInfo, type Exporter } from '@interop/core';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { heldByNative, installBridge, NativeError } from '../src/index.js';
import { sampleBinary } from './helpers/build-addons.js';
import { sample } from './helpers/sample.js';

/** An exporter with a configurable (possibly lying) layout. */
class Custom implements Exporter {
  readonly lock = new ExportLock();
  constructor(
    readonly data: ArrayBuffer,
    readonly layout: { byteOffset: number; format: string; itemsize?: number; shape: number[]; strides?: number[] },
    readonly lie?: (info: BufferInfo) => BufferInfo,
  ) {}
  [getbuffer](flags: number): BufferInfo {
    const info = exportBuffer(this, { buffer: this.data, ...this.layout }, flags, this.lock);
    return this.lie === undefined ? info : this.lie(info);
  }
  [releasebuffer](): void {
    this.lock.release();
  }
  resize(): void {
    this.lock.assertUnlocked('resize');
  }
}

describe('interop_get_buffer (JavaScript memory borrowed by C)', () => {
  it('reads every built-in exporter', () => {
    expect(sample.stridedSum(new Float32Array([1, 2, 3.5]))).toBe(6.5);
    expect(sample.stridedSum(new Int16Array([-5, 3]))).toBe(-2);
    expect(sample.stridedSum(new BigInt64Array([5n, 6n]))).toBe(11);
    expect(sample.stridedSum(new Uint8Array([1, 2, 3]).buffer)).toBe(6);
    expect(sample.stridedSum(new DataView(new Uint8Array([4, 5, 6]).buffer, 1))).toBe(11);
    const shared = new Uint8Array(new SharedArrayBuffer(4));
    shared.set([7, 7, 7, 7]);
    expect(sample.stridedSum(shared)).toBe(28);
  });

  it('follows strides, including negative and transposed views', () => {
    const data = Float64Array.from({ length: 12 }, (_, index) => index);
    const flat = MemoryView.from(data);
    const matrix = flat.reshape([3, 4]);
    expect(sample.stridedSum(matrix)).toBe(66);
    const reversed = matrix.slice('::-1', '1::2');
    expect(sample.stridedSum(reversed)).toBe(1 + 3 + 5 + 7 + 9 + 11);
    expect(sample.stridedSum(matrix.transpose())).toBe(66);
    reversed.release();
    matrix.release();
    flat.release();
  });

  it('writes through a writable borrow, and refuses one on read-only memory', () => {
    const data = new Float64Array(4);
    sample.fillFloat64(data, 2.5);
    expect([...data]).toEqual([2.5, 2.5, 2.5, 2.5]);
    const readonly = MemoryView.from(data).toReadonly();
    expectErrorCode(() => sample.fillFloat64(readonly, 1), 'ERR_BUFFER_READONLY', { family: BufferError });
    readonly.release();
    expect(heldByNative()).toBe(0);
  });

  it('locks the JavaScript exporter while C holds the export', () => {
    const custom = new Custom(new ArrayBuffer(8), { byteOffset: 0, format: 'B', shape: [8] });
    expect(sample.holdBuffer(custom)).toBe(8);
    expect(heldByNative()).toBe(1);
    expect(custom.lock.exports).toBe(1);
    expectErrorCode(() => custom.resize(), 'ERR_BUFFER_EXPORTED');
    expect(sample.releaseHeld()).toBe(true);
    expect(custom.lock.exports).toBe(0);
    custom.resize();
    expect(heldByNative()).toBe(0);
  });

  it('refuses a second release and clears the view so a stale pointer is NULL', () => {
    const [first, second, isNull, length] = sample.releaseTwice(new Uint8Array(16));
    expect(first).toBe(0);
    expect(second).toBe(5); // INTEROP_ERR_RELEASED
    expect(isNull).toBe(true);
    expect(length).toBe(0);
    expect(heldByNative()).toBe(0);
  });

  it('refuses inconsistent layouts before C sees a pointer, and releases the export', () => {
    const cases: [Custom, string][] = [
      [new Custom(new ArrayBuffer(16), { byteOffset: 0, format: 'f', shape: [2, 2], strides: [12, 4] }), 'ERR_BUFFER_OUT_OF_BOUNDS'],
      [
        new Custom(new ArrayBuffer(16), { byteOffset: 0, format: 'f', shape: [4] }, (info) => ({ ...info, itemsize: 2, byteLength: 8 })),
        'ERR_BUFFER_INVALID_LAYOUT',
      ],
      [new Custom(new ArrayBuffer(16), { byteOffset: 0, format: 'B', shape: [16] }, (info) => ({ ...info, byteOffset: 8 })), 'ERR_BUFFER_OUT_OF_BOUNDS'],
      [
        new Custom(new ArrayBuffer(16), { byteOffset: 0, format: 'B', shape: [16] }, (info) => ({ ...info, shape: [-1], byteLength: -1 })),
        'ERR_BUFFER_INVALID_LAYOUT',
      ],
    ];
    for (const [custom, code] of cases) {
      expectErrorCode(() => sample.stridedSum(custom), code, { family: BufferError });
      expect(custom.lock.exports).toBe(0);
    }
    expect(heldByNative()).toBe(0);
  });

  it("refuses non-exporters with core's ERR_BUFFER_NOT_EXPORTER", () => {
    for (const value of [42, 'text', null, undefined, {}]) expectErrorCode(() => sample.stridedSum(value), 'ERR_BUFFER_NOT_EXPORTER');
  });

  it('fails with ERR_NATIVE_NO_BRIDGE when @interop/native was never imported', () => {
    const script = `const s = require(${JSON.stringify(sampleBinary)}); try { s.stridedSum(new Uint8Array(2)); } catch (e) { console.log(e.code); }`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('ERR_NATIVE_NO_BRIDGE');
  });

  it('has a C layout check that agrees with core on random layouts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 256 }),
        fc.integer({ min: 0, max: 128 }),
        fc.constantFrom(1, 2, 4, 8),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: -64, max: 64 }), { minLength: 4, maxLength: 4 }),
        (size, offset, itemsize, shape, allStrides) => {
          const strides = allStrides.slice(0, shape.length);
          const len = shape.reduce((a, b) => a * b, itemsize);
          const verdict = sample.checkLayout(size, offset, itemsize, null, len, shape, strides);
          let low = 0;
          let high = 0;
          for (let axis = 0; axis < shape.length; axis++) {
            const reach = strides[axis]! * (shape[axis]! - 1);
            if (reach < 0) low += reach;
            else high += reach;
          }
          const empty = shape.includes(0);
          const inside = empty ? offset <= size : offset + low >= 0 && offset + high + itemsize <= size;
          expect(verdict).toBe(inside ? 0 : 2);
        },
      ),
      { numRuns: 300 },
    );
    expect(sample.checkLayout(16, 0, 4, 'd', 16, [4], null)).toBe(1);
    expect(sample.checkLayout(16, 0, 8, '<d', 16, [2], null)).toBe(0);
    expect(sample.checkLayout(16, 0, 4, 'i', 8, [4], null)).toBe(1);
    expect(sample.checkLayout(16, 0, 1, 'B', 17, null, null)).toBe(2);
    expect(sample.checkLayout(16, 0, 0, 'B', 0, [4], null)).toBe(1);
    expect(sample.checkLayout(2 ** 40, 0, 8, 'd', 0, [2 ** 31, 2 ** 31, 2 ** 31], null)).toBe(1);
  });

  it('throws NativeError subclasses from C-side checks', () => {
    try {
      sample.exportBadLayout(0);
    } catch (error) {
      expect(error).toBeInstanceOf(NativeError);
    }
  });
});

// The JavaScript half of interop/buffer.h, driven directly: both calling conventions (arguments,
// as older headers call it, and the scratch area, as the current header does) and the token table.
describe('the bridge interop/buffer.h calls', () => {
  const bridge = installBridge();
  const slots = new Float64Array(bridge.scratch, 0, 16);
  const FLAGS_SLOT = 8;

  it('takes the flags and the token as arguments or from the scratch area', () => {
    const data = new Float64Array(4);
    expect(bridge.scratchArguments).toBe(true);
    expect(bridge.borrow(data, BufferFlags.RECORDS_RO)).toBe(data.buffer);
    const byArgument = slots[0]!;
    expect(heldByNative()).toBe(1);
    slots[FLAGS_SLOT] = BufferFlags.RECORDS;
    expect(bridge.borrow(data)).toBe(data.buffer);
    expect(slots[3]).toBe(0); // a writable export was asked for through the scratch area
    const byScratch = slots[0]!;
    expect(byScratch).not.toBe(byArgument);
    expect(heldByNative()).toBe(2);
    bridge.release(byArgument);
    slots[0] = byScratch;
    bridge.release();
    expect(heldByNative()).toBe(0);
  });

  it('refuses stale, forged and reused tokens without ending another borrow', () => {
    const data = new Float64Array(4);
    bridge.borrow(data, BufferFlags.SIMPLE);
    const first = slots[0]!;
    bridge.release(first);
    // The slot is reused by the next borrow, under a new token.
    bridge.borrow(data, BufferFlags.SIMPLE);
    const second = slots[0]!;
    expect(second).not.toBe(first);
    for (const token of [first, 0, -1, 0.5, Number.NaN, second + 1]) {
      expectErrorCode(() => bridge.release(token), 'ERR_BUFFER_RELEASED');
    }
    expect(heldByNative()).toBe(1);
    bridge.release(second);
    expect(heldByNative()).toBe(0);
  });

  it('keeps many simultaneous borrows apart (random borrow/release orders)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (steps) => {
        const data = new Uint8Array(8);
        const live: number[] = [];
        for (const take of steps) {
          if (take || live.length === 0) {
            bridge.borrow(data, BufferFlags.SIMPLE);
            live.push(slots[0]!);
          } else {
            bridge.release(live.splice(live.length >> 1, 1)[0]);
          }
          expect(heldByNative()).toBe(live.length);
        }
        for (const token of live) bridge.release(token);
        expect(heldByNative()).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
