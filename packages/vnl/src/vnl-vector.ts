import { assertAttached, ExportLock, exportBuffer, getbuffer, releaseBuffer, releasebuffer, type BufferInfo, type Exporter } from '@interop/core';
import type { VnlData, VnlElementType, VnlInput, VnlValue } from './element-type.js';
import {
  checkCount,
  checkSize,
  emptyError,
  indexError,
  isStorageOf,
  notOrderedError,
  referenceFixedError,
  releasedError,
  sizeMismatch,
  typeMismatch,
} from './internal/checks.js';
import { elementInfo, type AnyData, type ElementInfo } from './internal/element-info.js';
import { addInto, dot, equalWithin, minMax, norms, outerInto, scaleInto, sumAndMean } from './internal/kernels.js';
import { fillValue, formatValue, readValue, toScalar, writeValue, type AnyValue } from './internal/values.js';
import { adoptMatrix, type VnlMatrix } from './vnl-matrix.js';

/** The export a borrowing vector or matrix holds on the memory it views. */
export interface Borrow {
  readonly info: BufferInfo;
  released: boolean;
}

const KIND = 'VnlVector';

// Module-private access to the class's private fields (assigned in its static block), so that
// results and views can be built around existing storage without a public constructor for it.
let adoptVectorImpl: (info: ElementInfo, data: AnyData, borrow: Borrow | null) => VnlVector;
let releaseVectorImpl: (vector: VnlVector, operation: string) => void;

/**
 * A vnl_vector: a resizable run of numeric elements in one TypedArray, exported through the
 * buffer protocol as a 1-D array of shape (size,). Complex elements are stored as interleaved
 * `[re, im]` pairs (formats `Zf` / `Zd`). Integer arithmetic wraps modulo 2^bits, as vnl's C++.
 *
 * @example
 * ```ts
 * import { VnlVector } from '@interop/vnl';
 * const v = VnlVector.from('float64', [3, 4]);
 * console.log(v.twoNorm(), v.toString()); // 5 "3 4"
 * ```
 */
export class VnlVector<T extends VnlElementType = VnlElementType> implements Exporter {
  readonly #info: ElementInfo;
  readonly #lock = new ExportLock();
  #data: AnyData;
  #size: number;
  #borrow: Borrow | null = null;

