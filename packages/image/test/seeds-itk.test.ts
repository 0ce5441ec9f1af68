// Every example of the ITKBridgeNumPy seed (shared/seeds/000), in TypeScript, with the same shapes,
// imported as an ITK user does: everything from "@interop/image".
import { describe, expect, it } from 'vitest';
import { BufferError, MemoryView } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { arrayFromImage, arrayViewFromImage, Image, imageFromArray, imageViewFromArray } from '@interop/image';

describe('ITKBridgeNumPy seed', () => {
  it('converts an ITK image to an array: float, 3-D, size 100 -> shape [100, 100, 100]', () => {
    // image = ImageType.New(); size.Fill(100); image.SetRegions(region); image.Allocate()
    const image = new Image({ componentType: 'float32', dimension: 3 });
    image.setRegions({ index: [0, 0, 0], size: [100, 100, 100] });
    image.allocate();
    // arr = itk.PyBuffer[ImageType].GetArrayFromImage(image)
    const array = arrayViewFromImage(image);
    expect(array.shape).toEqual([100, 100, 100]);
    expect(array.format).toBe('f');
    expect(array.cContiguous).toBe(true);
    array.release();
  });

  it('converts an array to an ITK image: np.zeros((100, 100, 100), np.float32)', () => {
    const array = MemoryView.from(new Float32Array(100 * 100 * 100)).reshape([100, 100, 100]);
    const image = imageViewFromArray(array);
    expect(image.imageType).toEqual({ dimension: 3, componentType: 'float32', pixelType: 'Scalar', components: 1 });
    expect(image.size).toEqual([100, 100, 100]);
    image.release();
    const copy = imageFromArray(array);
    expect(copy.size).toEqual([100, 100, 100]);
    array.release();
  });

  it('shares the buffer: changes in the array change the image and vice versa (the warning)', () => {
    const image = new Image({ componentType: 'float32', size: [4, 3, 2] }).allocate();
    const array = arrayViewFromImage(image);
    array.set([1, 2, 3], 7.5); // [z, y, x]
    expect(image.getPixel([3, 2, 1])).toBe(7.5); // [x, y, z]
    image.setPixel([0, 1, 1], -2);
    expect(array.get([1, 1, 0])).toBe(-2);
    const copy = arrayFromImage(image);
    image.setPixel([0, 0, 0], 99);
    expect(copy.get([0, 0, 0])).toBe(0);
    copy.release();
    array.release();
  });

  it('turns the lifetime warning into an error: the image cannot drop its buffer while an array view lives', () => {
    const image = new Image({ componentType: 'float32', size: [8, 8] }).allocate();
    const array = arrayViewFromImage(image);
    for (const operation of [() => image.release(), () => image.allocate(), () => image.setRegions([4, 4])]) {
      expectErrorCode(operation, 'ERR_BUFFER_EXPORTED', { family: BufferError });
    }
    array.release();
    image.release();
    expect(image.released).toBe(true);
  });
});
