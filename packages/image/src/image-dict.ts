import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
import { componentArray, type ComponentArray, type ComponentType } from './component-type.js';
import { ImageError } from './errors/image-error.js';
import { attachImageMemory, Image } from './image.js';
import type { PixelType } from './pixel-type.js';

/**
 * An image as a plain object (ITK python's `dict_from_image`): every field needed to rebuild it.
 * Arrays are in ITK order; `direction` is row-major; `data` is the pixel buffer (ITK order,
 * components interleaved, float16 as raw bits) or null when not allocated.
 */
export interface ImageDict {
  readonly name: string;
  readonly dimension: number;
  readonly componentType: ComponentType;
  readonly pixelType: PixelType;
  readonly components: number;
  readonly size: readonly number[];
  readonly index: readonly number[];
  readonly spacing: readonly number[];
  readonly origin: readonly number[];
  readonly direction: readonly number[];
  readonly data: ComponentArray | null;
}

/** Options of `imageFromDict`. */
export interface ImageFromDictOptions {
  /** Copy `data` instead of sharing it (default false: the image views `data`). */
  readonly copy?: boolean;
}

/**
 * The plain-object form of an image; `data` shares the pixel buffer (no copy).
 *
 * @example
 * ```ts
 * import { Image, dictFromImage, imageFromDict } from '@interop/image';
 * const image = new Image({ componentType: 'uint16', size: [4, 3], spacing: [0.5, 2] }).allocate();
 * const dict = dictFromImage(image);
 * imageFromDict(JSON.parse(JSON.stringify({ ...dict, data: null }))).spacing; // [0.5, 2]
 * ```
 * @throws {ImageError} `ERR_BUFFER_RELEASED`.
 */
export function dictFromImage(image: Image): ImageDict {
  if (image.released) throw new ImageError('ERR_BUFFER_RELEASED', 'Cannot describe a released image.');
  return {
    name: image.name,
    ...image.imageType,
    size: image.size,
    index: image.index,
    spacing: image.spacing,
    origin: image.origin,
    direction: image.direction,
    data: image.allocated ? image.data : null,
  };
}

/**
 * Rebuilds an image from its plain-object form (ITK python's `image_from_dict`), sharing `data`
 * unless `copy` is set; the round trip `imageFromDict(dictFromImage(image))` is lossless.
 *
 * @throws {ImageError} `ERR_SHAPE_MISMATCH` (data length), `ERR_IMAGE_COMPONENT_TYPE` (data's array type), and the errors of `new Image`.
 */
export function imageFromDict(dict: ImageDict, options: ImageFromDictOptions = {}): Image {
  if (typeof dict !== 'object' || dict === null) throw new ImageError('ERR_INVALID_ARGUMENT', 'imageFromDict takes the object dictFromImage returns.');
  const image = new Image({
    dimension: dict.dimension,
    componentType: dict.componentType,
    pixelType: dict.pixelType,
    components: dict.components,
    size: dict.size,
    index: dict.index,
    spacing: dict.spacing,
    origin: dict.origin,
    direction: dict.direction,
    name: dict.name,
  });
  const data = dict.data;
  if (data === null || data === undefined) return image;
  const length = image.pixelCount * image.components;
  if (!ArrayBuffer.isView(data) || data.length !== length) {
    throw new ImageError(
      'ERR_SHAPE_MISMATCH',
      `An image of size [${image.size.join(', ')}] x ${image.components} components needs ${length} values; data has ${ArrayBuffer.isView(data) ? data.length : 'none'}.`,
    );
  }
  const expected = componentArray(dict.componentType, new ArrayBuffer(0), 0, 0).constructor;
  if (data.constructor !== expected && !(dict.componentType === 'uint8' && data instanceof Uint8ClampedArray)) {
    throw new ImageError(
      'ERR_IMAGE_COMPONENT_TYPE',
      `${dict.componentType} data must be a ${(expected as { name: string }).name}; received ${data.constructor.name}.`,
    );
  }
  if (options.copy === true) {
    // Export first (found by fuzzing): a detached array must be a typed BufferError, not the
    // TypeError TypedArray.set throws.
    const source = getBuffer(data, BufferFlags.CONTIG_RO);
    try {
      image.allocate();
      (image.data as { set(source: ArrayLike<number | bigint>): void }).set(data);
    } finally {
      releaseBuffer(source);
    }
    return image;
  }
  const info = getBuffer(data, BufferFlags.CONTIG);
  attachImageMemory(image, componentArray(dict.componentType, data.buffer, data.byteOffset, length), info, false);
  return image;
}
