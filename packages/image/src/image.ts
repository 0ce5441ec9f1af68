import {
  allocateBuffer,
  assertAttached,
  BufferError,
  type BufferInfo,
  exportBuffer,
  type Exporter,
  ExportLock,
  fStrides,
  getbuffer,
  halfToNumber,
  numberToHalf,
  releaseBuffer,
  releasebuffer,
} from '@interop/core';
import { assertComponentType, componentArray, componentFormat, componentItemsize, type ComponentArray, type ComponentType } from './component-type.js';
import { ImageError } from './errors/image-error.js';
import { checkDirection, checkVector, identity, invert } from './internal/geometry.js';
import { resolveComponents, type PixelType } from './pixel-type.js';

/** The type of an image, as itk-wasm's `ImageType`: dimension, component type, pixel type, components per pixel. */
export interface ImageType {
  readonly dimension: number;
  readonly componentType: ComponentType;
  readonly pixelType: PixelType;
  readonly components: number;
}

/** An ITK image region: the index of its first pixel and its size, in ITK axis order [x, y, z, ...]. */
export interface ImageRegion {
  readonly index: readonly number[];
  readonly size: readonly number[];
}

/** What `new Image(options)` accepts. Arrays are in ITK axis order [x, y, z, ...]. */
export interface ImageOptions {
  /** Number of spatial dimensions (default: the length of `size`, else 2). */
  readonly dimension?: number;
  /** Default `"float32"`. */
  readonly componentType?: ComponentType;
  /** Default `"Scalar"`. */
  readonly pixelType?: PixelType;
  /** Components per pixel; implied by RGB, RGBA, Complex, CovariantVector, tensors. */
  readonly components?: number;
  /** Region size (default: one pixel along each axis). */
  readonly size?: readonly number[];
  /** Region start index (default zeros). */
  readonly index?: readonly number[];
  /** Physical distance between pixel centres per axis (default ones). */
  readonly spacing?: readonly number[];
  /** Physical position of the pixel at index zero (default zeros). */
  readonly origin?: readonly number[];
  /** Direction cosines: `dimension x dimension`, row-major flat or nested rows (default identity). */
  readonly direction?: readonly number[] | readonly (readonly number[])[];
  /** A name carried along (itk-wasm's `name`). */
  readonly name?: string;
}

/** One pixel's value: a number (bigint for 64-bit integers) for one-component pixels, an array otherwise. */
export type PixelValue = number | bigint | readonly number[] | readonly bigint[];

/** Spacing, origin and direction in NumPy's axis order (reversed: [z, y, x]), alongside `arrayViewFromImage`. */
export interface ArrayGeometry {
  /** The array's shape: reversed size, components last when the pixel has a component axis. */
  readonly shape: readonly number[];
  readonly spacing: readonly number[];
  readonly origin: readonly number[];
  /** Row-major, with rows and columns reversed: `direction[i][j] = itkDirection[d-1-i][d-1-j]`. */
  readonly direction: readonly number[];
}

/** Where an image's pixels live when they belong to someone else's export (views of arrays). */
interface HeldSource {
  readonly info: BufferInfo;
}

const MAX_DIMENSION = 32;

/** Module-private access to an image's memory for the array functions (set in a static block). */
let exportImageLayout: (image: Image, flags: number, keepAxes: boolean) => BufferInfo;
let releaseImageExport: (image: Image) => void;
let adoptMemory: (image: Image, data: ComponentArray, source: BufferInfo | null, readonly: boolean) => void;

/**
 * An ITK-style image: a pixel buffer (ITK order, x fastest, components interleaved) with a type,
 * a region and a physical geometry. It exports its pixels through the buffer protocol in NumPy's
 * convention (C order over [z, y, x], components last), and refuses `allocate` / `setRegions` /
 * `release` while any export is held.
 *
 * @example
 * ```ts
 * import { Image } from '@interop/image';
 * const image = new Image({ componentType: 'float32', size: [100, 100, 100] }).allocate();
 * image.setPixel([1, 2, 3], 5);
 * image.getPixel([1, 2, 3]); // 5
 * ```
 * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_COMPONENT_TYPE`, `ERR_IMAGE_PIXEL_TYPE`, `ERR_IMAGE_GEOMETRY`, `ERR_INVALID_ARGUMENT` for bad options.
 */
