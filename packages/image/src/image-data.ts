import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo } from '@interop/core';
import { ImageError } from './errors/image-error.js';
import { toRGBA, type DisplayOptions } from './display.js';
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
 * @throws {ImageError} `ERR_SHAPE_MISMATCH` when data is not width x height x 4 bytes; `ERR_INVALID_ARGUMENT`.
 */
export function imageFromImageData(imageData: ImageDataLike): Image {
  const { data, width, height } = (imageData ?? {}) as { data?: unknown; width?: unknown; height?: unknown };
  if (!(data instanceof Uint8ClampedArray) && !(data instanceof Uint8Array)) {
    throw new ImageError('ERR_INVALID_ARGUMENT', 'imageFromImageData takes an ImageData-shaped object { data: Uint8ClampedArray, width, height }.');
  }
  if (
    typeof width !== 'number' ||
    typeof height !== 'number' ||
    !Number.isSafeInteger(width) ||
    !Number.isSafeInteger(height) ||
    width < 0 ||
    height < 0 ||
    data.length !== width * height * 4
  ) {
    throw new ImageError(
      'ERR_SHAPE_MISMATCH',
      `ImageData of ${String(width)} x ${String(height)} needs width x height x 4 bytes of RGBA; data has ${data.length}.`,
    );
  }
  const image = new Image({ componentType: 'uint8', pixelType: 'RGBA', size: [width, height] });
  const info = getBuffer(data, BufferFlags.CONTIG);
  attachImageMemory(image, new Uint8Array(data.buffer, data.byteOffset, data.length), info, false);
  return image;
}

/**
 * An `ImageData` (the DOM class when present, else a plain object of the same shape) for a canvas's
 * `putImageData`. A 2-D RGBA `uint8` image without `options` is shared without a copy: the result
 * holds an export of the image (refusing `allocate` / `setRegions`) until
 * `releaseImageData(result)`. Any other image (grey, RGB, float, 16-bit) or any `options`
 * (window/level, range, colour map) goes through `toRGBA` first, into new memory.
 *
 * @example
 * ```ts
 * import { Image, imageDataFromImage, releaseImageData } from '@interop/image';
 * const image = new Image({ componentType: 'uint8', pixelType: 'RGBA', size: [3, 2] }).allocate();
 * const pixels = imageDataFromImage(image);
 * pixels.width; // 3
 * releaseImageData(pixels);
 * ```
 * @throws {ImageError} `toRGBA`'s codes for images it cannot show; `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
 */
export function imageDataFromImage(image: Image, options?: DisplayOptions): ImageDataLike {
  // Anything but an RGBA uint8 image shown as it is goes through toRGBA: a converted copy.
  const source = isRGBA8(image) && options === undefined ? image : toRGBA(image, options);
  const info = getBuffer(source, BufferFlags.CONTIG);
  const [width, height] = source.size as [number, number];
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

function isRGBA8(image: Image): boolean {
  return image instanceof Image && image.dimension === 2 && image.componentType === 'uint8' && image.components === 4;
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
