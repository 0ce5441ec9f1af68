import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from '../src/internal/python-literal.js';
import { NpyError, readNpy, readNpz, writeNpy } from '../src/index.js';
import { decodeAll, expectedFixtures, fixture, npyWith } from './helpers.js';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';

const onlyTypedErrors = (fn: () => void): void => {
  try {
    fn();
  } catch (error) {
    if (!NpyError.isInstance(error)) throw error;
  }
};

// Python-literal-ish text: fragments of real headers recombined, so the parser sees near-misses.
const fragment = fc.constantFrom(
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ',',
  ':',
  ' ',
  '\n',
  "'descr'",
  "'fortran_order'",
  "'shape'",
  "'<f4'",
  "'|S3'",
  "'<U2'",
  'True',
  'False',
  'None',
  '0',
  '1',
  '-1',
  '3L',
  '1e9',
  '0x10',
  "('a', '<i4')",
  "[('a', '<i4', (2,))]",
  "'\\x00'",
  '"\\u00e9"',
  '#',
  '\\\n',
  'j',
  '.',
  '+',
  '__import__',
  'b"x"',
);
const literalText = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));

describe('fuzzing the header parser', () => {
  it('lets only NpyError escape from arbitrary text', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => onlyTypedErrors(() => parsePythonLiteral(text))),
      fuzzOptions(300),
    );
  });

  it('lets only NpyError escape from near-miss literals', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(literalText, (text) => onlyTypedErrors(() => parsePythonLiteral(text, { allowLongSuffix: true }))),
      fuzzOptions(300),
    );
  });

  it('lets only NpyError escape from .npy files with generated headers', { timeout: fuzzTimeout }, () => {
    const header = fc.record({
      descr: fc.constantFrom("'<f4'", "'>i8'", "'|b1'", "'<U3'", "'|V2'", "[('a', '<i2'), ('', '|V2')]", "'<M8[ms]'", "'|O'", "'x'", '3', "[('a',)]"),
      order: fc.constantFrom('False', 'True', '0', 'None'),
      shape: fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 4 }).map((s) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`),
      extra: fc.constantFrom('', "'x': 1, "),
    });
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 200 }), ({ descr, order, shape, extra }, data) => {
        onlyTypedErrors(() => {
          const array = readNpy(npyWith(`{'descr': ${descr}, 'fortran_order': ${order}, ${extra}'shape': ${shape}, }`, data));
          decodeAll(array);
        });
      }),
      fuzzOptions(300),
    );
  });
});

describe('fuzzing mutated valid files', () => {
  const names = Object.keys(expectedFixtures);
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), position: fc.nat(400), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), position: fc.nat(400), value: fc.constant(0) }),
    fc.record({ kind: fc.constant('insert' as const), position: fc.nat(400), value: fc.integer({ min: 0, max: 255 }) }),
  );
  const mutate = (bytes: Uint8Array, edits: { kind: 'set' | 'truncate' | 'insert'; position: number; value: number }[]): Uint8Array => {
    let out = bytes.slice();
    for (const edit of edits) {
      const at = edit.position % (out.length + 1);
      if (edit.kind === 'set' && at < out.length) out[at] = edit.value;
      else if (edit.kind === 'truncate') out = out.slice(0, at);
      else if (edit.kind === 'insert') out = Uint8Array.from([...out.subarray(0, at), edit.value, ...out.subarray(at)]);
    }
    return out;
  };

  it('yields a typed error or an array whose every element lies inside its memory', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(mutation, { minLength: 1, maxLength: 4 }), (name, edits) => {
        const bytes = mutate(fixture(name), edits);
        onlyTypedErrors(() => {
          const array = readNpy(bytes);
          // getBuffer validates the export (bounds, itemsize vs format) and throws on any violation.
          const info = getBuffer(array, BufferFlags.FULL_RO);
          releaseBuffer(info);
          expect(decodeAll(array).length).toBe(array.size);
        });
      }),
      fuzzOptions(400),
    );
  });

  it('yields only typed errors from mutated .npz archives', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('stored.npz', 'deflated.npz'),
        fc.array(fc.record({ position: fc.nat(3000), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 3 }),
        (name, edits) => {
          const bytes = fixture(name).slice();
          for (const edit of edits) bytes[edit.position % bytes.length] = edit.value;
          onlyTypedErrors(() => {
            const npz = readNpz(bytes);
            for (const key of npz.keys) decodeAll(npz.get(key));
          });
        },
      ),
      fuzzOptions(300),
    );
  });
});

describe('round trip property', () => {
  it('writeNpy then readNpy returns the same items for random shapes and dtypes', { timeout: fuzzTimeout }, () => {
    const ctors = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array] as const;
    fc.assert(
      fc.property(fc.constantFrom(...ctors), fc.uint8Array({ maxLength: 256 }), (Ctor, raw) => {
        const count = Math.floor(raw.length / Ctor.BYTES_PER_ELEMENT);
        const typed = new Ctor(raw.slice(0, count * Ctor.BYTES_PER_ELEMENT).buffer);
        const back = readNpy(writeNpy(typed));
        expect(back.shape).toEqual([count]);
        expect(Buffer.from(back.bytes).equals(Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength))).toBe(true);
      }),
      fuzzOptions(200),
    );
  });
});
