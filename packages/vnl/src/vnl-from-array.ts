import {
  BufferFlags,
  copyItems,
  cStrides,
  getBuffer,
  isCContiguous,
  isFContiguous,
  releaseBuffer,
  resolveLayout,
  typedArrayMapping,
  type BufferInfo,
  type Layout,
} from '@interop/core';
import type { VnlElementType } from './element-type.js';
import { VnlError } from './errors/vnl-error.js';
import { checkCount, typeMismatch } from './internal/checks.js';
import { describeFormat, elementInfo, type AnyData, type ElementInfo } from './internal/element-info.js';
import { adoptMatrix, type VnlMatrix, type VnlMatrixRef } from './vnl-matrix.js';
import { adoptVector, type VnlVector, type VnlVectorRef } from './vnl-vector.js';

/**
 * Copies a 1-D array of any layout (contiguous, strided, reversed, indirect, either byte order)
 * into a new `VnlVector` (ITKBridgeNumPy's `GetVnlVectorFromArray`, as a copy). `array` is
 * anything the buffer protocol accepts: a TypedArray, a MemoryView, an exporter. The element type
 * comes from the array's format; pass `type` to insist on one.
 *
 * @example
 * ```ts
 * import { vnlVectorFromArray } from '@interop/vnl';
 * const vector = vnlVectorFromArray(new Float32Array(100));
 * console.log(vector.type, vector.size); // "float32" 100
 * ```
 * @throws {VnlError} `ERR_VNL_DIMENSION_MISMATCH` (not 1-D), `ERR_FORMAT_UNSUPPORTED`, `ERR_VNL_TYPE_MISMATCH` (format is not `type`).
 * @throws {BufferError} whatever `getBuffer` refuses (`ERR_BUFFER_NOT_EXPORTER`...).
 */
export function vnlVectorFromArray<T extends VnlElementType = VnlElementType>(array: unknown, type?: T): VnlVector<T> {
  const info = getBuffer(array, BufferFlags.FULL_RO);
  try {
    const { layout, element } = inspect(info, 1, type, 'vnlVectorFromArray');
    const out = element.create(checkCount(element, layout.shape[0]!, 'vnlVectorFromArray') * element.components);
    readLayout(layout, out);
    return adoptVector(element, out, null) as VnlVector<T>;
  } finally {
    releaseBuffer(info);
  }
}

/**
 * Copies a 2-D array of any layout (C or Fortran order, strided, transposed, indirect rows) into
 * a new row-major `VnlMatrix` (ITKBridgeNumPy's `GetVnlMatrixFromArray`, as a copy).
 *
 * @example
 * ```ts
 * import { MemoryView } from '@interop/core';
 * import { vnlMatrixFromArray } from '@interop/vnl';
 * using flat = MemoryView.from(new Float32Array(100 * 100));
 * using array = flat.reshape([100, 100]);
 * const matrix = vnlMatrixFromArray(array);
 * console.log(matrix.rows, matrix.columns); // 100 100
 * ```
 * @throws {VnlError} `ERR_VNL_DIMENSION_MISMATCH` (not 2-D), `ERR_FORMAT_UNSUPPORTED`, `ERR_VNL_TYPE_MISMATCH`.
 * @throws {BufferError} whatever `getBuffer` refuses.
 */
export function vnlMatrixFromArray<T extends VnlElementType = VnlElementType>(array: unknown, type?: T): VnlMatrix<T> {
  const info = getBuffer(array, BufferFlags.FULL_RO);
  try {
    const { layout, element } = inspect(info, 2, type, 'vnlMatrixFromArray');
    const [rows, columns] = layout.shape as [number, number];
    const out = element.create(checkCount(element, rows * columns, 'vnlMatrixFromArray') * element.components);
    readLayout(layout, out);
    return adoptMatrix(element, out, rows, columns, null) as VnlMatrix<T>;
  } finally {
    releaseBuffer(info);
  }
}

/**
 * A `VnlVector` over the memory of a C-contiguous, writable, native-endian 1-D array, without a
 * copy (vnl's `vnl_vector_ref`; ITKBridgeNumPy's `GetVnlVectorFromArray` shares memory the same
 * way). The vector holds the array's export until `release()` (or `using` scope exit), so the
 * array's owner cannot resize or free the memory meanwhile.
 *
 * @example
 * ```ts
 * import { vnlVectorViewFromArray } from '@interop/vnl';
 * const array = new Float32Array(100);
 * const vector = vnlVectorViewFromArray(array, 'float32');
 * vector.fill(1);
 * console.log(array[99]); // 1
 * vector.release();
 * ```
 * @throws {VnlError} `ERR_VNL_LAYOUT_UNSUPPORTED` (Fortran, strided, indirect, foreign byte order, misaligned: the message names the layout), `ERR_VNL_DIMENSION_MISMATCH`, `ERR_FORMAT_UNSUPPORTED`, `ERR_VNL_TYPE_MISMATCH`.
 * @throws {BufferError} `ERR_BUFFER_READONLY` for read-only arrays; whatever else `getBuffer` refuses.
 */
