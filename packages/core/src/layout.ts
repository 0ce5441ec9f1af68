import type { BufferInfo, BufferSegment, BufferSource } from './buffer-info.js';
import { BufferError } from './errors/buffer-error.js';
import { MAX_NDIM } from './flags.js';
import { parseFormat } from './format/parse.js';
import { describeObject } from './internal/describe-object.js';
import { inspectBuffer, isGenuineDetached, snapshotBufferInfo, type BufferSnapshot } from './internal/snapshot.js';

export { describeObject };

/** A fully resolved layout: what a `BufferInfo` means once CPython's defaults are applied. */
export interface Layout {
  readonly buffer: BufferSource;
  readonly byteOffset: number;
  readonly format: string;
  readonly itemsize: number;
  readonly ndim: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly suboffsets: readonly number[] | null;
  readonly segments: readonly BufferSegment[] | null;
  readonly readonly: boolean;
}

/** The C-order (row-major) strides of `shape` for items of `itemsize` bytes. */
export function cStrides(shape: readonly number[], itemsize: number): number[] {
  const strides = new Array<number>(shape.length);
  let step = itemsize;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

/** The Fortran-order (column-major) strides of `shape` for items of `itemsize` bytes. */
export function fStrides(shape: readonly number[], itemsize: number): number[] {
  const strides = new Array<number>(shape.length);
  let step = itemsize;
  for (let i = 0; i < shape.length; i++) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

/**
 * Strides that express `target` (C order, same number of items) over a strided layout without
 * copying, or null when the layout does not allow a view (NumPy's no-copy reshape rule: every
 * group of old dimensions that becomes a group of new ones must be contiguous within itself).
 * The caller has checked that `target` has as many items as `shape`.
 */
export function reshapeStrides(shape: readonly number[], strides: readonly number[], target: readonly number[], itemsize: number): number[] | null {
  if (shape.includes(0)) return cStrides(target, itemsize);
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 1) continue;
    oldDims.push(shape[k]!);
    oldStrides.push(strides[k]!);
  }
  const out = new Array<number>(target.length).fill(0);
  let oi = 0;
  let oj = 1;
  let ni = 0;
  let nj = 1;
  while (ni < target.length && oi < oldDims.length) {
    let np = target[ni]!;
    let op = oldDims[oi]!;
    while (np !== op) {
      if (np < op) np *= target[nj++]!;
      else op *= oldDims[oj++]!;
    }
    for (let k = oi; k < oj - 1; k++) if (oldStrides[k] !== oldDims[k + 1]! * oldStrides[k + 1]!) return null;
    out[nj - 1] = oldStrides[oj - 1]!;
    for (let k = nj - 1; k > ni; k--) out[k - 1] = out[k]! * target[k]!;
    ni = nj++;
    oi = oj++;
  }
  // Trailing unit dimensions: any stride works; use the item step.
  const last = ni > 0 ? out[ni - 1]! : itemsize;
  for (let k = ni; k < target.length; k++) out[k] = last;
  return out;
}

/** Number of elements of `shape` (1 for a 0-d array). */
export function shapeSize(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}

/**
 * True when the layout is C-contiguous under CPython's rules: dimensions of length 1 may have any
 * stride, an empty array is contiguous, and indirect layouts never are.
 */
export function isCContiguous(shape: readonly number[], strides: readonly number[], itemsize: number, suboffsets: readonly number[] | null = null): boolean {
  if (suboffsets !== null && suboffsets.some((s) => s >= 0)) return false;
  if (shape.some((dim) => dim === 0)) return true;
  let expected = itemsize;
  for (let i = shape.length - 1; i >= 0; i--) {
    const dim = shape[i]!;
    if (dim !== 1 && strides[i] !== expected) return false;
    expected *= dim;
  }
  return true;
}

