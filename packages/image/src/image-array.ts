import {
  BufferFlags,
  getbuffer,
  isCContiguous,
  MemoryView,
  NATIVE_ENDIANNESS,
  releaseBuffer,
  releasebuffer,
  resolveLayout,
  type BufferInfo,
  type Exporter,
} from '@interop/core';
import { componentArray, componentItemsize, componentTypeFromFormat, type ComponentType } from './component-type.js';
import { ImageError } from './errors/image-error.js';
import { attachImageMemory, exportImage, Image, releaseImage, type ImageType } from './image.js';
import { borrowArray } from './internal/borrow.js';
import { resolveComponents, type PixelType } from './pixel-type.js';

/** Options of `arrayViewFromImage` / `arrayFromImage`. */
export interface ArrayFromImageOptions {
  /** Keep ITK's axis order [x, y, z, (components)] (a strided view) instead of NumPy's [z, y, x, (components)]. */
  readonly keepAxes?: boolean;
}

/** The image type to read an array as: ITK python's `ttype`. Missing fields are derived from the array. */
export interface ImageTypeRequest {
  readonly pixelType: PixelType;
  readonly componentType?: ComponentType;
  readonly dimension?: number;
  readonly components?: number;
}

/** Options of `imageViewFromArray` / `imageFromArray`. */
export interface ImageFromArrayOptions {
  /** The last array dimension holds the components of a VariableLengthVector pixel (ITK's `is_vector`). */
  readonly isVector?: boolean;
  /** The image type to produce (ITK's `ttype`); excludes `isVector`. */
  readonly ttype?: ImageTypeRequest;
}

/** An exporter of an image in ITK axis order; it counts its exports on the image's own lock. */
class ItkOrderExporter implements Exporter {
  readonly #image: Image;

  constructor(image: Image) {
    this.#image = image;
  }

