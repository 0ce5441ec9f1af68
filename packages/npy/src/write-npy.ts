import {
  allocateBuffer,
  BufferFlags,
  copyItems,
  cStrides,
  fStrides,
  getBuffer,
  isCContiguous,
  isFContiguous,
  layoutExtent,
  releaseBuffer,
  resolveLayout,
  type BufferInfo,
  type NumpyDescr,
} from '@interop/core';
import { NpyError } from './errors/npy-error.js';
import { descrFromFormat, descrInfo, descrRepr, tupleRepr } from './internal/descr.js';
import { NpyArray } from './npy-array.js';
import type { NpyVersion } from './npy-header.js';

/** Options of `writeNpy`, `saveNpy` and the stream writer. */
export interface WriteNpyOptions {
  /**
   * Storage order: `'C'` (row-major), `'F'` (column-major) or `'auto'` (default): Fortran when the
   * source is Fortran- but not C-contiguous, as NumPy decides; any other layout is written in C order.
   */
  readonly order?: 'C' | 'F' | 'auto';
  /** Format version; default: the smallest that can hold the header, as NumPy picks. */
  readonly version?: NpyVersion;
  /**
   * The dtype to write into the header instead of the one derived from the source's format
   * (e.g. `'<M8[ns]'` for int64 nanoseconds). Its itemsize must equal the source's.
   */
  readonly descr?: NumpyDescr;
}

const ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;

/** @internal A planned .npy write: the header bytes and how to produce the data. */
export interface NpyWritePlan {
  readonly header: Uint8Array;
  readonly nbytes: number;
  /** The data as one contiguous run of the source memory, when it already is in the output order. */
  readonly contiguous: Uint8Array | null;
  /** Writes the data densely into `target` at `offset`. */
  readonly copyTo: (target: Uint8Array, offset: number) => void;
  /** Ends the export of the source. */
  readonly release: () => void;
}

/**
 * Encodes a `.npy` header as NumPy does: sorted keys, the growth padding of `np.save`, newline
 * terminated, the whole prefix padded to a multiple of 64 bytes.
 *
 * @internal
 */
export function encodeNpyHeader(
  descr: NumpyDescr,
  shape: readonly number[],
  fortranOrder: boolean,
  version?: NpyVersion,
): { bytes: Uint8Array; version: NpyVersion } {
  let text = `{'descr': ${descrRepr(descr)}, 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${tupleRepr(shape)}, }`;
  if (shape.length > 0) text += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[fortranOrder ? shape.length - 1 : 0]).length));
  // eslint-disable-next-line no-control-regex
  const latin1 = /^[\u0000-\u00ff]*$/.test(text);
  const wrap = (v: NpyVersion): Uint8Array | null => {
    if (v !== '3.0' && !latin1) return null;
    const body = v === '3.0' ? new TextEncoder().encode(text) : Uint8Array.from(text, (c) => c.charCodeAt(0));
    const lengthField = v === '1.0' ? 2 : 4;
    const hlen = body.length + 1;
    const padding = ALIGN - ((8 + lengthField + hlen) % ALIGN);
    const total = hlen + padding;
    if (v === '1.0' && total > 0xffff) return null;
    const out = new Uint8Array(8 + lengthField + total);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, Number(v[0]), 0]);
    const view = new DataView(out.buffer);
    if (lengthField === 2) view.setUint16(8, total, true);
    else view.setUint32(8, total, true);
    out.set(body, 8 + lengthField);
    out.fill(0x20, 8 + lengthField + body.length, out.length - 1);
    out[out.length - 1] = 0x0a;
    return out;
  };
  if (version !== undefined) {
    const bytes = wrap(version);
    if (bytes === null) {
      throw new NpyError(
        'ERR_INVALID_ARGUMENT',
        `The header cannot be written as format ${version}: ${latin1 ? 'it is longer than 65535 bytes (use 2.0)' : 'it has non-latin-1 characters (use 3.0)'}.`,
      );
    }
    return { bytes, version };
  }
  for (const v of ['1.0', '2.0', '3.0'] as const) {
    const bytes = wrap(v);
    if (bytes !== null) return { bytes, version: v };
  }
  /* c8 ignore next */
  throw new NpyError('ERR_INVALID_ARGUMENT', 'The header cannot be encoded.');
}

