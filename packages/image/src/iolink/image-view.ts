import {
  allocateBuffer,
  BufferError,
  type BufferInfo,
  type BufferSource,
  detachedMemoryError,
  exportBuffer,
  type Exporter,
  ExportLock,
  fStrides,
  getbuffer,
  isDetached,
  itemAccessor,
  layoutExtent,
  releaseBuffer,
  releasebuffer,
} from '@interop/core';
import { componentFormat, componentItemsize, type ComponentType } from '../component-type.js';
import { ImageError } from '../errors/image-error.js';
import { dataTypeInfo, type DataTypeId, type DataTypeInfo } from './data-type.js';
import { checkAxes, interpretationAxes, sortAxes, type AxesInterpretation, type ImageAxis } from './image-axis.js';

/** Properties of an allocated view (IOLink's `ImageProperties`, reduced to what the layout needs). */
export interface ImageViewProperties {
  /** What the dimensions mean (default UNKNOWN: order kept as given). */
  readonly axesInterpretation?: AxesInterpretation;
}

/** One element of a view: a number (bigint for 64-bit integers) for scalar data types, an array for `VECn_*`. */
export type ImageViewValue = number | bigint | readonly number[] | readonly bigint[];

/** A dimension of an array export: a view dimension by position, or the components of a vector data type. */
type OrderEntry = number | 'vector';

let exportViewLayout: (view: ImageView, flags: number, order: readonly OrderEntry[]) => BufferInfo;
let releaseViewExport: (view: ImageView) => void;
let createView: (init: ViewInit) => ImageView;

export interface ViewInit {
  readonly buffer: BufferSource;
  readonly byteOffset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly dataType: DataTypeInfo;
  readonly axes: readonly ImageAxis[] | null;
  readonly interpretation: AxesInterpretation;
  readonly readonly: boolean;
  readonly source: BufferInfo | null;
}

/**
 * An IOLink-style in-memory image view: a shape in canonical axis order (COLUMN, ROW, SLICE,
 * CHANNEL, SEQUENCE; or the given order when the interpretation is UNKNOWN), a data type
 * (`VECn_*` types carry a channel inside each element), and strides, over memory it owns or
 * borrows from an array through an export. It exports itself as `toArray` does (NumPy's order).
 *
 * @example
 * ```ts
 * import { ImageView } from '@interop/image/iolink';
 * const view = ImageView.allocate([6, 4], 'VEC3_UINT16');
 * view.shape; // [6, 4]
 * ```
 */
export class ImageView implements Exporter {
  readonly #lock = new ExportLock();
  #buffer: BufferSource;
  #byteOffset: number;
  #shape: number[];
  #strides: number[];
  #dataType: DataTypeInfo;
  #axes: ImageAxis[] | null;
  #interpretation: AxesInterpretation;
  #readonly: boolean;
  #source: BufferInfo | null;
  #released = false;

  static {
    exportViewLayout = (view, flags, order) => view.#export(flags, order);
    releaseViewExport = (view) => view.#lock.release();
    createView = (init) => new ImageView(privateToken, init);
  }

  /** Use `ImageView.allocate`, `fromArray` or `fromArrayWithAxes`. */
  constructor(token: unknown, init: unknown) {
    if (token !== privateToken) {
      throw new ImageError(
        'ERR_INVALID_ARGUMENT',
        'ImageView has no public constructor; use ImageView.allocate(shape, dataType), fromArray(array) or fromArrayWithAxes(array, axes).',
      );
    }
    const state = init as ViewInit;
    this.#buffer = state.buffer;
    this.#byteOffset = state.byteOffset;
    this.#shape = state.shape.slice();
    this.#strides = state.strides.slice();
    this.#dataType = state.dataType;
    this.#axes = state.axes === null ? null : state.axes.slice();
    this.#interpretation = state.interpretation;
    this.#readonly = state.readonly;
    this.#source = state.source;
  }

  /**
   * Allocates a zeroed view (IOLink's `ImageViewFactory.allocate`): memory in canonical order,
   * the first dimension fastest.
   *
   * @example
   * ```ts
   * import { ImageView } from '@interop/image/iolink';
   * const volume = ImageView.allocate([6, 5, 4], 'UINT16', { axesInterpretation: 'VOLUME' });
   * ```
   * @throws {ImageError} `ERR_IMAGE_DATA_TYPE`, `ERR_IMAGE_AXES_INVALID`, `ERR_INVALID_ARGUMENT`.
   */
  static allocate(shape: readonly number[], dataType: DataTypeId, properties: ImageViewProperties = {}): ImageView {
    const info = dataTypeInfo(dataType);
    const interpretation = properties.axesInterpretation ?? 'UNKNOWN';
    const checkedShape = checkShape(shape);
    const axes = interpretationAxes(interpretation, checkedShape.length);
    checkVectorChannel(info, axes);
    const elementBytes = componentItemsize(info.componentType) * info.components;
    const { buffer, strides } = allocateFortran(checkedShape, elementBytes);
    return createView({ buffer, byteOffset: 0, shape: checkedShape, strides, dataType: info, axes, interpretation, readonly: false, source: null });
  }

