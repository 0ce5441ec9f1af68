import { formatFromNumpyDtype, MemoryView, numpyDtypeFromFormat, parseFormat } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { readNpy } from '../src/index.js';
import { encodeFloat, expectedFixtures, fixture } from './helpers.js';

const names = Object.keys(expectedFixtures).filter((name) => name !== 'object_pickle.npy');

describe("titled fields, through @interop/core's NumPy dtype mapping", () => {
  it('names each field in the format, keeps the title in the dtype, and restores it from the format', () => {
    const array = readNpy(fixture('struct_titled.npy'));
    expect(array.format).toBe('T{<f:t:q:n:}');
    const converted = formatFromNumpyDtype(array.dtype);
    expect(converted.titles.map((entry) => entry.path)).toEqual([['t']]);
    expect(numpyDtypeFromFormat(converted)).toEqual(array.dtype);
  });

  it('gives every fixture a format whose itemsize is the dtype itemsize', () => {
    for (const name of names) {
      const array = readNpy(fixture(name));
      expect([name, parseFormat(array.format).itemsize]).toEqual([name, array.itemsize]);
    }
  });
});

// Values as MemoryView decodes them, encoded like expected.json, for the numeric dtypes.
function encode(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return encodeFloat(value);
  if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'number')) return value.map((part: number) => encodeFloat(part));
  return value;
}

describe('reading through MemoryView', () => {
  const numeric = names.filter((name) => /^(bool|[iufc]\d+)_(le|be)\.npy$|^fortran_/.test(name));
  it('covers both byte orders of every numeric dtype', () => {
    expect(numeric.length).toBeGreaterThanOrEqual(30);
  });
  for (const name of numeric) {
    it(`decodes ${name} to NumPy's values`, () => {
      const array = readNpy(fixture(name));
      using view = MemoryView.from(array);
      const expected = expectedFixtures[name]!.values;
      const integral = /^[iu]\d/.test(name) || name.startsWith('fortran_i');
      const flat = (view.toList() as unknown[]).flat(8).map((v) => (integral && typeof v === 'number' ? String(v) : encode(v)));
      const complex = name.startsWith('c');
      expect(complex ? (view.toList() as unknown[]).map(encode) : flat).toEqual(expected);
    });
  }
});