/** @internal Exports `source`, decides dtype, order and version, and returns the plan. */
export function planNpyWrite(source: unknown, options: WriteNpyOptions = {}): NpyWritePlan {
  const order = options.order ?? 'auto';
  if (order !== 'C' && order !== 'F' && order !== 'auto')
    throw new NpyError('ERR_INVALID_ARGUMENT', `order must be 'C', 'F' or 'auto'; received ${String(order)}.`);
  if (options.version !== undefined && !['1.0', '2.0', '3.0'].includes(options.version)) {
    throw new NpyError('ERR_INVALID_ARGUMENT', `version must be '1.0', '2.0' or '3.0'; received ${String(options.version)}.`);
  }
  const info: BufferInfo = getBuffer(source, BufferFlags.RECORDS_RO);
  try {
    const layout = resolveLayout(info);
    let descr: NumpyDescr;
    let shape = [...layout.shape];
    let strides = [...layout.strides];
    if (options.descr !== undefined) {
      const itemsize = descrInfo(options.descr).itemsize;
      if (itemsize !== layout.itemsize) {
        throw new NpyError(
          'ERR_INVALID_ARGUMENT',
          `The descr option ${JSON.stringify(options.descr)} has itemsize ${itemsize} but the source's items are ${layout.itemsize} bytes.`,
        );
      }
      descr = options.descr;
    } else if (source instanceof NpyArray) {
      // Keep NumPy's own spelling (datetime units, titles, padding) for arrays read from files.
      descr = source.dtype;
    } else {
      const derived = descrFromFormat(layout.format, layout.itemsize);
      descr = derived.descr;
      if (derived.extraShape.length > 0) {
        // A top-level sub-array item: NumPy folds its dimensions into the array's shape.
        shape = [...shape, ...derived.extraShape];
        strides = [...strides, ...cStrides(derived.extraShape, descrInfo(descr).itemsize)];
      }
    }
    const itemsize = descrInfo(descr).itemsize;
    const cContiguous = isCContiguous(shape, strides, itemsize);
    const fContiguous = isFContiguous(shape, strides, itemsize);
    const fortranOrder = order === 'F' ? shape.length > 1 || !cContiguous : order === 'auto' ? fContiguous && !cContiguous : false;
    const header = encodeNpyHeader(descr, shape, fortranOrder, options.version).bytes;
    let nbytes = itemsize;
    for (const dim of shape) nbytes *= dim;
    const memory = new Uint8Array(info.buffer);
    const start = info.byteOffset;
    const inOrder = fortranOrder ? fContiguous : cContiguous;
    let contiguous: Uint8Array | null = null;
    if (inOrder) {
      const extent = layoutExtent(shape, strides, itemsize);
      contiguous = extent === null ? memory.subarray(0, 0) : memory.subarray(start + extent.low, start + extent.high);
    }
    const copyTo = (target: Uint8Array, offset: number): void => {
      if (contiguous !== null) target.set(contiguous, offset);
      else {
        const dense = fortranOrder ? fStrides(shape, itemsize) : cStrides(shape, itemsize);
        copyItems(
          { buffer: info.buffer, byteOffset: start, shape, strides, itemsize },
          { buffer: target.buffer, byteOffset: target.byteOffset + offset, shape, strides: dense, itemsize },
        );
      }
    };
    let released = false;
    return {
      header,
      nbytes,
      contiguous,
      copyTo,
      release: () => {
        if (released) return;
        released = true;
        releaseBuffer(info);
      },
    };
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
}

/**
 * Writes any exporter (NpyArray, MemoryView, TypedArray, ...) as the bytes of a `.npy` file.
 * Values and byte order are kept exactly (a `>` format becomes a big-endian dtype); the storage
 * order follows the source's layout unless `order` says otherwise; the header is padded so the
 * data starts on a 64-byte boundary, byte-identical to `np.save`.
 *
 * @example
 * ```ts
 * import { writeNpy } from '@interop/npy';
 * const bytes = writeNpy(new Float64Array([1.5, 2.5]));
 * console.log(bytes.length); // 144 (128-byte header + 16 bytes of data)
 * ```
 * @throws {NpyError} `ERR_FORMAT_UNSUPPORTED` (no NumPy dtype for the format),
 * `ERR_INVALID_ARGUMENT` (options), `ERR_NPY_BAD_DESCR` (descr option), `ERR_BUFFER_ALLOCATION_FAILED`
 * (the output is larger than the engine can allocate: use `writeNpyToStream`).
 * @throws {BufferError} when the source cannot be exported (e.g. `ERR_BUFFER_NOT_EXPORTER`).
 */
export function writeNpy(source: unknown, options: WriteNpyOptions = {}): Uint8Array {
  const plan = planNpyWrite(source, options);
  try {
    const out = allocateOutput(plan.header.length + plan.nbytes);
    out.set(plan.header, 0);
    plan.copyTo(out, plan.header.length);
    return out;
  } finally {
    plan.release();
  }
}

function allocateOutput(length: number): Uint8Array {
  try {
    // Fresh memory from the allocation seam of @interop/core; its typed failure (or an engine
    // RangeError) becomes npy's own code.
    return new Uint8Array(allocateBuffer(length));
  } catch (cause) {
    throw new NpyError(
      'ERR_BUFFER_ALLOCATION_FAILED',
      `writeNpy needs a ${length}-byte output, which the JavaScript engine could not allocate. Write the array to a stream (writeNpyToStream), or split it.`,
      {
        cause,
        details: { operation: 'writeNpy', size: length },
      },
    );
  }
}
