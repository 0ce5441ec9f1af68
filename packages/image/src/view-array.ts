import { BufferFlags, MemoryView } from '@interop/core';
import type { ImageAxis } from './image-axis.js';
import { orderedViewExporter, type ImageView } from './image-view.js';

/**
 * A zero-copy array of a view (IOLink's `NumpyInterop.to_numpy_array`): known axes in NumPy's
 * order (T, Z, Y, X, C: canonical order reversed, CHANNEL last); UNKNOWN keeps the order. A vector
 * data type adds its components as a last dimension. The array holds an export of the view.
 *
 * @example
 * ```ts
 * import { ImageView, toArray } from '@interop/image';
 * const volume = ImageView.allocate([12, 4, 6], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' });
 * toArray(volume).shape; // [6, 4, 12, 3]
 * ```
 * @throws {ImageError} `ERR_IMAGE_RELEASED`.
 */
export function toArray(view: ImageView): MemoryView {
  return MemoryView.from(view, view.readonly ? BufferFlags.FULL_RO : BufferFlags.FULL);
}

/**
 * A zero-copy array of a view with its dimensions in an explicit order (IOLink's
 * `NumpyInterop.order_to_numpy_array`): each axis of the view once, and CHANNEL (anywhere) for
 * the components of a vector data type.
 *
 * @example
 * ```ts
 * import { ImageView, toArrayWithAxes } from '@interop/image';
 * const volume = ImageView.allocate([6, 5, 4], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' });
 * toArrayWithAxes(volume, ['ROW', 'SLICE', 'CHANNEL', 'COLUMN']).shape; // [5, 4, 3, 6]
 * ```
 * @throws {ImageError} `ERR_IMAGE_AXES_UNKNOWN` when the view's interpretation is UNKNOWN; `ERR_IMAGE_AXES_INVALID` when `order` is not a permutation of its axes; `ERR_IMAGE_RELEASED`.
 */
export function toArrayWithAxes(view: ImageView, order: readonly ImageAxis[]): MemoryView {
  return MemoryView.from(orderedViewExporter(view, order), view.readonly ? BufferFlags.FULL_RO : BufferFlags.FULL);
}
