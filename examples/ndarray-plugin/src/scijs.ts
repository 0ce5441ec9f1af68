import ndarray from 'ndarray';
import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo, type ExporterAdapter } from '@interop/core';
import { borrowed, type Borrowed } from './borrowed.js';
import { elementView, exportElementStrided } from './element-view.js';

/** The fields of a scijs `ndarray` the adapter reads. */
export interface ScijsNdarrayLike {
  readonly data: ArrayBufferView;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
  readonly dtype: string;
  readonly pick: unknown;
}

/** True for a scijs `ndarray` backed by a typed array (the only kind whose memory can be shared). */
export function isScijsNdarray(value: unknown): value is ScijsNdarrayLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ScijsNdarrayLike>;
  return (
    Array.isArray(candidate.shape) &&
    Array.isArray(candidate.stride) &&
    typeof candidate.offset === 'number' &&
    typeof candidate.dtype === 'string' &&
    typeof candidate.pick === 'function' &&
    ArrayBuffer.isView(candidate.data) &&
    !(candidate.data instanceof DataView)
  );
}

/**
 * Teaches the buffer protocol scijs `ndarray` objects: their typed array, offset and element
 * strides become an export in bytes, without a copy.
 *
 * @example
 * ```ts no-run
 * registerExporter(scijsNdarrayAdapter);
 * const view = MemoryView.from(ndarray(new Float32Array(6), [2, 3]));
 * ```
 */
export const scijsNdarrayAdapter: ExporterAdapter<ScijsNdarrayLike> = {
  name: 'scijs-ndarray',
  test: isScijsNdarray,
  getbuffer(value: ScijsNdarrayLike, flags: number): BufferInfo {
    return exportElementStrided(value, value.data, value.offset, value.shape, value.stride, flags);
  },
};

/**
 * Views any exporter's memory as a scijs `ndarray`, zero-copy (strided and negative-stride
 * layouts included). The result holds an export until released.
 *
 * @throws {BufferError} from `getBuffer`, `ERR_FORMAT_UNSUPPORTED` for formats with no typed array,
 * `ERR_CAST_INVALID` for offsets or strides that are not whole elements.
 */
export function toScijsNdarray(obj: unknown, options: { writable?: boolean } = {}): Borrowed<ReturnType<typeof ndarray>> {
  const info = getBuffer(obj, options.writable === true ? BufferFlags.RECORDS : BufferFlags.RECORDS_RO);
  try {
    const view = elementView(info);
    return borrowed(ndarray(view.data, view.shape, view.strides, view.offset), info);
  } catch (error) {
    // A refused conversion must not leave the exporter locked.
    releaseBuffer(info);
    throw error;
  }
}