/** True when the layout is Fortran-contiguous (column-major) under CPython's rules. */
export function isFContiguous(shape: readonly number[], strides: readonly number[], itemsize: number, suboffsets: readonly number[] | null = null): boolean {
  if (suboffsets !== null && suboffsets.some((s) => s >= 0)) return false;
  if (shape.some((dim) => dim === 0)) return true;
  let expected = itemsize;
  for (let i = 0; i < shape.length; i++) {
    const dim = shape[i]!;
    if (dim !== 1 && strides[i] !== expected) return false;
    expected *= dim;
  }
  return true;
}

/**
 * The byte range `[low, high)` touched by a strided layout, relative to its first element, or
 * null for an empty array (which touches nothing). `high - low` is at least `itemsize`.
 */
export function layoutExtent(shape: readonly number[], strides: readonly number[], itemsize: number): { low: number; high: number } | null {
  let low = 0;
  let high = itemsize;
  for (let i = 0; i < shape.length; i++) {
    const dim = shape[i]!;
    if (dim === 0) return null;
    const reach = (dim - 1) * strides[i]!;
    if (reach < 0) low += reach;
    else high += reach;
  }
  return { low, high };
}

/** Applies CPython's defaults to a `BufferInfo`: absent format is bytes, absent shape is flat, absent strides are C order. */
export function resolveLayout(info: BufferInfo): Layout {
  let { format, itemsize } = info;
  let shape: readonly number[];
  let strides: readonly number[];
  if (info.shape === null) {
    // Without ND the export is a flat run of bytes.
    format = 'B';
    itemsize = 1;
    shape = [info.byteLength];
    strides = [1];
  } else {
    shape = info.shape;
    format ??= itemsize === 1 ? 'B' : `${itemsize}s`;
    strides = info.strides ?? cStrides(shape, itemsize);
  }
  return {
    buffer: info.buffer,
    byteOffset: info.byteOffset,
    format,
    itemsize,
    ndim: shape.length,
    shape,
    strides,
    suboffsets: info.suboffsets,
    segments: info.segments ?? null,
    readonly: info.readonly,
  };
}

