// The ITKBridgeNumPy README examples (PyVnl: GetArrayFromVnlVector, GetArrayFromVnlMatrix,
// GetVnlVectorFromArray, GetVnlMatrixFromArray), each followed by its TypeScript counterpart.
import { BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { describe, expect, it } from 'vitest';
import {
  arrayViewFromVnlMatrix,
  arrayViewFromVnlVector,
  VnlMatrix,
  VnlVector,
  vnlMatrixFromArray,
  vnlMatrixViewFromArray,
  vnlVectorFromArray,
  vnlVectorViewFromArray,
} from '../src/index.js';
import { expectBufferError, makeMatrixArray, releaseArray } from './helpers.js';

describe('ITKBridgeNumPy seed: VNL <-> arrays', () => {
  it('GetArrayFromVnlVector: vector = vnl_vector[float](); set_size(8); arr = GetArrayFromVnlVector(vector)', () => {
    // ElementType = itk.ctype('float'); vector = itk.vnl_vector[ElementType](); vector.set_size(8)
    const vector = new VnlVector('float32');
    vector.setSize(8);
    // arr = itk.PyVnl[ElementType].GetArrayFromVnlVector(vector)
    const arr = arrayViewFromVnlVector(vector);
    expect(arr.shape).toEqual([8]);
    expect(arr.format).toBe('f');
    expect(arr.readonly).toBe(false);
    releaseArray(arr);
  });

  it('GetArrayFromVnlMatrix: matrix = vnl_matrix[float](); set_size(3, 4); arr = GetArrayFromVnlMatrix(matrix)', () => {
    const matrix = new VnlMatrix('float32');
    matrix.setSize(3, 4);
    const arr = arrayViewFromVnlMatrix(matrix);
    expect(arr.shape).toEqual([3, 4]);
    expect(arr.strides).toEqual([16, 4]);
    expect(arr.format).toBe('f');
    releaseArray(arr);
  });

  it('GetVnlVectorFromArray: arr = np.zeros((100,), np.float32); vector = GetVnlVectorFromArray(arr)', () => {
    const arr = new Float32Array(100);
    const vector = vnlVectorFromArray(arr, 'float32');
    expect(vector.type).toBe('float32');
    expect(vector.size).toBe(100);
    expect(vector.toArray().every((x) => x === 0)).toBe(true);
    // The copy is independent of the array.
    vector.put(0, 1);
    expect(arr[0]).toBe(0);
  });

  it('GetVnlMatrixFromArray: arr = np.zeros((100, 100), np.float32); matrix = GetVnlMatrixFromArray(arr)', () => {
    // np.zeros((100, 100), np.float32): a 2-D float32 MemoryView over zeroed memory.
    const zeros = new Float32Array(100 * 100);
    using flat = MemoryView.from(zeros);
    using arr = flat.reshape([100, 100]);
    const matrix = vnlMatrixFromArray(arr, 'float32');
    expect([matrix.rows, matrix.columns]).toEqual([100, 100]);
    expect(matrix.max()).toBe(0);
    matrix.put(0, 0, 1);
    expect(zeros[0]).toBe(0);
    // The zero-copy variant shares the array's memory.
    using shared = vnlMatrixViewFromArray(arr, 'float32');
    shared.put(99, 99, 2);
    expect(zeros[9999]).toBe(2);
  });

  it('warning: the array is a view; changes in the array change the VNL content, and vice versa', () => {
    const vector = VnlVector.from('float32', [1, 2, 3]);
    const arr = arrayViewFromVnlVector(vector);
    arr.set(1, 20);
    expect(vector.get(1)).toBe(20);
    vector.put(2, 30);
    expect(arr.get(2)).toBe(30);
    releaseArray(arr);

    const pixels = new Float32Array(6);
    const view = vnlMatrixViewFromArray(
      makeMatrixArray('d', [
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    view.put(0, 0, 10);
    expect(view.get(0, 0)).toBe(10);
    view.release();
    const ref = vnlVectorViewFromArray(pixels, 'float32');
    ref.put(5, 9);
    expect(pixels[5]).toBe(9);
    ref.release();
  });

  it('warning: a view whose source goes away would be corrupt in Python; here the source refuses to reallocate', () => {
    const matrix = new VnlMatrix('float32', 3, 4);
    const arr = arrayViewFromVnlMatrix(matrix);
    expectBufferError(() => matrix.setSize(100, 100), 'ERR_BUFFER_EXPORTED');
    releaseArray(arr);
    matrix.setSize(100, 100);

    // The reverse direction: a vnl view holds the array's export.
    const source = new VnlVector('float64', 4);
    const ref = vnlVectorViewFromArray(source);
    expectBufferError(() => source.setSize(8), 'ERR_BUFFER_EXPORTED');
    ref.release();
    source.setSize(8);
    const info = getBuffer(source, BufferFlags.FULL_RO);
    releaseBuffer(info);
  });
});
