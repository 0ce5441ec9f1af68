// The untyped errors of issue 16 finding 7 that live in core, and the once-per-site leak report of
// finding 8.
import {
  BufferFlags,
  exportBuffer,
  ExportLock,
  getBuffer,
  getbuffer,
  MemoryView,
  parseFormat,
  releasebuffer,
  setExportTracing,
  resetLeakReports,
  type BufferInfo,
  BufferError,
} from '@interop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { collectLeakWarnings, settleGarbage } from './helpers.js';

/** Python's slice.indices(length) and len(range(...)), written from the language reference. */
function pythonSlice(start: number | null, stop: number | null, step: number | null, length: number): number[] {
  const s = step ?? 1;
  let lo: number;
  let hi: number;
  if (s > 0) {
    lo = start === null ? 0 : start < 0 ? Math.max(0, start + length) : Math.min(start, length);
    hi = stop === null ? length : stop < 0 ? Math.max(0, stop + length) : Math.min(stop, length);
    const out: number[] = [];
    for (let i = lo; i < hi; i += s) out.push(i);
    return out;
  }
  lo = start === null ? length - 1 : start < 0 ? Math.max(-1, start + length) : Math.min(start, length - 1);
  hi = stop === null ? -1 : stop < 0 ? Math.max(-1, stop + length) : Math.min(stop, length - 1);
  const out: number[] = [];
  for (let i = lo; i > hi; i += s) out.push(i);
  return out;
}

describe('MemoryView.slice with array bounds (Python slice objects)', () => {
  const data = Int32Array.from({ length: 10 }, (_, i) => i);

  it('reads [null, null, -1] as slice(None, None, -1) and [3, 0, -1] as slice(3, 0, -1)', () => {
    using view = MemoryView.from(data);
    expect(view.slice([null, null, -1]).toList()).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(view.slice([3, 0, -1]).toList()).toEqual([3, 2, 1]);
    expect(view.slice([2, 5]).toList()).toEqual([2, 3, 4]);
  });

  it('refuses arrays of other lengths and objects with unknown keys instead of selecting everything', () => {
    using view = MemoryView.from(data);
    expectErrorCode(() => view.slice([1] as never), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.slice([1, 2, 3, 4] as never), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.slice({ begin: 2 } as never), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.slice([0, 5, 0]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('selects exactly the indexes of Python slice semantics, for every form (property)', () => {
    const bound = fc.option(fc.integer({ min: -25, max: 25 }), { nil: null });
    const step = fc.option(
      fc.integer({ min: -7, max: 7 }).filter((value) => value !== 0),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), bound, bound, step, (length, start, stop, stepValue) => {
        using view = MemoryView.from(Int32Array.from({ length }, (_, i) => i));
        const expected = pythonSlice(start, stop, stepValue, length);
        expect(view.slice([start, stop, stepValue]).toList()).toEqual(expected);
        expect(view.slice({ start, stop, step: stepValue }).toList()).toEqual(expected);
        const text = `${start ?? ''}:${stop ?? ''}:${stepValue ?? ''}`;
        expect(view.slice(text).toList()).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('format nesting limit', () => {
  it('accepts 64 nested structs and refuses deeper ones with ERR_FORMAT_INVALID, never a stack overflow', () => {
    expect(parseFormat(`${'T{'.repeat(64)}d${'}'.repeat(64)}`).itemsize).toBe(8);
    expectErrorCode(() => parseFormat(`${'T{'.repeat(65)}d${'}'.repeat(65)}`), 'ERR_FORMAT_INVALID', { family: BufferError });
    expectErrorCode(() => parseFormat(`${'T{'.repeat(3000)}d${'}'.repeat(3000)}`), 'ERR_FORMAT_INVALID', { family: BufferError });
  });
});

describe('allocation failures', () => {
  it('turn into ERR_BUFFER_ALLOCATION_FAILED in MemoryView.copy (a 2^40-item zero-stride view)', () => {
    const memory = new ArrayBuffer(1);
    const exporter = {
      lock: new ExportLock(),
      [getbuffer](flags: number): BufferInfo {
        return exportBuffer(this, { buffer: memory, byteOffset: 0, format: 'B', shape: [2 ** 40], strides: [0] }, flags, this.lock);
      },
      [releasebuffer](): void {
        this.lock.release();
      },
    };
    expectErrorCode(() => MemoryView.copy(exporter), 'ERR_BUFFER_ALLOCATION_FAILED', { family: BufferError });
    using view = MemoryView.from(exporter);
    expectErrorCode(() => view.toBytes(), 'ERR_BUFFER_ALLOCATION_FAILED', { family: BufferError });
    expectErrorCode(() => view.copyToTypedArray(), 'ERR_BUFFER_ALLOCATION_FAILED', { family: BufferError });
    expect(exporter.lock.exports).toBe(1);
  });

  it('gives ERR_BUFFER_TOO_LARGE for a TypedArray longer than the engine allows', () => {
    const memory = new ArrayBuffer(2 ** 32 + 8);
    using view = MemoryView.from(memory);
    expect(view.get(2 ** 32 + 7)).toBe(0);
    const error = (() => {
      try {
        view.toTypedArray();
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();
    // Engines that allow longer TypedArrays answer with one; Node 20 refuses, typed.
    if (error !== undefined) expect((error as BufferError).code).toBe('ERR_BUFFER_TOO_LARGE');
  });
});

describe('leak reports', () => {
  class Sized {
    readonly lock = new ExportLock();
    constructor(readonly size: number) {}
    [getbuffer](flags: number): BufferInfo {
      return exportBuffer(this, { buffer: new ArrayBuffer(this.size), byteOffset: 0, format: 'B', shape: [this.size] }, flags, this.lock);
    }
    [releasebuffer](): void {
      this.lock.release();
    }
  }

  function leakFromOneSite(count: number): void {
    for (let i = 1; i <= count; i++) getBuffer(new Sized(i), BufferFlags.FULL_RO);
  }

  it('reports one call site once, whatever the sizes it exported (untraced and traced)', async () => {
    for (const traced of [false, true]) {
      resetLeakReports();
      setExportTracing(traced);
      const collector = collectLeakWarnings();
      try {
        leakFromOneSite(200);
        await settleGarbage();
      } finally {
        collector.stop();
        setExportTracing(false);
      }
      expect(collector.warnings.length).toBe(1);
    }
  });
});
