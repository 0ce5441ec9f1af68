// The strided copy engine: the one hot loop of the project. Layouts are normalised (unit
// dimensions dropped, destination strides made positive, dimensions ordered by destination
// stride, mergeable dimensions merged), then the cheapest path is taken:
//   1. whole contiguous run        -> Uint8Array.prototype.set (memcpy)
//   2. contiguous inner rows       -> one Uint8Array.prototype.set per row
//   3. general odometer            -> typed-array element moves in the widest aligned unit,
//                                     tiled when source and destination disagree on the fast axis
// Byte swaps, byte permutations and conversions use the same odometer. Nothing is allocated per
// element on the move and swap paths, and no code is generated at run time (CSP-safe).
import { allocateBuffer } from '../allocator.js';
import type { BufferSegment, BufferSource } from '../buffer-info.js';
import { withinEngineLimits } from '../internal/allocate.js';
import { cStrides, layoutExtent } from '../layout.js';
import type { ItemPlan } from './item-plan.js';

/** The indirect part of an operand: dimension 0 index `i` lives in `segments[start + i * step]`. */
export interface IndirectPart {
  readonly segments: readonly BufferSegment[];
  readonly start: number;
  readonly step: number;
  /** PEP 3118 `suboffsets[0]`: byte offset of element [i, 0, ...] inside its segment. */
  readonly suboffset: number;
}

/** One side of a copy: a strided (possibly indirect) array of items. */
export interface StridedOperand {
  readonly buffer: BufferSource;
  /** Byte offset of element [0, 0, ...] (direct operands only). */
  readonly byteOffset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly itemsize: number;
  readonly indirect: IndirectPart | null;
}

/** Copies every item of `src` into the item of `dst` at the same index (shapes must be equal). */
export function copyStrided(src: StridedOperand, dst: StridedOperand, plan: ItemPlan): void {
  // Byte views over buffers larger than the engine's TypedArray limit throw RangeError: typed here.
  withinEngineLimits('copy', () => copyStridedUnchecked(src, dst, plan));
}

function copyStridedUnchecked(src: StridedOperand, dst: StridedOperand, plan: ItemPlan): void {
  const shape = src.shape;
  for (const dim of shape) if (dim === 0) return;
  let source = src;
  if (mayOverlap(src, dst)) {
    // memmove semantics: read everything before writing anything.
    source = contiguousCopy(src);
  }
  if (source.indirect === null && dst.indirect === null) {
    copyDirect(shape, source.itemsize, dst.itemsize, source.buffer, source.byteOffset, source.strides, dst.buffer, dst.byteOffset, dst.strides, plan);
    return;
  }
  const innerShape = shape.slice(1);
  const srcInner = source.strides.slice(1);
  const dstInner = dst.strides.slice(1);
  for (let i = 0; i < shape[0]!; i++) {
    const [srcBuffer, srcOffset] = rowBase(source, i);
    const [dstBuffer, dstOffset] = rowBase(dst, i);
    copyDirect(innerShape, source.itemsize, dst.itemsize, srcBuffer, srcOffset, srcInner, dstBuffer, dstOffset, dstInner, plan);
  }
}

/** Buffer and byte offset of element [i, 0, ...]. */
export function rowBase(operand: StridedOperand, i: number): [BufferSource, number] {
  const indirect = operand.indirect;
  if (indirect === null) return [operand.buffer, operand.byteOffset + i * operand.strides[0]!];
  const segment = indirect.segments[indirect.start + i * indirect.step]!;
  return [segment.buffer, segment.byteOffset + indirect.suboffset];
}

/** A C-contiguous copy of `src` in fresh memory (same items, same byte order). */
export function contiguousCopy(src: StridedOperand): StridedOperand {
  let count = 1;
  for (const dim of src.shape) count *= dim;
  const buffer = allocateBuffer(count * src.itemsize);
  const out: StridedOperand = { buffer, byteOffset: 0, shape: src.shape, strides: cStrides(src.shape, src.itemsize), itemsize: src.itemsize, indirect: null };
  if (count > 0) copyStridedUnchecked(src, out, { kind: 'move' });
  return out;
}

function buffersOf(operand: StridedOperand): BufferSource[] {
  const indirect = operand.indirect;
  if (indirect === null) return [operand.buffer];
  const out: BufferSource[] = [];
  for (let i = 0; i < operand.shape[0]!; i++) out.push(indirect.segments[indirect.start + i * indirect.step]!.buffer);
  return out;
}

