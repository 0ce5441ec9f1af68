import { formatItemsize, parseFormat } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { descrRepr } from '../src/internal/descr.js';
import { readNpy, writeNpy, NpyError } from '../src/index.js';
import { decodeAll, expectedFixtures, fixture } from './helpers.js';

// Files NumPy writes itself (the others are hand-made headers NumPy also accepts).
const handMade = new Set(['legacy_16byte.npy', 'no_padding_no_newline.npy', 'python2_long.npy', 'misaligned_data.npy']);

describe('readNpy on files written by NumPy', () => {
  for (const [name, expected] of Object.entries(expectedFixtures)) {
    it(`reads ${name} value by value`, () => {
      const array = readNpy(fixture(name));
      expect(typeof array.dtype === 'string' ? array.dtype : descrRepr(array.dtype)).toBe(expected.descr);
      expect(array.shape).toEqual(expected.shape);
      expect(array.fortranOrder).toBe(expected.fortran_order);
      expect(decodeAll(array)).toEqual(expected.values);
      // The format describes exactly the bytes of one item.
      expect(formatItemsize(array.format)).toBe(array.itemsize);
      expect(parseFormat(array.format).itemsize).toBe(array.itemsize);
    });
    if (!handMade.has(name)) {
      it(`rewrites ${name} byte-identical to np.save`, () => {
        const bytes = fixture(name);
        const array = readNpy(bytes);
        expect(Buffer.from(writeNpy(array, { version: array.version ?? '1.0' })).equals(Buffer.from(bytes))).toBe(true);
      });
    }
  }

  it('exposes big-endian data with a ">" format and little-endian with "<"', () => {
    expect(readNpy(fixture('f8_be.npy')).format).toBe('>d');
    expect(readNpy(fixture('f8_le.npy')).format).toBe('<d');
    expect(readNpy(fixture('c16_be.npy')).format).toBe('>Zd');
    expect(readNpy(fixture('i1_be.npy')).format).toBe('b');
  });

  it('keeps datetime units as metadata on int64 data', () => {
    const array = readNpy(fixture('M8_10s_be.npy'));
    expect(array.format).toBe('>q');
    expect(array.timeUnit).toEqual({ path: [], kind: 'datetime', unit: 's', count: 10 });
    expect(readNpy(fixture('m8_s.npy')).timeUnit).toEqual({ path: [], kind: 'timedelta', unit: 's', count: 1 });
    expect(readNpy(fixture('f4_le.npy')).timeUnit).toBeNull();
  });

  it('presents Fortran-order files as F-strided views without copying', () => {
    const bytes = fixture('fortran_f8_3x4.npy');
    const array = readNpy(bytes);
    expect(array.strides).toEqual([8, 24]);
    expect(array.copied).toBe(false);
    expect(array.bytes.buffer).toBe(bytes.buffer);
  });

  it('is a zero-copy view when the data is aligned, and copies (saying so) when it is not', () => {
    const bytes = fixture('f8_le.npy');
    const aligned = readNpy(bytes);
    expect(aligned.copied).toBe(false);
    expect(aligned.bytes.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const misaligned = readNpy(shifted.subarray(1));
    expect(misaligned.copied).toBe(true);
    expect(misaligned.bytes.buffer).not.toBe(shifted.buffer);
    expect(decodeAll(misaligned)).toEqual(decodeAll(aligned));
    expect(readNpy(fixture('misaligned_data.npy')).copied).toBe(true);
  });

  it('reports the version of 1.0, 2.0 and 3.0 files', () => {
    expect(readNpy(fixture('v1_explicit.npy')).version).toBe('1.0');
    expect(readNpy(fixture('v2_explicit.npy')).version).toBe('2.0');
    expect(readNpy(fixture('v3_explicit.npy')).version).toBe('3.0');
    expect(readNpy(fixture('struct_utf8_names.npy')).version).toBe('3.0');
  });

  it('formats structured dtypes with names, padding, nesting and sub-arrays', () => {
    expect(readNpy(fixture('struct_simple.npy')).format).toBe('T{<i:a:d:b:3s:c:}');
    expect(readNpy(fixture('struct_aligned.npy')).format).toBe('T{B:a:7x<d:b:h:c:6x}');
    expect(readNpy(fixture('struct_nested.npy')).format).toBe('T{<I:id:T{f:x:f:y:}:pos:?:flag:}');
    expect(readNpy(fixture('struct_subarray.npy')).format).toBe('T{(2,3)<f:m:>3h:v:<2w:s:}');
    expect(readNpy(fixture('struct_titled.npy')).dtype).toEqual([
      [['Temperature in C', 't'], '<f4'],
      ['n', '<i8'],
    ]);
  });

  it('refuses object arrays without unpickling anything', () => {
    expectErrorCode(() => readNpy(fixture('object_pickle.npy')), 'ERR_NPY_OBJECT_DTYPE', { family: NpyError });
  });

  it('writes the smallest version that fits, like NumPy', () => {
    expect(readNpy(writeNpy(readNpy(fixture('v3_explicit.npy')))).version).toBe('1.0');
    expect(readNpy(writeNpy(readNpy(fixture('struct_utf8_names.npy')))).version).toBe('3.0');
  });
});
