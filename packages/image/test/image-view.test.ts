import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getBuffer, releaseBuffer } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import {
  AxesInterpretation,
  dataTypeInfo,
  dataTypeOf,
  DataTypeId,
  fromArray,
  fromArrayWithAxes,
  ImageAxis,
  ImageView,
  interpretationAxes,
  interpretationOfAxes,
  toArray,
  toArrayWithAxes,
} from '../src/iolink/index.js';
import { nd, ndFortran } from './helpers.js';

describe('data types and axes', () => {
  it('maps IOLink data types to components', () => {
    expect(dataTypeInfo(DataTypeId.VEC3_UINT16)).toEqual({ id: 'VEC3_UINT16', componentType: 'uint16', components: 3 });
    expect(dataTypeInfo('DOUBLE').componentType).toBe('float64');
    expect(dataTypeOf('float32', 4)).toBe('VEC4_FLOAT');
    expect(dataTypeOf('int8')).toBe('INT8');
    expectErrorCode(() => dataTypeInfo('VEC9_UINT8' as DataTypeId), 'ERR_IMAGE_DATA_TYPE');
    expectErrorCode(() => dataTypeOf('uint8', 5), 'ERR_IMAGE_DATA_TYPE');
  });

  it('names the axes of each interpretation, truncating to the dimensions present', () => {
    expect(interpretationAxes(AxesInterpretation.MULTISPECTRAL_VOLUME, 4)).toEqual(['COLUMN', 'ROW', 'SLICE', 'CHANNEL']);
    expect(interpretationAxes('VOLUME', 2)).toEqual(['COLUMN', 'ROW']);
    expect(interpretationAxes('UNKNOWN', 7)).toBeNull();
    expectErrorCode(() => interpretationAxes('IMAGE', 3), 'ERR_IMAGE_AXES_INVALID');
    expect(interpretationOfAxes([ImageAxis.SLICE, ImageAxis.ROW, ImageAxis.COLUMN])).toBe('VOLUME');
    expect(interpretationOfAxes(['SEQUENCE', 'COLUMN', 'ROW'])).toBe('IMAGE_SEQUENCE');
    expect(interpretationOfAxes(['COLUMN'])).toBe('IMAGE');
    expectErrorCode(() => interpretationOfAxes(['ROW', 'SLICE']), 'ERR_IMAGE_AXES_INVALID');
    expectErrorCode(() => interpretationOfAxes(['ROW', 'ROW']), 'ERR_IMAGE_AXES_INVALID');
  });
});

describe('ImageView', () => {
  it('allocates canonical memory, first dimension fastest', () => {
    const view = ImageView.allocate([3, 2], 'VEC2_INT16', { axesInterpretation: 'IMAGE' });
    expect(view.strides).toEqual([4, 12]);
    expect(view.axes).toEqual(['COLUMN', 'ROW']);
    view.setValue([2, 1], [5, -6]);
    const info = getBuffer(view);
    expect(new Int16Array(info.buffer as ArrayBuffer)[(1 * 3 + 2) * 2 + 1]).toBe(-6);
    releaseBuffer(info);
  });

  it('exports multispectral channels last and sequences first (T, Z, Y, X, C)', () => {
    const view = ImageView.allocate([5, 4, 3, 2, 6], 'UINT8', { axesInterpretation: 'MULTISPECTRAL_VOLUME_SEQUENCE' });
    const array = toArray(view);
    expect(array.shape).toEqual([6, 3, 4, 5, 2]);
    view.setValue([1, 2, 0, 1, 5], 77);
    expect(array.get([5, 0, 2, 1, 1])).toBe(77);
    array.release();
    expect(toArrayWithAxes(view, ['CHANNEL', 'SEQUENCE', 'COLUMN', 'ROW', 'SLICE']).shape).toEqual([2, 6, 5, 4, 3]);
  });

  it('reorganises multispectral arrays read with an interpretation (NumPy order Y, X, C)', () => {
    const array = nd(
      new Uint8Array(2 * 3 * 4).map((_, i) => i),
      [2, 3, 4],
    );
    const view = fromArray(array, 'MULTISPECTRAL_IMAGE');
    expect(view.shape).toEqual([3, 2, 4]);
    expect(view.axes).toEqual(['COLUMN', 'ROW', 'CHANNEL']);
    expect(view.getValue([2, 1, 3])).toBe(array.get([1, 2, 3]));
    const back = toArray(view);
    expect(back.shape).toEqual([2, 3, 4]);
    expect(back.toList()).toEqual(array.toList());
    back.release();
    view.release();
    array.release();
  });

  it('refuses vector data with a multispectral interpretation, and reallocation of borrowed memory', () => {
    expectErrorCode(() => ImageView.allocate([2, 2, 3], 'VEC3_UINT8', { axesInterpretation: 'MULTISPECTRAL_IMAGE' }), 'ERR_IMAGE_DATA_TYPE');
    const array = nd(new Float32Array(4), [2, 2]);
    const view = fromArray(array, 'IMAGE');
    expectErrorCode(() => view.setShape([3, 3]), 'ERR_NOT_RESIZABLE');
    expectErrorCode(() => array.release(), 'ERR_BUFFER_EXPORTED');
    view.release();
    expectErrorCode(() => view.getValue([0, 0]), 'ERR_BUFFER_RELEASED');
    array.release();
  });

  it('reallocates owned memory with setShape / setDataType', () => {
    const view = ImageView.allocate([2, 2], 'UINT8', { axesInterpretation: 'IMAGE' });
    view.setShape([4, 3]);
    view.setDataType('VEC3_FLOAT');
    expect(view.shape).toEqual([4, 3]);
    const array = toArray(view);
    expect(array.shape).toEqual([3, 4, 3]);
    expectErrorCode(() => view.setShape([1, 1]), 'ERR_BUFFER_EXPORTED');
    array.release();
    expectErrorCode(() => view.setShape([1, 2, 3]), 'ERR_IMAGE_AXES_INVALID');
  });

  it('handles 64-bit, float16 and checks values', () => {
    const view = ImageView.allocate([2], 'VEC2_INT64');
    view.setValue([1], [-3n, 4n]);
    expect(view.getValue([1])).toEqual([-3n, 4n]);
    const half = ImageView.allocate([1], 'FLOAT16');
    half.setValue([0], 0.1);
    expect(half.getValue([0])).toBeCloseTo(0.0999755859375, 12);
    expectErrorCode(() => view.setValue([0], 1n), 'ERR_VALUE_INVALID');
    expectErrorCode(() => view.setValue([2], [1n, 2n]), 'ERR_INDEX_OUT_OF_RANGE');
    // Components are range-checked as MemoryView.set does, never wrapped or truncated; a refused
    // element is left unchanged.
    const bytes = ImageView.allocate([1], 'VEC2_UINT8');
    bytes.setValue([0], [1, 2]);
    expectErrorCode(() => bytes.setValue([0], [3, 256]), 'ERR_VALUE_INVALID');
    expectErrorCode(() => bytes.setValue([0], [3, 1.5]), 'ERR_VALUE_INVALID');
    expect(bytes.getValue([0])).toEqual([1, 2]);
  });

  it('views big-endian arrays only by copy', () => {
    const array = nd(new Uint8Array(8), [8]).cast('>H', [4]);
    expectErrorCode(() => fromArray(array), 'ERR_IMAGE_BYTE_ORDER');
    expect(() => array.release()).not.toThrow();
  });
});

