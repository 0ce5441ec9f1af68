import { BufferFlags, MemoryView } from '@interop/core';
import type { VnlElementType } from './element-type.js';
import { typeMismatch } from './internal/checks.js';
import { VnlMatrix } from './vnl-matrix.js';
import { VnlVector } from './vnl-vector.js';

/**
 * The array the view and copy functions return: a core `MemoryView` (shape, strides, format,
 * get/set, slicing, `toTypedArray`...). Release it (or use `using`) when done; a view of a vector
 * or matrix keeps it from reallocating until then.
 */
export type VnlArray = MemoryView;

/**
 * A zero-copy 1-D array view of shape (size,) over a vector's elements (ITKBridgeNumPy's
 * `GetArrayFromVnlVector`). Writes through the view change the vector; while the view is held
 * the vector refuses `setSize`.
 *
 * @example
 * ```ts
 * import { VnlVector, arrayViewFromVnlVector } from '@interop/vnl';
 * const vector = new VnlVector('float32');
 * vector.setSize(8);
 * const array = arrayViewFromVnlVector(vector);
 * array.set(0, 1.5);
 * console.log(array.shape, array.format, vector.get(0)); // [8] "f" 1.5
 * array.release();
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH` when `vector` is not a VnlVector; `ERR_BUFFER_RELEASED` for a released view.
 */
export function arrayViewFromVnlVector<T extends VnlElementType>(vector: VnlVector<T>): VnlArray {
  if (!(vector instanceof VnlVector)) throw typeMismatch('arrayViewFromVnlVector', 'a VnlVector', vector);
  return MemoryView.from(vector, BufferFlags.FULL);
}

/**
 * A zero-copy 2-D C-contiguous array view of shape (rows, columns) over a matrix's elements
 * (ITKBridgeNumPy's `GetArrayFromVnlMatrix`). While the view is held the matrix refuses `setSize`.
 *
 * @example
 * ```ts
 * import { VnlMatrix, arrayViewFromVnlMatrix } from '@interop/vnl';
 * const matrix = new VnlMatrix('float32');
 * matrix.setSize(3, 4);
 * const array = arrayViewFromVnlMatrix(matrix);
 * console.log(array.shape); // [3, 4]
 * array.release();
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH` when `matrix` is not a VnlMatrix; `ERR_BUFFER_RELEASED` for a released view.
 */
export function arrayViewFromVnlMatrix<T extends VnlElementType>(matrix: VnlMatrix<T>): VnlArray {
  if (!(matrix instanceof VnlMatrix)) throw typeMismatch('arrayViewFromVnlMatrix', 'a VnlMatrix', matrix);
  return MemoryView.from(matrix, BufferFlags.FULL);
}

/**
 * A zero-copy view of the transpose: shape (columns, rows) with swapped strides over the matrix's
 * row-major memory (NumPy's `a.T`). Holds an export of the matrix until released.
 *
 * @example
 * ```ts
 * import { VnlMatrix, transposedArrayViewFromVnlMatrix } from '@interop/vnl';
 * const matrix = VnlMatrix.fromRows('float64', [[1, 2, 3]]);
 * const t = transposedArrayViewFromVnlMatrix(matrix);
 * console.log(t.shape, t.strides); // [3, 1] [8, 24]
 * t.release();
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH` when `matrix` is not a VnlMatrix.
 */
export function transposedArrayViewFromVnlMatrix<T extends VnlElementType>(matrix: VnlMatrix<T>): VnlArray {
  if (!(matrix instanceof VnlMatrix)) throw typeMismatch('transposedArrayViewFromVnlMatrix', 'a VnlMatrix', matrix);
  // The transposed view shares the base view's export; releasing the base leaves it held by the
  // transposed view alone, so one release() ends it.
  using base = MemoryView.from(matrix, BufferFlags.FULL);
  return base.transpose();
}

/**
 * A copy of a vector's elements as a new 1-D array of shape (size,), independent of the vector.
 *
 * @example
 * ```ts
 * import { VnlVector, arrayFromVnlVector } from '@interop/vnl';
 * const array = arrayFromVnlVector(VnlVector.from('int32', [1, 2, 3]));
 * console.log(array.shape); // [3]
 * array.release();
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_BUFFER_RELEASED`.
 */
export function arrayFromVnlVector<T extends VnlElementType>(vector: VnlVector<T>): VnlArray {
  if (!(vector instanceof VnlVector)) throw typeMismatch('arrayFromVnlVector', 'a VnlVector', vector);
  return MemoryView.copy(vector);
}

/**
 * A copy of a matrix's elements as a new C-contiguous 2-D array of shape (rows, columns).
 *
 * @example
 * ```ts
 * import { VnlMatrix, arrayFromVnlMatrix } from '@interop/vnl';
 * const array = arrayFromVnlMatrix(VnlMatrix.identity('float64', 3));
 * console.log(array.shape); // [3, 3]
 * array.release();
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_BUFFER_RELEASED`.
 */
export function arrayFromVnlMatrix<T extends VnlElementType>(matrix: VnlMatrix<T>): VnlArray {
  if (!(matrix instanceof VnlMatrix)) throw typeMismatch('arrayFromVnlMatrix', 'a VnlMatrix', matrix);
  return MemoryView.copy(matrix);
}