function mayOverlap(src: StridedOperand, dst: StridedOperand): boolean {
  if (src.indirect === null && dst.indirect === null) {
    if (src.buffer !== dst.buffer) return false;
    const a = layoutExtent(src.shape, src.strides, src.itemsize);
    const b = layoutExtent(dst.shape, dst.strides, dst.itemsize);
    if (a === null || b === null) return false;
    return src.byteOffset + a.low < dst.byteOffset + b.high && dst.byteOffset + b.low < src.byteOffset + a.high;
  }
  const targets = new Set(buffersOf(dst));
  return buffersOf(src).some((buffer) => targets.has(buffer));
}

/** Rows shorter than this are copied element by element: a subarray per row would cost more. */
const ROW_SET_MIN_BYTES = 128;

function copyDirect(
  shape: readonly number[],
  srcItemsize: number,
  dstItemsize: number,
  srcBuffer: BufferSource,
  srcOffset: number,
  srcStrides: readonly number[],
  dstBuffer: BufferSource,
  dstOffset: number,
  dstStrides: readonly number[],
  plan: ItemPlan,
): void {
  // Normalise: drop unit dimensions, make destination strides positive (flipping both sides of
  // a dimension keeps the element pairing), order by destination stride, merge.
  const dims: number[] = [];
  const ss: number[] = [];
  const ds: number[] = [];
  let so = srcOffset;
  let dof = dstOffset;
  for (let k = 0; k < shape.length; k++) {
    const n = shape[k]!;
    if (n === 0) return;
    if (n === 1) continue;
    let a = srcStrides[k]!;
    let b = dstStrides[k]!;
    if (b < 0 || (b === 0 && a < 0)) {
      so += (n - 1) * a;
      dof += (n - 1) * b;
      a = -a;
      b = -b;
    }
    // Insertion by descending destination stride (then source stride); ndim is small.
    let at = dims.length;
    while (at > 0 && (ds[at - 1]! < b || (ds[at - 1] === b && Math.abs(ss[at - 1]!) < Math.abs(a)))) at--;
    dims.splice(at, 0, n);
    ss.splice(at, 0, a);
    ds.splice(at, 0, b);
  }
  for (let k = dims.length - 2; k >= 0; k--) {
    const inner = dims[k + 1]!;
    if (ss[k] === inner * ss[k + 1]! && ds[k] === inner * ds[k + 1]!) {
      dims[k + 1] = inner * dims[k]!;
      dims.splice(k, 1);
      ss.splice(k, 1);
      ds.splice(k, 1);
    }
  }
  const nd = dims.length;
  if (plan.kind === 'convert') {
    convertLoop(dims, ss, ds, so, dof, srcBuffer, dstBuffer, plan);
    return;
  }
  const itemsize = srcItemsize;
  if (plan.kind === 'move') {
    if (nd === 0) {
      new Uint8Array(dstBuffer, dof, itemsize).set(new Uint8Array(srcBuffer, so, itemsize));
      return;
    }
    const last = nd - 1;
    if (ss[last] === itemsize && ds[last] === itemsize) {
      const rowBytes = dims[last]! * itemsize;
      if (nd === 1) {
        new Uint8Array(dstBuffer).set(new Uint8Array(srcBuffer, so, rowBytes), dof);
        return;
      }
      if (rowBytes >= ROW_SET_MIN_BYTES) {
        const srcBytes = new Uint8Array(srcBuffer);
        const dstBytes = new Uint8Array(dstBuffer);
        odometer(dims, ss, ds, last, so, dof, (s, d) => dstBytes.set(srcBytes.subarray(s, s + rowBytes), d));
        return;
      }
    }
  }
  // Element path: the widest unit that divides every offset, stride and the itemsize.
  let alignment = itemsize | so | dof;
  for (let k = 0; k < nd; k++) alignment |= ss[k]! | ds[k]!;
  let unit = (alignment & 3) === 0 ? 4 : (alignment & 1) === 0 ? 2 : 1;
  if (plan.kind === 'swap' && unit < Math.min(plan.unit, 4)) unit = 0;
  if (plan.kind === 'swap' && plan.unit === 2) unit = unit === 0 ? 0 : 2;
  if (plan.kind === 'permute' || unit === 0) {
    const permutation = plan.kind === 'permute' ? plan.permutation : swapPermutation(itemsize, plan.kind === 'swap' ? plan.unit : 1);
    permuteLoop(dims, ss, ds, so, dof, new Uint8Array(srcBuffer), new Uint8Array(dstBuffer), permutation);
    return;
  }
  const words = itemsize / unit;
  const S = unitArray(srcBuffer, unit);
  const D = unitArray(dstBuffer, unit);
  const sUnits = ss.map((x) => x / unit);
  const dUnits = ds.map((x) => x / unit);
  const s0 = so / unit;
  const d0 = dof / unit;
  if (nd === 0) {
    elementKernel(plan, words, S, D, s0, d0, 1, 0, 0);
    return;
  }
  const last = nd - 1;
  // Tile when the source's fastest axis is not the destination's (a transposing copy): reading
  // the source with a large stride along the inner loop would miss the cache on every item.
  let fast = -1;
  if (nd >= 2 && Math.abs(ss[last]!) * unit > 64) {
    let best = Math.abs(ss[last]!);
    for (let k = 0; k < last; k++) {
      if (Math.abs(ss[k]!) < best) {
        best = Math.abs(ss[k]!);
        fast = k;
      }
    }
  }
  if (fast < 0) {
    const n = dims[last]!;
    const si = sUnits[last]!;
    const di = dUnits[last]!;
    if (plan.kind === 'move' && words === 1) {
      odometer(dims, sUnits, dUnits, last, s0, d0, (s, d) => {
        for (let i = 0; i < n; i++) {
          D[d] = S[s]!;
          s += si;
          d += di;
        }
      });
    } else {
      odometer(dims, sUnits, dUnits, last, s0, d0, (s, d) => elementKernel(plan, words, S, D, s, d, n, si, di));
    }
    return;
  }
  // Tiled transposing copy over (fast, last). One more outer dimension (the "middle" one) is
  // blocked inside the tile loops: see transposeBlock.
  transposeCopy(plan, words, S, D, s0, d0, dims, sUnits, dUnits, fast, last);
}

