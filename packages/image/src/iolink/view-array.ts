// The pair of IOLink's NumpyInterop: an array becomes an ImageView (fromArray, fromArrayWithAxes)
// and an ImageView becomes an array (toArray, toArrayWithAxes), all without a copy.
import { BufferFlags, cStrides, MemoryView, NATIVE_ENDIANNESS, releaseBuffer, type BufferInfo } from '@interop/core';
import { componentItemsize, componentTypeFromFormat } from '../component-type.js';
import { ImageError } from '../errors/image-error.js';
import { borrowArray } from '../internal/borrow.js';
import { dataTypeInfo, dataTypeOf, type DataTypeInfo } from './data-type.js';
import { checkAxes, interpretationAxes, interpretationOfAxes, sortAxes, type AxesInterpretation, type ImageAxis } from './image-axis.js';
import { ImageView, makeImageView, orderedViewExporter } from './image-view.js';

/**
 * A view of an array with a given axis for each of its dimensions, reorganised into canonical
 * order (COLUMN, ROW, SLICE, CHANNEL, SEQUENCE) by strides only: no copy, the array unchanged
 * (IOLink's `NumpyInterop.order_from_numpy_array`). C, Fortran and any strided layout are accepted.
 * The view holds an export of the array until `view.release()`.
 *
 * @example
 * ```ts
 * import { fromArrayWithAxes } from '@interop/image/iolink';
 * import { MemoryView } from '@interop/core';
 * const a = MemoryView.from(new Uint16Array([11, 12, 13, 21, 22, 23])).reshape([2, 3]);
 * const view = fromArrayWithAxes(a, ['ROW', 'COLUMN']);
 * view.shape; // [3, 2]
 * ```
 * @throws {ImageError} `ERR_IMAGE_AXES_INVALID`, `ERR_IMAGE_COMPONENT_TYPE`, `ERR_IMAGE_BYTE_ORDER` (non-native byte order).
 * @throws {BufferError} when `obj` cannot be exported.
 */