export class Image implements Exporter {
  readonly #lock = new ExportLock();
  readonly #type: ImageType;
  /** A name carried along (itk-wasm's `name`). */
  name: string;
  #index: number[];
  #size: number[];
  #spacing: number[];
  #origin: number[];
  #direction: number[];
  #indexToPoint: number[] = [];
  #pointToIndex: number[] = [];
  #data: ComponentArray | null = null;
  /** Bytes `#data` had when it was attached: fewer now means its buffer was transferred or shrank. */
  #dataBytes = 0;
  #readonly = false;
  #source: HeldSource | null = null;
  #released = false;

  static {
    exportImageLayout = (image, flags, keepAxes) => image.#export(flags, keepAxes);
    releaseImageExport = (image) => image.#lock.release();
    adoptMemory = (image, data, source, readonly) => {
      image.#data = data;
      image.#dataBytes = data.byteLength;
      image.#source = source === null ? null : { info: source };
      image.#readonly = readonly;
    };
  }

  constructor(options: ImageOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ImageError('ERR_INVALID_ARGUMENT', 'new Image(options) takes an options object such as { componentType: "float32", size: [64, 64] }.');
    }
    const dimension = options.dimension ?? options.size?.length ?? 2;
    if (!Number.isSafeInteger(dimension) || dimension < 1 || dimension > MAX_DIMENSION) {
      throw new ImageError('ERR_IMAGE_DIMENSION', `dimension must be an integer from 1 to ${MAX_DIMENSION}; received ${String(dimension)}.`);
    }
    const componentType = assertComponentType(options.componentType ?? 'float32');
    const pixelType = options.pixelType ?? 'Scalar';
    const components = resolveComponents(pixelType, dimension, options.components);
    if (pixelType === 'Complex' && componentType !== 'float32' && componentType !== 'float64') {
      throw new ImageError('ERR_IMAGE_COMPONENT_TYPE', `Complex pixels hold float32 or float64 parts; received ${componentType}.`, { details: { pixelType } });
    }
    this.#type = Object.freeze({ dimension, componentType, pixelType, components });
    this.name = options.name ?? '';
    this.#size = checkSize(options.size ?? new Array<number>(dimension).fill(1), dimension, components * componentItemsize(componentType));
    this.#index = checkVector('index', options.index ?? new Array<number>(dimension).fill(0), dimension, { integer: true });
    this.#spacing = checkVector('spacing', options.spacing ?? new Array<number>(dimension).fill(1), dimension, { positive: true });
    this.#origin = checkVector('origin', options.origin ?? new Array<number>(dimension).fill(0), dimension);
    this.#direction = options.direction === undefined ? identity(dimension) : checkDirection(options.direction, dimension);
    this.#updateTransforms();
  }

  /** The image type: dimension, component type, pixel type, components per pixel. */
  get imageType(): ImageType {
    return this.#type;
  }

  /** Number of spatial dimensions. */
  get dimension(): number {
    return this.#type.dimension;
  }

  get componentType(): ComponentType {
    return this.#type.componentType;
  }

  get pixelType(): PixelType {
    return this.#type.pixelType;
  }

  /** Components per pixel. */
  get components(): number {
    return this.#type.components;
  }

  /** Region size in ITK order [x, y, z, ...] (a copy). */
  get size(): number[] {
    return this.#size.slice();
  }

  /** Region start index in ITK order (a copy). */
  get index(): number[] {
    return this.#index.slice();
  }

  /** The buffered (= largest possible) region. */
  get region(): ImageRegion {
    return { index: this.#index.slice(), size: this.#size.slice() };
  }

  /** Pixel spacing in ITK order (a copy). */
  get spacing(): number[] {
    return this.#spacing.slice();
  }

  /** Physical position of index zero, in ITK order (a copy). */
  get origin(): number[] {
    return this.#origin.slice();
  }

  /** Direction cosines, row-major `dimension x dimension` (a copy). */
  get direction(): number[] {
    return this.#direction.slice();
  }

  /** Number of pixels in the region. */
  get pixelCount(): number {
    let count = 1;
    for (const extent of this.#size) count *= extent;
    return count;
  }

  /** True once `allocate()` (or a view/copy constructor) gave the image a pixel buffer. */
  get allocated(): boolean {
    return this.#data !== null;
  }

  /** True when the pixels belong to read-only memory (a view of a read-only array). */
  get readonly(): boolean {
    return this.#readonly;
  }

  /** True after `release()` / dispose. */
  get released(): boolean {
    return this.#released;
  }

  /** True when the pixels are another object's memory held through an export (see `imageViewFromArray`). */
  get isView(): boolean {
    return this.#source !== null;
  }

  /** Number of live exports of the pixel buffer. */
  get exports(): number {
    return this.#lock.exports;
  }

  /**
   * The pixel buffer itself (no copy), ITK order, components interleaved; float16 as raw bits.
   * It bypasses the export lock: prefer `arrayViewFromImage` for views that must stay valid.
   *
   * @throws {ImageError} `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
   */
  get data(): ComponentArray {
    return this.#pixels('data');
  }

  /** True when the pixel has a component axis in array form (more than one component, or a VariableLengthVector). */
  get hasComponentAxis(): boolean {
    const { pixelType, components } = this.#type;
    return pixelType !== 'Complex' && (components > 1 || pixelType === 'VariableLengthVector');
  }

  /**
   * Gives the image a zeroed pixel buffer for its region (ITK's `Allocate`); returns the image.
   * A view of an array lets go of that array and owns new memory.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while an export of the pixels is held.
   * @throws {ImageError} `ERR_BUFFER_RELEASED` after release; `ERR_INVALID_ARGUMENT` when the buffer would exceed 2^53 bytes or the engine cannot allocate it.
   */
  allocate(): this {
    this.#lock.assertUnlocked('allocate');
    this.#assertLive('allocate');
    const length = this.pixelCount * this.#type.components;
    const itemsize = componentItemsize(this.#type.componentType);
    if (!Number.isSafeInteger(length * itemsize)) {
      throw new ImageError('ERR_INVALID_ARGUMENT', `An image of ${this.pixelCount} pixels x ${this.#type.components} components is too large to allocate.`);
    }
    let buffer: ArrayBuffer;
    try {
      buffer = allocateBuffer(length * itemsize);
    } catch (error) {
      // Found by fuzzing: a safe but unallocatable size made the engine throw a plain RangeError.
      throw new ImageError(
        'ERR_INVALID_ARGUMENT',
        `Cannot allocate ${length * itemsize} bytes for an image of ${this.pixelCount} pixels x ${this.#type.components} components: the JavaScript engine refused the allocation. Use a smaller region.`,
        { cause: error },
      );
    }
    this.#dropSource();
    this.#data = componentArray(this.#type.componentType, buffer, 0, length);
    this.#dataBytes = this.#data.byteLength;
    this.#readonly = false;
    return this;
  }

  /**
   * Changes the region (ITK's `SetRegions`). A new size drops the pixel buffer (call `allocate()`
   * again); a new index with the same size keeps the pixels.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while an export of the pixels is held.
   * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_INVALID_ARGUMENT`, `ERR_BUFFER_RELEASED`.
   */
  setRegions(region: ImageRegion | readonly number[]): void {
    this.#lock.assertUnlocked('setRegions');
    this.#assertLive('setRegions');
    const dimension = this.#type.dimension;
    const isRegion = !Array.isArray(region) && typeof region === 'object' && region !== null && 'size' in region;
    const size = checkSize(isRegion ? region.size : region, dimension, this.#type.components * componentItemsize(this.#type.componentType));
    const index = isRegion ? checkVector('index', region.index, dimension, { integer: true }) : new Array<number>(dimension).fill(0);
    const sameSize = size.every((extent, axis) => extent === this.#size[axis]);
    if (!sameSize) {
      this.#dropSource();
      this.#data = null;
    }
    this.#size = size;
    this.#index = index;
  }

  /**
   * Sets the pixel spacing (ITK order).
   *
   * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_GEOMETRY` (non-finite or non-positive spacing).
   */
  setSpacing(spacing: readonly number[]): void {
    this.#spacing = checkVector('spacing', spacing, this.#type.dimension, { positive: true });
    this.#updateTransforms();
  }

  /**
   * Sets the origin (ITK order).
   *
   * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_GEOMETRY`.
   */
  setOrigin(origin: readonly number[]): void {
    this.#origin = checkVector('origin', origin, this.#type.dimension);
    this.#updateTransforms();
  }

  /**
   * Sets the direction cosines (row-major flat, or nested rows).
   *
   * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_GEOMETRY` (singular or non-finite).
   */
  setDirection(direction: readonly number[] | readonly (readonly number[])[]): void {
    this.#direction = checkDirection(direction, this.#type.dimension);
    this.#updateTransforms();
  }

  /**
   * Reads one pixel (ITK index order [x, y, z, ...]).
   *
   * @throws {ImageError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
   */
  getPixel(index: readonly number[]): PixelValue {
    const data = this.#pixels('getPixel');
    const start = this.#offset(index) * this.#type.components;
    if (!this.#vectorValued()) return readComponent(data, this.#type.componentType, start);
    const values: (number | bigint)[] = [];
    for (let c = 0; c < this.#type.components; c++) values.push(readComponent(data, this.#type.componentType, start + c));
    return values as readonly number[] | readonly bigint[];
  }

  /**
   * Writes one pixel (ITK index order).
   *
   * @throws {ImageError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_VALUE_INVALID`, `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
   * @throws {BufferError} `ERR_BUFFER_READONLY` for a view of read-only memory.
   */
  setPixel(index: readonly number[], value: PixelValue): void {
    const data = this.#writablePixels('setPixel');
    const start = this.#offset(index) * this.#type.components;
    const components = this.#pixelComponents(value);
    for (let c = 0; c < components.length; c++) writeComponent(data, this.#type.componentType, start + c, components[c]!);
  }

  /**
   * Sets every pixel to `value` (ITK's `FillBuffer`).
   *
   * @throws {ImageError} `ERR_VALUE_INVALID`, `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
   * @throws {BufferError} `ERR_BUFFER_READONLY` for a view of read-only memory.
   */
  fill(value: PixelValue): this {
    const data = this.#writablePixels('fill');
    const components = this.#pixelComponents(value);
    const count = components.length;
    if (count === 1) {
      writeComponent(data, this.#type.componentType, 0, components[0]!);
      const first = data[0]!;
      (data as { fill(value: number | bigint): unknown }).fill(first);
      return this;
    }
    for (let c = 0; c < count; c++) writeComponent(data, this.#type.componentType, c, components[c]!);
    // Double the filled prefix each time: log2(n) copyWithin calls instead of n pixel writes.
    let filled = count;
    while (filled < data.length) {
      const chunk = Math.min(filled, data.length - filled);
      data.copyWithin(filled, 0, chunk);
      filled += chunk;
    }
    return this;
  }

  /**
   * The physical point of a (continuous) index: `origin + direction * diag(spacing) * index`.
   *
   * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_INVALID_ARGUMENT`.
   */
  transformContinuousIndexToPhysicalPoint(index: readonly number[]): number[] {
    const n = this.#type.dimension;
    const values = checkVector('index', index, n);
    const point = this.#origin.slice();
    for (let row = 0; row < n; row++) {
      let sum = 0;
      for (let column = 0; column < n; column++) sum += this.#indexToPoint[row * n + column]! * values[column]!;
      point[row] = point[row]! + sum;
    }
    return point;
  }

  /**
   * The physical point of an integer index (ITK's `TransformIndexToPhysicalPoint`).
   *
   * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_INVALID_ARGUMENT` (non-integer index).
   */
  transformIndexToPhysicalPoint(index: readonly number[]): number[] {
    return this.transformContinuousIndexToPhysicalPoint(checkVector('index', index, this.#type.dimension, { integer: true }));
  }

  /**
   * The continuous index of a physical point (inverse of `transformContinuousIndexToPhysicalPoint`).
   *
   * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_GEOMETRY` (non-finite point).
   */
  transformPhysicalPointToContinuousIndex(point: readonly number[]): number[] {
    const n = this.#type.dimension;
    const values = checkVector('point', point, n);
    const index = new Array<number>(n).fill(0);
    for (let row = 0; row < n; row++) {
      let sum = 0;
      for (let column = 0; column < n; column++) sum += this.#pointToIndex[row * n + column]! * (values[column]! - this.#origin[column]!);
      index[row] = sum;
    }
    return index;
  }

  /**
   * The index of the pixel whose centre is nearest to a physical point (halves round up, as ITK).
   * The index may lie outside the region; check with `isInside`.
   *
   * @throws {ImageError} `ERR_IMAGE_DIMENSION`, `ERR_IMAGE_GEOMETRY`.
   */
  transformPhysicalPointToIndex(point: readonly number[]): number[] {
    // Round the continuous index, absorbing the rounding error of the inverse so that exact pixel
    // centres (k + 1e-15) never flip to a neighbour.
    return this.transformPhysicalPointToContinuousIndex(point).map((value) => Math.floor(value + 0.5 + 1e-9 * Math.max(1, Math.abs(value))));
  }

  /** True when `index` (ITK order) lies inside the region. */
  isInside(index: readonly number[]): boolean {
    if (index.length !== this.#type.dimension) return false;
    return index.every((value, axis) => Number.isInteger(value) && value >= this.#index[axis]! && value < this.#index[axis]! + this.#size[axis]!);
  }

  /**
   * Spacing, origin and direction in NumPy's axis order, matching the shape of `arrayViewFromImage`.
   *
   * @example
   * ```ts
   * import { Image } from '@interop/image';
   * const image = new Image({ size: [4, 3, 2], spacing: [1, 2, 3] });
   * image.arrayGeometry().spacing; // [3, 2, 1]
   * ```
   */
  arrayGeometry(): ArrayGeometry {
    const n = this.#type.dimension;
    const direction = new Array<number>(n * n);
    for (let row = 0; row < n; row++)
      for (let column = 0; column < n; column++) direction[row * n + column] = this.#direction[(n - 1 - row) * n + (n - 1 - column)]!;
    return { shape: this.#arrayShape(), spacing: this.#spacing.slice().reverse(), origin: this.#origin.slice().reverse(), direction };
  }

  /**
   * A deep copy: same type, region, geometry and name, with its own pixel buffer.
   *
   * @throws {ImageError} `ERR_BUFFER_RELEASED`.
   */
  clone(): Image {
    this.#assertLive('clone');
    const copy = new Image({
      ...this.#type,
      size: this.#size,
      index: this.#index,
      spacing: this.#spacing,
      origin: this.#origin,
      direction: this.#direction,
      name: this.name,
    });
    if (this.#data !== null) {
      // Fresh memory from the allocation seam of @interop/core, then one byte copy.
      const source = this.#pixels('clone');
      const buffer = allocateBuffer(source.byteLength);
      new Uint8Array(buffer).set(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
      adoptMemory(copy, componentArray(this.#type.componentType, buffer, 0, source.length), null, false);
    }
    return copy;
  }

  /**
   * Lets go of the pixels: a view releases the export it holds of its array; an owned buffer is
   * dropped. Every later pixel access throws `ERR_BUFFER_RELEASED`. Idempotent.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while an export of the pixels is held.
   */
  release(): void {
    if (this.#released) return;
    this.#lock.assertUnlocked('release');
    this.#dropSource();
    this.#data = null;
    this.#released = true;
  }

  /** `using image = imageViewFromArray(...)` releases at scope exit. */
  [Symbol.dispose](): void {
    this.release();
  }

  /**
   * Exports the pixels in NumPy's convention: shape [..., z, y, x] plus a trailing component axis
   * when `hasComponentAxis`; complex pixels as `Zf` / `Zd` items.
   *
   * @throws {BufferError} the refusals of `exportBuffer`.
   * @throws {ImageError} `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
   */
  [getbuffer](flags: number): BufferInfo {
    return this.#export(flags, false);
  }

  /** Ends one export. */
  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }

  #export(flags: number, keepAxes: boolean): BufferInfo {
    const data = this.#pixels('getbuffer');
    const { componentType, pixelType, components } = this.#type;
    const complex = pixelType === 'Complex';
    const itemsize = componentItemsize(componentType) * (complex ? 2 : 1);
    const format = (complex ? 'Z' : '') + componentFormat(componentType);
    const componentAxis = this.hasComponentAxis;
    // ITK's buffer: x fastest, then y, ...; components innermost.
    const pixelBytes = componentItemsize(componentType) * components;
    const itkStrides = fStrides(this.#size, pixelBytes);
    let shape: number[];
    let strides: number[];
    if (keepAxes) {
      shape = this.#size.slice();
      strides = itkStrides;
    } else {
      shape = this.#size.slice().reverse();
      strides = itkStrides.reverse();
    }
    if (componentAxis) {
      shape.push(components);
      strides.push(itemsize);
    }
    return exportBuffer(
      this,
      { buffer: data.buffer, byteOffset: data.byteOffset, format, itemsize, shape, strides, readonly: this.#readonly },
      flags,
      this.#lock,
    );
  }

  #arrayShape(): number[] {
    const shape = this.#size.slice().reverse();
    if (this.hasComponentAxis) shape.push(this.#type.components);
    return shape;
  }

  #vectorValued(): boolean {
    return this.#type.components > 1 || this.#type.pixelType === 'VariableLengthVector';
  }

  #pixelComponents(value: PixelValue): (number | bigint)[] {
    const components = this.#type.components;
    const list: unknown[] =
      typeof value === 'number' || typeof value === 'bigint' ? (components === 1 ? [value] : []) : Array.isArray(value) ? (value as unknown[]) : [];
    if (list.length !== components) {
      throw new ImageError(
        'ERR_VALUE_INVALID',
        `A ${this.#type.pixelType} pixel of this image has ${components} component${components === 1 ? '' : 's'}; received ${describeValue(value)}.`,
        {
          details: { components },
        },
      );
    }
    const wide = this.#type.componentType === 'int64' || this.#type.componentType === 'uint64';
    return list.map((entry, position) => {
      if (wide ? typeof entry === 'bigint' || (typeof entry === 'number' && Number.isSafeInteger(entry)) : typeof entry === 'number')
        return entry as number | bigint;
      throw new ImageError(
        'ERR_VALUE_INVALID',
        `Component ${position} must be a ${wide ? 'bigint (or safe integer)' : 'number'} for ${this.#type.componentType} pixels; received ${typeof entry}.`,
        {
          details: { components },
        },
      );
    });
  }

  #offset(index: readonly number[]): number {
    const n = this.#type.dimension;
    if (!Array.isArray(index) || index.length !== n) {
      throw new ImageError('ERR_IMAGE_DIMENSION', `A pixel index of this ${n}-D image needs ${n} entries [x, y, ...]; received ${describeValue(index)}.`);
    }
    let offset = 0;
    let step = 1;
    for (let axis = 0; axis < n; axis++) {
      const relative = (index[axis] as number) - this.#index[axis]!;
      const extent = this.#size[axis]!;
      if (!Number.isInteger(relative) || relative < 0 || relative >= extent) {
        throw new ImageError(
          'ERR_INDEX_OUT_OF_RANGE',
          `Index [${index.join(', ')}] is outside the region (index [${this.#index.join(', ')}], size [${this.#size.join(', ')}]) along axis ${axis}.`,
          { details: { dimension: axis } },
        );
      }
      offset += relative * step;
      step *= extent;
    }
    return offset;
  }

  #pixels(operation: string): ComponentArray {
    this.#assertLive(operation);
    if (this.#data === null) {
      throw new ImageError('ERR_IMAGE_NOT_ALLOCATED', `Cannot ${operation}: the image has no pixel buffer. Call image.allocate() after setting its region.`, {
        details: { operation },
      });
    }
    // The pixel buffer may have been transferred or shrunk behind the image's back.
    assertAttached(this.#data.byteLength, this.#dataBytes, 'Image', operation);
    return this.#data;
  }

  #writablePixels(operation: string): ComponentArray {
    const data = this.#pixels(operation);
    if (this.#readonly) {
      throw new BufferError(
        'ERR_BUFFER_READONLY',
        `Cannot ${operation}: this image views read-only memory. Copy it with imageFromArray() or image.clone() to modify pixels.`,
        {
          details: { operation },
        },
      );
    }
    return data;
  }

  #assertLive(operation: string): void {
    if (this.#released) {
      throw new ImageError('ERR_BUFFER_RELEASED', `Cannot ${operation}: the image was released. Create or copy a new image instead.`, {
        details: { operation },
      });
    }
  }

  #dropSource(): void {
    const source = this.#source;
    this.#source = null;
    if (source !== null) releaseBuffer(source.info);
  }

  #updateTransforms(): void {
    const n = this.#type.dimension;
    const matrix = new Array<number>(n * n);
    for (let row = 0; row < n; row++)
      for (let column = 0; column < n; column++) matrix[row * n + column] = this.#direction[row * n + column]! * this.#spacing[column]!;
    const inverse = invert(matrix, n);
    if (inverse === null) {
      throw new ImageError('ERR_IMAGE_GEOMETRY', 'direction x diag(spacing) is singular; check the direction and spacing.');
    }
    this.#indexToPoint = matrix;
    this.#pointToIndex = inverse;
  }
}

function checkSize(value: unknown, dimension: number, pixelBytes: number): number[] {
  const size = checkVector('size', value, dimension, { integer: true });
  size.forEach((extent, axis) => {
    if (extent < 0) throw new ImageError('ERR_INVALID_ARGUMENT', `size[${axis}] must be >= 0; received ${extent}.`, { details: { dimension: axis } });
  });
  // Every byte stride of the pixel buffer must be addressable, even when another extent is 0
  // (found by fuzzing: size [0, 2^52, 1] made an empty image whose export had unsafe strides).
  let bytes = pixelBytes;
  for (const extent of size) {
    if (extent === 0) continue;
    bytes *= extent;
    if (!Number.isSafeInteger(bytes)) {
      throw new ImageError(
        'ERR_INVALID_ARGUMENT',
        `An image of size [${size.join(', ')}] with ${pixelBytes}-byte pixels has byte strides beyond 2^53 - 1, which no buffer can address; use a smaller size.`,
      );
    }
  }
  return size;
}

function readComponent(data: ComponentArray, componentType: ComponentType, position: number): number | bigint {
  const raw = data[position]!;
  return componentType === 'float16' ? halfToNumber(raw as number) : raw;
}

function writeComponent(data: ComponentArray, componentType: ComponentType, position: number, value: number | bigint): void {
  if (componentType === 'int64' || componentType === 'uint64') {
    (data as BigInt64Array | BigUint64Array)[position] = typeof value === 'bigint' ? value : BigInt(value);
  } else if (componentType === 'float16') {
    (data as Uint16Array)[position] = numberToHalf(value as number);
  } else {
    (data as Float64Array)[position] = value as number;
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}

/** @internal Exports `image` with ITK (`keepAxes`) or NumPy axis order, counted on its lock. */
export function exportImage(image: Image, flags: number, keepAxes: boolean): BufferInfo {
  return exportImageLayout(image, flags, keepAxes);
}

/** @internal Ends an export taken with `exportImage`. */
export function releaseImage(image: Image): void {
  releaseImageExport(image);
}

/** @internal Gives a new image memory: its own (`source` null) or an array's, held through `source`. */
export function attachImageMemory(image: Image, data: ComponentArray, source: BufferInfo | null, readonly: boolean): void {
  adoptMemory(image, data, source, readonly);
}