/** Tile edge (items) of the transposing path: 8 x 8 items moved through locals. */
const TILE = 8;
/** Tile edge (items) of the item-by-item transposing path (transposeBlockElements). */
const ELEMENT_TILE = 16;
/** Consecutive indexes of the middle dimension run inside each tile position (see transposeBlock). */
const MIDDLE_BLOCK = 16;

/**
 * The transposing copy: the destination's innermost dimension (`last`, unit stride there) has
 * a large source stride, while dimension `fast` has the smallest source stride. Items move in
 * 8 x 8 tiles over (fast, last), reading short source runs along `fast` and writing short
 * destination runs along `last`.
 *
 * Plain tiling is slow on power-of-two layouts (B3: 256^3 float32): the rows of a tile lie
 * 256 KiB apart, so they share L1 and L2 cache sets, and lines a tile only half uses are evicted
 * before the neighbouring tile needs them. Running a third dimension, the "middle" one (the
 * remaining dimension with the smallest strides, e.g. the 1 KiB axis of a reversed 3-D array),
 * innermost over MIDDLE_BLOCK indexes at each tile position makes consecutive tiles touch lines
 * a small stride apart, in different sets. Larger tiles lose (16 rows in flight exceed the 12
 * ways of the L1 cache). No scratch memory is used. Measured on B3 (x64, 48 KiB L1, 1 MiB L2,
 * `pnpm bench core`): 27.5 ms against 46.2 ms for the previous 32 x 32 tiles without a middle
 * block (memcpy 4-4.8 ms); docs/benchmarks.md has the notes and what else was tried.
 */
