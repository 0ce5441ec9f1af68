// toRGBA and imageDataFromImage with conversions: window/level, range, colour maps, NaN, colour
// images, and a typed error that says how to fix every refusal.
import { describe, expect, it } from 'vitest';
import { halfToNumber, numberToHalf } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { Image, imageDataFromImage, imageFromImageData, releaseImageData, toRGBA } from '../src/index.js';

function row(componentType: 'int16' | 'float32' | 'uint8' | 'uint16' | 'float16' | 'int64', values: number[]): Image {
  const image = new Image({ componentType, size: [values.length, 1] }).allocate();
  values.forEach((value, x) => image.setPixel([x, 0], componentType === 'int64' ? BigInt(value) : value));
  return image;
}

const grey = (image: Image): number[] => Array.from({ length: image.size[0]! }, (_, x) => (image.getPixel([x, 0]) as number[])[0]!);

describe('toRGBA', () => {
  it('maps a window/level like DICOM viewers: level - window/2 is black, level + window/2 white', () => {
    const ct = row('int16', [-1000, 0, 40, 80, 1000]);
    const rgba = toRGBA(ct, { window: 80, level: 40 });
    expect(grey(rgba)).toEqual([0, 0, 128, 255, 255]);
    expect(rgba.getPixel([2, 0])).toEqual([128, 128, 128, 255]);
    expect(grey(toRGBA(ct, { range: [-1000, 1000] }))).toEqual([0, 128, 133, 138, 255]);
  });

  it('spans the finite minimum to maximum by default (imshow), keeps uint8 as is, and shows NaN transparent', () => {
    const values = row('float32', [NaN, -Infinity, 2, 3, 4, Infinity]);
    const rgba = toRGBA(values);
    expect(rgba.getPixel([0, 0])).toEqual([0, 0, 0, 0]);
    expect(grey(rgba)).toEqual([0, 0, 0, 128, 255, 255]);
    expect(grey(toRGBA(row('uint8', [0, 7, 255])))).toEqual([0, 7, 255]);
    expect(grey(toRGBA(row('uint16', [5, 5])))).toEqual([0, 0]); // constant: all black, no division by zero
    expect(grey(toRGBA(row('int64', [0, 10])))).toEqual([0, 255]);
    expect(halfToNumber(numberToHalf(0.5))).toBe(0.5);
    expect(grey(toRGBA(row('float16', [0, 0.5, 1])))).toEqual([0, 128, 255]);
  });

  it('applies colour maps to grey images: built-in and custom stops', () => {
    const ramp = row('float32', [0, 0.5, 1]);
    expect(toRGBA(ramp, { colorMap: 'viridis' }).getPixel([0, 0])).toEqual([0x44, 0x01, 0x54, 255]);
    expect(toRGBA(ramp, { colorMap: 'viridis' }).getPixel([2, 0])).toEqual([0xfd, 0xe7, 0x25, 255]);
    expect(toRGBA(ramp, { colorMap: 'hot' }).getPixel([2, 0])).toEqual([255, 255, 255, 255]);
    expect(
      toRGBA(ramp, {
        colorMap: [
          [255, 0, 0],
          [0, 0, 255],
        ],
      }).getPixel([1, 0]),
    ).toEqual([127, 0, 128, 255]);
  });

  it('shows RGB and RGBA channel by channel, grey + alpha with its alpha, and keeps the geometry', () => {
    const rgb = new Image({ componentType: 'float32', pixelType: 'RGB', size: [1, 1], spacing: [0.5, 2], origin: [3, 4] }).allocate().fill([0, 0.5, 1]);
    const shown = toRGBA(rgb, { range: [0, 1] });
    expect(shown.getPixel([0, 0])).toEqual([0, 128, 255, 255]);
    expect(shown.spacing).toEqual([0.5, 2]);
    expect(shown.origin).toEqual([3, 4]);
    const rgba16 = new Image({ componentType: 'uint16', pixelType: 'RGBA', size: [1, 1] }).allocate().fill([65535, 0, 0, 32768]);
    expect(toRGBA(rgba16, { range: [0, 65535] }).getPixel([0, 0])).toEqual([255, 0, 0, 128]);
    const greyAlpha = new Image({ componentType: 'uint8', pixelType: 'Vector', components: 2, size: [1, 1] }).allocate().fill([50, 100]);
    expect(toRGBA(greyAlpha).getPixel([0, 0])).toEqual([50, 50, 50, 100]);
  });

  it('refuses what it cannot show, saying how to fix it', () => {
    expectErrorCode(() => toRGBA(new Image({ componentType: 'float32', size: [2, 2, 3] }).allocate()), 'ERR_IMAGE_DIMENSION');
    expect(toRGBA(new Image({ componentType: 'float32', size: [2, 2, 1] }).allocate()).size).toEqual([2, 2, 1]);
    expectErrorCode(() => toRGBA(new Image({ componentType: 'float64', pixelType: 'Complex', size: [2, 2] }).allocate()), 'ERR_IMAGE_PIXEL_TYPE');
    expectErrorCode(() => toRGBA(new Image({ componentType: 'float32', pixelType: 'Vector', components: 3, size: [2, 2] }).allocate()), 'ERR_IMAGE_PIXEL_TYPE');
    const image = row('float32', [0, 1]);
    expectErrorCode(() => toRGBA(image, { window: 0, level: 1 }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toRGBA(image, { window: 10 }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toRGBA(image, { range: [1, 1] }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toRGBA(image, { range: [0, 1], window: 1, level: 0 }), 'ERR_IMAGE_OPTIONS_CONFLICT');
    expectErrorCode(() => toRGBA(image, { colorMap: 'jet' as 'hot' }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toRGBA(image, { colorMap: [[0, 0, 0]] }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(
      () => toRGBA(new Image({ componentType: 'uint8', pixelType: 'RGB', size: [1, 1] }).allocate(), { colorMap: 'hot' }),
      'ERR_INVALID_ARGUMENT',
    );
    expectErrorCode(() => toRGBA(null as unknown as Image), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toRGBA(new Image({ size: [2, 2] })), 'ERR_IMAGE_NOT_ALLOCATED');
    const moved = new Uint8ClampedArray(16);
    const overCanvas = imageFromImageData({ data: moved, width: 2, height: 2 });
    structuredClone(moved.buffer, { transfer: [moved.buffer] });
    expectErrorCode(() => toRGBA(overCanvas), 'ERR_BUFFER_DETACHED');
  });
});

describe('imageDataFromImage with conversions', () => {
  it('shows grey, RGB and float images in one call; RGBA bytes without options stay zero-copy', () => {
    const float = row('float32', [0, 1]);
    const shown = imageDataFromImage(float, { colorMap: 'gray' });
    expect(Array.from(shown.data)).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(float.exports).toBe(0); // the conversion is its own memory
    expect(releaseImageData(shown)).toBe(true);
    const rgb = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [1, 1] }).allocate().fill([1, 2, 3]);
    const fromRgb = imageDataFromImage(rgb);
    expect(Array.from(fromRgb.data)).toEqual([1, 2, 3, 255]);
    releaseImageData(fromRgb);
    const rgba = new Image({ componentType: 'uint8', pixelType: 'RGBA', size: [1, 1] }).allocate();
    const shared = imageDataFromImage(rgba);
    expect(shared.data.buffer).toBe(rgba.data.buffer);
    expect(rgba.exports).toBe(1);
    releaseImageData(shared);
    expect(rgba.exports).toBe(0);
  });
});
