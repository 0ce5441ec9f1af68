import { describe, expect, it } from 'vitest';
import { BufferError } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import {
  dictFromImage,
  fromItkWasm,
  Image,
  imageDataFromImage,
  imageFromDict,
  imageFromImageData,
  releaseImageData,
  toItkWasm,
  type ItkWasmImage,
} from '../src/index.js';

function sample(): Image {
  const image = new Image({
    componentType: 'float32',
    pixelType: 'Vector',
    components: 2,
    size: [3, 2, 2],
    index: [1, 2, 3],
    spacing: [0.5, 1.5, 2.5],
    origin: [-1, 2, 5],
    direction: [0, 1, 0, -1, 0, 0, 0, 0, 1],
    name: 'sample',
  }).allocate();
  (image.data as Float32Array).forEach((_, i, data) => (data[i] = i / 4));
  return image;
}

describe('dictFromImage / imageFromDict', () => {
  it('round trips losslessly and shares data by default', () => {
    const image = sample();
    const dict = dictFromImage(image);
    expect(dict).toMatchObject({
      name: 'sample',
      dimension: 3,
      componentType: 'float32',
      pixelType: 'Vector',
      components: 2,
      size: [3, 2, 2],
      index: [1, 2, 3],
    });
    const back = imageFromDict(dict);
    expect(dictFromImage(back)).toEqual(dict);
    expect(back.data.buffer).toBe(image.data.buffer);
    const copy = imageFromDict(dict, { copy: true });
    expect(copy.data.buffer).not.toBe(image.data.buffer);
    expect(Array.from(copy.data as Float32Array)).toEqual(Array.from(image.data as Float32Array));
    // The plain object survives JSON (data aside).
    const json = JSON.parse(JSON.stringify({ ...dict, data: null })) as typeof dict;
    expect(imageFromDict(json).transformIndexToPhysicalPoint([2, 3, 4])).toEqual(image.transformIndexToPhysicalPoint([2, 3, 4]));
  });

  it('keeps float16 and 64-bit data exactly', () => {
    for (const componentType of ['float16', 'int64', 'uint64'] as const) {
      const image = new Image({ componentType, size: [3] }).allocate();
      image.setPixel([1], componentType === 'float16' ? 0.5 : 2n ** 40n);
      const back = imageFromDict(dictFromImage(image), { copy: true });
      expect(back.getPixel([1])).toBe(image.getPixel([1]));
    }
  });

  it('refuses data of the wrong length or type', () => {
    const dict = dictFromImage(sample());
    expectErrorCode(() => imageFromDict({ ...dict, data: new Float32Array(5) }), 'ERR_SHAPE_MISMATCH');
    expectErrorCode(() => imageFromDict({ ...dict, data: new Float64Array(24) }), 'ERR_IMAGE_COMPONENT_TYPE');
  });
});

describe('toItkWasm / fromItkWasm', () => {
  it('shares the pixel buffer and maps geometry and types exactly', () => {
    const image = sample();
    const itkImage = toItkWasm(image);
    expect(itkImage.imageType).toEqual({ dimension: 3, componentType: 'float32', pixelType: 'Vector', components: 2 });
    expect(itkImage.data).toBe(image.data);
    expect(itkImage.spacing).toEqual([0.5, 1.5, 2.5]);
    expect(Array.from(itkImage.direction as Float64Array)).toEqual([0, 1, 0, -1, 0, 0, 0, 0, 1]);
    // itk-wasm images start at index 0: the origin moves to the first pixel.
    expect(itkImage.origin).toEqual(image.transformIndexToPhysicalPoint([1, 2, 3]));
    const back = fromItkWasm(itkImage);
    expect(back.data.buffer).toBe(image.data.buffer);
    expect(back.index).toEqual([0, 0, 0]);
    expect(back.transformIndexToPhysicalPoint([1, 1, 1])).toEqual(image.transformIndexToPhysicalPoint([2, 3, 4]));
    expect(back.getPixel([2, 1, 1])).toEqual(image.getPixel([3, 3, 4]));
    back.setPixel([0, 0, 0], [9, 9]);
    expect(image.getPixel([1, 2, 3])).toEqual([9, 9]);
    back.release();
  });

  it('refuses what itk-wasm cannot hold or describe', () => {
    expectErrorCode(() => toItkWasm(new Image({ componentType: 'float16', size: [2] }).allocate()), 'ERR_IMAGE_COMPONENT_TYPE');
    const valid: ItkWasmImage = toItkWasm(new Image({ componentType: 'int16', size: [2, 2] }).allocate());
    expectErrorCode(() => fromItkWasm({ ...valid, data: new Int16Array(3) }), 'ERR_SHAPE_MISMATCH');
    expectErrorCode(() => fromItkWasm({ ...valid, data: new Float32Array(4) }), 'ERR_IMAGE_COMPONENT_TYPE');
    expectErrorCode(() => fromItkWasm({ ...valid, imageType: { ...valid.imageType, pixelType: 'Unknown' } }), 'ERR_IMAGE_PIXEL_TYPE');
    expect(fromItkWasm({ ...valid, data: null }).allocated).toBe(false);
  });
});

describe('ImageData', () => {
  it('views ImageData pixels as a 2-D RGBA image and back without a copy', () => {
    const imageData = { data: new Uint8ClampedArray(3 * 2 * 4), width: 3, height: 2 };
    const image = imageFromImageData(imageData);
    expect(image.imageType).toEqual({ dimension: 2, componentType: 'uint8', pixelType: 'RGBA', components: 4 });
    expect(image.size).toEqual([3, 2]);
    image.setPixel([2, 1], [255, 128, 0, 255]);
    expect(Array.from(imageData.data.subarray((1 * 3 + 2) * 4, (1 * 3 + 2) * 4 + 4))).toEqual([255, 128, 0, 255]);
    const again = imageDataFromImage(image);
    expect(again.data.buffer).toBe(imageData.data.buffer);
    expect([again.width, again.height]).toEqual([3, 2]);
    expectErrorCode(() => image.allocate(), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(releaseImageData(again)).toBe(true);
    expect(releaseImageData(again)).toBe(false);
    image.release();
  });

  it('refuses images no display can show (complex, volumes) and malformed ImageData', () => {
    expectErrorCode(() => imageDataFromImage(new Image({ componentType: 'float32', pixelType: 'Complex', size: [2, 2] }).allocate()), 'ERR_IMAGE_PIXEL_TYPE');
    expectErrorCode(() => imageDataFromImage(new Image({ componentType: 'uint8', pixelType: 'RGBA', size: [2, 2, 2] }).allocate()), 'ERR_IMAGE_DIMENSION');
    expectErrorCode(() => imageFromImageData({ data: new Uint8ClampedArray(5), width: 1, height: 1 }), 'ERR_SHAPE_MISMATCH');
    expectErrorCode(() => imageFromImageData({ data: [1, 2] as unknown as Uint8ClampedArray, width: 1, height: 1 }), 'ERR_INVALID_ARGUMENT');
  });
});