function transposeCopy(
  plan: ItemPlan,
  words: number,
  S: UnitArray,
  D: UnitArray,
  s0: number,
  d0: number,
  dims: readonly number[],
  sUnits: readonly number[],
  dUnits: readonly number[],
  fast: number,
  last: number,
): void {
  // The middle dimension: the remaining dimension with the smallest strides on both sides.
  let middle = -1;
  let middleCost = Infinity;
  for (let k = 0; k < last; k++) {
    if (k === fast) continue;
    const cost = Math.abs(sUnits[k]!) + Math.abs(dUnits[k]!);
    if (cost < middleCost) {
      middleCost = cost;
      middle = k;
    }
  }
  const outerDims: number[] = [];
  const outerS: number[] = [];
  const outerD: number[] = [];
  for (let k = 0; k < last; k++) {
    if (k === fast || k === middle) continue;
    outerDims.push(dims[k]!);
    outerS.push(sUnits[k]!);
    outerD.push(dUnits[k]!);
  }
  const nJ = middle < 0 ? 1 : dims[middle]!;
  const sJ = middle < 0 ? 0 : sUnits[middle]!;
  const dJ = middle < 0 ? 0 : dUnits[middle]!;
  const nA = dims[fast]!;
  const sA = sUnits[fast]!;
  const dA = dUnits[fast]!;
  const nB = dims[last]!;
  const sB = sUnits[last]!;
  const dB = dUnits[last]!;
  // The common item kinds get a kernel of their own: single-unit moves (4-, 2- and 1-byte
  // items; their kernel does 32-bit index arithmetic, so only below 2^31 units), two-unit moves
  // (8-byte items) and 4-byte byte swaps. Others go item by item.
  const moveOne = plan.kind === 'move' && words === 1 && S.length <= INT32_INDEX_MAX && D.length <= INT32_INDEX_MAX;
  const kernel: TileKernel | null =
    plan.kind === 'move' && words === 2 ? moveTile8Pairs : plan.kind === 'swap' && plan.unit === 4 && words === 1 ? swapTile8 : null;
  odometer(outerDims, outerS, outerD, outerDims.length, s0, d0, (base, dBase) => {
    for (let j0 = 0; j0 < nJ; j0 += MIDDLE_BLOCK) {
      const count = Math.min(MIDDLE_BLOCK, nJ - j0);
      const s = base + j0 * sJ;
      const d = dBase + j0 * dJ;
      if (moveOne) transposeBlockMove(S, D, s, d, nA, sA, dA, nB, sB, dB, count, sJ, dJ);
      else if (kernel !== null) transposeBlock(kernel, words, S, D, s, d, nA, sA, dA, nB, sB, dB, count, sJ, dJ);
      else transposeBlockElements(plan, words, S, D, s, d, nA, sA, dA, nB, sB, dB, count, sJ, dJ);
    }
  });
}

/** Largest unit index moveTile8 may compute with 32-bit arithmetic. */
const INT32_INDEX_MAX = 2 ** 31 - 1;

/** Moves one full 8 x 8 tile (unit indexes and unit strides). */
type TileKernel = (S: UnitArray, D: UnitArray, s: number, d: number, sA: number, dA: number, sB: number, dB: number) => void;

// The tiled loops live in top-level functions taking every value as an argument, so the
// optimising compiler keeps them in registers (closure variables would be reloaded per item).

/**
 * One block of the transposing copy for single-unit moves: tiles over (A, B), middle rows
 * innermost. moveTile8 is called directly (not through a kernel argument) so the compiler
 * inlines it; with the 32-bit index arithmetic of moveTile8, 5-10% faster on B3 (A/B runs).
 */
function transposeBlockMove(
  S: UnitArray,
  D: UnitArray,
  base: number,
  dBase: number,
  nA: number,
  sA: number,
  dA: number,
  nB: number,
  sB: number,
  dB: number,
  nJ: number,
  sJ: number,
  dJ: number,
): void {
  for (let b0 = 0; b0 < nB; b0 += TILE) {
    const bCount = Math.min(TILE, nB - b0);
    for (let a0 = 0; a0 < nA; a0 += TILE) {
      const aCount = Math.min(TILE, nA - a0);
      let s = base + a0 * sA + b0 * sB;
      let d = dBase + a0 * dA + b0 * dB;
      if (aCount === TILE && bCount === TILE) {
        for (let j = 0; j < nJ; j++, s += sJ, d += dJ) moveTile8(S, D, s, d, sA, dA, sB, dB);
      } else {
        for (let j = 0; j < nJ; j++, s += sJ, d += dJ) moveTileEdge(1, S, D, s, d, aCount, sA, dA, bCount, sB, dB);
      }
    }
  }
}

