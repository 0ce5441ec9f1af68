import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo } from '@interop/core';
import { ImageError } from './errors/image-error.js';
import { attachImageMemory, Image } from './image.js';

/** The shape of a DOM `ImageData`: RGBA bytes, row by row from the top. */
export interface ImageDataLike {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly colorSpace?: string;
}

const heldExports = new WeakMap<object, BufferInfo>();

/**
 * A 2-D RGBA `uint8` image over an `ImageData`'s pixels (no copy): size [width, height], x
 * fastest, y down. The image holds an export of the pixel array until `image.release()`.
 *
 * @example
 * ```ts
 * import { imageFromImageData } from '@interop/image';
 * const pixels = { data: new Uint8ClampedArray(4 * 3 * 2), width: 3, height: 2 };
 * const image = imageFromImageData(pixels);
 * image.setPixel([2, 1], [255, 0, 0, 255]); // also changes pixels.data
 * ```
 * @throws {ImageError} `ERR_IMAGE_SHAPE_MISMATCH` when data is not width x height x 4 bytes; `ERR_IMAGE_INVALID_ARGUMENT`.
 */
export function imageFromImageData(imageData: ImageDataLike): Image {
  const { data, width, height } = (imageData ?? {}) as { data?: unknown; width?: unknown; height?: unknown };
  if (!(data instanceof Uint8ClampedArray) && !(data instanceof Uint8Array)) {
    throw new ImageError('ERR_IMAGE_INVALID_ARGUMENT', 'imageFromImageData takes an ImageData-shaped object { data: Uint8ClampedArray, width, height }.');
  }
  if (typeof width !== 'number' || typeof height !== 'number' || !Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 0 || height < 0 || data.length !== width * height * 4) {
    throw new ImageError('ERR_IMAGE_SHAPE_MISMATCH', `ImageData of ${String(width)} x ${String(height)} needs width x height x 4 bytes of RGBA; data has ${data.length}.`);
  }
  const image = new Image({ componentType: 'uint8', pixelType: 'RGBA', size: [width, height] });
  const info = getBuffer(data, BufferFlags.CONTIG);
  attachImageMemory(image, new Uint8Array(data.buffer, data.byteOffset, data.length), info, false);
  return image;
}

/**
 * An `ImageData` (the DOM class when present, else a plain object of the same shape) over a 2-D
 * RGBA `uint8` image's pixels, without a copy, so a canvas can `putImageData` it directly. The
 * result holds an export of the image (refusing `allocate` / `setRegions`) until
 * `releaseImageData(result)`.
 *
 * @example
 * ```ts
 * import { Image, imageDataFromImage, releaseImageData } from '@interop/image';
 * const image = new Image({ componentType: 'uint8', pixelType: 'RGBA', size: [3, 2] }).allocate();
 * const pixels = imageDataFromImage(image);
 * pixels.width; // 3
 * releaseImageData(pixels);
 * ```
 * @throws {ImageError} `ERR_IMAGE_PIXEL_TYPE` unless the image is 2-D, uint8, 4 components; `ERR_IMAGE_NOT_ALLOCATED`, `ERR_IMAGE_RELEASED`.
 */
export function imageDataFromImage(image: Image): ImageDataLike {
  const { dimension, componentType, components } = image.imageType;
  if (dimension !== 2 || componentType !== 'uint8' || components !== 4) {
    throw new ImageError('ERR_IMAGE_PIXEL_TYPE', `ImageData holds 2-D images of 4 uint8 components (RGBA); this image is ${dimension}-D with ${components} ${componentType} components.`);
  }
  const info = getBuffer(image, BufferFlags.CONTIG);
  const [width, height] = image.size as [number, number];
  const data = new Uint8ClampedArray(info.buffer as ArrayBuffer, info.byteOffset, info.byteLength);
  let result: ImageDataLike;
  const DomImageData = (globalThis as { ImageData?: new (data: Uint8ClampedArray, width: number, height: number) => ImageDataLike }).ImageData;
  try {
    result = DomImageData !== undefined && width > 0 && height > 0 ? new DomImageData(data, width, height) : { data, width, height, colorSpace: 'srgb' };
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
  heldExports.set(result, info);
  return result;
}

/**
 * Ends the export an `imageDataFromImage` result holds, so its image may be reallocated again.
 * Returns false when `imageData` holds none (already released, or not from `imageDataFromImage`).
 */
export function releaseImageData(imageData: ImageDataLike): boolean {
  const info = heldExports.get(imageData);
  if (info === undefined) return false;
  heldExports.delete(imageData);
  releaseBuffer(info);
  return true;
}
