import { getBuffer, BufferFlags, typedArrayForFormat, type BufferInfo } from '@interop/core';
import { componentArray, componentFormat, isComponentType, type ComponentArray, type ComponentType } from './component-type.js';
import { ImageError } from './errors/image-error.js';
import { attachImageMemory, Image, type ImageType } from './image.js';
import { isPixelType, type PixelType } from './pixel-type.js';

/** The TypedArrays itk-wasm stores pixels and directions in: the same set as a component's (`ComponentArray`). */
export type ItkWasmTypedArray = ComponentArray;

/** itk-wasm's component type names (ours without `float16`, which itk-wasm lacks). */
export type ItkWasmComponentType = Exclude<ComponentType, 'float16'>;

/** itk-wasm's pixel type names: ours plus `Unknown`. */
export type ItkWasmPixelType = PixelType | 'Unknown';

/** itk-wasm's image metadata map. */
export type ItkWasmMetadata = Map<string, string | string[] | number | number[] | number[][]>;

/**
 * itk-wasm's `Image`, spelled out field by field (no runtime or type dependency on itk-wasm) so
 * that it is assignable both ways: `toItkWasm(image)` goes straight into `writeImageNode`, and
 * what `readImageNode` returns goes straight into `fromItkWasm`.
 */
export interface ItkWasmImage {
  readonly imageType: {
    readonly dimension: number;
    readonly componentType: ItkWasmComponentType;
    readonly pixelType: ItkWasmPixelType;
    readonly components: number;
  };
  name: string;
  origin: number[];
  spacing: number[];
  /** Row-major `dimension x dimension` direction cosines. */
  direction: ItkWasmTypedArray;
  size: number[];
  metadata: ItkWasmMetadata;
  data: null | ItkWasmTypedArray;
}

/**
 * An itk-wasm `Image` sharing this image's pixel buffer (no copy): the same size, spacing,
 * direction and types. An image whose region does not start at index 0 gets the origin of its
 * first pixel (itk-wasm images always start at 0), so physical positions are kept exactly.
 *
 * @example
 * ```ts
 * import { Image, toItkWasm } from '@interop/image';
 * const image = new Image({ componentType: 'int16', size: [4, 3, 2] }).allocate();
 * const itkImage = toItkWasm(image);
 * itkImage.data === image.data; // true
 * ```
 * @throws {ImageError} `ERR_IMAGE_COMPONENT_TYPE` for float16 (itk-wasm has no float16), `ERR_BUFFER_RELEASED`, `ERR_INVALID_ARGUMENT` (not an Image).
 */
export function toItkWasm(image: Image): ItkWasmImage {
  if (!(image instanceof Image)) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `toItkWasm takes an Image; received ${image === null ? 'null' : typeof image}. For an itk-wasm image use fromItkWasm.`,
      { details: { operation: 'toItkWasm' } },
    );
  }
  const { componentType } = image.imageType;
  if (componentType === 'float16') {
    throw new ImageError('ERR_IMAGE_COMPONENT_TYPE', 'itk-wasm has no float16 component type; convert the image to float32 first.');
  }
  if (image.released) throw new ImageError('ERR_BUFFER_RELEASED', 'Cannot convert a released image to itk-wasm.');
  const origin = image.index.every((value) => value === 0) ? image.origin : image.transformIndexToPhysicalPoint(image.index);
  return {
    imageType: { dimension: image.dimension, componentType, pixelType: image.pixelType, components: image.components },
    name: image.name,
    origin,
    spacing: image.spacing,
    direction: Float64Array.from(image.direction),
    size: image.size,
    metadata: new Map(),
    data: image.allocated ? image.data : null,
  };
}

/**
 * An `Image` over an itk-wasm image's pixel buffer (no copy), with its geometry and types.
 * The image holds an export of the pixel array; `image.release()` lets go of it.
 *
 * @example
 * ```ts no-run
 * import { readImageNode } from '@itk-wasm/image-io';
 * import { fromItkWasm } from '@interop/image';
 * const image = fromItkWasm(await readImageNode('brain.nii.gz'));
 * ```
 * @throws {ImageError} `ERR_IMAGE_COMPONENT_TYPE`, `ERR_IMAGE_PIXEL_TYPE`, `ERR_SHAPE_MISMATCH` (data length), `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_GEOMETRY`, `ERR_INVALID_ARGUMENT` (not an itk-wasm image, or no direction).
 */
export function fromItkWasm(itkImage: ItkWasmImage): Image {
  if (typeof itkImage !== 'object' || itkImage === null || typeof itkImage.imageType !== 'object') {
    throw new ImageError('ERR_INVALID_ARGUMENT', 'fromItkWasm takes an itk-wasm Image ({ imageType, size, spacing, origin, direction, data }).');
  }
  const { dimension, componentType, pixelType, components } = itkImage.imageType;
  if (!isComponentType(componentType) || (componentType as string) === 'float16') {
    throw new ImageError('ERR_IMAGE_COMPONENT_TYPE', `itk-wasm component type ${JSON.stringify(componentType)} is not one this package maps.`);
  }
  if (!isPixelType(pixelType)) throw new ImageError('ERR_IMAGE_PIXEL_TYPE', `itk-wasm pixel type ${JSON.stringify(pixelType)} is not one this package maps.`);
  const direction: unknown = itkImage.direction;
  if (!Array.isArray(direction) && !(ArrayBuffer.isView(direction) && !(direction instanceof DataView))) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `fromItkWasm needs the image's direction (a Float64Array or array of dimension x dimension cosines); received ${direction === null ? 'null' : typeof direction}.`,
      {
        details: { operation: 'fromItkWasm' },
      },
    );
  }
  const type: ImageType = { dimension, componentType, pixelType: pixelType, components };
  const image = new Image({
    ...type,
    size: itkImage.size,
    spacing: itkImage.spacing,
    origin: itkImage.origin,
    direction: Array.from(direction as ArrayLike<unknown>, Number),
    name: itkImage.name,
  });
  const data = itkImage.data;
  if (data === null) return image;
  const expected = typedArrayForFormat(componentFormat(componentType));
  if (!(data instanceof expected) && !(componentType === 'uint8' && data instanceof Uint8ClampedArray)) {
    throw new ImageError(
      'ERR_IMAGE_COMPONENT_TYPE',
      `itk-wasm image of ${componentType} components carries a ${data.constructor.name}; expected ${expected.name}.`,
    );
  }
  const length = image.pixelCount * components;
  if (data.length !== length) {
    // The image's size, not itkImage.size: that may be missing (found by fuzzing: a TypeError here).
    throw new ImageError(
      'ERR_SHAPE_MISMATCH',
      `itk-wasm image of size [${image.size.join(', ')}] x ${components} components needs ${length} values; data has ${data.length}.`,
    );
  }
  const info: BufferInfo = getBuffer(data, BufferFlags.CONTIG);
  const pixels: ComponentArray = componentArray(componentType, data.buffer, data.byteOffset, length);
  attachImageMemory(image, pixels, info, false);
  return image;
}
