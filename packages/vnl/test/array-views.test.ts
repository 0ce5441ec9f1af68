import { BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import {
  arrayFromVnlMatrix,
  arrayFromVnlVector,
  arrayViewFromVnlMatrix,
  arrayViewFromVnlVector,
  transposedArrayViewFromVnlMatrix,
  VnlMatrix,
  VnlMatrixRef,
  VnlVector,
  VnlVectorRef,
  vnlMatrixFromArray,
  vnlMatrixViewFromArray,
  vnlVectorFromArray,
  vnlVectorViewFromArray,
  VnlError,
} from '../src/index.js';
import { arraySource, TestArray, expectBufferError, makeIndirectMatrix, makeMatrixArray, makeVectorArray, releaseArray } from './helpers.js';

const rows = [
  [1, 2, 3],
  [4, 5, 6],
];

describe('arrayViewFromVnlVector / arrayViewFromVnlMatrix (zero-copy)', () => {
  it('exports shape (n,) and (rows, columns) over the same memory', () => {
    const v = VnlVector.from('int64', [1n, 2n]);
    const a = arrayViewFromVnlVector(v);
    expect([a.shape, a.format, a.itemsize]).toEqual([[2], 'q', 8]);
    expect(a.toTypedArray().buffer).toBe(v.data.buffer);
    a.set(1, 5n);
    expect(v.get(1)).toBe(5n);
    releaseArray(a);
    const m = VnlMatrix.fromRows('complex128', [
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    const b = arrayViewFromVnlMatrix(m);
    expect([b.shape, b.strides, b.format]).toEqual([[1, 2], [32, 16], 'Zd']);
    expect(b.get([0, 1])).toEqual([3, 4]);
    b.set([0, 0], [7, 8]);
    expect(m.get(0, 0)).toEqual([7, 8]);
    releaseArray(b);
  });

  it('refuses things that are not vectors or matrices', () => {
    expectErrorCode(() => arrayViewFromVnlVector(new VnlMatrix('float64', 1, 1) as never), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => arrayViewFromVnlMatrix(new VnlVector('float64', 1) as never), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => arrayFromVnlMatrix({} as never), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
  });
});

describe('transposedArrayViewFromVnlMatrix (zero-copy transpose)', () => {
  it('has shape (columns, rows), swapped strides, and shares memory', () => {
    const m = VnlMatrix.fromRows('float64', rows);
    const t = transposedArrayViewFromVnlMatrix(m);
    expect([t.shape, t.strides]).toEqual([
      [3, 2],
      [8, 24],
    ]);
    expect(t.get([2, 1])).toBe(6);
    t.set([2, 0], 30);
    expect(m.get(0, 2)).toBe(30);
    m.put(0, 2, 3);
    expect(vnlMatrixFromArray(arraySource(t)).toArray()).toEqual(m.transpose().toArray());
    expectBufferError(() => m.setSize(1, 1), 'ERR_BUFFER_EXPORTED');
    releaseArray(t);
    m.setSize(1, 1);
  });
});

describe('arrayFromVnlVector / arrayFromVnlMatrix (copies)', () => {
  it('returns independent memory and leaves the source unlocked', () => {
    const m = VnlMatrix.fromRows('int16', rows);
    const a = arrayFromVnlMatrix(m);
    expect([a.shape, a.format]).toEqual([[2, 3], 'h']);
    a.set([0, 0], 100);
    expect(m.get(0, 0)).toBe(1);
    a.set([0, 0], 1);
    m.setSize(5, 5);
    expect(vnlMatrixFromArray(arraySource(a)).toArray()).toEqual(rows);
    releaseArray(a);
    const v = VnlVector.from('float32', [1, 2]);
    const b = arrayFromVnlVector(v);
    expect(b.toTypedArray().buffer).not.toBe(v.data.buffer);
    expect(b.toList()).toEqual([1, 2]);
    v.setSize(0);
    releaseArray(b);
  });
});

describe('vnlVectorFromArray / vnlMatrixFromArray (copies from any layout)', () => {
  it('copies C and Fortran order, strided, reversed and offset layouts alike', () => {
    for (const options of [
      {},
      { order: 'F' as const },
      { gap: 1 },
      { gap: 2, order: 'F' as const },
      { reverseRows: true },
      { offset: 3 },
      { offset: 5, order: 'F' as const, gap: 1 },
    ]) {
      const array = makeMatrixArray('d', rows, options);
      const m = vnlMatrixFromArray(array, 'float64');
      expect(m.toArray(), JSON.stringify(options)).toEqual(rows);
      expect(array.lock.exports).toBe(0);
    }
  });

  it('converts foreign byte order', () => {
    for (const byteOrder of ['<', '>'] as const) {
      expect(
        vnlMatrixFromArray(
          makeMatrixArray(
            'i',
            [
              [1, -2],
              [3, 2 ** 30],
            ],
            { byteOrder },
          ),
        ).toArray(),
      ).toEqual([
        [1, -2],
        [3, 2 ** 30],
      ]);
      expect(vnlVectorFromArray(makeVectorArray('q', [1n, -(2n ** 60n)], { byteOrder, gap: 1 })).toArray()).toEqual([1n, -(2n ** 60n)]);
      expect(
        vnlVectorFromArray(
          makeVectorArray(
            'Zd',
            [
              [1, 2],
              [3, -4],
            ],
            { byteOrder, order: 'F' },
          ),
        ).toArray(),
      ).toEqual([
        [1, 2],
        [3, -4],
      ]);
      expect(vnlVectorFromArray(makeVectorArray('h', [300, -7], { byteOrder, offset: 1 })).toArray()).toEqual([300, -7]);
    }
  });

  it('copies MemoryView layouts: transposed (Fortran), sliced with steps, reversed', () => {
    const data = Float64Array.from({ length: 12 }, (_, i) => i);
    using flat = MemoryView.from(data);
    using grid = flat.reshape([3, 4]);
    using fortran = grid.transpose();
    expect(fortran.fContiguous).toBe(true);
    expect(vnlMatrixFromArray(fortran).toArray()).toEqual([
      [0, 4, 8],
      [1, 5, 9],
      [2, 6, 10],
      [3, 7, 11],
    ]);
    using stepped = grid.slice('0:3:2', '3::-2');
    expect(vnlMatrixFromArray(stepped).toArray()).toEqual([
      [3, 1],
      [11, 9],
    ]);
    using flipped = flat.flip();
    expect(vnlVectorFromArray(flipped).toArray()).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expectErrorCode(() => vnlMatrixViewFromArray(fortran), 'ERR_VNL_LAYOUT_UNSUPPORTED', { family: VnlError });
    expectErrorCode(() => vnlVectorViewFromArray(flipped), 'ERR_VNL_LAYOUT_UNSUPPORTED', { family: VnlError });
  });

  it('copies indirect (suboffsets) rows', () => {
    expect(vnlMatrixFromArray(makeIndirectMatrix(rows)).toArray()).toEqual(rows);
  });

  it('copies TypedArrays and other vnl objects', () => {
    expect(vnlVectorFromArray(new Int8Array([-1, 2])).toArray()).toEqual([-1, 2]);
    expect(vnlVectorFromArray(new BigUint64Array([2n ** 64n - 1n])).type).toBe('uint64');
    expect(vnlMatrixFromArray(VnlMatrix.fromRows('uint8', [[1], [2]])).toArray()).toEqual([[1], [2]]);
    expect(vnlVectorFromArray(new VnlVector('float64')).size).toBe(0);
    expect(vnlMatrixFromArray(new VnlMatrix('float64', 0, 4)).columns).toBe(4);
  });

  it('refuses the wrong dimensionality, non-numeric formats and a mismatched type', () => {
    expectErrorCode(() => vnlMatrixFromArray(new Float64Array(4)), 'ERR_VNL_DIMENSION_MISMATCH', { family: VnlError });
    expectErrorCode(() => vnlVectorFromArray(new VnlMatrix('float64', 2, 2)), 'ERR_VNL_DIMENSION_MISMATCH', { family: VnlError });
    expectErrorCode(() => vnlVectorFromArray(makeMatrixArray('d', [[1]]).bytes, 'float64'), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => vnlMatrixFromArray(makeMatrixArray('i', [[1]]), 'int16'), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
    for (const format of ['?', 'e', 'g', 'c', '2d', 'T{d:x:i:y:}', 'Zg', 's']) {
      const array = new TestArray(new Uint8Array(64), { format, shape: [1] });
      expectErrorCode(() => vnlVectorFromArray(array), 'ERR_FORMAT_UNSUPPORTED', { family: VnlError });
      expect(array.lock.exports).toBe(0);
    }
    expect(vnlVectorFromArray(new ArrayBuffer(3)).type).toBe('uint8');
  });
});

describe('vnlVectorViewFromArray / vnlMatrixViewFromArray (zero-copy, like vnl _ref)', () => {
  it('shares memory both ways and holds the array export until release', () => {
    const array = makeMatrixArray('d', rows);
    const m = vnlMatrixViewFromArray(array, 'float64');
    expect(m).toBeInstanceOf(VnlMatrixRef);
    expect(m).toBeInstanceOf(VnlMatrix);
    expect(m.isView).toBe(true);
    expect(m.data.buffer).toBe(array.bytes.buffer);
    expect(m.toArray()).toEqual(rows);
    m.put(1, 1, 50);
    expect(new DataView(array.bytes.buffer).getFloat64(4 * 8, true)).toBe(50);
    expect(array.lock.exports).toBe(1);
    m.release();
    expect(array.lock.exports).toBe(0);
    m.release();
    expect(array.lock.exports).toBe(0);
  });

  it('views TypedArrays with their element type and byte offset', () => {
    const backing = new Int32Array([9, 1, 2, 3]);
    const v = vnlVectorViewFromArray(backing.subarray(1));
    expect(v).toBeInstanceOf(VnlVectorRef);
    expect(v.type).toBe('int32');
    expect(v.toArray()).toEqual([1, 2, 3]);
    v.fill(7);
    expect([...backing]).toEqual([9, 7, 7, 7]);
    v.release();
  });

  it('releases at the end of a using scope', () => {
    const source = new VnlVector('uint16', 2);
    {
      using view = vnlVectorViewFromArray(source, 'uint16');
      view.put(0, 3);
      expectBufferError(() => source.setSize(3), 'ERR_BUFFER_EXPORTED');
    }
    expect(source.get(0)).toBe(3);
    source.setSize(3);
  });

  it('cannot be resized (ERR_NOT_RESIZABLE) and refuses use after release (ERR_BUFFER_RELEASED)', () => {
    const m = vnlMatrixViewFromArray(VnlMatrix.fromRows('float32', [[1, 2]]));
    expectErrorCode(() => m.setSize(2, 2), 'ERR_NOT_RESIZABLE', { family: VnlError });
    const v = vnlVectorViewFromArray(new Float64Array(3));
    expectErrorCode(() => v.setSize(4), 'ERR_NOT_RESIZABLE', { family: VnlError });
    m.release();
    v.release();
    for (const use of [
      () => m.get(0, 0),
      () => m.put(0, 0, 1),
      () => m.data,
      () => m.sum(),
      () => m.transpose(),
      () => m.clone(),
      () => getBuffer(m),
      () => m.multiply(m),
    ]) {
      expectErrorCode(use, 'ERR_BUFFER_RELEASED', { family: VnlError });
    }
    for (const use of [() => v.get(0), () => v.data, () => v.twoNorm(), () => v.add(v), () => v.copyOut(), () => getBuffer(v)]) {
      expectErrorCode(use, 'ERR_BUFFER_RELEASED', { family: VnlError });
    }
    expect(m.toString()).toBe('');
  });

  it('refuses release while the view is itself exported', () => {
    const v = vnlVectorViewFromArray(new Float64Array(2));
    const info = getBuffer(v, BufferFlags.FULL_RO);
    expectBufferError(() => v.release(), 'ERR_BUFFER_EXPORTED');
    releaseBuffer(info);
    v.release();
  });

  it('refuses layouts it cannot view in place, naming the layout, and releases the export', () => {
    const cases: [ReturnType<typeof makeMatrixArray>, RegExp][] = [
      [makeMatrixArray('d', rows, { order: 'F' }), /Fortran-contiguous/],
      [makeMatrixArray('d', rows, { gap: 1 }), /strided \(strides \(48, 16\)/],
      [makeMatrixArray('d', rows, { reverseRows: true }), /strided/],
      [makeMatrixArray('d', rows, { byteOrder: '>' }), /non-native byte order/],
      [makeMatrixArray('d', rows, { offset: 4 }), /misaligned/],
      [makeIndirectMatrix(rows), /indirect/],
    ];
    for (const [array, message] of cases) {
      expect(expectErrorCode(() => vnlMatrixViewFromArray(array), 'ERR_VNL_LAYOUT_UNSUPPORTED', { family: VnlError }).message).toMatch(message);
      expect(array.lock.exports).toBe(0);
      // The same array copies fine.
      expect(vnlMatrixFromArray(array).toArray()).toEqual(rows);
    }
    expectErrorCode(() => vnlVectorViewFromArray(makeVectorArray('d', [1, 2], { gap: 1 })), 'ERR_VNL_LAYOUT_UNSUPPORTED', { family: VnlError });
  });

  it('accepts C-contiguous layouts with length-1 dimensions whatever their stride', () => {
    const array = makeMatrixArray('d', [[1, 2, 3]], { order: 'F' });
    const m = vnlMatrixViewFromArray(array);
    expect(m.toArray()).toEqual([[1, 2, 3]]);
    m.release();
  });

  it('refuses read-only arrays, wrong dimensionality and mismatched types', () => {
    const readonly = makeMatrixArray('d', rows, { readonly: true });
    expectBufferError(() => vnlMatrixViewFromArray(readonly), 'ERR_BUFFER_READONLY');
    expect(vnlMatrixFromArray(readonly).toArray()).toEqual(rows);
    expectErrorCode(() => vnlMatrixViewFromArray(new Float64Array(4)), 'ERR_VNL_DIMENSION_MISMATCH', { family: VnlError });
    expectErrorCode(() => vnlVectorViewFromArray(new VnlMatrix('float64', 2, 2)), 'ERR_VNL_DIMENSION_MISMATCH', { family: VnlError });
    const typed = new Float32Array(2);
    expectErrorCode(() => vnlVectorViewFromArray(typed, 'float64'), 'ERR_VNL_TYPE_MISMATCH', { family: VnlError });
    expectErrorCode(() => vnlVectorViewFromArray(new TestArray(new Uint8Array(8), { format: '?', shape: [8] })), 'ERR_FORMAT_UNSUPPORTED', {
      family: VnlError,
    });
    expectBufferError(() => vnlVectorViewFromArray(42), 'ERR_BUFFER_NOT_EXPORTER');
  });
});
