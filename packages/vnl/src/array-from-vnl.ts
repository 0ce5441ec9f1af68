import { BufferFlags, ExportLock, exportBuffer, getBuffer, getbuffer, releaseBuffer, releasebuffer, type BufferInfo, type Exporter } from '@interop/core';
import type { VnlElementType } from './element-type.js';
import { typeMismatch } from './internal/checks.js';
import { VnlMatrix } from './vnl-matrix.js';
import { VnlVector } from './vnl-vector.js';

/**
 * The array a view or copy function returns: a held export of the elements (release it exactly
 * once with `releaseBuffer`).
 */
export type VnlArray = BufferInfo;

/**
 * A zero-copy 1-D array view of shape (size,) over a vector's elements (ITKBridgeNumPy's
 * `GetArrayFromVnlVector`). Writes through the view change the vector; while the view is held
 * the vector refuses `setSize`.
 *
 * @example
 * ```ts
 * import { releaseBuffer } from '@interop/core';
 * import { VnlVector, arrayViewFromVnlVector } from '@interop/vnl';
 * const vector = new VnlVector('float32');
 * vector.setSize(8);
 * const array = arrayViewFromVnlVector(vector);
 * console.log(array.shape, array.format); // [8] "f"
 * releaseBuffer(array);
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH` when `vector` is not a VnlVector; `ERR_VNL_RELEASED` for a released view.
 */
export function arrayViewFromVnlVector<T extends VnlElementType>(vector: VnlVector<T>): VnlArray {
  if (!(vector instanceof VnlVector)) throw typeMismatch('arrayViewFromVnlVector', 'a VnlVector', vector);
  return getBuffer(vector, BufferFlags.RECORDS);
}

/**
 * A zero-copy 2-D C-contiguous array view of shape (rows, columns) over a matrix's elements
 * (ITKBridgeNumPy's `GetArrayFromVnlMatrix`). While the view is held the matrix refuses `setSize`.
 *
 * @example
 * ```ts
 * import { releaseBuffer } from '@interop/core';
 * import { VnlMatrix, arrayViewFromVnlMatrix } from '@interop/vnl';
 * const matrix = new VnlMatrix('float32');
 * matrix.setSize(3, 4);
 * const array = arrayViewFromVnlMatrix(matrix);
 * console.log(array.shape); // [3, 4]
 * releaseBuffer(array);
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH` when `matrix` is not a VnlMatrix; `ERR_VNL_RELEASED` for a released view.
 */
export function arrayViewFromVnlMatrix<T extends VnlElementType>(matrix: VnlMatrix<T>): VnlArray {
  if (!(matrix instanceof VnlMatrix)) throw typeMismatch('arrayViewFromVnlMatrix', 'a VnlMatrix', matrix);
  return getBuffer(matrix, BufferFlags.RECORDS);
}

/**
 * A zero-copy view of the transpose: shape (columns, rows) with swapped strides over the matrix's
 * row-major memory (NumPy's `a.T`). Holds an export of the matrix until released.
 *
 * @example
 * ```ts
 * import { releaseBuffer } from '@interop/core';
 * import { VnlMatrix, transposedArrayViewFromVnlMatrix } from '@interop/vnl';
 * const matrix = VnlMatrix.fromRows('float64', [[1, 2, 3]]);
 * const t = transposedArrayViewFromVnlMatrix(matrix);
 * console.log(t.shape, t.strides); // [3, 1] [8, 24]
 * releaseBuffer(t);
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH` when `matrix` is not a VnlMatrix.
 */
export function transposedArrayViewFromVnlMatrix<T extends VnlElementType>(matrix: VnlMatrix<T>): VnlArray {
  if (!(matrix instanceof VnlMatrix)) throw typeMismatch('transposedArrayViewFromVnlMatrix', 'a VnlMatrix', matrix);
  return getBuffer(new TransposedMatrix(matrix), BufferFlags.FULL);
}

/**
 * A copy of a vector's elements as a new 1-D array of shape (size,), independent of the vector.
 *
 * @example
 * ```ts
 * import { releaseBuffer } from '@interop/core';
 * import { VnlVector, arrayFromVnlVector } from '@interop/vnl';
 * const array = arrayFromVnlVector(VnlVector.from('int32', [1, 2, 3]));
 * console.log(array.shape); // [3]
 * releaseBuffer(array);
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_VNL_RELEASED`.
 */
export function arrayFromVnlVector<T extends VnlElementType>(vector: VnlVector<T>): VnlArray {
  if (!(vector instanceof VnlVector)) throw typeMismatch('arrayFromVnlVector', 'a VnlVector', vector);
  return getBuffer(vector.clone(), BufferFlags.RECORDS);
}

/**
 * A copy of a matrix's elements as a new C-contiguous 2-D array of shape (rows, columns).
 *
 * @example
 * ```ts
 * import { releaseBuffer } from '@interop/core';
 * import { VnlMatrix, arrayFromVnlMatrix } from '@interop/vnl';
 * const array = arrayFromVnlMatrix(VnlMatrix.identity('float64', 3));
 * console.log(array.shape); // [3, 3]
 * releaseBuffer(array);
 * ```
 * @throws {VnlError} `ERR_VNL_TYPE_MISMATCH`, `ERR_VNL_RELEASED`.
 */
export function arrayFromVnlMatrix<T extends VnlElementType>(matrix: VnlMatrix<T>): VnlArray {
  if (!(matrix instanceof VnlMatrix)) throw typeMismatch('arrayFromVnlMatrix', 'a VnlMatrix', matrix);
  return getBuffer(matrix.clone(), BufferFlags.RECORDS);
}

/** Re-exports a matrix's memory transposed; each of its exports holds one export of the matrix. */
class TransposedMatrix implements Exporter {
  readonly #matrix: VnlMatrix;
  readonly #lock = new ExportLock();

  constructor(matrix: VnlMatrix) {
    this.#matrix = matrix;
  }

  [getbuffer](flags: number): BufferInfo {
    const base = getBuffer(this.#matrix, (flags & BufferFlags.WRITABLE) | BufferFlags.RECORDS_RO);
    try {
      const itemsize = base.itemsize;
      const [rows, columns] = base.shape as [number, number];
      return exportBuffer(
        this,
        { buffer: base.buffer, byteOffset: base.byteOffset, format: base.format ?? 'B', itemsize, shape: [columns, rows], strides: [itemsize, columns * itemsize], readonly: base.readonly, internal: base },
        flags,
        this.#lock,
      );
    } catch (error) {
      releaseBuffer(base);
      throw error;
    }
  }

  [releasebuffer](info: BufferInfo): void {
    this.#lock.release();
    releaseBuffer(info.internal as BufferInfo);
  }
}
