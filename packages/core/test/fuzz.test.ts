// Fuzzing of the parts of core that read untrusted input: format strings and the layouts that
// exporters (plugins) return. CI runs a bounded number of cases with a fixed seed; `pnpm fuzz`
// sets INTEROP_FUZZ_RUNS (1,000,000 by default) for the long mode.
import fc from 'fast-check';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import { describe, expect, it } from 'vitest';
import { BufferError, layoutExtent, parseFormat, validateBufferInfo, type BufferInfo } from '@interop/core';

const timeout = fuzzTimeout;

function onlyTypedErrors(action: () => void): void {
  try {
    action();
  } catch (error) {
    if (!BufferError.isInstance(error)) throw error;
  }
}

const formatAlphabet = fc.constantFrom(...'@=<>!^xcbB?hHiIlLqQnNefdgZspuwPOT{}():,0123456789 ab&t'.split(''));

describe('fuzz: format strings', () => {
  it('parses or refuses with ERR_FORMAT_INVALID / ERR_FORMAT_UNSUPPORTED, with sane sizes', { timeout }, () => {
    fc.assert(
      fc.property(
        fc.array(formatAlphabet, { maxLength: 40 }).map((chars) => chars.join('')),
        (format) => {
          try {
            const parsed = parseFormat(format);
            expect(Number.isSafeInteger(parsed.itemsize)).toBe(true);
            expect(parsed.itemsize).toBeGreaterThanOrEqual(0);
            expect(parsed.itemsize).toBeLessThanOrEqual(2 ** 40);
          } catch (error) {
            expect(BufferError.isInstance(error)).toBe(true);
            expect(['ERR_FORMAT_INVALID', 'ERR_FORMAT_UNSUPPORTED']).toContain((error as BufferError).code);
          }
        },
      ),
      fuzzOptions(3000),
    );
  });
  it('survives mutations of valid NumPy-style formats', { timeout }, () => {
    const valid = ['T{B:a:xxxi:b:}', 'T{<d:x:(2,3)>f:y:}', '=i', '3s', 'Zd', 'T{B:a:T{=h:x:>d:y:}:s:}', '^bHq', '(4,4)e'];
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), fc.nat({ max: 40 }), formatAlphabet, (format, at, cut, char) => {
        const position = at % (format.length + 1);
        const mutated = [format.slice(0, position) + char + format.slice(position), format.slice(0, position) + format.slice(position + 1 + (cut % 3))];
        for (const candidate of mutated) onlyTypedErrors(() => parseFormat(candidate));
      }),
      fuzzOptions(3000),
    );
  });
});

const anyValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constant(-1),
  fc.constant(2 ** 53),
  fc.constant(Number.NaN),
  fc.constant(null),
  fc.constant(undefined),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
);
const smallInt = fc.integer({ min: -4, max: 40 });

describe('fuzz: exporter validation', () => {
  it('accepts only layouts whose every element lies inside the buffer; refuses the rest with a BufferError', { timeout }, () => {
    fc.assert(
      fc.property(
        fc.record({
          bufferLength: fc.integer({ min: 0, max: 64 }),
          byteOffset: fc.oneof(smallInt, anyValue),
          itemsize: fc.oneof(fc.constantFrom(1, 2, 4, 8), anyValue),
          format: fc.oneof(fc.constantFrom('B', 'h', 'i', 'd', 'T{i:a:h:b:}', '3s', 'x'), fc.constant(null), fc.string({ maxLength: 4 })),
          shape: fc.oneof(fc.array(fc.oneof(fc.integer({ min: -1, max: 4 }), anyValue), { maxLength: 4 }), fc.constant(null)),
          strides: fc.oneof(fc.array(fc.oneof(fc.integer({ min: -24, max: 24 }), anyValue), { maxLength: 4 }), fc.constant(null)),
          ndimDelta: fc.constantFrom(0, 0, 0, 1, -1),
          byteLengthDelta: fc.constantFrom(0, 0, 0, 1, -1),
        }),
        (input) => {
          const shape = input.shape as number[] | null;
          const itemsize = input.itemsize as number;
          const count = shape === null ? 1 : shape.reduce((a, b) => a * b, 1);
          const info = {
            obj: {},
            buffer: new ArrayBuffer(input.bufferLength),
            byteOffset: input.byteOffset as number,
            byteLength: (shape === null ? input.bufferLength : count * itemsize) + input.byteLengthDelta,
            readonly: false,
            itemsize,
            format: input.format,
            ndim: (shape?.length ?? 1) + input.ndimDelta,
            shape,
            strides: input.strides as number[] | null,
            suboffsets: null,
          } as BufferInfo;
          let accepted = true;
          try {
            validateBufferInfo(info);
          } catch (error) {
            expect(BufferError.isInstance(error)).toBe(true);
            accepted = false;
          }
          if (!accepted || shape === null) return;
          // Accepted: every element must lie inside the buffer.
          const strides = info.strides ?? shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, itemsize));
          const extent = layoutExtent(shape, strides, itemsize);
          if (extent === null) return;
          expect(info.byteOffset + extent.low).toBeGreaterThanOrEqual(0);
          expect(info.byteOffset + extent.high).toBeLessThanOrEqual(input.bufferLength);
        },
      ),
      fuzzOptions(3000),
    );
  });
});