export function fromArrayWithAxes(obj: unknown, axes: readonly ImageAxis[]): ImageView {
  checkAxes(axes);
  const info = borrowArray(obj);
  try {
    const shape = arrayShape(info);
    if (axes.length !== shape.length) {
      throw new ImageError(
        'ERR_IMAGE_AXES_INVALID',
        `The array has ${shape.length} dimensions but ${axes.length} axes were given ([${axes.join(', ')}]); give one axis per dimension.`,
      );
    }
    const interpretation = interpretationOfAxes(axes);
    const sorted = sortAxes(axes);
    const strides = layoutStrides(info, shape);
    const permutation = sorted.map((axis) => axes.indexOf(axis));
    return makeImageView({
      buffer: info.buffer,
      byteOffset: info.byteOffset,
      shape: permutation.map((position) => shape[position]!),
      strides: permutation.map((position) => strides[position]!),
      dataType: scalarDataType(info),
      axes: sorted,
      interpretation,
      readonly: info.readonly,
      source: info,
    });
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

/**
 * A view of an array (IOLink's `NumpyInterop.from_numpy_array`). With UNKNOWN (the default) the
 * dimensions keep their order; with an interpretation the array is read in NumPy's convention
 * (T, Z, Y, X, C) and reorganised into canonical order by strides, without a copy.
 *
 * @example
 * ```ts
 * import { fromArray } from '@interop/image/iolink';
 * import { MemoryView } from '@interop/core';
 * const a = MemoryView.from(new Uint16Array([11, 12, 13, 21, 22, 23])).reshape([2, 3]);
 * fromArray(a).shape; // [2, 3]
 * fromArray(a, 'IMAGE').shape; // [3, 2]
 * ```
 * @throws {ImageError} `ERR_IMAGE_AXES_INVALID`, `ERR_IMAGE_COMPONENT_TYPE`, `ERR_IMAGE_BYTE_ORDER`.
 * @throws {BufferError} when `obj` cannot be exported.
 */
export function fromArray(obj: unknown, interpretation: AxesInterpretation = 'UNKNOWN'): ImageView {
  if (interpretation !== 'UNKNOWN') {
    const probe = borrowArray(obj);
    const ndim = probe.shape?.length ?? 1;
    releaseBuffer(probe);
    const axes = interpretationAxes(interpretation, ndim)!;
    const channel = axes.includes('CHANNEL');
    const numpyAxes: ImageAxis[] = axes.filter((axis) => axis !== 'CHANNEL').reverse();
    if (channel) numpyAxes.push('CHANNEL');
    return fromArrayWithAxes(obj, numpyAxes);
  }
  const info = borrowArray(obj);
  try {
    const shape = arrayShape(info);
    return makeImageView({
      buffer: info.buffer,
      byteOffset: info.byteOffset,
      shape,
      strides: layoutStrides(info, shape),
      dataType: scalarDataType(info),
      axes: null,
      interpretation: 'UNKNOWN',
      readonly: info.readonly,
      source: info,
    });
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

/**
 * A zero-copy array of a view (IOLink's `NumpyInterop.to_numpy_array`): known axes in NumPy's
 * order (T, Z, Y, X, C: canonical order reversed, CHANNEL last); UNKNOWN keeps the order. A vector
 * data type adds its components as a last dimension. The array holds an export of the view.
 *
 * @example
 * ```ts
 * import { ImageView, toArray } from '@interop/image/iolink';
 * const volume = ImageView.allocate([12, 4, 6], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' });
 * toArray(volume).shape; // [6, 4, 12, 3]
 * ```
 * @throws {ImageError} `ERR_BUFFER_RELEASED`, `ERR_INVALID_ARGUMENT` (not an ImageView).
 * @throws {BufferError} `ERR_BUFFER_DETACHED` when the view's memory was transferred away.
 */
export function toArray(view: ImageView): MemoryView {
  checkView(view, 'toArray');
  return MemoryView.from(view, view.readonly ? BufferFlags.FULL_RO : BufferFlags.FULL);
}

/**
 * A zero-copy array of a view with its dimensions in an explicit order (IOLink's
 * `NumpyInterop.order_to_numpy_array`): each axis of the view once, and CHANNEL (anywhere) for
 * the components of a vector data type.
 *
 * @example
 * ```ts
 * import { ImageView, toArrayWithAxes } from '@interop/image/iolink';
 * const volume = ImageView.allocate([6, 5, 4], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' });
 * toArrayWithAxes(volume, ['ROW', 'SLICE', 'CHANNEL', 'COLUMN']).shape; // [5, 4, 3, 6]
 * ```
 * @throws {ImageError} `ERR_IMAGE_AXES_UNKNOWN` when the view's interpretation is UNKNOWN; `ERR_IMAGE_AXES_INVALID` when `order` is not a permutation of its axes; `ERR_BUFFER_RELEASED`; `ERR_INVALID_ARGUMENT` (not an ImageView).
 */
export function toArrayWithAxes(view: ImageView, order: readonly ImageAxis[]): MemoryView {
  checkView(view, 'toArrayWithAxes');
  return MemoryView.from(orderedViewExporter(view, order), view.readonly ? BufferFlags.FULL_RO : BufferFlags.FULL);
}

function checkView(view: unknown, operation: string): asserts view is ImageView {
  if (!(view instanceof ImageView)) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `${operation} takes an ImageView (from ImageView.allocate, fromArray or fromArrayWithAxes); received ${view === null ? 'null' : typeof view}.`,
      { details: { operation } },
    );
  }
}

// An export without a shape is a flat run of items of its format (bytes when it has none), laid
// out one after the other, whatever strides or itemsize it also claims. Found by fuzzing: an
// exporter answering shape null with strides [] gave a view without strides, and one answering
// format null with itemsize 2^31 gave a view reaching 2 GiB past its 2-byte buffer.
function flatItemsize(info: BufferInfo): number {
  return componentItemsize(componentTypeFromFormat(info.format ?? 'B').componentType);
}

function arrayShape(info: BufferInfo): number[] {
  if (info.shape !== null) return info.shape.slice();
  const itemsize = flatItemsize(info);
  const count = info.byteLength / itemsize;
  if (!Number.isSafeInteger(count)) {
    throw new ImageError(
      'ERR_SHAPE_MISMATCH',
      `The array exports ${info.byteLength} bytes without a shape: not a whole number of ${itemsize}-byte items of format ${JSON.stringify(info.format ?? 'B')}. Export it with a shape.`,
    );
  }
  return [count];
}

function layoutStrides(info: BufferInfo, shape: readonly number[]): readonly number[] {
  if (info.shape === null) return cStrides(shape, flatItemsize(info));
  return info.strides ?? cStrides(shape, info.itemsize);
}

function scalarDataType(info: BufferInfo): DataTypeInfo {
  const format = info.format ?? 'B';
  const { componentType, complex, endianness } = componentTypeFromFormat(format);
  if (complex)
    throw new ImageError(
      'ERR_IMAGE_COMPONENT_TYPE',
      `Complex format ${JSON.stringify(format)} has no IOLink scalar data type here; view the real and imaginary parts as a VEC2 array instead.`,
    );
  if (endianness !== NATIVE_ENDIANNESS) {
    throw new ImageError(
      'ERR_IMAGE_BYTE_ORDER',
      `Format ${JSON.stringify(format)} is ${endianness}-endian; a zero-copy view needs native (${NATIVE_ENDIANNESS}) byte order. Byte-swap a copy first.`,
    );
  }
  return dataTypeInfo(dataTypeOf(componentType));
}
