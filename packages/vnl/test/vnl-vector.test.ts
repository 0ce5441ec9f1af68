import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { VnlMatrix, VnlVector, vnlElementTypes, type VnlElementType, VnlError } from '../src/index.js';
import { expectBufferError } from './helpers.js';

const sample: Record<VnlElementType, unknown> = {
  int8: -5,
  uint8: 250,
  int16: -30000,
  uint16: 65000,
  int32: -2_000_000_000,
  uint32: 4_000_000_000,
  int64: -(2n ** 62n),
  uint64: 2n ** 63n + 7n,
  float32: 1.5,
  float64: Math.PI,
  complex64: [1.5, -2.25],
  complex128: [Math.E, -Math.PI],
};

describe('VnlVector construction', () => {
  it('defaults to an empty vector, like vnl_vector<T>()', () => {
    const v = new VnlVector('float64');
    expect(v.size).toBe(0);
    expect(v.data).toBeInstanceOf(Float64Array);
    expect(v.toString()).toBe('');
  });

  it('allocates zeroed elements of every type with the right storage', () => {
    const storage: Record<VnlElementType, unknown> = {
      int8: Int8Array,
      uint8: Uint8Array,
      int16: Int16Array,
      uint16: Uint16Array,
      int32: Int32Array,
      uint32: Uint32Array,
      int64: BigInt64Array,
      uint64: BigUint64Array,
      float32: Float32Array,
      float64: Float64Array,
      complex64: Float32Array,
      complex128: Float64Array,
    };
    for (const type of vnlElementTypes) {
      const v = new VnlVector(type, 4);
      expect(v.size).toBe(4);
      expect(v.data).toBeInstanceOf(storage[type]);
      expect(v.data.length).toBe(type.startsWith('complex') ? 8 : 4);
      expect(v.itemsize).toBe(v.data.BYTES_PER_ELEMENT * (type.startsWith('complex') ? 2 : 1));
    }
  });

  it('fills with a value and round-trips it through get for every type', () => {
    for (const type of vnlElementTypes) {
      const v = new VnlVector(type, 3, sample[type] as never);
      const expected = type === 'float32' ? 1.5 : type === 'complex64' ? [1.5, -2.25] : sample[type];
      for (let i = 0; i < 3; i++) expect(v.get(i)).toEqual(expected);
    }
  });

  it('builds from values and iterables', () => {
    expect(VnlVector.from('int16', [1, 2, 3]).toArray()).toEqual([1, 2, 3]);
    expect(VnlVector.from('float64', new Set([4, 5])).toArray()).toEqual([4, 5]);
    expect(
      VnlVector.from('complex128', [
        [1, 2],
        [3, 4],
      ]).data,
    ).toEqual(new Float64Array([1, 2, 3, 4]));
    expect(VnlVector.from('uint64', [1n, 2]).toArray()).toEqual([1n, 2n]);
  });

  it('refuses unknown types and bad sizes', () => {
    expectErrorCode(() => new VnlVector('bool' as VnlElementType, 2), 'ERR_VNL_INVALID_TYPE', { family: VnlError });
    expectErrorCode(() => new VnlVector('float64', -1), 'ERR_VNL_INVALID_SIZE', { family: VnlError });
    expectErrorCode(() => new VnlVector('float64', 1.5), 'ERR_VNL_INVALID_SIZE', { family: VnlError });
    expectErrorCode(() => new VnlVector('float64', Number.NaN), 'ERR_VNL_INVALID_SIZE', { family: VnlError });
    expectErrorCode(() => new VnlVector('float64', 2 ** 40), 'ERR_VNL_INVALID_SIZE', { family: VnlError });
  });

  it('refuses values that do not fit the type', () => {
    expectErrorCode(() => new VnlVector('float64', 2, 1n as never), 'ERR_VALUE_INVALID', { family: VnlError });
    expectErrorCode(() => new VnlVector('int64', 2).put(0, 1.5), 'ERR_VALUE_INVALID', { family: VnlError });
    expectErrorCode(() => new VnlVector('complex64', 2).put(0, [1, 2, 3] as never), 'ERR_VALUE_INVALID', { family: VnlError });
    expectErrorCode(() => new VnlVector('int32', 2).put(0, '1' as never), 'ERR_VALUE_INVALID', { family: VnlError });
    expectErrorCode(() => VnlVector.from('float32', [1, 'x' as never]), 'ERR_VALUE_INVALID', { family: VnlError });
  });
});