/** One block of the transposing copy through a tile kernel: tiles over (A, B), middle rows innermost. */
function transposeBlock(
  kernel: TileKernel,
  words: number,
  S: UnitArray,
  D: UnitArray,
  base: number,
  dBase: number,
  nA: number,
  sA: number,
  dA: number,
  nB: number,
  sB: number,
  dB: number,
  nJ: number,
  sJ: number,
  dJ: number,
): void {
  for (let b0 = 0; b0 < nB; b0 += TILE) {
    const bCount = Math.min(TILE, nB - b0);
    for (let a0 = 0; a0 < nA; a0 += TILE) {
      const aCount = Math.min(TILE, nA - a0);
      let s = base + a0 * sA + b0 * sB;
      let d = dBase + a0 * dA + b0 * dB;
      if (aCount === TILE && bCount === TILE) {
        for (let j = 0; j < nJ; j++, s += sJ, d += dJ) kernel(S, D, s, d, sA, dA, sB, dB);
      } else if (kernel === swapTile8) {
        for (let j = 0; j < nJ; j++, s += sJ, d += dJ) swapTileEdge(S, D, s, d, aCount, sA, dA, bCount, sB, dB);
      } else {
        for (let j = 0; j < nJ; j++, s += sJ, d += dJ) moveTileEdge(words, S, D, s, d, aCount, sA, dA, bCount, sB, dB);
      }
    }
  }
}

/**
 * Moves an 8 x 8 tile: per B index, eight source items along A are read into locals, then
 * written. Grouping the reads before the writes lets the compiler check each array once per
 * group instead of once per item (a typed-array store invalidates what it knows of the arrays).
 * Index arithmetic is 32-bit (`| 0`, no overflow checks): every index used is a valid index of
 * an array shorter than 2^31 (the caller checks); only the unused step past the last row may wrap.
 */
function moveTile8(S: UnitArray, D: UnitArray, s: number, d: number, sA: number, dA: number, sB: number, dB: number): void {
  for (let b = 0; b < 8; b++, s = (s + sB) | 0, d = (d + dB) | 0) {
    let q = s;
    const x0 = S[q]!;
    q = (q + sA) | 0;
    const x1 = S[q]!;
    q = (q + sA) | 0;
    const x2 = S[q]!;
    q = (q + sA) | 0;
    const x3 = S[q]!;
    q = (q + sA) | 0;
    const x4 = S[q]!;
    q = (q + sA) | 0;
    const x5 = S[q]!;
    q = (q + sA) | 0;
    const x6 = S[q]!;
    q = (q + sA) | 0;
    const x7 = S[q]!;
    let o = d;
    D[o] = x0;
    o = (o + dA) | 0;
    D[o] = x1;
    o = (o + dA) | 0;
    D[o] = x2;
    o = (o + dA) | 0;
    D[o] = x3;
    o = (o + dA) | 0;
    D[o] = x4;
    o = (o + dA) | 0;
    D[o] = x5;
    o = (o + dA) | 0;
    D[o] = x6;
    o = (o + dA) | 0;
    D[o] = x7;
  }
}

/** moveTile8 for two-unit items (8-byte items moved as pairs of 32-bit words), four items per group. */
function moveTile8Pairs(S: UnitArray, D: UnitArray, s: number, d: number, sA: number, dA: number, sB: number, dB: number): void {
  for (let b = 0; b < 8; b++, s += sB, d += dB) {
    let q = s;
    let o = d;
    for (let half = 0; half < 2; half++) {
      const x0 = S[q]!;
      const y0 = S[q + 1]!;
      q += sA;
      const x1 = S[q]!;
      const y1 = S[q + 1]!;
      q += sA;
      const x2 = S[q]!;
      const y2 = S[q + 1]!;
      q += sA;
      const x3 = S[q]!;
      const y3 = S[q + 1]!;
      q += sA;
      D[o] = x0;
      D[o + 1] = y0;
      o += dA;
      D[o] = x1;
      D[o + 1] = y1;
      o += dA;
      D[o] = x2;
      D[o + 1] = y2;
      o += dA;
      D[o] = x3;
      D[o + 1] = y3;
      o += dA;
    }
  }
}

/** moveTile8 with each 32-bit unit byte-reversed (4-byte items between byte orders). */
function swapTile8(S: UnitArray, D: UnitArray, s: number, d: number, sA: number, dA: number, sB: number, dB: number): void {
  for (let b = 0; b < 8; b++, s += sB, d += dB) {
    let q = s;
    const x0 = S[q]!;
    q += sA;
    const x1 = S[q]!;
    q += sA;
    const x2 = S[q]!;
    q += sA;
    const x3 = S[q]!;
    q += sA;
    const x4 = S[q]!;
    q += sA;
    const x5 = S[q]!;
    q += sA;
    const x6 = S[q]!;
    q += sA;
    const x7 = S[q]!;
    let o = d;
    D[o] = bswap32(x0);
    o += dA;
    D[o] = bswap32(x1);
    o += dA;
    D[o] = bswap32(x2);
    o += dA;
    D[o] = bswap32(x3);
    o += dA;
    D[o] = bswap32(x4);
    o += dA;
    D[o] = bswap32(x5);
    o += dA;
    D[o] = bswap32(x6);
    o += dA;
    D[o] = bswap32(x7);
  }
}