  /** Dimensions, in canonical order (or as given when UNKNOWN). */
  get shape(): number[] {
    return this.#shape.slice();
  }

  /** Byte strides per dimension, aligned with `shape`. */
  get strides(): number[] {
    return this.#strides.slice();
  }

  /** Number of dimensions (without the channel of a vector data type). */
  get ndim(): number {
    return this.#shape.length;
  }

  get dataType(): DataTypeId {
    return this.#dataType.id;
  }

  get componentType(): ComponentType {
    return this.#dataType.componentType;
  }

  /** Components per element: 1 for scalar data types, n for `VECn_*`. */
  get components(): number {
    return this.#dataType.components;
  }

  get axesInterpretation(): AxesInterpretation {
    return this.#interpretation;
  }

  /** The axis of each dimension (aligned with `shape`), or null when UNKNOWN. */
  get axes(): ImageAxis[] | null {
    return this.#axes === null ? null : this.#axes.slice();
  }

  get readonly(): boolean {
    return this.#readonly;
  }

  /** True when the memory belongs to an array held through an export (`fromArray`). */
  get isView(): boolean {
    return this.#source !== null;
  }

  get released(): boolean {
    return this.#released;
  }

  /** Number of live exports. */
  get exports(): number {
    return this.#lock.exports;
  }