describe('VnlVector element access', () => {
  it('gets and puts within bounds', () => {
    const v = new VnlVector('float64', 3);
    v.put(0, 1).put(2, 3);
    expect(v.toArray()).toEqual([1, 0, 3]);
    expect(v.data).toEqual(new Float64Array([1, 0, 3]));
  });

  it('refuses out-of-range, negative and fractional indices', () => {
    const v = new VnlVector('int32', 3);
    for (const index of [3, -1, 1.5, Number.NaN, 100]) {
      expectErrorCode(() => v.get(index), 'ERR_INDEX_OUT_OF_RANGE', { family: VnlError });
      expectErrorCode(() => v.put(index, 1), 'ERR_INDEX_OUT_OF_RANGE', { family: VnlError });
    }
    expectErrorCode(() => new VnlVector('int32').get(0), 'ERR_INDEX_OUT_OF_RANGE', { family: VnlError });
  });

  it('wraps integers modulo 2^bits and truncates fractions, as C++ conversions do', () => {
    const i8 = new VnlVector('int8', 2);
    i8.put(0, 200).put(1, -129);
    expect(i8.toArray()).toEqual([-56, 127]);
    const u8 = new VnlVector('uint8', 2);
    u8.put(0, -1).put(1, 256 + 7);
    expect(u8.toArray()).toEqual([255, 7]);
    const i32 = new VnlVector('int32', 2);
    i32.put(0, 2 ** 31).put(1, -3.9);
    expect(i32.toArray()).toEqual([-(2 ** 31), -3]);
    const i64 = new VnlVector('int64', 1).put(0, 2n ** 63n);
    expect(i64.get(0)).toBe(-(2n ** 63n));
    const u64 = new VnlVector('uint64', 1).put(0, -1n);
    expect(u64.get(0)).toBe(2n ** 64n - 1n);
  });

  it('fills', () => {
    expect(new VnlVector('complex128', 2).fill([1, -1]).toArray()).toEqual([
      [1, -1],
      [1, -1],
    ]);
    expect(new VnlVector('complex64', 1).fill(2).toArray()).toEqual([[2, 0]]);
    expect(new VnlVector('uint64', 2).fill(5n).toArray()).toEqual([5n, 5n]);
  });
});

describe('VnlVector setSize', () => {
  it('reallocates zeroed storage for a new size and keeps the elements for the same size', () => {
    const v = VnlVector.from('float64', [1, 2, 3]);
    v.setSize(3);
    expect(v.toArray()).toEqual([1, 2, 3]);
    const before = v.data;
    v.setSize(5);
    expect(v.size).toBe(5);
    expect(v.data).not.toBe(before);
    expect(v.toArray()).toEqual([0, 0, 0, 0, 0]);
  });

  it('is refused with ERR_BUFFER_EXPORTED while an export is held, and allowed after release', () => {
    const v = VnlVector.from('float32', [1, 2]);
    const first = getBuffer(v, BufferFlags.FULL_RO);
    const second = getBuffer(v, BufferFlags.CONTIG);
    expectBufferError(() => v.setSize(4), 'ERR_BUFFER_EXPORTED');
    expectBufferError(() => v.setSize(2), 'ERR_BUFFER_EXPORTED');
    releaseBuffer(first);
    expectBufferError(() => v.setSize(4), 'ERR_BUFFER_EXPORTED');
    expect(v.toArray()).toEqual([1, 2]);
    releaseBuffer(second);
    v.setSize(4);
    expect(v.size).toBe(4);
  });

  it('refuses invalid sizes', () => {
    expectErrorCode(() => new VnlVector('float64').setSize(-2), 'ERR_VNL_INVALID_SIZE', { family: VnlError });
  });
});