  /**
   * A vector of `size` elements, zero or `fill`.
   *
   * @throws {VnlError} `ERR_VNL_INVALID_TYPE`, `ERR_VNL_INVALID_SIZE`, `ERR_VALUE_INVALID` (a fill value that does not fit the type).
   */
  constructor(type: T, size = 0, fill?: VnlInput<T>) {
    this.#info = elementInfo(type);
    this.#size = checkCount(this.#info, checkSize(size, 'size', 'new VnlVector'), 'new VnlVector');
    this.#data = this.#info.create(this.#size * this.#info.components);
    if (fill !== undefined) fillValue(this.#info, this.#data, fill, 'new VnlVector');
  }

  static {
    adoptVectorImpl = (info, data, borrow) => {
      // Refs are built here too: the subclass adds only release(), the storage is the base's.

      const vector = borrow === null ? new VnlVector(info.type) : new VnlVectorRef(info.type);
      vector.#data = data;
      vector.#size = data.length / info.components;
      vector.#borrow = borrow;
      return vector;
    };
    releaseVectorImpl = (vector, operation) => vector.#releaseBorrow(operation);
  }

  /**
   * A vector holding `values` (numbers; bigints for int64/uint64; `[re, im]` pairs for complex).
   *
   * @example
   * ```ts
   * import { VnlVector } from '@interop/vnl';
   * const v = VnlVector.from('int64', [1n, 2n, 3n]);
   * console.log(v.sum()); // 6n
   * ```
   * @throws {VnlError} `ERR_VNL_INVALID_TYPE`, `ERR_VALUE_INVALID`.
   */
  static from<T extends VnlElementType>(type: T, values: Iterable<VnlInput<T>> | ArrayLike<VnlInput<T>>): VnlVector<T> {
    const list = Array.from(values as Iterable<VnlInput<T>>);
    const vector = new VnlVector(type, list.length);
    vector.copyIn(list);
    return vector;
  }

  /** The element type. */
  get type(): T {
    return this.#info.type as T;
  }

  /** The PEP 3118 format of one element (`'d'`, `'i'`, `'Zd'`...). */
  get format(): string {
    return this.#info.format;
  }

  /** Bytes per element. */
  get itemsize(): number {
    return this.#info.itemsize;
  }

  /** Number of elements (vnl's `size()`). */
  get size(): number {
    return this.#size;
  }

  /** True when this vector is a view of another object's memory (from `vnlVectorViewFromArray`). */
  get isView(): boolean {
    return this.#borrow !== null;
  }

  /**
   * The storage: a TypedArray over this vector's memory (interleaved pairs for complex). Writes
   * show through; `setSize` replaces it, so do not keep it across a resize.
   *
   * @throws {VnlError} `ERR_BUFFER_RELEASED` for a released view.
   */
  get data(): VnlData<T> {
    this.#assertLive('data');
    return this.#data;
  }

  /**
   * Element `index` (vnl's `get(i)`), bounds-checked.
   *
   * @throws {VnlError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_BUFFER_RELEASED`.
   */
  get(index: number): VnlValue<T> {
    if (!(index >= 0 && index < this.#size && Number.isInteger(index))) this.#badIndex('get', index);
    assertAttached(this.#data.byteLength, this.#size * this.#info.itemsize, KIND, 'get');
    return readValue(this.#info, this.#data, index);
  }

  /**
   * Sets element `index` (vnl's `put(i, v)`); integers wrap, fractions truncate as in C++.
   *
   * @throws {VnlError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_VALUE_INVALID`, `ERR_BUFFER_RELEASED`.
   */
  put(index: number, value: VnlInput<T>): this {
    if (!(index >= 0 && index < this.#size && Number.isInteger(index))) this.#badIndex('put', index);
    assertAttached(this.#data.byteLength, this.#size * this.#info.itemsize, KIND, 'put');
    writeValue(this.#info, this.#data, index, value, 'put');
    return this;
  }

  /**
   * Sets every element to `value`.
   *
   * @throws {VnlError} `ERR_VALUE_INVALID`, `ERR_BUFFER_RELEASED`.
   */
  fill(value: VnlInput<T>): this {
    this.#assertLive('fill');
    fillValue(this.#info, this.#data, value, 'fill');
    return this;
  }

  /**
   * Resizes to `size` elements (vnl's `set_size`). A different size reallocates and zeroes the
   * elements, as vnl does not keep them either; the same size keeps them. Refused while any
   * export of this vector is held, because views would keep the old memory.
   *
   * @example
   * ```ts
   * import { VnlVector } from '@interop/vnl';
   * const v = new VnlVector('float32');
   * v.setSize(8);
   * console.log(v.size); // 8
   * ```
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while exports are held.
   * @throws {VnlError} `ERR_VNL_INVALID_SIZE`, `ERR_NOT_RESIZABLE` (a view of another object's memory).
   */
  setSize(size: number): this {
    this.#lock.assertUnlocked('setSize');
    if (this.#borrow !== null) {
      this.#assertLive('setSize');
      throw referenceFixedError('setSize', KIND);
    }
    const count = checkCount(this.#info, checkSize(size, 'size', 'setSize'), 'setSize');
    if (count !== this.#size) {
      this.#data = this.#info.create(count * this.#info.components);
      this.#size = count;
    } else {
      // The same size keeps the elements, so they must still be there.
      this.#assertLive('setSize');
    }
    return this;
  }

  /**
   * Copies `values` into the vector (vnl's `copy_in`): either element values (length `size`), or
   * a TypedArray of the storage type holding the raw storage (length `data.length`).
   *
   * @throws {VnlError} `ERR_SHAPE_MISMATCH`, `ERR_VALUE_INVALID`, `ERR_BUFFER_RELEASED`.
   */
  copyIn(values: ArrayLike<VnlInput<T>> | VnlData<T>): this {
    this.#assertLive('copyIn');
    const data = this.#data;
    if (isStorageOf(data, values)) {
      if (values.length !== data.length) throw sizeMismatch('copyIn', `${data.length} storage entries`, `${values.length}`);
      (data as unknown as { set(source: ArrayLike<unknown>): void }).set(values);
      return this;
    }
    const list = values as ArrayLike<unknown>;
    if (list.length !== this.#size) throw sizeMismatch('copyIn', `${this.#size} values`, `${list.length}`);
    for (let i = 0; i < this.#size; i++) writeValue(this.#info, data, i, list[i], 'copyIn');
    return this;
  }

  /**
   * Copies the storage out (vnl's `copy_out`): into `target` (a TypedArray of the storage type
   * and length) or a new TypedArray.
   *
   * @throws {VnlError} `ERR_SHAPE_MISMATCH`, `ERR_VNL_TYPE_MISMATCH`, `ERR_BUFFER_RELEASED`.
   */
  copyOut(target?: VnlData<T>): VnlData<T> {
    this.#assertLive('copyOut');
    const data = this.#data;
    if (target === undefined) return this.#info.copy(data);
    if (!isStorageOf(data, target)) throw typeMismatch('copyOut', data.constructor.name, target);
    if (target.length !== data.length) throw sizeMismatch('copyOut', `a target of ${data.length} entries`, `${target.length}`);
    (target as unknown as { set(source: ArrayLike<unknown>): void }).set(data);
    return target;
  }

  /** The elements as a JavaScript array. @throws {VnlError} `ERR_BUFFER_RELEASED`. */
  toArray(): VnlValue<T>[] {
    this.#assertLive('toArray');
    const out = new Array<VnlValue<T>>(this.#size);
    for (let i = 0; i < this.#size; i++) out[i] = readValue(this.#info, this.#data, i);
    return out;
  }

  /** An independent copy (a view copies into owned memory). @throws {VnlError} `ERR_BUFFER_RELEASED`. */
  clone(): VnlVector<T> {
    this.#assertLive('clone');
    return adoptVector(this.#info, this.#info.copy(this.#data), null) as VnlVector<T>;
  }

  /** `this + other`, element-wise. @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_SHAPE_MISMATCH`. */
  add(other: VnlVector<T>): VnlVector<T> {
    const b = this.#operand(other, 'add');
    const out = this.#info.create(this.#data.length);
    addInto(this.#data, b, out, 1);
    return adoptVector(this.#info, out, null) as VnlVector<T>;
  }

  /** `this - other`, element-wise. @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_SHAPE_MISMATCH`. */
  subtract(other: VnlVector<T>): VnlVector<T> {
    const b = this.#operand(other, 'subtract');
    const out = this.#info.create(this.#data.length);
    addInto(this.#data, b, out, -1);
    return adoptVector(this.#info, out, null) as VnlVector<T>;
  }

  /**
   * `this * factor`; for integer types the factor is first converted to the element type, as C++ does.
   *
   * @throws {VnlError} `ERR_VALUE_INVALID`, `ERR_BUFFER_RELEASED`.
   */
  scale(factor: VnlInput<T>): VnlVector<T> {
    this.#assertLive('scale');
    const out = this.#info.create(this.#data.length);
    scaleInto(this.#info, this.#data, toScalar(this.#info, factor, 'scale'), out);
    return adoptVector(this.#info, out, null) as VnlVector<T>;
  }

  /**
   * The dot product `sum(this[i] * other[i])` (vnl's `dot_product`; no conjugation for complex).
   *
   * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_SHAPE_MISMATCH`.
   */
  dot(other: VnlVector<T>): VnlValue<T> {
    const b = this.#operand(other, 'dot');
    return dot(this.#info, this.#data, b);
  }

  /**
   * The outer product, a `size x other.size` matrix (vnl's `outer_product`).
   *
   * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_BUFFER_RELEASED`.
   */
  outer(other: VnlVector<T>): VnlMatrix<T> {
    const b = this.#operand(other, 'outer', false);
    const rows = this.#size;
    const columns = b.length / this.#info.components;
    const out = this.#info.create(checkCount(this.#info, rows * columns, 'outer') * this.#info.components);
    outerInto(this.#info, this.#data, b, out, rows, columns);
    return adoptMatrix(this.#info, out, rows, columns, null) as VnlMatrix<T>;
  }

  /** Sum of magnitudes (vnl's `one_norm`), as float64. @throws {VnlError} `ERR_BUFFER_RELEASED`. */
  oneNorm(): number {
    this.#assertLive('oneNorm');
    return norms(this.#info, this.#data).one;
  }

  /** Euclidean norm (vnl's `two_norm`), as float64. @throws {VnlError} `ERR_BUFFER_RELEASED`. */
  twoNorm(): number {
    this.#assertLive('twoNorm');
    return norms(this.#info, this.#data).two;
  }

  /** Largest magnitude (vnl's `inf_norm`), as float64. @throws {VnlError} `ERR_BUFFER_RELEASED`. */
  infNorm(): number {
    this.#assertLive('infNorm');
    return norms(this.#info, this.#data).inf;
  }

  /** Smallest element (vnl's `min_value`). @throws {VnlError} `ERR_VNL_EMPTY`, `ERR_VNL_TYPE_MISMATCH` (complex). */
  min(): VnlValue<T> {
    return this.#minMax('min').min;
  }

  /** Largest element (vnl's `max_value`). @throws {VnlError} `ERR_VNL_EMPTY`, `ERR_VNL_TYPE_MISMATCH` (complex). */
  max(): VnlValue<T> {
    return this.#minMax('max').max;
  }

  /** Sum of the elements in the element type (integers wrap, as vnl's `sum`). @throws {VnlError} `ERR_BUFFER_RELEASED`. */
  sum(): VnlValue<T> {
    this.#assertLive('sum');
    return sumAndMean(this.#info, this.#data).sum;
  }

  /**
   * Mean of the elements, computed in float64 (a number, or `[re, im]` for complex). Unlike vnl's
   * integer `mean()`, which truncates, integer means are not rounded, as NumPy's.
   *
   * @throws {VnlError} `ERR_VNL_EMPTY`, `ERR_BUFFER_RELEASED`.
   */
  mean(): T extends 'complex64' | 'complex128' ? VnlValue<T> : number {
    this.#assertLive('mean');
    if (this.#size === 0) throw emptyError('mean', 'vector');
    return sumAndMean(this.#info, this.#data).mean as T extends 'complex64' | 'complex128' ? VnlValue<T> : number;
  }

  /**
   * True when `other` has the same type and size and every element differs by at most
   * `tolerance` (vnl's `is_equal`; 0 means exact equality, vnl's `operator==`).
   */
  equals(other: VnlVector<T>, tolerance = 0): boolean {
    if (!(other instanceof VnlVector) || other.type !== this.type || other.size !== this.#size) return false;
    this.#assertLive('equals');
    return equalWithin(this.#info, this.#data, other.data, tolerance);
  }

  /** The elements as vnl's `operator<<` prints them: separated by one space. */
  toString(): string {
    if (this.#borrow?.released === true) return '';
    this.#assertLive('toString');
    const parts = new Array<string>(this.#size);
    for (let i = 0; i < this.#size; i++) parts[i] = formatValue(this.#info, readValue(this.#info, this.#data, i));
    return parts.join(' ');
  }

  /** Exports the elements as a 1-D array of shape (size,), counted on this vector's export lock. */
  [getbuffer](flags: number): BufferInfo {
    this.#assertLive('getbuffer');
    const data = this.#data;
    return exportBuffer(
      this,
      { buffer: data.buffer, byteOffset: data.byteOffset, format: this.#info.format, itemsize: this.#info.itemsize, shape: [this.#size] },
      flags,
      this.#lock,
    );
  }

  /** Ends one export. */
  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }

  #releaseBorrow(operation: string): void {
    const borrow = this.#borrow;
    if (borrow === null || borrow.released) return;
    this.#lock.assertUnlocked(operation);
    borrow.released = true;
    this.#data = this.#info.create(0);
    this.#size = 0;
    releaseBuffer(borrow.info);
  }

  #assertLive(operation: string): void {
    if (this.#borrow?.released === true) throw releasedError(operation, KIND);
    // The storage's buffer may have been transferred or shrunk behind this object's back.
    assertAttached(this.#data.byteLength, this.#size * this.#info.itemsize, KIND, operation);
  }

  #badIndex(operation: string, index: number): never {
    this.#assertLive(operation);
    throw indexError(operation, index, this.#size);
  }

  #operand(other: VnlVector<T>, operation: string, sameSize = true): AnyData {
    this.#assertLive(operation);
    if (!(other instanceof VnlVector)) throw typeMismatch(operation, `a VnlVector<${this.type}>`, other);
    if (other.type !== this.type) throw typeMismatch(operation, `a VnlVector<${this.type}>`, other);
    const data = other.data;
    if (sameSize && other.size !== this.#size) throw sizeMismatch(operation, `a vector of size ${this.#size}`, `size ${other.size}`);
    return data;
  }

  #minMax(operation: string): { min: AnyValue; max: AnyValue } {
    this.#assertLive(operation);
    if (this.#info.components === 2) throw notOrderedError(operation, this.type);
    if (this.#size === 0) throw emptyError(operation, 'vector');
    return minMax(this.#info, this.#data);
  }
}

/**
 * A `VnlVector` over another object's memory (vnl's `vnl_vector_ref`), returned by
 * `vnlVectorViewFromArray`: it holds that object's export until `release()`, cannot be resized,
 * and refuses every access once released.
 *
 * @example
 * ```ts
 * import { vnlVectorViewFromArray } from '@interop/vnl';
 * const array = new Float64Array([1, 2, 3]);
 * using v = vnlVectorViewFromArray(array);
 * v.put(0, 10);
 * console.log(array[0]); // 10
 * ```
 */
export class VnlVectorRef<T extends VnlElementType = VnlElementType> extends VnlVector<T> {
  /**
   * Ends the export of the viewed memory. Idempotent.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while this vector is itself exported.
   */
  release(): void {
    releaseVectorImpl(this, 'release');
  }

  /** Releases at scope exit (`using`). */
  [Symbol.dispose](): void {
    this.release();
  }
}

/** @internal Wraps existing storage in a vector without copying. */
export function adoptVector(info: ElementInfo, data: AnyData, borrow: Borrow | null): VnlVector {
  return adoptVectorImpl(info, data, borrow);
}