  /**
   * Reads the element at `index` (one entry per dimension of `shape`).
   *
   * @throws {ImageError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_IMAGE_DIMENSION`, `ERR_BUFFER_RELEASED`.
   */
  getValue(index: readonly number[]): ImageViewValue {
    const at = this.#offset(index, 'getValue');
    const view = new DataView(this.#buffer);
    const { componentType, components } = this.#dataType;
    // Components are native-endian numbers (bigints for 64-bit): core's item access by format.
    const accessor = itemAccessor(componentFormat(componentType));
    if (components === 1) return accessor.read(view, at) as number | bigint;
    const values: (number | bigint)[] = [];
    for (let c = 0; c < components; c++) values.push(accessor.read(view, at + c * accessor.itemsize) as number | bigint);
    return values as readonly number[] | readonly bigint[];
  }

  /**
   * Writes the element at `index`.
   *
   * @throws {ImageError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_VALUE_INVALID`, `ERR_IMAGE_DIMENSION`, `ERR_BUFFER_RELEASED`.
   * @throws {BufferError} `ERR_BUFFER_READONLY` for a view of read-only memory.
   */
  setValue(index: readonly number[], value: ImageViewValue): void {
    const at = this.#offset(index, 'setValue');
    if (this.#readonly)
      throw new BufferError('ERR_BUFFER_READONLY', 'Cannot setValue: this view is over read-only memory.', { details: { operation: 'setValue' } });
    const { componentType, components } = this.#dataType;
    const list: unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
    if (list.length !== components || !list.every((entry) => typeof entry === 'number' || typeof entry === 'bigint')) {
      throw new ImageError(
        'ERR_VALUE_INVALID',
        `A ${this.#dataType.id} element has ${components} component${components === 1 ? '' : 's'}; received ${Array.isArray(value) ? `an array of ${list.length}` : typeof value}.`,
      );
    }
    const view = new DataView(this.#buffer);
    const accessor = itemAccessor(componentFormat(componentType));
    // Checked for every component before any is written, so a refused element stays unchanged.
    const scratch = new DataView(new ArrayBuffer(accessor.itemsize * components));
    try {
      list.forEach((entry, c) => accessor.write(scratch, c * accessor.itemsize, entry));
    } catch (error) {
      if (BufferError.isInstance(error) && error.code === 'ERR_VALUE_INVALID') {
        throw new ImageError('ERR_VALUE_INVALID', `A ${componentType} component cannot hold that value: ${error.message}`, {
          cause: error,
          details: { operation: 'setValue' },
        });
      }
      throw error;
    }
    for (let b = 0; b < scratch.byteLength; b++) view.setUint8(at + b, scratch.getUint8(b));
  }

  /**
   * Reallocates with a new shape (IOLink's `setShape`); the content is zeroed.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while an export is held.
   * @throws {ImageError} `ERR_NOT_RESIZABLE` for views of arrays, `ERR_IMAGE_AXES_INVALID`, `ERR_BUFFER_RELEASED`.
   */
  setShape(shape: readonly number[]): void {
    this.#lock.assertUnlocked('setShape');
    this.#reallocate('setShape', checkShape(shape), this.#dataType);
  }

  /**
   * Reallocates with a new data type (IOLink's `setDataType`); the content is zeroed.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while an export is held.
   * @throws {ImageError} `ERR_NOT_RESIZABLE`, `ERR_IMAGE_DATA_TYPE`, `ERR_BUFFER_RELEASED`.
   */
  setDataType(dataType: DataTypeId): void {
    this.#lock.assertUnlocked('setDataType');
    this.#reallocate('setDataType', this.#shape, dataTypeInfo(dataType));
  }

  /**
   * Lets go of the memory (releasing the export of the array a view borrows). Idempotent.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while an export is held.
   */
  release(): void {
    if (this.#released) return;
    this.#lock.assertUnlocked('release');
    const source = this.#source;
    this.#source = null;
    this.#released = true;
    this.#buffer = new ArrayBuffer(0);
    if (source !== null) releaseBuffer(source);
  }

  [Symbol.dispose](): void {
    this.release();
  }

  /**
   * Exports as `toArray(view)`: known axes reversed with CHANNEL last, UNKNOWN in order; the
   * components of a vector data type as a last dimension.
   *
   * @throws {BufferError} the refusals of `exportBuffer`.
   * @throws {ImageError} `ERR_BUFFER_RELEASED`.
   */
  [getbuffer](flags: number): BufferInfo {
    return this.#export(flags, defaultOrder(this.#axes, this.#shape.length, this.#dataType.components));
  }

  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }

  #export(flags: number, order: readonly OrderEntry[]): BufferInfo {
    this.#assertLive('getbuffer');
    const { componentType } = this.#dataType;
    const itemsize = componentItemsize(componentType);
    const shape: number[] = [];
    const strides: number[] = [];
    for (const entry of order) {
      if (entry === 'vector') {
        shape.push(this.#dataType.components);
        strides.push(itemsize);
      } else {
        shape.push(this.#shape[entry]!);
        strides.push(this.#strides[entry]!);
      }
    }
    return exportBuffer(
      this,
      { buffer: this.#buffer, byteOffset: this.#byteOffset, format: componentFormat(componentType), itemsize, shape, strides, readonly: this.#readonly },
      flags,
      this.#lock,
    );
  }

  #reallocate(operation: string, shape: number[], dataType: DataTypeInfo): void {
    this.#assertLive(operation);
    if (this.#source !== null) {
      throw new ImageError(
        'ERR_NOT_RESIZABLE',
        `Cannot ${operation}: this view borrows an array's memory. Allocate a new view with ImageView.allocate() instead.`,
        { details: { operation } },
      );
    }
    const axes = this.#interpretation === 'UNKNOWN' ? null : interpretationAxes(this.#interpretation, shape.length);
    checkVectorChannel(dataType, axes);
    const { buffer, strides } = allocateFortran(shape, componentItemsize(dataType.componentType) * dataType.components);
    this.#buffer = buffer;
    this.#byteOffset = 0;
    this.#shape = shape;
    this.#strides = strides;
    this.#dataType = dataType;
    this.#axes = axes;
  }

  #offset(index: readonly number[], operation: string): number {
    this.#assertLive(operation);
    if (!Array.isArray(index) || index.length !== this.#shape.length) {
      throw new ImageError('ERR_IMAGE_DIMENSION', `An index of this view needs ${this.#shape.length} entries (shape [${this.#shape.join(', ')}]).`, {
        details: { operation },
      });
    }
    let at = this.#byteOffset;
    for (let axis = 0; axis < this.#shape.length; axis++) {
      const value = index[axis] as number;
      if (!Number.isInteger(value) || value < 0 || value >= this.#shape[axis]!) {
        throw new ImageError('ERR_INDEX_OUT_OF_RANGE', `Index [${index.join(', ')}] is outside shape [${this.#shape.join(', ')}] along dimension ${axis}.`, {
          details: { operation, dimension: axis },
        });
      }
      at += value * this.#strides[axis]!;
    }
    return at;
  }

  #assertLive(operation: string): void {
    if (this.#released) throw new ImageError('ERR_BUFFER_RELEASED', `Cannot ${operation}: the view was released.`, { details: { operation } });
    // The memory may have been transferred or shrunk behind the view's back.
    const { componentType, components } = this.#dataType;
    const extent = layoutExtent(this.#shape, this.#strides, componentItemsize(componentType) * components);
    const needed = extent === null ? 0 : this.#byteOffset + extent.high;
    if (needed === 0 ? isDetached(this.#buffer) : this.#buffer.byteLength < needed)
      throw detachedMemoryError(this.#buffer.byteLength, needed, 'ImageView', operation);
  }
}

const privateToken = Symbol('ImageView');

/** The dimensions of `toArray`: known axes reversed with CHANNEL last; UNKNOWN in order; vector components last. */
function defaultOrder(axes: readonly ImageAxis[] | null, ndim: number, components: number): OrderEntry[] {
  const positions = Array.from({ length: ndim }, (_, position) => position);
  let order: OrderEntry[];
  if (axes === null) {
    order = positions;
  } else {
    const channel = axes.indexOf('CHANNEL');
    order = positions.filter((position) => position !== channel).reverse();
    if (channel >= 0) order.push(channel);
  }
  if (components > 1) order.push('vector');
  return order;
}

function checkShape(shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((extent) => Number.isSafeInteger(extent) && (extent as number) >= 0)) {
    throw new ImageError('ERR_INVALID_ARGUMENT', `A view shape is a non-empty array of non-negative integers; received ${JSON.stringify(shape)}.`);
  }
  return (shape as number[]).slice();
}

function checkVectorChannel(dataType: DataTypeInfo, axes: readonly ImageAxis[] | null): void {
  if (dataType.components > 1 && axes?.includes('CHANNEL') === true) {
    throw new ImageError(
      'ERR_IMAGE_DATA_TYPE',
      `A ${dataType.id} element already holds the channels; a multispectral interpretation would add a second CHANNEL dimension. Use a scalar data type or a non-multispectral interpretation.`,
    );
  }
}

function allocateFortran(shape: readonly number[], elementBytes: number): { buffer: ArrayBuffer; strides: number[] } {
  // The non-zero extents are multiplied too (found by fuzzing): an empty shape such as
  // [0, 2^32, 2^31] has a zero size but, in another axis order, byte strides beyond 2^53 that no
  // export can describe.
  let addressable = elementBytes;
  for (const extent of shape) {
    if (extent !== 0) addressable *= extent;
    if (!Number.isSafeInteger(addressable)) throw new ImageError('ERR_INVALID_ARGUMENT', `A view of shape [${shape.join(', ')}] is too large to allocate.`);
  }
  const strides = fStrides(shape, elementBytes);
  const step = shape.reduce((bytes, extent) => bytes * extent, elementBytes);
  let buffer: ArrayBuffer;
  try {
    buffer = allocateBuffer(step);
  } catch (error) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `Cannot allocate ${step} bytes for a view of shape [${shape.join(', ')}]: the JavaScript engine refused the allocation.`,
      { cause: error },
    );
  }
  return { buffer, strides };
}

/** An exporter presenting a view's memory in an explicit dimension order; it counts on the view's lock. */
class OrderedViewExporter implements Exporter {
  readonly #view: ImageView;
  readonly #order: readonly OrderEntry[];

  constructor(view: ImageView, order: readonly OrderEntry[]) {
    this.#view = view;
    this.#order = order;
  }

  [getbuffer](flags: number): BufferInfo {
    return exportViewLayout(this.#view, flags, this.#order);
  }

  [releasebuffer](_info: BufferInfo): void {
    releaseViewExport(this.#view);
  }
}

/**
 * An exporter of `view` with dimensions in `order` (each view axis once; CHANNEL placeable
 * anywhere, and required for `VECn_*` data types). Used by `toArrayWithAxes`.
 *
 * @throws {ImageError} `ERR_IMAGE_AXES_UNKNOWN` when the view's interpretation is UNKNOWN; `ERR_IMAGE_AXES_INVALID` when `order` is not a permutation of its axes.
 */
export function orderedViewExporter(view: ImageView, order: readonly ImageAxis[]): Exporter {
  const axes = view.axes;
  if (axes === null) {
    throw new ImageError(
      'ERR_IMAGE_AXES_UNKNOWN',
      "The view's axes interpretation is UNKNOWN, so its dimensions cannot be reordered by name. Use toArray(view), or create the view with an interpretation.",
    );
  }
  checkAxes(order);
  const vector = view.components > 1;
  const expected = vector ? [...axes, 'CHANNEL' as const] : axes;
  const missing = expected.filter((axis) => !order.includes(axis));
  const extra = order.filter((axis) => !expected.includes(axis));
  if (missing.length > 0 || extra.length > 0) {
    throw new ImageError(
      'ERR_IMAGE_AXES_INVALID',
      `The order must name each axis of the view once: [${sortAxes(expected).join(', ')}]${vector ? ' (CHANNEL for the vector components)' : ''}; received [${order.join(', ')}].`,
    );
  }
  const entries: OrderEntry[] = order.map((axis) => (vector && axis === 'CHANNEL' ? 'vector' : axes.indexOf(axis)));
  return new OrderedViewExporter(view, entries);
}

/** @internal Makes a view over given memory (`fromArray` and `fromArrayWithAxes` over an array's export). */
export function makeImageView(init: ViewInit): ImageView {
  return createView(init);
}
