// Fuzzing getBuffer and MemoryView.from with random hostile answers (issue 16, "make it
// permanent"): random layouts, random lies in random fields, getters that flip after the first read,
// random request flags. `pnpm fuzz` runs it with a million cases per property.
//
// The oracle is independent of core's validator: every accepted answer must equal the answer's
// first reading, that reading must describe elements inside the buffer and obey the request, and
// every refusal must be a typed error; exports always balance.
import { getBuffer, getbuffer, InteropError, MemoryView, parseFormat, releaseBuffer, releasebuffer, type BufferInfo } from '@interop/core';
import { allRequestFlags, hostileCases, runHostileCase } from '@interop/core/testing';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

interface Reading {
  buffer: unknown;
  byteOffset: unknown;
  byteLength: unknown;
  readonly: unknown;
  itemsize: unknown;
  format: unknown;
  ndim: unknown;
  shape: unknown;
  strides: unknown;
  suboffsets: unknown;
}

const KEYS = ['buffer', 'byteOffset', 'byteLength', 'readonly', 'itemsize', 'format', 'ndim', 'shape', 'strides', 'suboffsets'] as const;

const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(
    Number.NaN,
    -1,
    0.5,
    1e300,
    2 ** 53,
    -(2 ** 31),
    '8',
    null,
    undefined,
    true,
    {},
    [],
    [Number.NaN],
    [-8],
    [1e9],
    [1, 2, 3],
    'T{d',
    'x',
    new ArrayBuffer(0),
  ),
  fc.integer({ min: -300, max: 300 }),
  fc.array(fc.integer({ min: -64, max: 64 }), { maxLength: 4 }),
);

/** A random valid layout of float64 items over a buffer with room around it. */
const layoutArbitrary = fc
  .record({
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }),
    strideFactors: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }),
    offsetItems: fc.integer({ min: 0, max: 80 }),
    readonly: fc.boolean(),
    format: fc.constantFrom('d', '<d', 'q', 'T{d:x:}'),
  })
  .map(({ shape, strideFactors, offsetItems, readonly, format }) => {
    const strides = shape.map((_, k) => 8 * strideFactors[k]! * (k === shape.length - 1 ? 1 : shape.slice(k + 1).reduce((a, b) => a * Math.max(b, 1), 1)));
    return { shape, strides, byteOffset: offsetItems * 8, readonly, format, memory: new ArrayBuffer(8 * 200) };
  });

const caseArbitrary = fc.record({
  layout: layoutArbitrary,
  flags: fc.oneof(fc.constantFrom(...allRequestFlags()), fc.integer({ min: -2, max: 0x400 })),
  lies: fc.array(fc.record({ key: fc.constantFrom(...KEYS), value: hostileValue, flipLater: fc.boolean() }), { maxLength: 3 }),
  dropStrides: fc.boolean(),
});

/** What reading `reading` once should give a consumer if it is valid for `flags` (independently of core). */
function acceptable(original: Reading, flags: number): boolean {
  // An absent shape, strides or suboffsets means null (CPython's NULL).
  const reading = { ...original, shape: original.shape ?? null, strides: original.strides ?? null, suboffsets: original.suboffsets ?? null };
  const { buffer, byteOffset, byteLength, itemsize, format, ndim, shape, strides, suboffsets, readonly } = reading;
  if (!(buffer instanceof ArrayBuffer) || isDetachedBuffer(buffer)) return false;
  if (typeof readonly !== 'boolean' || suboffsets !== null) return false;
  if (!Number.isSafeInteger(byteOffset) || (byteOffset as number) < 0) return false;
  if (!Number.isSafeInteger(itemsize) || (itemsize as number) <= 0) return false;
  if (!Number.isSafeInteger(ndim) || (ndim as number) < 0 || (ndim as number) > 64) return false;
  if (!Number.isInteger(flags) || flags < 0 || flags > 0x1ff) return true; // core does not re-check the flags' own form
  if ((flags & 1) !== 0 && readonly) return false;
  if (format !== null) {
    if (typeof format !== 'string' || (flags & 4) === 0) return false;
    try {
      const parsed = parseFormat(format);
      if (parsed.type.kind === 'struct' ? (itemsize as number) < parsed.itemsize : itemsize !== parsed.itemsize) return false;
    } catch {
      return false;
    }
  }
  // No shape (even when ND was asked): a flat run of bytes, as CPython's consumers read it.
  if (shape === null)
    return (
      strides === null &&
      Number.isSafeInteger(byteLength) &&
      (byteLength as number) >= 0 &&
      (byteLength as number) % (itemsize as number) === 0 &&
      Number.isSafeInteger(byteLength) &&
      (byteOffset as number) + (byteLength as number) <= buffer.byteLength
    );
  if ((flags & 8) === 0 || !Array.isArray(shape) || shape.length !== ndim) return false;
  if (strides !== null && (!Array.isArray(strides) || strides.length !== ndim || (flags & 0x18) !== 0x18)) return false;
  if (!shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) return false;
  const steps = (strides as number[] | null) ?? cStrides(shape as number[], itemsize as number);
  if (!steps.every((step) => Number.isSafeInteger(step))) return false;
  if (byteLength !== (shape as number[]).reduce((a, b) => a * b, itemsize as number)) return false;
  let low = 0;
  let high = itemsize as number;
  const empty = (shape as number[]).includes(0);
  (shape as number[]).forEach((dim, k) => {
    const reach = (dim - 1) * steps[k]!;
    if (reach < 0) low += reach;
    else high += reach;
  });
  if (!empty && ((byteOffset as number) + low < 0 || (byteOffset as number) + high > buffer.byteLength)) return false;
  if (empty && (byteOffset as number) > buffer.byteLength) return false;
  const c = empty || steps.every((step, k) => (shape as number[])[k] === 1 || step === cStrides(shape as number[], itemsize as number)[k]);
  const f = empty || steps.every((step, k) => (shape as number[])[k] === 1 || step === fStrides(shape as number[], itemsize as number)[k]);
  if ((flags & 0x20) !== 0 && !c) return false;
  if ((flags & 0x40) !== 0 && !f) return false;
  if ((flags & 0x80) !== 0 && !c && !f) return false;
  return true;
}

