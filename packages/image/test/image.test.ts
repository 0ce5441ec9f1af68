import { describe, expect, it } from 'vitest';
import { BufferError } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { componentTypes, Image, ImageError, pixelTypeComponents, type ComponentType } from '../src/index.js';

describe('Image', () => {
  it('defaults to a 2-D float32 scalar image of size [1, 1] with identity geometry', () => {
    const image = new Image();
    expect(image.imageType).toEqual({ dimension: 2, componentType: 'float32', pixelType: 'Scalar', components: 1 });
    expect(image.size).toEqual([1, 1]);
    expect(image.spacing).toEqual([1, 1]);
    expect(image.origin).toEqual([0, 0]);
    expect(image.direction).toEqual([1, 0, 0, 1]);
    expect(image.allocated).toBe(false);
  });

  it.each(componentTypes)('stores and reads %s components', (componentType: ComponentType) => {
    const image = new Image({ componentType, size: [3, 2] }).allocate();
    const wide = componentType.endsWith('64') && componentType.includes('int');
    const value = componentType.startsWith('float') ? 1.5 : componentType.startsWith('u') ? 200 : -100;
    const expected = wide ? BigInt(value) : value;
    image.setPixel([2, 1], wide ? BigInt(value) : value);
    expect(image.getPixel([2, 1])).toBe(expected);
    expect(image.getPixel([0, 0])).toBe(wide ? 0n : 0);
    expect(image.data.length).toBe(6);
  });

  it('keeps float16 values as IEEE half precision (rounding to nearest even)', () => {
    const image = new Image({ componentType: 'float16', size: [4] }).allocate();
    image.setPixel([0], 1 / 3);
    image.setPixel([1], 65504);
    image.setPixel([2], 1e6);
    image.setPixel([3], 2 ** -24);
    expect(image.getPixel([0])).toBeCloseTo(0.333251953125, 12);
    expect(image.getPixel([1])).toBe(65504);
    expect(image.getPixel([2])).toBe(Infinity);
    expect(image.getPixel([3])).toBe(2 ** -24);
    expect(Array.from(image.data as Uint16Array)).toEqual([0x3555, 0x7bff, 0x7c00, 0x0001]);
  });

  it('derives components from the pixel type and checks given counts', () => {
    expect(new Image({ pixelType: 'RGB' }).components).toBe(3);
    expect(new Image({ pixelType: 'RGBA' }).components).toBe(4);
    expect(new Image({ pixelType: 'CovariantVector', dimension: 3 }).components).toBe(3);
    expect(new Image({ pixelType: 'SymmetricSecondRankTensor', dimension: 3 }).components).toBe(6);
    expect(new Image({ pixelType: 'Vector', components: 5 }).components).toBe(5);
    expect(new Image({ pixelType: 'Complex', componentType: 'float64' }).components).toBe(2);
    expect(pixelTypeComponents('DiffusionTensor3D', 3)).toBe(6);
    expectErrorCode(() => new Image({ pixelType: 'RGB', components: 4 }), 'ERR_IMAGE_PIXEL_TYPE');
    expectErrorCode(() => new Image({ pixelType: 'Complex', componentType: 'int16' }), 'ERR_IMAGE_COMPONENT_TYPE');
    expectErrorCode(() => new Image({ componentType: 'int128' as ComponentType }), 'ERR_IMAGE_COMPONENT_TYPE');
    expectErrorCode(() => new Image({ pixelType: 'Bogus' as 'Scalar' }), 'ERR_IMAGE_PIXEL_TYPE');
  });

  it('supports dimensions 1 to 6 and beyond', () => {
    for (let dimension = 1; dimension <= 8; dimension++) {
      const size = new Array<number>(dimension).fill(2);
      const image = new Image({ size, componentType: 'uint8' }).allocate();
      const index = new Array<number>(dimension).fill(1);
      image.setPixel(index, 9);
      expect(image.getPixel(index)).toBe(9);
      expect(image.data[2 ** dimension - 1]).toBe(9);
    }
    expectErrorCode(() => new Image({ dimension: 0 }), 'ERR_IMAGE_DIMENSION');
  });

  it('lays pixels out ITK-style: x fastest, components interleaved', () => {
    const image = new Image({ componentType: 'int16', pixelType: 'RGB', size: [3, 2] }).allocate();
    image.setPixel([1, 1], [7, 8, 9]);
    const at = (1 * 3 + 1) * 3;
    expect(Array.from((image.data as Int16Array).subarray(at, at + 3))).toEqual([7, 8, 9]);
    expect(image.getPixel([1, 1])).toEqual([7, 8, 9]);
  });

  it('fills every pixel, scalar and multi-component', () => {
    const scalar = new Image({ componentType: 'int32', size: [5, 3] }).allocate().fill(-4);
    expect(Array.from(scalar.data as Int32Array).every((v) => v === -4)).toBe(true);
    const vector = new Image({ componentType: 'float64', pixelType: 'Vector', components: 3, size: [7, 5] }).allocate().fill([1, 2, 3]);
    for (let y = 0; y < 5; y++) for (let x = 0; x < 7; x++) expect(vector.getPixel([x, y])).toEqual([1, 2, 3]);
    const wide = new Image({ componentType: 'uint64', size: [3] }).allocate().fill(5n);
    expect(wide.getPixel([2])).toBe(5n);
  });

  it('refuses bad indices and values with typed errors', () => {
    const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [3, 2], index: [10, 20] }).allocate();
    expect(image.getPixel([10, 20])).toEqual([0, 0, 0]);
    expectErrorCode(() => image.getPixel([0, 0]), 'ERR_INDEX_OUT_OF_RANGE');
    expectErrorCode(() => image.getPixel([13, 20]), 'ERR_INDEX_OUT_OF_RANGE');
    expectErrorCode(() => image.getPixel([10.5, 20]), 'ERR_INDEX_OUT_OF_RANGE');
    expectErrorCode(() => image.getPixel([10]), 'ERR_IMAGE_DIMENSION');
    expectErrorCode(() => image.setPixel([10, 20], 1), 'ERR_VALUE_INVALID');
    expectErrorCode(() => image.setPixel([10, 20], [1, 2]), 'ERR_VALUE_INVALID');
    expectErrorCode(() => new Image({ size: [2, 2] }).getPixel([0, 0]), 'ERR_IMAGE_NOT_ALLOCATED');
  });

  it('validates geometry: positive spacing, finite origin, non-singular direction', () => {
    expectErrorCode(() => new Image({ size: [2, 2], spacing: [1, 0] }), 'ERR_IMAGE_GEOMETRY');
    expectErrorCode(() => new Image({ size: [2, 2], origin: [0, NaN] }), 'ERR_IMAGE_GEOMETRY');
    expectErrorCode(() => new Image({ size: [2, 2], direction: [1, 2, 2, 4] }), 'ERR_IMAGE_GEOMETRY');
    expectErrorCode(() => new Image({ size: [2, 2], direction: [1, 0, 0] }), 'ERR_IMAGE_DIMENSION');
    expectErrorCode(() => new Image({ size: [2, 2], spacing: [1, 1, 1] }), 'ERR_IMAGE_DIMENSION');
    const image = new Image({
      size: [2, 2],
      direction: [
        [0, -1],
        [1, 0],
      ],
    });
    expect(image.direction).toEqual([0, -1, 1, 0]);
    let thrown: unknown;
    try {
      image.setDirection([0, 0, 0, 0]);
    } catch (error) {
      thrown = error;
    }
    expect(ImageError.isInstance(thrown)).toBe(true);
    expect(image.direction).toEqual([0, -1, 1, 0]);
  });

  it('transforms indices to physical points and back (ITK formulas, rotated and anisotropic)', () => {
    const image = new Image({ size: [10, 10, 10], spacing: [0.5, 2, 3], origin: [10, -5, 7], direction: [0, 1, 0, -1, 0, 0, 0, 0, 1] });
    // point = origin + D * diag(spacing) * index
    expect(image.transformIndexToPhysicalPoint([2, 3, 4])).toEqual([10 + 6, -5 - 1, 7 + 12]);
    expect(image.transformPhysicalPointToContinuousIndex([16, -6, 19]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([2, 3, 4]);
    expect(image.transformPhysicalPointToIndex([16.4, -6.2, 19.1])).toEqual([2, 3, 4]);
    // Halves round up, as ITK's RoundHalfIntegerUp.
    expect(image.transformPhysicalPointToIndex(image.transformContinuousIndexToPhysicalPoint([2.5, 3.5, -0.5]))).toEqual([3, 4, 0]);
    expect(image.transformContinuousIndexToPhysicalPoint([0.5, 0, 0])).toEqual([10, -5.25, 7]);
    expectErrorCode(() => image.transformIndexToPhysicalPoint([0.5, 0, 0]), 'ERR_INVALID_ARGUMENT');
    expect(image.isInside([9, 9, 9])).toBe(true);
    expect(image.isInside([10, 0, 0])).toBe(false);
  });

  it('gives spacing, origin and direction in array order', () => {
    const image = new Image({
      componentType: 'uint8',
      pixelType: 'RGB',
      size: [4, 3, 2],
      spacing: [1, 2, 3],
      origin: [4, 5, 6],
      direction: [1, 2, 0, 0, 1, 0, 0, 0, 1],
    });
    const geometry = image.arrayGeometry();
    expect(geometry.shape).toEqual([2, 3, 4, 3]);
    expect(geometry.spacing).toEqual([3, 2, 1]);
    expect(geometry.origin).toEqual([6, 5, 4]);
    expect(geometry.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 2, 1]);
  });

  it('keeps pixels when only the region index changes, drops them when the size changes', () => {
    const image = new Image({ componentType: 'uint8', size: [2, 2] }).allocate().fill(3);
    image.setRegions({ index: [5, 5], size: [2, 2] });
    expect(image.getPixel([6, 6])).toBe(3);
    image.setRegions([3, 3]);
    expect(image.allocated).toBe(false);
    expect(image.region).toEqual({ index: [0, 0], size: [3, 3] });
  });

  it('refuses allocate, setRegions and release while exported (ERR_BUFFER_EXPORTED), then allows them', async () => {
    const { getBuffer, releaseBuffer } = await import('@interop/core');
    const image = new Image({ size: [2, 2] }).allocate();
    const info = getBuffer(image);
    for (const operation of [() => image.allocate(), () => image.setRegions([3, 3]), () => image.release()]) {
      expectErrorCode(operation, 'ERR_BUFFER_EXPORTED', { family: BufferError });
    }
    expect(image.exports).toBe(1);
    releaseBuffer(info);
    image.setRegions([3, 3]);
    image.allocate();
    image.release();
    expectErrorCode(() => image.getPixel([0, 0]), 'ERR_BUFFER_RELEASED');
    expectErrorCode(() => image.allocate(), 'ERR_BUFFER_RELEASED');
  });

  it('clones deeply', () => {
    const image = new Image({ componentType: 'int8', size: [2, 2], spacing: [2, 3], name: 'a' }).allocate().fill(1);
    const copy = image.clone();
    copy.setPixel([0, 0], 5);
    expect(image.getPixel([0, 0])).toBe(1);
    expect(copy.spacing).toEqual([2, 3]);
    expect(copy.name).toBe('a');
  });
});
