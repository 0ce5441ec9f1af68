import stdlib from '@stdlib/ndarray';
import { BufferFlags, BufferError, getBuffer, isCContiguous, releaseBuffer, type BufferInfo, type ExporterAdapter } from '@interop/core';
import { borrowed, type Borrowed } from './borrowed.js';
import { elementView, exportElementStrided } from './element-view.js';

/** The fields of a `@stdlib/ndarray` object the adapter reads. */
export interface StdlibNdarrayLike {
  readonly dtype: string;
  readonly data: ArrayBufferView;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly order: string;
}

/** True for a `@stdlib/ndarray` object backed by a typed array. */
export function isStdlibNdarray(value: unknown): value is StdlibNdarrayLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<StdlibNdarrayLike>;
  return (
    typeof candidate.dtype === 'string' &&
    Array.isArray(candidate.shape) &&
    Array.isArray(candidate.strides) &&
    typeof candidate.offset === 'number' &&
    (candidate.order === 'row-major' || candidate.order === 'column-major') &&
    ArrayBuffer.isView(candidate.data) &&
    !(candidate.data instanceof DataView)
  );
}

/**
 * Teaches the buffer protocol `@stdlib/ndarray` objects, zero-copy.
 *
 * @example
 * ```ts no-run
 * registerExporter(stdlibNdarrayAdapter);
 * ```
 */
export const stdlibNdarrayAdapter: ExporterAdapter<StdlibNdarrayLike> = {
  name: 'stdlib-ndarray',
  test: isStdlibNdarray,
  getbuffer(value: StdlibNdarrayLike, flags: number): BufferInfo {
    return exportElementStrided(value, value.data, value.offset, value.shape, value.strides, flags);
  },
};

const stdlibDtypes: Readonly<Record<string, string>> = {
  b: 'int8',
  B: 'uint8',
  h: 'int16',
  H: 'uint16',
  i: 'int32',
  I: 'uint32',
  f: 'float32',
  d: 'float64',
};

/**
 * Views any exporter's memory as a `@stdlib/ndarray` object, zero-copy. The result holds an
 * export until released.
 *
 * @throws {BufferError} from `getBuffer`; `ERR_FORMAT_UNSUPPORTED` for element types stdlib has no typed dtype for.
 */
export function toStdlibNdarray(obj: unknown, options: { writable?: boolean } = {}): Borrowed<InstanceType<typeof stdlib.ndarray>> {
  const info = getBuffer(obj, options.writable === true ? BufferFlags.RECORDS : BufferFlags.RECORDS_RO);
  try {
    const view = elementView(info);
    const code = view.format.replace(/^[@=<]/, '');
    const dtype = stdlibDtypes[code];
    if (dtype === undefined) {
      throw new BufferError('ERR_FORMAT_UNSUPPORTED', `@stdlib/ndarray has no typed dtype for format ${JSON.stringify(view.format)}; convert the data first.`, {
        details: { operation: 'toStdlibNdarray' },
      });
    }
    const order = isCContiguous(view.shape, view.strides, 1) || !isColumnMajor(view) ? 'row-major' : 'column-major';
    return borrowed(new stdlib.ndarray(dtype, view.data, view.shape, view.strides, view.offset, order), info);
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

function isColumnMajor(view: { shape: readonly number[]; strides: readonly number[] }): boolean {
  for (let i = 1; i < view.strides.length; i++) if (Math.abs(view.strides[i]!) < Math.abs(view.strides[i - 1]!)) return false;
  return view.strides.length > 1;
}