/** True when `buffer` is an ArrayBuffer that has been detached (transferred). */
export function isDetached(buffer: BufferSource): boolean {
  if (buffer.byteLength !== 0) return false;
  const flag = (buffer as { detached?: boolean }).detached;
  if (typeof flag === 'boolean') return flag;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * Checks that a `BufferInfo` describes memory it may address: integer, non-negative shape;
 * matching lengths; itemsize agreeing with format; every element inside `buffer` (or inside its
 * segment); no overflow; no detached memory. The answer is first copied (every field read once,
 * see `getBuffer`), so a getter or Proxy cannot pass the check with one value and be used with another.
 *
 * @throws {BufferError} `ERR_BUFFER_INVALID_LAYOUT`, `ERR_BUFFER_OUT_OF_BOUNDS`, `ERR_BUFFER_DETACHED`, `ERR_BUFFER_TOO_MANY_DIMENSIONS`, `ERR_FORMAT_INVALID`.
 */
export function validateBufferInfo(info: BufferInfo): void {
  validateSnapshot(snapshotBufferInfo(info));
}

/** Validates a snapshot taken by `snapshotBufferInfo` (the record consumers then use). */
export function validateSnapshot(info: BufferSnapshot): void {
  const fail = (code: 'ERR_BUFFER_INVALID_LAYOUT' | 'ERR_BUFFER_OUT_OF_BOUNDS', message: string, dimension?: number): never => {
    throw new BufferError(
      code,
      `The exporter returned an invalid buffer: ${message}. This is a bug in the exporter (${describeObject(info.obj)}); report it to its author.`,
      {
        details: dimension === undefined ? { operation: 'getbuffer' } : { operation: 'getbuffer', dimension },
      },
    );
  };
  const { buffer, byteOffset, itemsize, ndim, shape, strides, suboffsets } = info;
  const bufferLength = info.bufferByteLength;
  if (!Number.isSafeInteger(itemsize) || itemsize <= 0) fail('ERR_BUFFER_INVALID_LAYOUT', `itemsize ${String(itemsize)} is not a positive integer`);
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) fail('ERR_BUFFER_OUT_OF_BOUNDS', `byteOffset ${String(byteOffset)} is not a non-negative integer`);
  if (!Number.isSafeInteger(ndim) || ndim < 0) fail('ERR_BUFFER_INVALID_LAYOUT', `ndim ${String(ndim)} is not a non-negative integer`);
  if (ndim > MAX_NDIM) {
    throw new BufferError('ERR_BUFFER_TOO_MANY_DIMENSIONS', `The exporter returned ${ndim} dimensions; at most ${MAX_NDIM} are supported.`, {
      details: { operation: 'getbuffer' },
    });
  }
  if (info.format !== null) {
    const parsed = parseFormat(info.format);
    const isRecord = parsed.type.kind === 'struct';
    // NumPy omits the trailing padding of aligned records from its format; allow it for records only.
    if (isRecord ? itemsize < parsed.itemsize : itemsize !== parsed.itemsize) {
      fail('ERR_BUFFER_INVALID_LAYOUT', `itemsize ${itemsize} disagrees with format ${JSON.stringify(info.format)} (${parsed.itemsize} bytes)`);
    }
  }
  if (isGenuineDetached(buffer, bufferLength, inspectBuffer(buffer)?.shared ?? false)) {
    throw new BufferError(
      'ERR_BUFFER_DETACHED',
      `The ArrayBuffer behind ${describeObject(info.obj)} is detached (transferred or resized away); its data is gone. Export from the object that now owns the memory.`,
      {
        details: { operation: 'getbuffer' },
      },
    );
  }
  if (shape === null) {
    // Without ND the export is a flat run of bytes: strides or suboffsets would describe a layout
    // the consumer did not ask for and cannot check.
    if (strides !== null || suboffsets !== null)
      fail('ERR_BUFFER_INVALID_LAYOUT', `shape is null (no ND) but ${strides !== null ? 'strides' : 'suboffsets'} is not; without a shape both must be null`);
    if (!Number.isSafeInteger(info.byteLength) || info.byteLength < 0 || byteOffset + info.byteLength > bufferLength) {
      fail('ERR_BUFFER_OUT_OF_BOUNDS', `byteOffset ${byteOffset} + byteLength ${info.byteLength} exceeds the buffer's ${bufferLength} bytes`);
    }
    // byteLength is itemsize x product(shape) even when the shape is not given (PEP 3118 "len").
    if (info.byteLength % itemsize !== 0) fail('ERR_BUFFER_INVALID_LAYOUT', `byteLength ${info.byteLength} is not a whole number of ${itemsize}-byte items`);
    return;
  }
  if (shape.length !== ndim) fail('ERR_BUFFER_INVALID_LAYOUT', `shape has ${shape.length} entries for ndim ${ndim}`);
  if (strides !== null && strides.length !== ndim) fail('ERR_BUFFER_INVALID_LAYOUT', `strides has ${strides.length} entries for ndim ${ndim}`);
  // Exact overflow check without BigInt: a product stays exact while it stays <= 2^53 - 1.
  let nbytes = itemsize;
  for (let i = 0; i < ndim; i++) {
    const dim = shape[i]!;
    if (!Number.isSafeInteger(dim) || dim < 0) fail('ERR_BUFFER_INVALID_LAYOUT', `shape[${i}] is ${String(dim)}, not a non-negative integer`, i);
    if (strides !== null && !Number.isSafeInteger(strides[i])) fail('ERR_BUFFER_INVALID_LAYOUT', `strides[${i}] is ${String(strides[i])}, not an integer`, i);
    if (dim !== 0 && nbytes > Number.MAX_SAFE_INTEGER / dim)
      fail('ERR_BUFFER_INVALID_LAYOUT', `shape ${JSON.stringify(shape)} x itemsize ${itemsize} overflows`, i);
    nbytes *= dim;
  }
  if (info.byteLength !== nbytes) fail('ERR_BUFFER_INVALID_LAYOUT', `byteLength ${info.byteLength} is not itemsize x product(shape) = ${nbytes}`);
  const effectiveStrides = strides ?? cStrides(shape, itemsize);
  if (suboffsets !== null) {
    validateIndirect(info, effectiveStrides, fail);
    return;
  }
  if (info.segments !== undefined) fail('ERR_BUFFER_INVALID_LAYOUT', 'segments are given but suboffsets is null; segments belong to indirect layouts only');
  const extent = layoutExtent(shape, effectiveStrides, itemsize);
  if (extent === null) {
    if (byteOffset > bufferLength) fail('ERR_BUFFER_OUT_OF_BOUNDS', `byteOffset ${byteOffset} is past the end of the ${bufferLength}-byte buffer`);
    return;
  }
  const low = byteOffset + extent.low;
  const high = byteOffset + extent.high;
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || low < 0 || high > bufferLength) {
    fail('ERR_BUFFER_OUT_OF_BOUNDS', `elements span bytes [${low}, ${high}) of a ${bufferLength}-byte buffer`);
  }
}