describe('VnlVector copyIn / copyOut', () => {
  it('copies element values and raw storage in', () => {
    const v = new VnlVector('complex64', 2);
    v.copyIn([
      [1, 2],
      [3, 4],
    ]);
    expect(v.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    v.copyIn(new Float32Array([5, 6, 7, 8]));
    expect(v.toArray()).toEqual([
      [5, 6],
      [7, 8],
    ]);
    const w = new VnlVector('int32', 3).copyIn(new Float64Array([1.9, 2, -3.5]));
    expect(w.toArray()).toEqual([1, 2, -3]);
  });

  it('refuses the wrong number of values', () => {
    expectErrorCode(() => new VnlVector('float64', 3).copyIn([1, 2]), 'ERR_SHAPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => new VnlVector('complex128', 2).copyIn(new Float64Array(2)), 'ERR_SHAPE_MISMATCH', { family: VnlError });
  });

  it('copies out into a new array or a given one', () => {
    const v = VnlVector.from('int16', [1, 2, 3]);
    const copy = v.copyOut();
    expect(copy).toEqual(new Int16Array([1, 2, 3]));
    copy[0] = 9;
    expect(v.get(0)).toBe(1);
    const target = new Int16Array(3);
    expect(v.copyOut(target)).toBe(target);
    expect(target).toEqual(new Int16Array([1, 2, 3]));
    expectErrorCode(() => v.copyOut(new Int16Array(2)), 'ERR_SHAPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => v.copyOut(new Int32Array(3) as never), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
  });

  it('exposes data that writes through', () => {
    const v = new VnlVector('uint8', 2);
    v.data[1] = 7;
    expect(v.get(1)).toBe(7);
  });
});

describe('VnlVector algebra', () => {
  const a = VnlVector.from('float64', [1, -2, 3]);
  const b = VnlVector.from('float64', [4, 5, -6]);

  it('adds, subtracts and scales', () => {
    expect(a.add(b).toArray()).toEqual([5, 3, -3]);
    expect(a.subtract(b).toArray()).toEqual([-3, -7, 9]);
    expect(a.scale(2).toArray()).toEqual([2, -4, 6]);
    expect(a.toArray()).toEqual([1, -2, 3]);
  });

  it('computes dot and outer products', () => {
    expect(a.dot(b)).toBe(4 - 10 - 18);
    const outer = a.outer(VnlVector.from('float64', [1, 2]));
    expect(outer).toBeInstanceOf(VnlMatrix);
    expect(outer.toArray()).toEqual([
      [1, 2],
      [-2, -4],
      [3, 6],
    ]);
  });

  it('computes norms, extremes, sum and mean', () => {
    expect(a.oneNorm()).toBe(6);
    expect(a.twoNorm()).toBeCloseTo(Math.sqrt(14), 15);
    expect(a.infNorm()).toBe(3);
    expect(a.min()).toBe(-2);
    expect(a.max()).toBe(3);
    expect(a.sum()).toBe(2);
    expect(a.mean()).toBeCloseTo(2 / 3, 15);
    expect(VnlVector.from('float64', [1e200, 1e200]).twoNorm()).toBeCloseTo(Math.SQRT2 * 1e200, -185);
    expect(new VnlVector('float64').twoNorm()).toBe(0);
  });

  it('works on complex elements (no conjugation in dot, modulus in norms)', () => {
    const z = VnlVector.from('complex128', [
      [3, 4],
      [0, 1],
    ]);
    expect(z.dot(z)).toEqual([3 * 3 - 4 * 4 - 1, 2 * 3 * 4]);
    expect(z.oneNorm()).toBe(6);
    expect(z.infNorm()).toBe(5);
    expect(z.twoNorm()).toBeCloseTo(Math.sqrt(26), 14);
    expect(z.scale([0, 1]).toArray()).toEqual([
      [-4, 3],
      [-1, 0],
    ]);
    expect(z.sum()).toEqual([3, 5]);
    expect(z.mean()).toEqual([1.5, 2.5]);
    expectErrorCode(() => z.min(), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
  });

  it('wraps integer arithmetic like vnl in C++', () => {
    const i8 = VnlVector.from('int8', [100, -100]);
    expect(i8.add(i8).toArray()).toEqual([-56, 56]);
    expect(i8.scale(3).toArray()).toEqual([44, -44]);
    const i32 = VnlVector.from('int32', [2 ** 30, 3]);
    expect(i32.scale(4).toArray()).toEqual([0, 12]);
    expect(i32.dot(i32)).toBe(9);
    expect(i32.sum()).toBe(2 ** 30 + 3);
    const u32 = VnlVector.from('uint32', [2 ** 32 - 1, 2]);
    expect(u32.add(u32).toArray()).toEqual([2 ** 32 - 2, 4]);
    expect(u32.sum()).toBe(1);
    expect(u32.dot(u32)).toBe(5);
    const i64 = VnlVector.from('int64', [2n ** 62n, 2n ** 62n]);
    expect(i64.sum()).toBe(-(2n ** 63n));
    expect(i64.scale(4n).toArray()).toEqual([0n, 0n]);
    expect(i64.mean()).toBe(2 ** 62);
    expect(VnlVector.from('int32', [1, 2]).mean()).toBe(1.5);
    expect(VnlVector.from('int16', [3, 4]).scale(2.9).toArray()).toEqual([6, 8]);
  });

  it('refuses operands of another size or type', () => {
    expectErrorCode(() => a.add(VnlVector.from('float64', [1])), 'ERR_SHAPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => a.dot(VnlVector.from('float64', [1])), 'ERR_SHAPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => a.add(VnlVector.from('float32', [1, 2, 3]) as never), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => a.subtract({} as never), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => a.scale(1n as never), 'ERR_VALUE_INVALID', { family: VnlError });
  });

  it('refuses reductions of an empty vector that need an element', () => {
    const empty = new VnlVector('float64');
    expectErrorCode(() => empty.min(), 'ERR_VNL_EMPTY', { family: VnlError });
    expectErrorCode(() => empty.max(), 'ERR_VNL_EMPTY', { family: VnlError });
    expectErrorCode(() => empty.mean(), 'ERR_VNL_EMPTY', { family: VnlError });
    expect(empty.sum()).toBe(0);
  });

  it('compares exactly or within a tolerance', () => {
    const c = VnlVector.from('float64', [1, -2, 3 + 1e-9]);
    expect(a.equals(a.clone())).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.equals(c, 1e-8)).toBe(true);
    expect(a.equals(VnlVector.from('float64', [1, -2]))).toBe(false);
    expect(a.equals(VnlVector.from('float32', [1, -2, 3]) as never)).toBe(false);
    expect(VnlVector.from('float64', [Number.NaN]).equals(VnlVector.from('float64', [Number.NaN]))).toBe(false);
    expect(VnlVector.from('int64', [5n]).equals(VnlVector.from('int64', [7n]), 2)).toBe(true);
  });
});

describe('VnlVector toString', () => {
  it('prints as vnl operator<<: elements separated by one space, floats as %g', () => {
    expect(VnlVector.from('float64', [1, 2.5, -3]).toString()).toBe('1 2.5 -3');
    expect(VnlVector.from('float64', [1e6, 123456, 1 / 3, 1e-5, 0.0001, 123456789, -0, Number.NaN, -Infinity]).toString()).toBe(
      '1e+06 123456 0.333333 1e-05 0.0001 1.23457e+08 -0 nan -inf',
    );
    expect(VnlVector.from('float32', [0.1]).toString()).toBe('0.1');
    expect(VnlVector.from('int32', [1, -2]).toString()).toBe('1 -2');
    expect(VnlVector.from('uint64', [2n ** 64n - 1n]).toString()).toBe('18446744073709551615');
    expect(
      VnlVector.from('complex128', [
        [1, -0.5],
        [0, 2],
      ]).toString(),
    ).toBe('(1,-0.5) (0,2)');
  });
});
