// The public door to the strided copy engine: plain layouts in, checked, then the one hot loop.
import type { BufferSegment, BufferSource } from '../buffer-info.js';
import { BufferError } from '../errors/buffer-error.js';
import { inspectBuffer } from '../internal/snapshot.js';
import { isDetached, layoutExtent } from '../layout.js';
import { copyStrided, type StridedOperand } from './strided-copy.js';

/**
 * A strided array of items in memory: one side of {@link copyItems}. A `Layout` from
 * `resolveLayout` is one; so is any `{ buffer, byteOffset, shape, strides, itemsize }`.
 */
export interface StridedItems {
  readonly buffer: BufferSource;
  /** Byte offset of element [0, 0, ...] (ignored when dimension 0 is indirect). */
  readonly byteOffset: number;
  readonly shape: readonly number[];
  /** Byte steps per dimension; may be negative or 0. */
  readonly strides: readonly number[];
  readonly itemsize: number;
  /** PEP 3118 suboffsets: only dimension 0 may be indirect (`suboffsets[0] >= 0`, the rest -1). */
  readonly suboffsets?: readonly number[] | null;
  /** The rows of an indirect dimension 0: row `i` lives in `segments[i]`, from `suboffsets[0]`. */
  readonly segments?: readonly BufferSegment[] | null;
}

/** Options of {@link copyItems}. */
export interface CopyItemsOptions {
  /**
   * Reverse the bytes of every run of this many bytes in each item: 2, 4 or 8 turns items into
   * the other byte order (`typedArrayMapping(format).byteSwap` gives the unit for a format).
   * 0 (the default) copies the bytes as they are.
   */
  readonly byteSwap?: 0 | 2 | 4 | 8;
}

function invalid(message: string): never {
  throw new BufferError('ERR_INVALID_ARGUMENT', `copyItems: ${message}.`, { details: { operation: 'copyItems' } });
}

function outOfBounds(side: string, message: string): never {
  throw new BufferError('ERR_BUFFER_OUT_OF_BOUNDS', `copyItems: the ${side} ${message}; every item must lie inside its buffer.`, {
    details: { operation: 'copyItems', side },
  });
}

/** The engine's byte length of `buffer` (never a getter's answer); refuses what is not a buffer. */
function lengthOf(side: string, buffer: unknown): number {
  const inspected = inspectBuffer(buffer);
  if (inspected === null) invalid(`the ${side}'s buffer is not an ArrayBuffer or SharedArrayBuffer`);
  return inspected.byteLength;
}

function checkRange(side: string, buffer: BufferSource, start: number, extent: { low: number; high: number }, limit: number): void {
  if (limit === 0 && isDetached(buffer)) {
    throw new BufferError('ERR_BUFFER_DETACHED', `copyItems: the ${side}'s ArrayBuffer is detached (transferred); its data is gone.`, {
      details: { operation: 'copyItems', side },
    });
  }
  const low = start + extent.low;
  const high = start + extent.high;
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || low < 0 || high > limit) outOfBounds(side, `reaches bytes [${low}, ${high}) of ${limit}`);
}

/** Checks one side and returns it as an operand of the engine. */
function operand(items: StridedItems, side: string, shape: readonly number[], itemsize: number): StridedOperand {
  const given: unknown = items.strides;
  if (!Array.isArray(given) || given.length !== shape.length || !given.every((stride) => Number.isSafeInteger(stride))) {
    invalid(`the ${side} needs one integer stride per dimension (${shape.length})`);
  }
  const strides = [...(given as number[])];
  const suboffsets = items.suboffsets ?? null;
  if (suboffsets === null) {
    const byteOffset = items.byteOffset;
    if (!Number.isSafeInteger(byteOffset)) invalid(`the ${side}'s byteOffset ${String(byteOffset)} is not an integer`);
    const extent = layoutExtent(shape, strides, itemsize);
    const length = lengthOf(side, items.buffer);
    if (extent !== null) checkRange(side, items.buffer, byteOffset, extent, length);
    return { buffer: items.buffer, byteOffset, shape, strides, itemsize, indirect: null };
  }
  const listed: unknown = items.segments ?? null;
  const segments = Array.isArray(listed)
    ? (listed as unknown[]).map((segment, index) => {
        if (typeof segment !== 'object' || segment === null) invalid(`the ${side}'s segment ${index} is not an object`);
        const { buffer, byteOffset, byteLength } = segment as BufferSegment;
        return { buffer, byteOffset, byteLength };
      })
    : null;
  const first = suboffsets[0];
  if (
    !Array.isArray(suboffsets) ||
    shape.length === 0 ||
    suboffsets.length !== shape.length ||
    !Number.isSafeInteger(first) ||
    first! < 0 ||
    suboffsets.slice(1).some((entry) => entry !== -1)
  ) {
    invalid(`the ${side}'s suboffsets must be [n >= 0, -1, ...] with one entry per dimension (only dimension 0 may be indirect)`);
  }
  if (segments === null || segments.length !== shape[0]) invalid(`the ${side} is indirect and needs one segment per index of dimension 0 (${shape[0]})`);
  const inner = layoutExtent(shape.slice(1), strides.slice(1), itemsize);
  if (inner !== null) {
    for (const segment of segments) {
      const { buffer, byteOffset, byteLength } = segment;
      if (
        !Number.isSafeInteger(byteOffset) ||
        !Number.isSafeInteger(byteLength) ||
        byteOffset < 0 ||
        byteLength < 0 ||
        byteOffset + byteLength > lengthOf(side, buffer)
      ) {
        outOfBounds(side, `has a segment outside its buffer`);
      }
      checkRange(side, buffer, first!, inner, byteLength);
    }
  }
  return { buffer: items.buffer, byteOffset: 0, shape, strides, itemsize, indirect: { segments, start: 0, step: 1, suboffset: first! } };
}