function validateIndirect(
  info: BufferSnapshot,
  strides: readonly number[],
  fail: (code: 'ERR_BUFFER_INVALID_LAYOUT' | 'ERR_BUFFER_OUT_OF_BOUNDS', message: string, dimension?: number) => never,
): void {
  const { suboffsets, segments, shape, itemsize } = info;
  if (shape === null || suboffsets === null) return;
  if (suboffsets.length !== info.ndim) fail('ERR_BUFFER_INVALID_LAYOUT', `suboffsets has ${suboffsets.length} entries for ndim ${info.ndim}`);
  if (info.ndim === 0) fail('ERR_BUFFER_INVALID_LAYOUT', 'a 0-d buffer cannot be indirect');
  const first = suboffsets[0]!;
  if (!Number.isSafeInteger(first) || first < 0) fail('ERR_BUFFER_INVALID_LAYOUT', 'only dimension 0 may be indirect, and suboffsets[0] must be >= 0');
  for (let i = 1; i < suboffsets.length; i++) {
    if (suboffsets[i] !== -1) fail('ERR_BUFFER_INVALID_LAYOUT', `suboffsets[${i}] is ${String(suboffsets[i])}; only dimension 0 may be indirect (use -1)`, i);
  }
  if (segments === undefined || segments.length !== shape[0]) {
    fail(
      'ERR_BUFFER_INVALID_LAYOUT',
      `an indirect buffer needs one segment per index of dimension 0 (${shape[0]}), found ${segments === undefined ? 'none' : segments.length}`,
      0,
    );
  }
  const inner = layoutExtent(shape.slice(1), strides.slice(1), itemsize);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const engine = inspectBuffer(segment.buffer)!;
    if (isGenuineDetached(segment.buffer, engine.byteLength, engine.shared)) {
      throw new BufferError('ERR_BUFFER_DETACHED', `Segment ${i} of the indirect buffer of ${describeObject(info.obj)} is detached.`, {
        details: { operation: 'getbuffer', dimension: 0 },
      });
    }
    if (
      !Number.isSafeInteger(segment.byteOffset) ||
      !Number.isSafeInteger(segment.byteLength) ||
      segment.byteOffset < 0 ||
      segment.byteLength < 0 ||
      segment.byteOffset + segment.byteLength > engine.byteLength
    ) {
      fail('ERR_BUFFER_OUT_OF_BOUNDS', `segment ${i} lies outside its buffer`, 0);
    }
    if (inner === null) continue;
    const start = first + inner.low;
    const end = first + inner.high;
    if (start < 0 || end > segment.byteLength)
      fail('ERR_BUFFER_OUT_OF_BOUNDS', `segment ${i} (${segment.byteLength} bytes) is too small for the elements it must hold (bytes [${start}, ${end}))`, 0);
  }
}
