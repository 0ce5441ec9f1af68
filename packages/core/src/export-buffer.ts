import type { BufferInfo, BufferSegment, BufferSource } from './buffer-info.js';
import { BufferError } from './errors/buffer-error.js';
import type { ExportLock } from './export-lock.js';
import { describeFlags, MAX_NDIM } from './flags.js';
import { formatItemsize } from './format/parse.js';
import { cStrides, isCContiguous, isFContiguous, shapeSize } from './layout.js';

/** What an exporter knows about its memory; `exportBuffer` turns it into the answer to a request. */
export interface ExportLayout {
  readonly buffer: BufferSource;
  readonly byteOffset: number;
  /** PEP 3118 format of one item (default `"B"`). */
  readonly format?: string;
  /** Bytes per item (default: derived from `format`). */
  readonly itemsize?: number;
  readonly shape: readonly number[];
  /** Byte strides (default: C-contiguous). */
  readonly strides?: readonly number[];
  readonly readonly?: boolean;
  /** Indirect layouts: one segment per index of dimension 0 (see the spec). */
  readonly segments?: readonly BufferSegment[];
  /** Byte offset added inside each segment (PEP 3118 `suboffsets[0]`; default 0). */
  readonly suboffset?: number;
  /** Carried to `releasebuffer` unchanged. */
  readonly internal?: unknown;
}

// Raw bits of the PEP 3118 flags (composites are unions of these).
const WRITABLE = 0x0001;
const FORMAT = 0x0004;
const ND = 0x0008;
const STRIDES = 0x0010;
const C_CONTIGUOUS = 0x0020;
const F_CONTIGUOUS = 0x0040;
const ANY_CONTIGUOUS = 0x0080;
const INDIRECT = 0x0100;

/**
 * Answers a buffer request by CPython's rules, so every exporter behaves identically: WRITABLE on
 * read-only memory is refused; contiguity requests are checked; without STRIDES only C-contiguous
 * memory is exported; without ND the export is flat bytes; FORMAT without ND is refused; without
 * FORMAT the format is null but itemsize is kept; indirect layouts need INDIRECT. On success, the
 * export is counted on `lock`.
 *
 * @example
 * ```ts
 * [getbuffer](flags: number): BufferInfo {
 *   return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, format: 'f', shape: [4] }, flags, this.lock);
 * }
 * ```
 * @throws {BufferError} `ERR_BUFFER_READONLY`, `ERR_BUFFER_NOT_CONTIGUOUS`, `ERR_BUFFER_FLAGS_UNSUPPORTED`, `ERR_BUFFER_TOO_MANY_DIMENSIONS`, `ERR_INVALID_ARGUMENT`.
 */
export function exportBuffer(obj: object, layout: ExportLayout, flags: number, lock?: ExportLock): BufferInfo {
  if (!Number.isInteger(flags) || flags < 0 || flags > 0x1ff) {
    throw new BufferError('ERR_INVALID_ARGUMENT', `Buffer request flags must be an integer combination of BufferFlags; received ${String(flags)}.`, {
      details: { operation: 'getbuffer', requestedFlags: flags },
    });
  }
  const format = layout.format ?? 'B';
  const itemsize = layout.itemsize ?? formatItemsize(format);
  const shape = layout.shape;
  const ndim = shape.length;
  const readonly = layout.readonly === true;
  if ((flags & WRITABLE) !== 0 && readonly)
    refuse(
      'ERR_BUFFER_READONLY',
      obj,
      flags,
      'a writable buffer was requested but the memory is read-only; request without WRITABLE (e.g. STRIDED_RO) or copy the data',
    );
  if (ndim > MAX_NDIM) {
    throw new BufferError('ERR_BUFFER_TOO_MANY_DIMENSIONS', `Cannot export ${ndim} dimensions; at most ${MAX_NDIM} are supported.`, {
      details: { operation: 'getbuffer', requestedFlags: flags },
    });
  }
  if ((flags & FORMAT) !== 0 && (flags & ND) === 0)
    refuse(
      'ERR_BUFFER_FLAGS_UNSUPPORTED',
      obj,
      flags,
      'FORMAT was requested without ND; a format describes items of a shaped buffer, so add ND (or use CONTIG_RO / STRIDED_RO / RECORDS_RO)',
    );
  const strides = layout.strides ?? cStrides(shape, itemsize);
  const indirect = layout.segments !== undefined;
  if (indirect && (flags & INDIRECT) !== INDIRECT)
    refuse(
      'ERR_BUFFER_FLAGS_UNSUPPORTED',
      obj,
      flags,
      'the memory is indirect (separate buffers per index of dimension 0) and INDIRECT was not requested; request FULL_RO, or copy to contiguous memory first',
    );
  const suboffsets = indirect ? [layout.suboffset ?? 0, ...new Array<number>(ndim - 1).fill(-1)] : null;
  const cContiguous = !indirect && isCContiguous(shape, strides, itemsize);
  if ((flags & C_CONTIGUOUS) !== 0 && !cContiguous)
    refuse(
      'ERR_BUFFER_NOT_CONTIGUOUS',
      obj,
      flags,
      'C_CONTIGUOUS was requested but the memory is not C-contiguous; request STRIDED_RO and copy, or use MemoryView.copy(view, { order: "C" })',
    );
  if ((flags & F_CONTIGUOUS) !== 0 && (indirect || !isFContiguous(shape, strides, itemsize)))
    refuse('ERR_BUFFER_NOT_CONTIGUOUS', obj, flags, 'F_CONTIGUOUS was requested but the memory is not Fortran-contiguous');
  if ((flags & ANY_CONTIGUOUS) !== 0 && !cContiguous && (indirect || !isFContiguous(shape, strides, itemsize)))
    refuse('ERR_BUFFER_NOT_CONTIGUOUS', obj, flags, 'ANY_CONTIGUOUS was requested but the memory is neither C- nor Fortran-contiguous');
  // STRIDES is a composite in PEP 3118 (it includes ND): strides are given only when both bits are set.
  const stridesRequested = (flags & (STRIDES | ND)) === (STRIDES | ND);
  if (!stridesRequested && !cContiguous)
    refuse('ERR_BUFFER_NOT_CONTIGUOUS', obj, flags, 'the memory is strided but STRIDES was not requested; request STRIDED_RO (or FULL_RO) to receive strides');
  const byteLength = shapeSize(shape) * itemsize;
  const first = layout.segments?.[0];
  const info: BufferInfo = {
    obj,
    buffer: indirect ? (first?.buffer ?? new ArrayBuffer(0)) : layout.buffer,
    byteOffset: indirect ? 0 : layout.byteOffset,
    byteLength,
    readonly,
    itemsize,
    format: (flags & FORMAT) !== 0 ? format : null,
    ndim: (flags & ND) !== 0 ? ndim : 1,
    shape: (flags & ND) !== 0 ? shape : null,
    strides: stridesRequested ? strides : null,
    suboffsets,
    segments: layout.segments,
    internal: layout.internal,
  };
  lock?.acquire(obj);
  return info;
}

function refuse(code: 'ERR_BUFFER_READONLY' | 'ERR_BUFFER_NOT_CONTIGUOUS' | 'ERR_BUFFER_FLAGS_UNSUPPORTED', obj: object, flags: number, reason: string): never {
  const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  throw new BufferError(code, `Cannot export ${name} with flags ${describeFlags(flags)}: ${reason}.`, {
    details: { operation: 'getbuffer', requestedFlags: flags },
  });
}
