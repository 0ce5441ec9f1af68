import { describe, expect, it } from 'vitest';
import { BufferError, MemoryView } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { arrayFromImage, arrayViewFromImage, Image, imageFromArray, imageViewFromArray } from '../src/index.js';
import { nd, ndFortran } from './helpers.js';

function ramp(image: Image): void {
  let value = 0;
  const data = image.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = value++;
}

describe('arrayViewFromImage', () => {
  it('views [z, y, x] in C order and [x, y, z] with keepAxes (strided, same memory)', () => {
    const image = new Image({ componentType: 'float32', size: [4, 3, 2] }).allocate();
    ramp(image);
    const numpy = arrayViewFromImage(image);
    const itk = arrayViewFromImage(image, { keepAxes: true });
    expect(numpy.shape).toEqual([2, 3, 4]);
    expect(numpy.strides).toEqual([48, 16, 4]);
    expect(itk.shape).toEqual([4, 3, 2]);
    expect(itk.strides).toEqual([4, 16, 48]);
    expect(itk.fContiguous).toBe(true);
    for (const [x, y, z] of [
      [0, 0, 0],
      [3, 2, 1],
      [1, 2, 0],
    ] as const) {
      const expected = image.getPixel([x, y, z]);
      expect(numpy.get([z, y, x])).toBe(expected);
      expect(itk.get([x, y, z])).toBe(expected);
    }
    expect(image.exports).toBe(2);
    numpy.release();
    itk.release();
    expect(image.exports).toBe(0);
  });

  it('puts components last, in both orders', () => {
    const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [4, 3] }).allocate();
    image.setPixel([3, 1], [1, 2, 3]);
    const numpy = arrayViewFromImage(image);
    const itk = arrayViewFromImage(image, { keepAxes: true });
    expect(numpy.shape).toEqual([3, 4, 3]);
    expect(itk.shape).toEqual([4, 3, 3]);
    expect(numpy.toList()).toEqual(arrayFromImage(image).toList());
    expect([0, 1, 2].map((c) => numpy.get([1, 3, c]))).toEqual([1, 2, 3]);
    expect([0, 1, 2].map((c) => itk.get([3, 1, c]))).toEqual([1, 2, 3]);
    numpy.release();
    itk.release();
  });

  it('adds a component axis for a 1-component VariableLengthVector, none for Scalar', () => {
    const vector = new Image({ pixelType: 'VariableLengthVector', components: 1, size: [2, 2] }).allocate();
    expect(arrayFromImage(vector).shape).toEqual([2, 2, 1]);
    expect(arrayFromImage(new Image({ size: [2, 2] }).allocate()).shape).toEqual([2, 2]);
  });

  it('exports complex pixels as Zf/Zd items', () => {
    const image = new Image({ componentType: 'float32', pixelType: 'Complex', size: [2, 1] }).allocate();
    image.setPixel([1, 0], [3, -4]);
    const array = arrayViewFromImage(image);
    expect(array.format).toBe('Zf');
    expect(array.shape).toEqual([1, 2]);
    expect(array.get([0, 1])).toEqual([3, -4]);
    array.release();
  });

  it('gives read-only arrays of read-only images, and refuses unallocated ones', () => {
    const source = nd(new Float64Array(4), [2, 2]);
    const readonly = source.toReadonly();
    const image = imageViewFromArray(readonly);
    const array = arrayViewFromImage(image);
    expect(array.readonly).toBe(true);
    expectErrorCode(() => image.setPixel([0, 0], 1), 'ERR_BUFFER_READONLY');
    array.release();
    image.release();
    readonly.release();
    source.release();
    expectErrorCode(() => arrayViewFromImage(new Image({ size: [2] })), 'ERR_IMAGE_NOT_ALLOCATED');
  });
});

describe('arrayFromImage', () => {
  it('copies: later changes to the image do not show, and the image stays unlocked', () => {
    const image = new Image({ componentType: 'int16', size: [3, 2] }).allocate().fill(4);
    const copy = arrayFromImage(image, { keepAxes: true });
    expect(copy.shape).toEqual([3, 2]);
    image.fill(9);
    expect(copy.get([2, 1])).toBe(4);
    expect(image.exports).toBe(0);
    image.allocate();
    copy.release();
  });
});

