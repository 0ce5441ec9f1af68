import { BufferError, formatFromNumpyDtype, MemoryView, parseFormat, type FormatType } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { readNpy } from '../src/index.js';
import { encodeFloat, expectedFixtures, fixture } from './helpers.js';

const names = Object.keys(expectedFixtures).filter((name) => name !== 'object_pickle.npy');

/** The meaning of a parsed format, ignoring byte order where it cannot matter (1-byte items). */
function meaning(type: FormatType): unknown {
  if (type.kind === 'scalar') return { code: type.code, size: type.size, order: type.size === 1 || ['s', 'x', 'p'].includes(type.code) ? null : type.endianness };
  return type.fields.map((field) => ({ name: field.name, offset: field.offset, shape: field.shape, padding: field.padding, type: meaning(field.type) }));
}

describe("agreement with @interop/core's NumPy dtype mapping", () => {
  for (const name of names.filter((n) => n !== 'struct_titled.npy')) {
    it(`maps the dtype of ${name} to an equivalent format`, () => {
      const array = readNpy(fixture(name));
      const core = formatFromNumpyDtype(array.dtype as Parameters<typeof formatFromNumpyDtype>[0]).format;
      const ours = parseFormat(array.format);
      const theirs = parseFormat(core);
      expect(ours.itemsize).toBe(theirs.itemsize);
      expect(meaning(ours.type)).toEqual(meaning(theirs.type));
    });
  }

  it('reads titled fields, which core refuses (why the private mapping stays for now)', () => {
    const array = readNpy(fixture('struct_titled.npy'));
    expect(array.format).toBe('T{<f:t:<q:n:}');
    expect(() => formatFromNumpyDtype(array.dtype as Parameters<typeof formatFromNumpyDtype>[0])).toThrow(BufferError);
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