  [getbuffer](flags: number): BufferInfo {
    return exportImage(this.#image, flags, true);
  }

  [releasebuffer](_info: BufferInfo): void {
    releaseImage(this.#image);
  }
}

/**
 * A zero-copy array view of an image's pixels (ITK python's `array_view_from_image`): NumPy's
 * axis order [z, y, x] (components last), or ITK's [x, y, z] with `keepAxes` as a strided view.
 * The view holds an export of the image: `image.allocate()` / `setRegions()` / `release()` are
 * refused until the view is released.
 *
 * @example
 * ```ts
 * import { Image, arrayViewFromImage } from '@interop/image';
 * const image = new Image({ componentType: 'float32', size: [100, 100, 100] }).allocate();
 * const array = arrayViewFromImage(image);
 * array.shape; // [100, 100, 100]
 * array.release();
 * ```
 * @throws {ImageError} `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
 */
export function arrayViewFromImage(image: Image, options: ArrayFromImageOptions = {}): MemoryView {
  checkImage(image, 'arrayViewFromImage');
  const flags = image.readonly ? BufferFlags.FULL_RO : BufferFlags.FULL;
  return MemoryView.from(options.keepAxes === true ? new ItkOrderExporter(image) : image, flags);
}

/**
 * A copy of an image's pixels as an array (ITK python's `array_from_image`), in NumPy's order or
 * ITK's with `keepAxes`. The copy does not lock the image.
 *
 * @example
 * ```ts
 * import { Image, arrayFromImage } from '@interop/image';
 * const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [4, 3] }).allocate();
 * arrayFromImage(image).shape; // [3, 4, 3]
 * ```
 * @throws {ImageError} `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
 */
export function arrayFromImage(image: Image, options: ArrayFromImageOptions = {}): MemoryView {
  checkImage(image, 'arrayFromImage');
  // The copy is an image of its own, held only by the returned view.
  return arrayViewFromImage(image.clone(), options);
}

/**
 * An image over an array's memory without a copy (ITK python's `image_view_from_array`): the
 * array is read in NumPy's order [z, y, x] (components last for vector pixels). The image holds
 * an export of the array until `image.release()` (or `using`). The array must be C-contiguous,
 * aligned and native-endian; anything else is refused rather than silently copied.
 *
 * @example
 * ```ts
 * import { imageViewFromArray } from '@interop/image';
 * import { MemoryView } from '@interop/core';
 * const array = MemoryView.from(new Float32Array(100 * 100 * 100)).reshape([100, 100, 100]);
 * using image = imageViewFromArray(array);
 * image.size; // [100, 100, 100]
 * ```
 * @throws {ImageError} `ERR_BUFFER_NOT_CONTIGUOUS`, `ERR_BUFFER_MISALIGNED`, `ERR_IMAGE_BYTE_ORDER`, `ERR_IMAGE_OPTIONS_CONFLICT`, `ERR_IMAGE_COMPONENT_TYPE`, `ERR_IMAGE_PIXEL_TYPE`, `ERR_SHAPE_MISMATCH`, `ERR_IMAGE_DIMENSION`.
 * @throws {BufferError} when `obj` cannot be exported.
 */
export function imageViewFromArray(obj: unknown, options: ImageFromArrayOptions = {}): Image {
  checkOptions(options);
  const info = borrowArray(obj, BufferFlags.RECORDS);
  try {
    const layout = resolveLayout(info);
    if (!isCContiguous(layout.shape, layout.strides, layout.itemsize)) {
      throw new ImageError(
        'ERR_BUFFER_NOT_CONTIGUOUS',
        `imageViewFromArray needs a C-contiguous array; this one has shape [${layout.shape.join(', ')}] and strides [${layout.strides.join(', ')}]. Use imageFromArray() to copy it, or MemoryView.copy(array, { order: 'C' }) first.`,
      );
    }
    const derived = deriveImageType(layout.shape, layout.format, options);
    if (derived.endianness !== NATIVE_ENDIANNESS) {
      throw new ImageError(
        'ERR_IMAGE_BYTE_ORDER',
        `The array's format ${JSON.stringify(layout.format)} is ${derived.endianness}-endian; an image view needs native byte order. Use imageFromArray() to copy and swap.`,
      );
    }
    const itemsize = componentItemsize(derived.type.componentType);
    if (layout.byteOffset % itemsize !== 0) {
      throw new ImageError(
        'ERR_BUFFER_MISALIGNED',
        `The array starts at byte ${layout.byteOffset}, not a multiple of its ${itemsize}-byte components; an image view needs aligned memory. Use imageFromArray() to copy it.`,
      );
    }
    const image = new Image({ ...derived.type, size: derived.size });
    const length = image.pixelCount * derived.type.components;
    attachImageMemory(image, componentArray(derived.type.componentType, layout.buffer, layout.byteOffset, length), info, layout.readonly);
    return image;
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

/**
 * An image holding a copy of an array (ITK python's `image_from_array`): any strided layout,
 * byte order or alignment; read in NumPy's order [z, y, x] (components last for vector pixels).
 *
 * @example
 * ```ts
 * import { imageFromArray } from '@interop/image';
 * import { MemoryView } from '@interop/core';
 * const rgb = MemoryView.from(new Uint8Array(2 * 3 * 3)).reshape([2, 3, 3]);
 * imageFromArray(rgb, { ttype: { pixelType: 'RGB' } }).size; // [3, 2]
 * ```
 * @throws {ImageError} `ERR_IMAGE_OPTIONS_CONFLICT`, `ERR_IMAGE_COMPONENT_TYPE`, `ERR_IMAGE_PIXEL_TYPE`, `ERR_SHAPE_MISMATCH`, `ERR_IMAGE_DIMENSION`.
 * @throws {BufferError} when `obj` cannot be exported.
 */
export function imageFromArray(obj: unknown, options: ImageFromArrayOptions = {}): Image {
  checkOptions(options);
  const source = MemoryView.from(obj, BufferFlags.RECORDS_RO);
  try {
    const derived = deriveImageType(source.shape, source.format, options);
    const image = new Image({ ...derived.type, size: derived.size }).allocate();
    const target = arrayViewFromImage(image);
    try {
      // Same kind and size of number on both sides: `convert` only admits spellings such as "l" vs "q"; byte order is swapped.
      source.copyInto(target, { convert: true });
    } finally {
      target.release();
    }
    return image;
  } finally {
    source.release();
  }
}

interface DerivedType {
  readonly type: ImageType;
  /** ITK order. */
  readonly size: number[];
  readonly endianness: 'little' | 'big';
}

/** The image type and size an array of `shape` and `format` describes under ITK python's rules. */
function deriveImageType(shape: readonly number[], format: string, options: ImageFromArrayOptions): DerivedType {
  const { componentType, complex, endianness } = componentTypeFromFormat(format);
  const ndim = shape.length;
  if (ndim === 0) throw new ImageError('ERR_IMAGE_DIMENSION', 'A 0-dimensional array has no pixels grid; give the array at least one dimension.');
  let pixelType: PixelType = complex ? 'Complex' : 'Scalar';
  let componentAxis = false;
  const ttype = options.ttype;
  if (options.isVector === true) {
    pixelType = 'VariableLengthVector';
    componentAxis = true;
  } else if (ttype !== undefined) {
    pixelType = ttype.pixelType;
    if (ttype.componentType !== undefined && ttype.componentType !== componentType) {
      throw new ImageError(
        'ERR_IMAGE_COMPONENT_TYPE',
        `ttype asks for ${ttype.componentType} components but the array's format ${JSON.stringify(format)} holds ${componentType}; cast the array first.`,
      );
    }
    if (complex !== (pixelType === 'Complex')) {
      throw new ImageError(
        'ERR_IMAGE_PIXEL_TYPE',
        `A ${pixelType} image cannot be read from ${complex ? 'a complex' : 'a real'} array of format ${JSON.stringify(format)}.`,
      );
    }
    componentAxis = pixelType !== 'Scalar' && pixelType !== 'Complex';
  }
  if (componentAxis && ndim < 2) {
    throw new ImageError(
      'ERR_IMAGE_DIMENSION',
      `A ${pixelType} image needs the array's last dimension for components plus at least one spatial dimension; the array has ${ndim}.`,
    );
  }
  const dimension = ndim - (componentAxis ? 1 : 0);
  if (ttype?.dimension !== undefined && ttype.dimension !== dimension) {
    throw new ImageError(
      'ERR_IMAGE_DIMENSION',
      `ttype asks for a ${ttype.dimension}-D image but the array of shape [${shape.join(', ')}] gives ${dimension} spatial dimensions.`,
    );
  }
  const found = componentAxis ? shape[ndim - 1]! : complex ? 2 : 1;
  const components = resolveComponents(pixelType, dimension, ttype?.components ?? found);
  if (components !== found) {
    throw new ImageError('ERR_SHAPE_MISMATCH', `A ${pixelType} pixel of this image has ${components} components but the array's last dimension is ${found}.`);
  }
  const size = shape.slice(0, dimension).reverse();
  return { type: { dimension, componentType, pixelType, components }, size, endianness };
}

function checkOptions(options: ImageFromArrayOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new ImageError('ERR_INVALID_ARGUMENT', 'The options must be an object such as { isVector: true } or { ttype: { pixelType: "RGB" } }.');
  const ttype: unknown = options.ttype;
  if (ttype !== undefined && (typeof ttype !== 'object' || ttype === null || Array.isArray(ttype))) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `ttype must be an object such as { pixelType: "RGB" } (or left out); received ${ttype === null ? 'null' : Array.isArray(ttype) ? 'an array' : typeof ttype}.`,
    );
  }
  if (options.isVector === true && options.ttype !== undefined) {
    throw new ImageError(
      'ERR_IMAGE_OPTIONS_CONFLICT',
      'isVector and ttype exclude each other (as in ITK python): give ttype { pixelType: "VariableLengthVector" } or isVector alone.',
    );
  }
}

function checkImage(image: unknown, operation: string): asserts image is Image {
  if (!(image instanceof Image)) throw new ImageError('ERR_INVALID_ARGUMENT', `${operation} takes an Image; received ${typeof image}.`);
}