/** A partial tile (at the A or B edge) of single- or multi-unit moves, item by item. */
function moveTileEdge(
  words: number,
  S: UnitArray,
  D: UnitArray,
  s: number,
  d: number,
  nA: number,
  sA: number,
  dA: number,
  nB: number,
  sB: number,
  dB: number,
): void {
  for (let b = 0; b < nB; b++, s += sB, d += dB) {
    let q = s;
    let o = d;
    for (let a = 0; a < nA; a++, q += sA, o += dA) for (let w = 0; w < words; w++) D[o + w] = S[q + w]!;
  }
}

/** A partial tile of 4-byte byte swaps. */
function swapTileEdge(S: UnitArray, D: UnitArray, s: number, d: number, nA: number, sA: number, dA: number, nB: number, sB: number, dB: number): void {
  for (let b = 0; b < nB; b++, s += sB, d += dB) {
    let q = s;
    let o = d;
    for (let a = 0; a < nA; a++, q += sA, o += dA) D[o] = bswap32(S[q]!);
  }
}

/**
 * The same block walk for the other item kinds (16-byte items, 2- and 8-byte swaps), through
 * elementKernel in runs of ELEMENT_TILE items, so the per-run dispatch stays small.
 */
function transposeBlockElements(
  plan: ItemPlan,
  words: number,
  S: UnitArray,
  D: UnitArray,
  base: number,
  dBase: number,
  nA: number,
  sA: number,
  dA: number,
  nB: number,
  sB: number,
  dB: number,
  nJ: number,
  sJ: number,
  dJ: number,
): void {
  for (let b0 = 0; b0 < nB; b0 += ELEMENT_TILE) {
    const bCount = Math.min(ELEMENT_TILE, nB - b0);
    for (let a0 = 0; a0 < nA; a0 += ELEMENT_TILE) {
      const aCount = Math.min(ELEMENT_TILE, nA - a0);
      let s = base + a0 * sA + b0 * sB;
      let d = dBase + a0 * dA + b0 * dB;
      for (let j = 0; j < nJ; j++, s += sJ, d += dJ) {
        for (let b = 0; b < bCount; b++) elementKernel(plan, words, S, D, s + b * sB, d + b * dB, aCount, sA, dA);
      }
    }
  }
}

type UnitArray = Int32Array | Uint16Array | Uint8Array;

function unitArray(buffer: BufferSource, unit: number): UnitArray {
  if (unit === 4) return new Int32Array(buffer, 0, Math.floor(buffer.byteLength / 4));
  if (unit === 2) return new Uint16Array(buffer, 0, Math.floor(buffer.byteLength / 2));
  return new Uint8Array(buffer);
}

/**
 * Runs `body(srcIndex, dstIndex)` once per position of dimensions `[0, count)` (the outer
 * dimensions), stepping indexes incrementally with precomputed carry steps.
 */
function odometer(
  dims: readonly number[],
  ss: readonly number[],
  ds: readonly number[],
  count: number,
  s: number,
  d: number,
  body: (s: number, d: number) => void,
): void {
  if (count === 0) {
    body(s, d);
    return;
  }
  const counters = new Array<number>(count).fill(0);
  const carryS = new Array<number>(count);
  const carryD = new Array<number>(count);
  let total = 1;
  for (let k = 0; k < count; k++) {
    carryS[k] = ss[k]! * dims[k]!;
    carryD[k] = ds[k]! * dims[k]!;
    total *= dims[k]!;
  }
  const lastOuter = count - 1;
  const n = dims[lastOuter]!;
  const sStep = ss[lastOuter]!;
  const dStep = ds[lastOuter]!;
  for (let done = 0; done < total;) {
    // The innermost outer dimension runs as a plain loop; carries happen once per n rows.
    for (let i = 0; i < n; i++) {
      body(s, d);
      s += sStep;
      d += dStep;
    }
    done += n;
    s -= carryS[lastOuter]!;
    d -= carryD[lastOuter]!;
    for (let k = lastOuter - 1; k >= 0; k--) {
      s += ss[k]!;
      d += ds[k]!;
      if (++counters[k]! < dims[k]!) break;
      counters[k] = 0;
      s -= carryS[k]!;
      d -= carryD[k]!;
    }
  }
}

