import {
  BufferFlags,
  cStrides,
  getBuffer,
  isCContiguous,
  layoutExtent,
  releaseBuffer,
  resolveLayout,
  type NumpyDescr,
  type NumpyDescrField,
} from '@interop/core';
import { NpyError } from './errors/npy-error.js';
import { toBytes, type ByteSource } from './internal/bytes.js';
import { descrFromFormat, descrInfo } from './internal/descr.js';
import { NpyArray } from './npy-array.js';

/**
 * NumPy's `__array_interface__` (version 3) as a plain, JSON-serialisable object. JavaScript has
 * no pointers, so `data[0]` is the byte offset of element [0, ...] inside the buffer the
 * dictionary travels with.
 */
export interface ArrayInterface {
  readonly version: 3;
  readonly shape: readonly number[];
  /** The dtype string of one item (`'<f4'`; `'|V<n>'` for structured items). */
  readonly typestr: string;
  /** The full description: `[['', typestr]]` for plain items, the field list for structured ones. */
  readonly descr: readonly NumpyDescrField[];
  /** `[byteOffset, readonly]`. */
  readonly data: readonly [number, boolean];
  /** Byte strides, or null for C-contiguous memory. */
  readonly strides: readonly number[] | null;
}

const invalid = (message: string): never => {
  throw new NpyError('ERR_ARRAY_INTERFACE_INVALID', `Invalid __array_interface__: ${message}.`);
};

/**
 * Describes an exporter's memory as an `__array_interface__` dictionary, for bridges that hand
 * the memory to NumPy (e.g. through a shared buffer). The export taken to read the layout is
 * released before returning: keep `view` alive (and unchanged) while the other side uses it.
 *
 * @example
 * ```ts
 * import { toArrayInterface } from '@interop/npy';
 * const face = toArrayInterface(new Float32Array(6));
 * console.log(face.typestr, face.shape, face.data); // "<f4" [6] [0, false]
 * ```
 * @throws {NpyError} `ERR_FORMAT_UNSUPPORTED` when the format has no NumPy dtype.
 * @throws {BufferError} when `view` cannot be exported.
 */
export function toArrayInterface(view: unknown): ArrayInterface {
  const info = getBuffer(view, BufferFlags.RECORDS_RO);
  try {
    const layout = resolveLayout(info);
    let descr: NumpyDescr;
    let shape = [...layout.shape];
    let strides = [...layout.strides];
    if (view instanceof NpyArray) {
      descr = view.dtype;
    } else {
      const derived = descrFromFormat(layout.format, layout.itemsize);
      descr = derived.descr;
      // A sub-array item: its dimensions are C-contiguous inside the item.
      shape = [...shape, ...derived.extraShape];
      strides = [...strides, ...cStrides(derived.extraShape, descrInfo(descr).itemsize)];
    }
    const itemsize = descrInfo(descr).itemsize;
    const typestr = typeof descr === 'string' ? descr : `|V${itemsize}`;
    return {
      version: 3,
      shape,
      typestr,
      descr: typeof descr === 'string' ? [['', descr]] : descr,
      data: [info.byteOffset, info.readonly],
      strides: isCContiguous(shape, strides, itemsize) ? null : strides,
    };
  } finally {
    releaseBuffer(info);
  }
}

function isIntegerArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((entry) => Number.isSafeInteger(entry));
}

/**
 * Wraps `buffer` as the array an `__array_interface__` dictionary describes (no copy). Every
 * element is checked to lie inside `buffer`.
 *
 * @example
 * ```ts
 * import { fromArrayInterface } from '@interop/npy';
 * const buffer = new Float64Array([1, 2, 3, 4, 5, 6]).buffer;
 * const array = fromArrayInterface({ version: 3, shape: [2, 3], typestr: '<f8', data: [0, false], strides: null }, buffer);
 * console.log(array.shape, array.format); // [2, 3] "<d"
 * ```
 * @throws {NpyError} `ERR_ARRAY_INTERFACE_INVALID`, and the dtype codes (`ERR_NPY_BAD_DESCR`,
 * `ERR_NPY_OBJECT_DTYPE`, `ERR_NPY_UNSUPPORTED_DTYPE`).
 */
export function fromArrayInterface(dict: unknown, buffer: ByteSource): NpyArray {
  if (typeof dict !== 'object' || dict === null) return invalid('expected a dictionary object');
  const face = dict as Record<string, unknown>;
  if (face.version !== undefined && face.version !== 3 && face.version !== 2) invalid(`version ${JSON.stringify(face.version)} is not 3`);
  if (face.mask !== undefined && face.mask !== null) invalid('masked arrays (mask) are not supported');
  if (!isIntegerArray(face.shape) || face.shape.some((d) => d < 0) || face.shape.length > 64) invalid('shape must be at most 64 non-negative integers');
  const shape = face.shape as number[];
  if (typeof face.typestr !== 'string') invalid('typestr must be a string');
  let descr: NumpyDescr = face.typestr as string;
  const fields = face.descr;
  if (fields !== undefined && fields !== null) {
    if (!Array.isArray(fields)) invalid('descr must be a list of fields');
    const list = fields as unknown[];
    const trivial = list.length === 1 && Array.isArray(list[0]) && (list[0] as unknown[])[0] === '' && (list[0] as unknown[]).length === 2;
    if (!trivial) descr = list as NumpyDescrField[];
  }
  const itemsize = descrInfo(descr).itemsize;
  const typestrSize = /(\d+)(\[|$)/.exec(face.typestr as string);
  if (typeof descr !== 'string' && typestrSize !== null && Number(typestrSize[1]) !== itemsize)
    invalid(`typestr ${String(face.typestr)} disagrees with descr (${itemsize} bytes)`);
  let offset = 0;
  let readonly = false;
  if (face.data !== undefined && face.data !== null) {
    if (!Array.isArray(face.data) || face.data.length !== 2 || !Number.isSafeInteger(face.data[0]) || typeof face.data[1] !== 'boolean')
      invalid('data must be [byteOffset, readonly]');
    offset = (face.data as [number, boolean])[0];
    readonly = (face.data as [number, boolean])[1];
  } else if (face.offset !== undefined) {
    if (!Number.isSafeInteger(face.offset)) invalid('offset must be an integer');
    offset = face.offset as number;
  }
  const bytes = toBytes(buffer, 'fromArrayInterface');
  let strides: number[] | undefined;
  if (face.strides !== undefined && face.strides !== null) {
    if (!isIntegerArray(face.strides) || face.strides.length !== shape.length) invalid(`strides must be ${shape.length} integers`);
    strides = face.strides as number[];
  }
  let nbytes = itemsize;
  for (const dim of shape) {
    nbytes *= dim;
    if (!Number.isSafeInteger(nbytes)) invalid('shape x itemsize overflows');
  }
  const effective = strides ?? cStrides(shape, itemsize);
  const extent = layoutExtent(shape, effective, itemsize);
  if (offset < 0 || (extent !== null && (offset + extent.low < 0 || offset + extent.high > bytes.length))) {
    invalid(
      `the elements (offset ${offset}, shape ${JSON.stringify(shape)}, strides ${JSON.stringify(effective)}) reach outside the ${bytes.length}-byte buffer`,
    );
  }
  return new NpyArray({ data: bytes, descr, shape, strides: effective, offset, readonly });
}
