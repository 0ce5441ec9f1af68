import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { fromArrayInterface, readNpy, toArrayInterface, NpyError } from '../src/index.js';
import { decodeAll, fixture } from './helpers.js';

describe('toArrayInterface', () => {
  it('describes a TypedArray as NumPy would', () => {
    const typed = new Float32Array(new ArrayBuffer(40), 8, 6);
    expect(toArrayInterface(typed)).toEqual({ version: 3, shape: [6], typestr: '<f4', descr: [['', '<f4']], data: [8, false], strides: null });
  });

  it('describes structured and Fortran-order arrays', () => {
    const rec = toArrayInterface(readNpy(fixture('struct_simple.npy')));
    expect(rec.typestr).toBe('|V15');
    expect(rec.descr).toEqual([
      ['a', '<i4'],
      ['b', '<f8'],
      ['c', '|S3'],
    ]);
    const f = toArrayInterface(readNpy(fixture('fortran_f8_3x4.npy')));
    expect(f.strides).toEqual([8, 24]);
    expect(f.data[0]).toBe(128);
  });
});

describe('fromArrayInterface', () => {
  it('round-trips through toArrayInterface without copying', () => {
    const bytes = fixture('fortran_i2_2x3x4.npy');
    const source = readNpy(bytes);
    const back = fromArrayInterface(toArrayInterface(source), bytes.buffer);
    expect(back.shape).toEqual([2, 3, 4]);
    expect(back.format).toBe('>h');
    expect(decodeAll(back)).toEqual(decodeAll(source));
    expect(back.bytes.buffer).toBe(bytes.buffer);
  });

  it('supports negative strides with the offset of element 0', () => {
    const buffer = new Int32Array([0, 1, 2, 3]).buffer;
    const reversed = fromArrayInterface({ version: 3, shape: [4], typestr: '<i4', data: [12, true], strides: [-4] }, buffer);
    expect(decodeAll(reversed)).toEqual(['3', '2', '1', '0']);
    expect(reversed.readonly).toBe(true);
  });

  it('refuses malformed dictionaries and out-of-bounds layouts', () => {
    const buffer = new ArrayBuffer(16);
    const base = { version: 3, shape: [4], typestr: '<f4', data: [0, false], strides: null };
    expectErrorCode(() => fromArrayInterface(null, buffer), 'ERR_ARRAY_INTERFACE_INVALID', { family: NpyError });
    expectErrorCode(() => fromArrayInterface({ ...base, shape: [-1] }, buffer), 'ERR_ARRAY_INTERFACE_INVALID', { family: NpyError });
    expectErrorCode(() => fromArrayInterface({ ...base, shape: [5] }, buffer), 'ERR_ARRAY_INTERFACE_INVALID', { family: NpyError });
    expectErrorCode(() => fromArrayInterface({ ...base, data: [4, false] }, buffer), 'ERR_ARRAY_INTERFACE_INVALID', { family: NpyError });
    expectErrorCode(() => fromArrayInterface({ ...base, strides: [-4] }, buffer), 'ERR_ARRAY_INTERFACE_INVALID', { family: NpyError });
    expectErrorCode(() => fromArrayInterface({ ...base, mask: {} }, buffer), 'ERR_ARRAY_INTERFACE_INVALID', { family: NpyError });
    expectErrorCode(() => fromArrayInterface({ ...base, typestr: '|O8' }, buffer), 'ERR_NPY_OBJECT_DTYPE', { family: NpyError });
    expectErrorCode(() => fromArrayInterface({ ...base, version: 9 }, buffer), 'ERR_ARRAY_INTERFACE_INVALID', { family: NpyError });
  });
});