function bswap32(x: number): number {
  return (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/** Copies `n` items `words` units wide, stepping `si`/`di` units, applying a move or swap plan. */
function elementKernel(plan: ItemPlan, words: number, S: UnitArray, D: UnitArray, s: number, d: number, n: number, si: number, di: number): void {
  if (plan.kind === 'move') {
    if (words === 1) {
      for (let i = 0; i < n; i++, s += si, d += di) D[d] = S[s]!;
    } else if (words === 2) {
      for (let i = 0; i < n; i++, s += si, d += di) {
        D[d] = S[s]!;
        D[d + 1] = S[s + 1]!;
      }
    } else {
      for (let i = 0; i < n; i++, s += si, d += di) for (let w = 0; w < words; w++) D[d + w] = S[s + w]!;
    }
    return;
  }
  if (plan.kind !== 'swap') return;
  if (plan.unit === 2) {
    // S and D are Uint16Array here.
    for (let i = 0; i < n; i++, s += si, d += di) {
      for (let w = 0; w < words; w++) {
        const x = S[s + w]!;
        D[d + w] = ((x & 0xff) << 8) | (x >>> 8);
      }
    }
    return;
  }
  if (plan.unit === 4) {
    for (let i = 0; i < n; i++, s += si, d += di) for (let w = 0; w < words; w++) D[d + w] = bswap32(S[s + w]!);
    return;
  }
  // 8-byte units as pairs of 32-bit words: swap the words and each word's bytes.
  for (let i = 0; i < n; i++, s += si, d += di) {
    for (let w = 0; w < words; w += 2) {
      const low = S[s + w]!;
      D[d + w] = bswap32(S[s + w + 1]!);
      D[d + w + 1] = bswap32(low);
    }
  }
}

function swapPermutation(itemsize: number, unit: number): Int32Array {
  const permutation = new Int32Array(itemsize);
  for (let base = 0; base < itemsize; base += unit) for (let j = 0; j < unit; j++) permutation[base + j] = base + unit - 1 - j;
  return permutation;
}

function permuteLoop(
  dims: readonly number[],
  ss: readonly number[],
  ds: readonly number[],
  so: number,
  dof: number,
  S: Uint8Array,
  D: Uint8Array,
  permutation: Int32Array,
): void {
  const itemsize = permutation.length;
  if (dims.length === 0) {
    for (let j = 0; j < itemsize; j++) D[dof + j] = S[so + permutation[j]!]!;
    return;
  }
  const last = dims.length - 1;
  const n = dims[last]!;
  const si = ss[last]!;
  const di = ds[last]!;
  odometer(dims, ss, ds, last, so, dof, (s, d) => {
    for (let i = 0; i < n; i++, s += si, d += di) for (let j = 0; j < itemsize; j++) D[d + j] = S[s + permutation[j]!]!;
  });
}

function convertLoop(
  dims: readonly number[],
  ss: readonly number[],
  ds: readonly number[],
  so: number,
  dof: number,
  srcBuffer: BufferSource,
  dstBuffer: BufferSource,
  plan: ItemPlan & { kind: 'convert' },
): void {
  const source = new DataView(srcBuffer);
  const target = new DataView(dstBuffer);
  const { read, write, dstBig, dstBool } = plan;
  const one = (s: number, d: number): void => {
    let value = read.read(source, s);
    if (dstBool) value = typeof value === 'boolean' ? value : value !== 0 && value !== 0n;
    else if (typeof value === 'boolean') value = dstBig ? BigInt(value) : Number(value);
    else if (typeof value === 'bigint' && !dstBig) value = Number(value);
    else if (typeof value === 'number' && dstBig && Number.isInteger(value)) value = BigInt(value);
    write.write(target, d, value);
  };
  if (dims.length === 0) {
    one(so, dof);
    return;
  }
  const last = dims.length - 1;
  const n = dims[last]!;
  const si = ss[last]!;
  const di = ds[last]!;
  odometer(dims, ss, ds, last, so, dof, (s, d) => {
    for (let i = 0; i < n; i++, s += si, d += di) one(s, d);
  });
}