export function vnlVectorViewFromArray<T extends VnlElementType = VnlElementType>(array: unknown, type?: T): VnlVectorRef<T> {
  const info = getBuffer(array, BufferFlags.FULL);
  try {
    const { layout, element } = inspectForView(info, 1, type, 'vnlVectorViewFromArray');
    const data = element.wrap(layout.buffer, layout.byteOffset, layout.shape[0]! * element.components);
    return adoptVector(element, data, { info, released: false }) as VnlVectorRef<T>;
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

/**
 * A row-major `VnlMatrix` over the memory of a C-contiguous, writable, native-endian 2-D array,
 * without a copy (vnl's `vnl_matrix_ref`). Holds the array's export until `release()`.
 *
 * @example
 * ```ts
 * import { MemoryView } from '@interop/core';
 * import { vnlMatrixViewFromArray } from '@interop/vnl';
 * const pixels = new Float64Array(6);
 * using flat = MemoryView.from(pixels);
 * using array = flat.reshape([2, 3]);
 * using matrix = vnlMatrixViewFromArray(array, 'float64');
 * matrix.put(1, 0, 7);
 * console.log(pixels[3]); // 7
 * ```
 * @throws {VnlError} `ERR_VNL_LAYOUT_UNSUPPORTED` (the message names the layout), `ERR_VNL_DIMENSION_MISMATCH`, `ERR_FORMAT_UNSUPPORTED`, `ERR_VNL_TYPE_MISMATCH`.
 * @throws {BufferError} `ERR_BUFFER_READONLY` for read-only arrays; whatever else `getBuffer` refuses.
 */
export function vnlMatrixViewFromArray<T extends VnlElementType = VnlElementType>(array: unknown, type?: T): VnlMatrixRef<T> {
  const info = getBuffer(array, BufferFlags.FULL);
  try {
    const { layout, element } = inspectForView(info, 2, type, 'vnlMatrixViewFromArray');
    const [rows, columns] = layout.shape as [number, number];
    const data = element.wrap(layout.buffer, layout.byteOffset, rows * columns * element.components);
    return adoptMatrix(element, data, rows, columns, { info, released: false }) as VnlMatrixRef<T>;
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

/**
 * Copies a validated layout of any strides (indirect rows, the other byte order) into row-major
 * storage, through core's strided copy engine.
 */
function readLayout(layout: Layout, out: AnyData): void {
  const target = {
    buffer: out.buffer,
    byteOffset: out.byteOffset,
    shape: layout.shape,
    strides: cStrides(layout.shape, layout.itemsize),
    itemsize: layout.itemsize,
  };
  copyItems(layout, target, { byteSwap: typedArrayMapping(layout.format).byteSwap });
}

interface Inspection {
  readonly layout: Layout;
  readonly element: ElementInfo;
  readonly nativeOrder: boolean;
}

function inspect(info: BufferInfo, ndim: 1 | 2, type: VnlElementType | undefined, operation: string): Inspection {
  const layout = resolveLayout(info);
  const { type: found, nativeOrder } = describeFormat(layout.format);
  if (type !== undefined && elementInfo(type).type !== found) {
    throw typeMismatch(operation, `an array of ${type} (format "${elementInfo(type).format}")`, { type: `${found} (format "${layout.format}")` });
  }
  if (layout.ndim !== ndim) {
    throw new VnlError(
      'ERR_VNL_DIMENSION_MISMATCH',
      `${operation}: expected a ${ndim}-D array (${ndim === 1 ? 'shape (n,)' : 'shape (rows, columns)'}); found ${layout.ndim}-D with shape (${layout.shape.join(', ')}). Reshape the array first (e.g. MemoryView.cast).`,
      { details: { operation, expectedNdim: ndim, ndim: layout.ndim, shape: layout.shape } },
    );
  }
  return { layout, element: elementInfo(found), nativeOrder };
}

function inspectForView(info: BufferInfo, ndim: 1 | 2, type: VnlElementType | undefined, operation: string): Inspection {
  const inspection = inspect(info, ndim, type, operation);
  const { layout, element, nativeOrder } = inspection;
  const problem = viewProblem(layout, element, nativeOrder);
  if (problem !== null) {
    throw new VnlError(
      'ERR_VNL_LAYOUT_UNSUPPORTED',
      `${operation}: a zero-copy view needs a C-contiguous (row-major), aligned, native-endian array; this array is ${problem}. Use ${operation.replace('ViewFromArray', 'FromArray')} to copy it instead.`,
      { details: { operation, layout: problem, shape: layout.shape, strides: layout.strides } },
    );
  }
  return inspection;
}

/** Names what keeps a layout from being viewed in place, or null when it can be. */
function viewProblem(layout: Layout, element: ElementInfo, nativeOrder: boolean): string | null {
  if (layout.suboffsets !== null) return 'indirect (suboffsets: one buffer per row)';
  if (!isCContiguous(layout.shape, layout.strides, layout.itemsize)) {
    if (isFContiguous(layout.shape, layout.strides, layout.itemsize)) return 'Fortran-contiguous (column-major)';
    return `strided (strides (${layout.strides.join(', ')}) for itemsize ${layout.itemsize})`;
  }
  if (!nativeOrder) return `in non-native byte order (format "${layout.format}")`;
  if (layout.byteOffset % element.componentSize !== 0) return `misaligned (byte offset ${layout.byteOffset} is not a multiple of ${element.componentSize})`;
  return null;
}
