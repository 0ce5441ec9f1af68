import { BufferFlags, MemoryView } from '@interop/core';
import type { ImageAxis } from './image-axis.js';
import { ImageError } from './errors/image-error.js';
import { ImageView, orderedViewExporter } from './image-view.js';

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
 * import { ImageView, toArrayWithAxes } from '@interop/image';
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
    throw new ImageError('ERR_INVALID_ARGUMENT', `${operation} takes an ImageView (from ImageView.allocate, fromArray or fromArrayWithAxes); received ${view === null ? 'null' : typeof view}.`, { details: { operation } });
  }
}
