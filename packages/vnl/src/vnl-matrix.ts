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
import { addInto, equalWithin, matrixProduct, matrixVector, minMax, norms, operatorNorms, scaleInto, sumAndMean, transposeInto } from './internal/kernels.js';
import { fillValue, formatValue, readValue, toScalar, writeValue, type AnyValue } from './internal/values.js';
import { adoptVector, VnlVector, type Borrow } from './vnl-vector.js';

const KIND = 'VnlMatrix';

// Module-private access to the class's private fields (assigned in its static block), so that
// results and views can be built around existing storage without a public constructor for it.
let adoptMatrixImpl: (info: ElementInfo, data: AnyData, rows: number, columns: number, borrow: Borrow | null) => VnlMatrix;
let releaseMatrixImpl: (matrix: VnlMatrix, operation: string) => void;

/**
 * A vnl_matrix: `rows x columns` numeric elements stored row-major (as vnl stores them) in one
 * TypedArray, exported through the buffer protocol as a 2-D C-contiguous array of shape
 * (rows, columns). Complex elements are interleaved `[re, im]` pairs. Integer arithmetic wraps
 * modulo 2^bits, as vnl's C++.
 *
 * @example
 * ```ts
 * import { VnlMatrix, VnlVector } from '@interop/vnl';
 * const a = VnlMatrix.fromRows('float64', [[1, 2], [3, 4]]);
 * console.log(a.multiply(VnlVector.from('float64', [1, 1])).toString()); // "3 7"
 * ```
 */
export class VnlMatrix<T extends VnlElementType = VnlElementType> implements Exporter {
  readonly #info: ElementInfo;
  readonly #lock = new ExportLock();
  #data: AnyData;
  #rows: number;
  #columns: number;
  #borrow: Borrow | null = null;