describe('imageViewFromArray', () => {
  it('views a C-contiguous array as [z, y, x] -> size [x, y, z], sharing memory', () => {
    const array = nd(new Float32Array(24), [2, 3, 4]);
    const image = imageViewFromArray(array);
    expect(image.size).toEqual([4, 3, 2]);
    expect(image.isView).toBe(true);
    array.set([1, 2, 3], 8);
    expect(image.getPixel([3, 2, 1])).toBe(8);
    image.setPixel([0, 1, 1], 6);
    expect(array.get([1, 1, 0])).toBe(6);
    image.release();
    array.release();
  });

  it('holds an export of the array until the image is released or disposed', () => {
    const base = MemoryView.from(new Uint8Array(12));
    const array = base.reshape([3, 4]);
    base.release();
    {
      using image = imageViewFromArray(array);
      expect(image.size).toEqual([4, 3]);
      expectErrorCode(() => array.release(), 'ERR_BUFFER_EXPORTED');
    }
    array.release();
  });

  it('reads the last axis as components with isVector, or by ttype', () => {
    const array = nd(new Uint8Array(2 * 3 * 4), [2, 3, 4]);
    const vector = imageViewFromArray(array, { isVector: true });
    expect(vector.imageType).toEqual({ dimension: 2, componentType: 'uint8', pixelType: 'VariableLengthVector', components: 4 });
    expect(vector.size).toEqual([3, 2]);
    vector.release();
    const rgba = imageViewFromArray(array, { ttype: { pixelType: 'RGBA' } });
    expect(rgba.imageType).toEqual({ dimension: 2, componentType: 'uint8', pixelType: 'RGBA', components: 4 });
    rgba.release();
    const scalar = imageViewFromArray(array, { ttype: { pixelType: 'Scalar', dimension: 3 } });
    expect(scalar.size).toEqual([4, 3, 2]);
    scalar.release();
    expectErrorCode(() => imageViewFromArray(array, { ttype: { pixelType: 'RGB' } }), 'ERR_IMAGE_PIXEL_TYPE');
    expectErrorCode(() => imageViewFromArray(array, { ttype: { pixelType: 'Scalar', componentType: 'float32' } }), 'ERR_IMAGE_COMPONENT_TYPE');
    expectErrorCode(() => imageViewFromArray(array, { ttype: { pixelType: 'Scalar', dimension: 2 } }), 'ERR_IMAGE_DIMENSION');
    expectErrorCode(() => imageViewFromArray(array, { isVector: true, ttype: { pixelType: 'RGBA' } }), 'ERR_IMAGE_OPTIONS_CONFLICT');
    array.release();
  });

  it('reads complex arrays as Complex images', () => {
    const array = MemoryView.from(new Float64Array([1, 2, 3, 4]))
      .cast('B')
      .cast('Zd', [2]);
    const image = imageViewFromArray(array);
    expect(image.imageType).toEqual({ dimension: 1, componentType: 'float64', pixelType: 'Complex', components: 2 });
    expect(image.getPixel([1])).toEqual([3, 4]);
    image.release();
    array.release();
  });

  it('refuses non-contiguous, misaligned and foreign-endian arrays clearly, leaving no export behind', () => {
    const fortran = ndFortran(new Float32Array(6), [2, 3]);
    expectErrorCode(() => imageViewFromArray(fortran), 'ERR_BUFFER_NOT_CONTIGUOUS');
    const strided = nd(new Float32Array(12), [3, 4]).slice(null, '::2');
    expectErrorCode(() => imageViewFromArray(strided), 'ERR_BUFFER_NOT_CONTIGUOUS');
    const bytes = MemoryView.from(new Uint8Array(9));
    const misaligned = bytes.slice('1:9').cast('f', [2]);
    expectErrorCode(() => imageViewFromArray(misaligned), 'ERR_BUFFER_MISALIGNED');
    const big = MemoryView.from(new Uint8Array(8)).cast('>f', [2]);
    expectErrorCode(() => imageViewFromArray(big), 'ERR_IMAGE_BYTE_ORDER');
    const records = MemoryView.from(new Uint8Array(8)).cast('T{i:a:f:b:}', [1]);
    expectErrorCode(() => imageViewFromArray(records), 'ERR_IMAGE_COMPONENT_TYPE');
    // Every refused request released its export: the arrays can be released.
    for (const view of [fortran, strided, misaligned, big, records, bytes]) expect(() => view.release()).not.toThrow();
  });
});

describe('imageFromArray', () => {
  it('copies any layout: Fortran, strided, big-endian', () => {
    const fortran = ndFortran(new Float32Array([0, 1, 2, 3, 4, 5]), [2, 3]);
    const image = imageFromArray(fortran);
    expect(image.size).toEqual([3, 2]);
    expect(image.getPixel([2, 1])).toBe(5);
    expect(image.isView).toBe(false);
    fortran.release();
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat32(4, 2.5, false);
    const big = MemoryView.from(bytes).cast('>f', [2]);
    const swapped = imageFromArray(big);
    expect(swapped.getPixel([1])).toBe(2.5);
    big.release();
    const reversed = nd(new Int16Array([1, 2, 3, 4]), [4]).flip(0);
    expect(Array.from(imageFromArray(reversed).data as Int16Array)).toEqual([4, 3, 2, 1]);
    reversed.release();
  });

  it('copies vector images with ttype and refuses isVector with ttype', () => {
    const array = nd(
      new Float32Array(2 * 2 * 2).map((_, i) => i),
      [2, 2, 2],
    );
    const image = imageFromArray(array, { ttype: { pixelType: 'CovariantVector' } });
    expectErrorCode(() => imageFromArray(nd(new Float32Array(12), [2, 2, 3]), { ttype: { pixelType: 'CovariantVector' } }), 'ERR_IMAGE_PIXEL_TYPE');
    expect(image.imageType).toEqual({ dimension: 2, componentType: 'float32', pixelType: 'CovariantVector', components: 2 });
    array.release();
    const rgb = nd(
      new Float32Array(2 * 2 * 3).map((_, i) => i),
      [2, 2, 3],
    );
    expect(imageFromArray(rgb, { ttype: { pixelType: 'RGB' } }).getPixel([1, 0])).toEqual([3, 4, 5]);
    expectErrorCode(() => imageFromArray(rgb, { isVector: true, ttype: { pixelType: 'RGB' } }), 'ERR_IMAGE_OPTIONS_CONFLICT');
    rgb.release();
  });

  it('is a BufferError for objects without the buffer protocol', () => {
    let thrown: unknown;
    try {
      imageFromArray({});
    } catch (error) {
      thrown = error;
    }
    expect(BufferError.isInstance(thrown)).toBe(true);
  });
});