const interpretations = [
  'IMAGE',
  'VOLUME',
  'SEQUENCE',
  'MULTISPECTRAL_IMAGE',
  'MULTISPECTRAL_VOLUME',
  'IMAGE_SEQUENCE',
  'VOLUME_SEQUENCE',
  'MULTISPECTRAL_IMAGE_SEQUENCE',
  'MULTISPECTRAL_VOLUME_SEQUENCE',
] as const;

describe('property: fromArrayWithAxes then toArrayWithAxes', () => {
  it('gives back the same values for random axis permutations, shapes and C/Fortran layouts', () => {
    const arbitrary = fc.constantFrom(...interpretations).chain((interpretation) => {
      const axes = interpretationAxes(interpretation, interpretationAxesCount(interpretation))!;
      return fc.record({
        axes: fc.shuffledSubarray(axes, { minLength: axes.length, maxLength: axes.length }),
        shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: axes.length, maxLength: axes.length }),
        fortran: fc.boolean(),
        order: fc.shuffledSubarray(axes, { minLength: axes.length, maxLength: axes.length }),
      });
    });
    fc.assert(
      fc.property(arbitrary, ({ axes, shape, fortran, order }) => {
        const count = shape.reduce((a, b) => a * b, 1);
        const values = new Int32Array(count).map((_, i) => i * 7 - 3);
        const array = fortran ? ndFortran(values, shape) : nd(values, shape);
        const view = fromArrayWithAxes(array, axes);
        // Canonical order, without a copy.
        expect(view.shape).toEqual((view.axes ?? []).map((axis) => shape[axes.indexOf(axis)]));
        const same = toArrayWithAxes(view, axes);
        expect(same.toList()).toEqual(array.toList());
        // Any other order is the transpose of the original.
        const other = toArrayWithAxes(view, order);
        const permutation = order.map((axis) => axes.indexOf(axis));
        const transposed = array.transpose(permutation);
        expect(other.toList()).toEqual(transposed.toList());
        for (const held of [transposed, other, same]) held.release();
        view.release();
        array.release();
      }),
      { numRuns: 200 },
    );
  });
});

function interpretationAxesCount(interpretation: (typeof interpretations)[number]): number {
  return {
    IMAGE: 2,
    VOLUME: 3,
    SEQUENCE: 1,
    MULTISPECTRAL_IMAGE: 3,
    MULTISPECTRAL_VOLUME: 4,
    IMAGE_SEQUENCE: 3,
    VOLUME_SEQUENCE: 4,
    MULTISPECTRAL_IMAGE_SEQUENCE: 4,
    MULTISPECTRAL_VOLUME_SEQUENCE: 5,
  }[interpretation];
}