function isDetachedBuffer(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function cStrides(shape: readonly number[], itemsize: number): number[] {
  const out: number[] = [];
  let step = itemsize;
  for (let k = shape.length - 1; k >= 0; k--) {
    out[k] = step;
    step *= shape[k]!;
  }
  return out;
}

function fStrides(shape: readonly number[], itemsize: number): number[] {
  const out: number[] = [];
  let step = itemsize;
  for (let k = 0; k < shape.length; k++) {
    out[k] = step;
    step *= shape[k]!;
  }
  return out;
}

describe('getBuffer fuzzed with random hostile answers', () => {
  it(
    'accepts only the first reading, valid and obeying the request; refuses the rest with typed errors; exports balance',
    () => {
      fc.assert(
        fc.property(caseArbitrary, ({ layout, flags, lies, dropStrides }) => {
          const first: Reading = {
            buffer: layout.memory,
            byteOffset: layout.byteOffset,
            byteLength: layout.shape.reduce((a, b) => a * b, 8),
            readonly: layout.readonly,
            itemsize: 8,
            format: (flags & 4) !== 0 ? layout.format : null,
            ndim: layout.shape.length,
            shape: layout.shape.slice(),
            strides: dropStrides ? null : layout.strides.slice(),
            suboffsets: null,
          };
          const honestFirst: Record<string, unknown> = { ...first };
          for (const lie of lies) if (!lie.flipLater) (first as unknown as Record<string, unknown>)[lie.key] = lie.value;
          /** A fresh answer: lies in place, or getters honest on the first read and lying on every later one. */
          const makeAnswer = (self: object): BufferInfo => {
            const answer: Record<string, unknown> = { ...honestFirst, obj: self };
            for (const lie of lies) {
              if (lie.flipLater) {
                const honest = answer[lie.key];
                let reads = 0;
                Object.defineProperty(answer, lie.key, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? honest : lie.value) });
              } else {
                Object.defineProperty(answer, lie.key, { enumerable: true, configurable: true, writable: true, value: lie.value });
              }
            }
            return answer as unknown as BufferInfo;
          };
          let exports = 0;
          let releases = 0;
          const exporter = {
            [getbuffer](): BufferInfo {
              exports++;
              return makeAnswer(exporter);
            },
            [releasebuffer](): void {
              releases++;
            },
          };
          let info: BufferInfo | undefined;
          try {
            info = getBuffer(exporter, flags);
          } catch (error) {
            expect(InteropError.isInstance(error), String(error)).toBe(true);
          }
          if (info !== undefined) {
            expect(acceptable(first, flags)).toBe(true);
            expect(info.byteOffset).toBe(first.byteOffset);
            expect(info.itemsize).toBe(first.itemsize);
            expect(info.shape === null ? null : [...info.shape]).toEqual(first.shape ?? null);
            expect(info.strides === null ? null : [...info.strides]).toEqual(first.strides ?? null);
            releaseBuffer(info);
          }
          expect(releases).toBe(exports);
        }),
        fuzzOptions(2000),
      );
    },
    fuzzTimeout,
  );
});

describe('the hostile matrix, repeated', () => {
  it(
    'ends every case with a typed error or the exact values, for random request flags',
    () => {
      const cases = hostileCases({ shape: [4, 4] });
      fc.assert(
        fc.property(fc.constantFrom(...cases), fc.constantFrom(...allRequestFlags()), (hostile, flags) => {
          const { violation } = runHostileCase(hostile, {
            consume: (exporter) => MemoryView.from(exporter, flags),
            // A request without FORMAT or ND gives bytes: read them back as float64 items.
            values: (view) => Array.from(view.format === 'd' ? (view.copyToTypedArray() as Float64Array) : new Float64Array(view.toBytes().slice().buffer)),
            dispose: (view) => view.release(),
          });
          expect(violation).toBeNull();
        }),
        fuzzOptions(500),
      );
    },
    fuzzTimeout,
  );
});