/**
 * Copies every item of `source` into the item of `target` at the same index, through the strided
 * copy engine of MemoryView (memcpy for contiguous runs, one `set` per contiguous row, a tiled
 * odometer otherwise; memmove semantics when the two overlap). Both sides are plain layouts, so
 * an exporter or a file writer can copy between any strided, reversed or indirect memory and a
 * dense C- or Fortran-order target without building views. Every item of both sides is checked
 * to lie inside its buffer before anything is written.
 *
 * @example
 * ```ts
 * import { copyItems, fStrides } from '@interop/core';
 * const source = new Float32Array([1, 2, 3, 4, 5, 6]); // 2 x 3, C order
 * const target = new Float32Array(6);
 * const shape = [2, 3];
 * copyItems({ buffer: source.buffer, byteOffset: 0, shape, strides: [12, 4], itemsize: 4 }, { buffer: target.buffer, byteOffset: 0, shape, strides: fStrides(shape, 4), itemsize: 4 });
 * console.log(target); // Float32Array [1, 4, 2, 5, 3, 6]: Fortran order
 * ```
 * @throws {BufferError} `ERR_SHAPE_MISMATCH` (shapes differ), `ERR_INVALID_ARGUMENT` (itemsizes
 * differ, bad strides, suboffsets or `byteSwap`), `ERR_BUFFER_OUT_OF_BOUNDS` (an item outside its
 * buffer), `ERR_BUFFER_DETACHED`.
 */
export function copyItems(source: StridedItems, target: StridedItems, options: CopyItemsOptions = {}): void {
  if (typeof source !== 'object' || source === null || typeof target !== 'object' || target === null) invalid('the source and the target must be objects');
  if (typeof options !== 'object' || options === null) invalid('options must be an object (or omitted)');
  const given: unknown = source.shape;
  const itemsize = source.itemsize;
  if (!Array.isArray(given) || !given.every((dim) => Number.isSafeInteger(dim) && (dim as number) >= 0))
    invalid('the source shape must be an array of non-negative integers');
  const shape = [...(given as number[])];
  if (!Array.isArray(target.shape) || target.shape.length !== shape.length || target.shape.some((dim, k) => dim !== shape[k])) {
    throw new BufferError('ERR_SHAPE_MISMATCH', `copyItems needs equal shapes; source [${shape.join(', ')}], target [${String(target.shape)}].`, {
      details: { operation: 'copyItems' },
    });
  }
  if (!Number.isSafeInteger(itemsize) || itemsize <= 0 || target.itemsize !== itemsize)
    invalid(`both sides need the same positive itemsize (source ${itemsize}, target ${target.itemsize})`);
  const byteSwap = options.byteSwap ?? 0;
  if (byteSwap !== 0 && byteSwap !== 2 && byteSwap !== 4 && byteSwap !== 8) invalid(`byteSwap must be 0, 2, 4 or 8; received ${String(byteSwap)}`);
  if (byteSwap !== 0 && itemsize % byteSwap !== 0) invalid(`byteSwap ${byteSwap} does not divide the itemsize ${itemsize}`);
  // Checked once each, as plain copies (a getter cannot answer the check and the copy differently).
  const from = operand(source, 'source', shape, itemsize);
  const to = operand(target, 'target', from.shape, itemsize);
  copyStrided(from, to, byteSwap === 0 ? { kind: 'move' } : { kind: 'swap', unit: byteSwap });
}