  /**
   * A `rows x columns` matrix, zero or `fill`.
   *
   * @throws {VnlError} `ERR_VNL_INVALID_TYPE`, `ERR_VNL_INVALID_SIZE`, `ERR_VALUE_INVALID`.
   */
  constructor(type: T, rows = 0, columns = 0, fill?: VnlInput<T>) {
    this.#info = elementInfo(type);
    this.#rows = checkSize(rows, 'rows', 'new VnlMatrix');
    this.#columns = checkSize(columns, 'columns', 'new VnlMatrix');
    this.#data = this.#info.create(checkCount(this.#info, this.#rows * this.#columns, 'new VnlMatrix') * this.#info.components);
    if (fill !== undefined) fillValue(this.#info, this.#data, fill, 'new VnlMatrix');
  }

  static {
    adoptMatrixImpl = (info, data, rows, columns, borrow) => {
      const matrix = borrow === null ? new VnlMatrix(info.type) : new VnlMatrixRef(info.type);
      matrix.#data = data;
      matrix.#rows = rows;
      matrix.#columns = columns;
      matrix.#borrow = borrow;
      return matrix;
    };
    releaseMatrixImpl = (matrix, operation) => matrix.#releaseBorrow(operation);
  }

  /**
   * A matrix from an array of equally long rows.
   *
   * @example
   * ```ts
   * import { VnlMatrix } from '@interop/vnl';
   * const m = VnlMatrix.fromRows('int32', [[1, 2, 3], [4, 5, 6]]);
   * console.log(m.rows, m.columns, m.get(1, 2)); // 2 3 6
   * ```
   * @throws {VnlError} `ERR_SHAPE_MISMATCH` (ragged rows), `ERR_VNL_INVALID_TYPE`, `ERR_VALUE_INVALID`.
   */
  static fromRows<T extends VnlElementType>(type: T, rows: ArrayLike<ArrayLike<VnlInput<T>>>): VnlMatrix<T> {
    const count = rows.length;
    const columns = count === 0 ? 0 : rows[0]!.length;
    const matrix = new VnlMatrix(type, count, columns);
    const info = matrix.#info;
    for (let i = 0; i < count; i++) {
      const row = rows[i]!;
      if (row.length !== columns) throw sizeMismatch('fromRows', `rows of ${columns} values`, `row ${i} with ${row.length}`);
      for (let j = 0; j < columns; j++) writeValue(info, matrix.#data, i * columns + j, row[j], 'fromRows');
    }
    return matrix;
  }

  /**
   * The `rows x columns` identity matrix (ones on the diagonal; vnl's `set_identity`).
   *
   * @example
   * ```ts
   * import { VnlMatrix } from '@interop/vnl';
   * console.log(VnlMatrix.identity('float64', 2).toString()); // "1 0 \n0 1 \n"
   * ```
   * @throws {VnlError} `ERR_VNL_INVALID_TYPE`, `ERR_VNL_INVALID_SIZE`.
   */
  static identity<T extends VnlElementType>(type: T, rows: number, columns: number = rows): VnlMatrix<T> {
    const matrix = new VnlMatrix(type, rows, columns);
    const info = matrix.#info;
    const one: AnyValue = info.kind === 'bigint' ? 1n : info.components === 2 ? [1, 0] : 1;
    for (let i = 0; i < Math.min(rows, columns); i++) writeValue(info, matrix.#data, i * columns + i, one, 'identity');
    return matrix;
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

  /** Number of rows. */
  get rows(): number {
    return this.#rows;
  }

  /** Number of columns. */
  get columns(): number {
    return this.#columns;
  }

  /** Number of elements, `rows * columns` (vnl's `size()`). */
  get size(): number {
    return this.#rows * this.#columns;
  }

  /** True when this matrix is a view of another object's memory (from `vnlMatrixViewFromArray`). */
  get isView(): boolean {
    return this.#borrow !== null;
  }

  /**
   * The row-major storage (interleaved pairs for complex). Writes show through; `setSize`
   * replaces it.
   *
   * @throws {VnlError} `ERR_BUFFER_RELEASED` for a released view.
   */
  get data(): VnlData<T> {
    this.#assertLive('data');
    return this.#data;
  }

  /**
   * Element (row, column), bounds-checked.
   *
   * @throws {VnlError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_BUFFER_RELEASED`.
   */
  get(row: number, column: number): VnlValue<T> {
    if (!(row >= 0 && row < this.#rows && Number.isInteger(row) && column >= 0 && column < this.#columns && Number.isInteger(column)))
      this.#badIndex('get', row, column);
    assertAttached(this.#data.byteLength, this.#rows * this.#columns * this.#info.itemsize, KIND, 'get');
    return readValue(this.#info, this.#data, row * this.#columns + column);
  }

  /**
   * Sets element (row, column); integers wrap, fractions truncate as in C++.
   *
   * @throws {VnlError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_VALUE_INVALID`, `ERR_BUFFER_RELEASED`.
   */
  put(row: number, column: number, value: VnlInput<T>): this {
    if (!(row >= 0 && row < this.#rows && Number.isInteger(row) && column >= 0 && column < this.#columns && Number.isInteger(column)))
      this.#badIndex('put', row, column);
    assertAttached(this.#data.byteLength, this.#rows * this.#columns * this.#info.itemsize, KIND, 'put');
    writeValue(this.#info, this.#data, row * this.#columns + column, value, 'put');
    return this;
  }

  /** Sets every element to `value`. @throws {VnlError} `ERR_VALUE_INVALID`, `ERR_BUFFER_RELEASED`. */
  fill(value: VnlInput<T>): this {
    this.#assertLive('fill');
    fillValue(this.#info, this.#data, value, 'fill');
    return this;
  }

  /**
   * Resizes to `rows x columns` (vnl's `set_size`): a different shape reallocates and zeroes, the
   * same shape keeps the elements. Refused while any export of this matrix is held.
   *
   * @example
   * ```ts
   * import { VnlMatrix } from '@interop/vnl';
   * const m = new VnlMatrix('float32');
   * m.setSize(3, 4);
   * console.log(m.rows, m.columns); // 3 4
   * ```
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while exports are held.
   * @throws {VnlError} `ERR_VNL_INVALID_SIZE`, `ERR_NOT_RESIZABLE`.
   */
  setSize(rows: number, columns: number): this {
    this.#lock.assertUnlocked('setSize');
    if (this.#borrow !== null) {
      this.#assertLive('setSize');
      throw referenceFixedError('setSize', KIND);
    }
    const r = checkSize(rows, 'rows', 'setSize');
    const c = checkSize(columns, 'columns', 'setSize');
    if (r !== this.#rows || c !== this.#columns) {
      this.#data = this.#info.create(checkCount(this.#info, r * c, 'setSize') * this.#info.components);
      this.#rows = r;
      this.#columns = c;
    } else {
      // The same size keeps the elements, so they must still be there.
      this.#assertLive('setSize');
    }
    return this;
  }

  /**
   * Copies row-major `values` in (vnl's `copy_in`): element values (length `size`) or a TypedArray
   * of the storage type holding raw storage (length `data.length`).
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
    const size = this.size;
    if (list.length !== size) throw sizeMismatch('copyIn', `${size} values`, `${list.length}`);
    for (let i = 0; i < size; i++) writeValue(this.#info, data, i, list[i], 'copyIn');
    return this;
  }

  /**
   * Copies the row-major storage out (vnl's `copy_out`) into `target` or a new TypedArray.
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

  /** The elements as an array of rows. @throws {VnlError} `ERR_BUFFER_RELEASED`. */
  toArray(): VnlValue<T>[][] {
    this.#assertLive('toArray');
    const out: VnlValue<T>[][] = [];
    for (let i = 0; i < this.#rows; i++) {
      const row = new Array<VnlValue<T>>(this.#columns);
      for (let j = 0; j < this.#columns; j++) row[j] = readValue(this.#info, this.#data, i * this.#columns + j);
      out.push(row);
    }
    return out;
  }

  /** A copy of row `row` (vnl's `get_row`). @throws {VnlError} `ERR_INDEX_OUT_OF_RANGE`. */
  getRow(row: number): VnlVector<T> {
    this.#assertLive('getRow');
    if (!(row >= 0 && row < this.#rows && Number.isInteger(row))) throw indexError('getRow', row, this.#rows, 'row', 0);
    const c = this.#info.components;
    return adoptVector(this.#info, this.#data.slice(row * this.#columns * c, (row + 1) * this.#columns * c), null) as VnlVector<T>;
  }

  /** A copy of column `column` (vnl's `get_column`). @throws {VnlError} `ERR_INDEX_OUT_OF_RANGE`. */
  getColumn(column: number): VnlVector<T> {
    this.#assertLive('getColumn');
    if (!(column >= 0 && column < this.#columns && Number.isInteger(column))) throw indexError('getColumn', column, this.#columns, 'column', 1);
    const vector = new VnlVector(this.type, this.#rows);
    const out = vector.data as unknown as (number | bigint)[];
    const src = this.#data as unknown as (number | bigint)[];
    const c = this.#info.components;
    for (let i = 0; i < this.#rows; i++) {
      const from = (i * this.#columns + column) * c;
      out[i * c] = src[from]!;
      if (c === 2) out[i * c + 1] = src[from + 1]!;
    }
    return vector;
  }

  /** An independent copy. @throws {VnlError} `ERR_BUFFER_RELEASED`. */
  clone(): VnlMatrix<T> {
    this.#assertLive('clone');
    return adoptMatrix(this.#info, this.#info.copy(this.#data), this.#rows, this.#columns, null) as VnlMatrix<T>;
  }

  /**
   * The transpose as a new `columns x rows` matrix (vnl's `transpose()`). For a zero-copy
   * transposed view use `transposedArrayViewFromVnlMatrix`.
   *
   * @throws {VnlError} `ERR_BUFFER_RELEASED`.
   */
  transpose(): VnlMatrix<T> {
    this.#assertLive('transpose');
    const out = this.#info.create(this.#data.length);
    transposeInto(this.#data, this.#rows, this.#columns, this.#info.components, out);
    return adoptMatrix(this.#info, out, this.#columns, this.#rows, null) as VnlMatrix<T>;
  }

  /** `this + other`. @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_SHAPE_MISMATCH`. */
  add(other: VnlMatrix<T>): VnlMatrix<T> {
    const b = this.#sameShape(other, 'add');
    const out = this.#info.create(this.#data.length);
    addInto(this.#data, b, out, 1);
    return adoptMatrix(this.#info, out, this.#rows, this.#columns, null) as VnlMatrix<T>;
  }

  /** `this - other`. @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_SHAPE_MISMATCH`. */
  subtract(other: VnlMatrix<T>): VnlMatrix<T> {
    const b = this.#sameShape(other, 'subtract');
    const out = this.#info.create(this.#data.length);
    addInto(this.#data, b, out, -1);
    return adoptMatrix(this.#info, out, this.#rows, this.#columns, null) as VnlMatrix<T>;
  }

  /** `this * factor` (integers: the factor is first converted to the element type). @throws {VnlError} `ERR_VALUE_INVALID`. */
  scale(factor: VnlInput<T>): VnlMatrix<T> {
    this.#assertLive('scale');
    const out = this.#info.create(this.#data.length);
    scaleInto(this.#info, this.#data, toScalar(this.#info, factor, 'scale'), out);
    return adoptMatrix(this.#info, out, this.#rows, this.#columns, null) as VnlMatrix<T>;
  }

  /**
   * The matrix product `this * other` (a matrix) or `this * x` (a vector), as vnl's `operator*`.
   * Products run in i-k-j order over cache-sized blocks; float32 and narrow integers accumulate
   * in float64 and are stored once; integers wrap modulo 2^bits.
   *
   * @example
   * ```ts
   * import { VnlMatrix } from '@interop/vnl';
   * const a = VnlMatrix.fromRows('float64', [[1, 2], [3, 4]]);
   * console.log(a.multiply(VnlMatrix.identity('float64', 2)).equals(a)); // true
   * ```
   * @throws {VnlError} `ERR_SHAPE_MISMATCH` (columns of this != rows of other / size of x), `ERR_VNL_TYPE_MISMATCH`.
   */
  multiply(other: VnlMatrix<T>): VnlMatrix<T>;
  multiply(other: VnlVector<T>): VnlVector<T>;
  multiply(other: VnlMatrix<T> | VnlVector<T>): VnlMatrix<T> | VnlVector<T> {
    this.#assertLive('multiply');
    if (other instanceof VnlVector) {
      if (other.type !== this.type) throw typeMismatch('multiply', `a VnlVector<${this.type}> or VnlMatrix<${this.type}>`, other);
      const x = other.data;
      if (other.size !== this.#columns)
        throw sizeMismatch('multiply', `a vector of size ${this.#columns} (the columns of a ${this.#rows}x${this.#columns} matrix)`, `size ${other.size}`);
      const out = this.#info.create(this.#rows * this.#info.components);
      matrixVector(this.#info, this.#data, this.#rows, this.#columns, x, out);
      return adoptVector(this.#info, out, null) as VnlVector<T>;
    }
    if (!(other instanceof VnlMatrix) || other.type !== this.type)
      throw typeMismatch('multiply', `a VnlVector<${this.type}> or VnlMatrix<${this.type}>`, other);
    const b = other.data;
    if (other.rows !== this.#columns) {
      throw sizeMismatch(
        'multiply',
        `a matrix with ${this.#columns} rows (the columns of a ${this.#rows}x${this.#columns} matrix)`,
        `${other.rows}x${other.columns}`,
      );
    }
    const p = other.columns;
    const out = this.#info.create(checkCount(this.#info, this.#rows * p, 'multiply') * this.#info.components);
    matrixProduct(this.#info, this.#data, b, out, this.#rows, this.#columns, p);
    return adoptMatrix(this.#info, out, this.#rows, p, null) as VnlMatrix<T>;
  }

  /** Sum of the magnitudes of all elements (vnl's `array_one_norm`), as float64. */
  arrayOneNorm(): number {
    this.#assertLive('arrayOneNorm');
    return norms(this.#info, this.#data).one;
  }

  /** Root of the sum of squared magnitudes (vnl's `array_two_norm`, the Frobenius norm), as float64. */
  arrayTwoNorm(): number {
    this.#assertLive('arrayTwoNorm');
    return norms(this.#info, this.#data).two;
  }

  /** Largest magnitude of any element (vnl's `array_inf_norm`), as float64. */
  arrayInfNorm(): number {
    this.#assertLive('arrayInfNorm');
    return norms(this.#info, this.#data).inf;
  }

  /** The Frobenius norm (vnl's `frobenius_norm`; NumPy's `norm(a, 'fro')`). */
  frobeniusNorm(): number {
    return this.arrayTwoNorm();
  }

  /** The induced 1-norm, the largest column sum of magnitudes (vnl's `operator_one_norm`; NumPy's `norm(a, 1)`). */
  operatorOneNorm(): number {
    this.#assertLive('operatorOneNorm');
    return operatorNorms(this.#info, this.#data, this.#rows, this.#columns).one;
  }

  /** The induced inf-norm, the largest row sum of magnitudes (vnl's `operator_inf_norm`; NumPy's `norm(a, inf)`). */
  operatorInfNorm(): number {
    this.#assertLive('operatorInfNorm');
    return operatorNorms(this.#info, this.#data, this.#rows, this.#columns).inf;
  }

  /** Smallest element (vnl's `min_value`). @throws {VnlError} `ERR_VNL_EMPTY`, `ERR_VNL_TYPE_MISMATCH` (complex). */
  min(): VnlValue<T> {
    return this.#minMax('min').min;
  }

  /** Largest element (vnl's `max_value`). @throws {VnlError} `ERR_VNL_EMPTY`, `ERR_VNL_TYPE_MISMATCH` (complex). */
  max(): VnlValue<T> {
    return this.#minMax('max').max;
  }

  /** Sum of all elements in the element type (integers wrap). */
  sum(): VnlValue<T> {
    this.#assertLive('sum');
    return sumAndMean(this.#info, this.#data).sum;
  }

  /** Mean of all elements in float64 (`[re, im]` for complex). @throws {VnlError} `ERR_VNL_EMPTY`. */
  mean(): T extends 'complex64' | 'complex128' ? VnlValue<T> : number {
    this.#assertLive('mean');
    if (this.size === 0) throw emptyError('mean', 'matrix');
    return sumAndMean(this.#info, this.#data).mean as T extends 'complex64' | 'complex128' ? VnlValue<T> : number;
  }

  /** True when `other` has the same type and shape and every element differs by at most `tolerance` (vnl's `is_equal`). */
  equals(other: VnlMatrix<T>, tolerance = 0): boolean {
    if (!(other instanceof VnlMatrix) || other.type !== this.type || other.rows !== this.#rows || other.columns !== this.#columns) return false;
    this.#assertLive('equals');
    return equalWithin(this.#info, this.#data, other.data, tolerance);
  }

  /** The elements as vnl's `operator<<` prints them: each element followed by a space, each row by a newline. */
  toString(): string {
    if (this.#borrow?.released === true) return '';
    this.#assertLive('toString');
    let text = '';
    for (let i = 0; i < this.#rows; i++) {
      for (let j = 0; j < this.#columns; j++) text += `${formatValue(this.#info, readValue(this.#info, this.#data, i * this.#columns + j))} `;
      text += '\n';
    }
    return text;
  }

  /** Exports the elements as a C-contiguous 2-D array of shape (rows, columns). */
  [getbuffer](flags: number): BufferInfo {
    this.#assertLive('getbuffer');
    const data = this.#data;
    return exportBuffer(
      this,
      { buffer: data.buffer, byteOffset: data.byteOffset, format: this.#info.format, itemsize: this.#info.itemsize, shape: [this.#rows, this.#columns] },
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
    this.#rows = 0;
    this.#columns = 0;
    releaseBuffer(borrow.info);
  }

  #assertLive(operation: string): void {
    if (this.#borrow?.released === true) throw releasedError(operation, KIND);
    // The storage's buffer may have been transferred or shrunk behind this object's back.
    assertAttached(this.#data.byteLength, this.#rows * this.#columns * this.#info.itemsize, KIND, operation);
  }

  #badIndex(operation: string, row: number, column: number): never {
    this.#assertLive(operation);
    if (!(row >= 0 && row < this.#rows && Number.isInteger(row))) throw indexError(operation, row, this.#rows, 'row', 0);
    throw indexError(operation, column, this.#columns, 'column', 1);
  }

  #sameShape(other: VnlMatrix<T>, operation: string): AnyData {
    this.#assertLive(operation);
    if (!(other instanceof VnlMatrix) || other.type !== this.type) throw typeMismatch(operation, `a VnlMatrix<${this.type}>`, other);
    const data = other.data;
    if (other.rows !== this.#rows || other.columns !== this.#columns) {
      throw sizeMismatch(operation, `a ${this.#rows}x${this.#columns} matrix`, `${other.rows}x${other.columns}`);
    }
    return data;
  }

  #minMax(operation: string): { min: AnyValue; max: AnyValue } {
    this.#assertLive(operation);
    if (this.#info.components === 2) throw notOrderedError(operation, this.type);
    if (this.size === 0) throw emptyError(operation, 'matrix');
    return minMax(this.#info, this.#data);
  }
}

/**
 * A `VnlMatrix` over another object's memory (vnl's `vnl_matrix_ref`), returned by
 * `vnlMatrixViewFromArray`: it holds that object's export until `release()`, cannot be resized,
 * and refuses every access once released.
 *
 * @example
 * ```ts
 * import { vnlMatrixViewFromArray } from '@interop/vnl';
 * import { MemoryView } from '@interop/core';
 * const array = new Float64Array(6);
 * using flat = MemoryView.from(array);
 * using rows = flat.reshape([2, 3]);
 * using m = vnlMatrixViewFromArray(rows);
 * m.put(1, 2, 5);
 * console.log(array[5]); // 5
 * ```
 */
export class VnlMatrixRef<T extends VnlElementType = VnlElementType> extends VnlMatrix<T> {
  /**
   * Ends the export of the viewed memory. Idempotent.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while this matrix is itself exported.
   */
  release(): void {
    releaseMatrixImpl(this, 'release');
  }

  /** Releases at scope exit (`using`). */
  [Symbol.dispose](): void {
    this.release();
  }
}

/** @internal Wraps existing row-major storage in a matrix without copying. */
export function adoptMatrix(info: ElementInfo, data: AnyData, rows: number, columns: number, borrow: Borrow | null): VnlMatrix {
  return adoptMatrixImpl(info, data, rows, columns, borrow);
}
