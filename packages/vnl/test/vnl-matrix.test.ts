import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { VnlMatrix, VnlVector, vnlElementTypes, type VnlElementType, VnlError } from '../src/index.js';
import { expectBufferError } from './helpers.js';

describe('VnlMatrix construction', () => {
  it('defaults to 0 x 0, like vnl_matrix<T>()', () => {
    const m = new VnlMatrix('float32');
    expect([m.rows, m.columns, m.size]).toEqual([0, 0, 0]);
    expect(m.toString()).toBe('');
  });

  it('allocates rows x columns zeroed elements of every type, row-major', () => {
    for (const type of vnlElementTypes) {
      const m = new VnlMatrix(type, 2, 3);
      expect([m.rows, m.columns, m.size]).toEqual([2, 3, 6]);
      expect(m.data.length).toBe(type.startsWith('complex') ? 12 : 6);
    }
    const m = VnlMatrix.fromRows('int32', [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.data).toEqual(new Int32Array([1, 2, 3, 4, 5, 6]));
  });

  it('fills, builds identities and refuses ragged rows', () => {
    expect(new VnlMatrix('float64', 2, 2, 7).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(VnlMatrix.identity('int64', 2, 3).toArray()).toEqual([
      [1n, 0n, 0n],
      [0n, 1n, 0n],
    ]);
    expect(VnlMatrix.identity('complex64', 2).toArray()).toEqual([
      [
        [1, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [1, 0],
      ],
    ]);
    expect(VnlMatrix.fromRows('float64', []).size).toBe(0);
    expectErrorCode(() => VnlMatrix.fromRows('float64', [[1, 2], [3]]), 'ERR_SHAPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => new VnlMatrix('float64', 2, -1), 'ERR_VNL_INVALID_SIZE', { family: VnlError });
    expectErrorCode(() => new VnlMatrix('half' as VnlElementType, 2, 2), 'ERR_VNL_INVALID_TYPE', { family: VnlError });
  });
});

describe('VnlMatrix element access', () => {
  it('gets and puts (row, column) with bounds checks on both', () => {
    const m = new VnlMatrix('float64', 2, 3);
    m.put(1, 2, 5);
    expect(m.get(1, 2)).toBe(5);
    expect(m.data[5]).toBe(5);
    for (const [r, c] of [
      [2, 0],
      [0, 3],
      [-1, 0],
      [0, -1],
      [0.5, 0],
      [0, Number.NaN],
    ] as const) {
      expectErrorCode(() => m.get(r, c), 'ERR_INDEX_OUT_OF_RANGE', { family: VnlError });
      expectErrorCode(() => m.put(r, c, 1), 'ERR_INDEX_OUT_OF_RANGE', { family: VnlError });
    }
  });

  it('reports which dimension an index is out of', () => {
    const m = new VnlMatrix('float64', 2, 3);
    try {
      m.get(0, 3);
    } catch (error) {
      expect((error as { details: { dimension: number } }).details.dimension).toBe(1);
    }
  });

  it('copies rows and columns out', () => {
    const m = VnlMatrix.fromRows('complex128', [
      [
        [1, 1],
        [2, 2],
      ],
      [
        [3, 3],
        [4, 4],
      ],
    ]);
    expect(m.getRow(1).toArray()).toEqual([
      [3, 3],
      [4, 4],
    ]);
    expect(m.getColumn(1).toArray()).toEqual([
      [2, 2],
      [4, 4],
    ]);
    expectErrorCode(() => m.getRow(2), 'ERR_INDEX_OUT_OF_RANGE', { family: VnlError });
    expectErrorCode(() => m.getColumn(-1), 'ERR_INDEX_OUT_OF_RANGE', { family: VnlError });
  });

  it('copies in and out row-major', () => {
    const m = new VnlMatrix('uint16', 2, 2).copyIn([1, 2, 3, 4]);
    expect(m.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    m.copyIn(new Uint16Array([5, 6, 7, 8]));
    expect(m.copyOut()).toEqual(new Uint16Array([5, 6, 7, 8]));
    expectErrorCode(() => m.copyIn([1, 2, 3]), 'ERR_SHAPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => m.copyOut(new Uint16Array(3)), 'ERR_SHAPE_MISMATCH', { family: VnlError });
  });
});

describe('VnlMatrix setSize', () => {
  it('reallocates for a new shape and keeps elements for the same shape', () => {
    const m = VnlMatrix.fromRows('float64', [
      [1, 2],
      [3, 4],
    ]);
    m.setSize(2, 2);
    expect(m.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    m.setSize(1, 4);
    expect(m.toArray()).toEqual([[0, 0, 0, 0]]);
  });

  it('is refused with ERR_BUFFER_EXPORTED while an export is held, and allowed after release', () => {
    const m = new VnlMatrix('float32', 3, 4, 1);
    const view = getBuffer(m, BufferFlags.STRIDED_RO);
    expectBufferError(() => m.setSize(4, 4), 'ERR_BUFFER_EXPORTED');
    expect(m.rows).toBe(3);
    releaseBuffer(view);
    m.setSize(4, 4);
    expect([m.rows, m.columns]).toEqual([4, 4]);
  });
});

describe('VnlMatrix algebra', () => {
  const a = VnlMatrix.fromRows('float64', [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = VnlMatrix.fromRows('float64', [
    [7, 8],
    [9, 10],
    [11, 12],
  ]);

  it('transposes by copy', () => {
    const t = a.transpose();
    expect(t.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(t.transpose().equals(a)).toBe(true);
    const big = new VnlMatrix('complex64', 40, 70);
    for (let i = 0; i < big.data.length; i++) big.data[i] = i;
    const bt = big.transpose();
    expect(bt.get(69, 39)).toEqual(big.get(39, 69));
    expect(bt.get(5, 33)).toEqual(big.get(33, 5));
  });

  it('adds, subtracts and scales', () => {
    expect(a.add(a).toArray()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
    expect(a.subtract(a.scale(2)).toArray()).toEqual([
      [-1, -2, -3],
      [-4, -5, -6],
    ]);
    expectErrorCode(() => a.add(b), 'ERR_SHAPE_MISMATCH', { family: VnlError });
  });

  it('multiplies matrices and vectors', () => {
    expect(a.multiply(b).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(a.multiply(VnlVector.from('float64', [1, 0, -1])).toArray()).toEqual([-2, -2]);
    expect(a.multiply(VnlMatrix.identity('float64', 3)).equals(a)).toBe(true);
    expectErrorCode(() => a.multiply(a), 'ERR_SHAPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => a.multiply(VnlVector.from('float64', [1, 2])), 'ERR_SHAPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => a.multiply(VnlVector.from('int32', [1, 2, 3]) as never), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => a.multiply(VnlMatrix.identity('float32', 3) as never), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
  });

  it('multiplies every element type, wrapping integers', () => {
    for (const type of ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32'] as const) {
      const m = VnlMatrix.fromRows(type, [
        [1, 2],
        [3, 4],
      ]);
      expect(m.multiply(m).toArray()).toEqual([
        [7, 10],
        [15, 22],
      ]);
    }
    const i64 = VnlMatrix.fromRows('uint64', [
      [1n, 2n],
      [3n, 4n],
    ]);
    expect(i64.multiply(i64).toArray()).toEqual([
      [7n, 10n],
      [15n, 22n],
    ]);
    const z = VnlMatrix.fromRows('complex64', [
      [
        [0, 1],
        [1, 0],
      ],
    ]);
    expect(z.multiply(z.transpose()).toArray()).toEqual([[[0, 0]]]);
    const i8 = VnlMatrix.fromRows('int8', [[100, 100]]);
    expect(i8.multiply(VnlMatrix.fromRows('int8', [[1], [1]])).get(0, 0)).toBe(-56);
    const i32 = VnlMatrix.fromRows('int32', [[2 ** 30, 2 ** 30]]);
    expect(i32.multiply(VnlMatrix.fromRows('int32', [[2], [2]])).get(0, 0)).toBe(0);
    const u64 = VnlMatrix.fromRows('uint64', [[2n ** 63n]]);
    expect(u64.multiply(VnlMatrix.fromRows('uint64', [[2n]])).get(0, 0)).toBe(0n);
  });

  it('computes array and operator norms and reductions', () => {
    const m = VnlMatrix.fromRows('float64', [
      [1, -2],
      [-3, 4],
    ]);
    expect(m.arrayOneNorm()).toBe(10);
    expect(m.arrayTwoNorm()).toBeCloseTo(Math.sqrt(30), 14);
    expect(m.frobeniusNorm()).toBe(m.arrayTwoNorm());
    expect(m.arrayInfNorm()).toBe(4);
    expect(m.operatorOneNorm()).toBe(6);
    expect(m.operatorInfNorm()).toBe(7);
    expect([m.min(), m.max(), m.sum(), m.mean()]).toEqual([-3, 4, 0, 0]);
    expectErrorCode(() => new VnlMatrix('float64', 0, 3).max(), 'ERR_VNL_EMPTY', { family: VnlError });
    expectErrorCode(() => new VnlMatrix('complex128', 1, 1).max(), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
  });

  it('compares with a tolerance', () => {
    const c = a.clone();
    c.put(0, 0, 1 + 1e-10);
    expect(a.equals(c)).toBe(false);
    expect(a.equals(c, 1e-9)).toBe(true);
    expect(a.equals(a.transpose())).toBe(false);
  });

  it('prints as vnl operator<<: each element followed by a space, each row by a newline', () => {
    expect(a.toString()).toBe('1 2 3 \n4 5 6 \n');
    expect(VnlMatrix.fromRows('float32', [[0.5, 1e-7]]).toString()).toBe('0.5 1e-07 \n');
    expect(VnlMatrix.fromRows('complex128', [[[1, 2]]]).toString()).toBe('(1,2) \n');
  });
});
