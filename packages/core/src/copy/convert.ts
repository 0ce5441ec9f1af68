// Numeric conversion with NumPy's astype semantics (plus explicit rounding and clamping), used by
// MemoryView.astype, MemoryView.copy and copyInto when a `casting` rule is given.
//
// Values go through one of a few loops chosen once per (source kind, target kind) pair, never a
// per-item dispatch:
//   - plain conversions between JavaScript-typed formats (integers up to 32 bits, float32,
//     float64, complex parts, 64-bit integers among themselves) are one TypedArray.prototype.set
//     per contiguous run: the engine's own conversion loop per element-type pair, whose ECMAScript
//     semantics (ToInt8 ... ToUint32, ToFloat32 = round half to even) are exactly NumPy's defined
//     results;
//   - rint + clamp into uint8 is one Uint8ClampedArray set (ToUint8Clamp is round-half-even and
//     saturating, i.e. np.clip(np.rint(x), 0, 255).astype(np.uint8) with NaN -> 0);
//   - everything else runs in blocks through a Float64Array scratch: a loader per source kind
//     (set, bool, float16 table, 64-bit words, complex de-interleave), the rounding and clamp
//     loops on Float64Array only, and a storer per target kind.
// 64-bit integers are handled as pairs of 32-bit words, never as per-item BigInts.
//
// NumPy leaves float -> integer casts of NaN, ±inf and values outside the target's range
// undefined (C undefined behaviour; NumPy warns "invalid value encountered in cast" and returns
// whatever the CPU does). Here they are defined as ECMAScript's ToIntN/ToUintN: NaN and ±inf
// give 0, other values are truncated toward zero and wrapped modulo 2^N, which is also what NumPy
// returns wherever its result is defined. `clamp` (saturation) is the way to a meaningful value.
import type { BufferSource } from '../buffer-info.js';
import { BufferError } from '../errors/buffer-error.js';
import { NATIVE_ENDIANNESS } from '../format/code-table.js';
import { parseFormat } from '../format/parse.js';
import { cStrides, isCContiguous, isDetached, layoutExtent } from '../layout.js';
import { halfToNumber, numberToHalf } from '../memory-view/float16.js';
import { canCastNumeric, castingNames, isCasting, numericFormat, type Casting, type NumericFormat } from './casting.js';
import { itemPlan, type ItemPlan } from './item-plan.js';
import { copyStrided, type StridedOperand } from './strided-copy.js';

/**
 * Rounding applied to float (and complex) values before they are converted, as NumPy's
 * `np.rint` (round half to even), `np.trunc`, `np.floor`, `np.ceil`. Without it, float ->
 * integer conversion truncates toward zero, as `astype`.
 */
export type Rounding = 'rint' | 'trunc' | 'floor' | 'ceil';

/** The value options of a converting copy. */
export interface ConversionOptions {
  /** NumPy's casting rule that decides which format pairs are allowed. */
  readonly casting: Casting;
  /** Rounding of float values before conversion (default: none, i.e. truncation into integers). */
  readonly rounding?: Rounding | undefined;
  /**
   * Saturate to the target's range first (`np.clip(x, min, max).astype(target)` with the target's
   * integer or finite float bounds; exact for 64-bit targets). No effect for `?` targets.
   */
  readonly clamp?: boolean | undefined;
}

/** A plan that converts values (as opposed to moving or swapping bytes). */
export interface ConversionPlan {
  readonly kind: 'values';
  readonly src: NumericFormat;
  readonly dst: NumericFormat;
  /** Null when there is nothing to round (no rounding asked, or an integer source). */
  readonly rounding: Rounding | null;
  readonly clamp: boolean;
}

const roundings: readonly Rounding[] = ['rint', 'trunc', 'floor', 'ceil'];

function invalidArgument(message: string, operation: string): never {
  throw new BufferError('ERR_INVALID_ARGUMENT', message, { details: { operation } });
}

/**
 * The plan for copying `srcFormat` items into `dstFormat` items under `options`: a byte move or
 * swap when the two formats hold the same values and nothing is to be rounded or clamped,
 * otherwise a value conversion.
 *
 * @throws {BufferError} `ERR_CASTING_RULE` (the pair is not allowed under `casting`),
 * `ERR_FORMAT_UNSUPPORTED` (a format without numeric conversion), `ERR_INVALID_ARGUMENT` (bad option).
 */
export function conversionPlan(srcFormat: string, dstFormat: string, options: ConversionOptions, operation: string): ItemPlan | ConversionPlan {
  const { casting, rounding, clamp } = options;
  if (!isCasting(casting))
    invalidArgument(`casting must be one of ${castingNames.map((c) => `'${c}'`).join(', ')}; received ${JSON.stringify(casting)}.`, operation);
  if (rounding !== undefined && !(roundings as readonly unknown[]).includes(rounding)) {
    invalidArgument(`rounding must be one of ${roundings.map((r) => `'${r}'`).join(', ')}; received ${JSON.stringify(rounding)}.`, operation);
  }
  if (clamp !== undefined && typeof clamp !== 'boolean') invalidArgument(`clamp must be a boolean; received ${typeof clamp}.`, operation);
  const srcType = parseFormat(srcFormat).type;
  const dstType = parseFormat(dstFormat).type;
  const src = numericFormat(srcType);
  const dst = numericFormat(dstType);
  if (src === null || dst === null) {
    const which = src === null ? srcFormat : dstFormat;
    const noConversion = (why: string): never => {
      throw new BufferError(
        'ERR_FORMAT_UNSUPPORTED',
        `Format ${JSON.stringify(which)} has no numeric conversion${why}: conversion covers "?", integers of 1-8 bytes, "e", "f", "d", "Zf" and "Zd". Records and strings copy only to the same format (byte order may differ); reinterpret bytes with view() or cast().`,
        {
          details: { operation, srcFormat, dstFormat },
        },
      );
    };
    if (rounding !== undefined || clamp === true) noConversion(', so rounding and clamp do not apply');
    // Records, strings and the like convert only to a format with the same values (byte order may differ).
    let plan: ItemPlan;
    try {
      plan = itemPlan(srcFormat, dstFormat, false);
    } catch (error) {
      if (BufferError.isInstance(error) && error.code === 'ERR_FORMAT_UNSUPPORTED') noConversion('');
      throw error;
    }
    if (casting === 'no' && plan.kind !== 'move') refuse(srcFormat, dstFormat, casting, operation);
    return plan;
  }
  if (!canCastNumeric(src, dst, casting)) refuse(srcFormat, dstFormat, casting, operation);
  const roundable = src.kind === 'float' || src.kind === 'complex';
  const effectiveRounding = roundable && rounding !== undefined ? rounding : null;
  const effectiveClamp = clamp === true && dst.kind !== 'bool';
  if (effectiveRounding === null && src.kind === dst.kind && src.size === dst.size && !(effectiveClamp && (dst.kind === 'float' || dst.kind === 'complex'))) {
    // The same values, perhaps in another byte order: the byte engine (move or swap) does it.
    return itemPlan(srcFormat, dstFormat, false);
  }
  return { kind: 'values', src, dst, rounding: effectiveRounding, clamp: effectiveClamp };
}

function refuse(srcFormat: string, dstFormat: string, casting: Casting, operation: string): never {
  const hint =
    casting === 'unsafe' ? '' : ` Pass casting: 'unsafe' to convert anyway (with rounding and clamp: true for a defined result), or a wider target format.`;
  throw new BufferError(
    'ERR_CASTING_RULE',
    `Cannot cast items of format ${JSON.stringify(srcFormat)} to ${JSON.stringify(dstFormat)} according to the rule '${casting}' (as NumPy's can_cast).${hint}`,
    {
      details: { operation, srcFormat, dstFormat, casting },
    },
  );
}

// ---------------------------------------------------------------- strided driver

/** Items converted per block of the scratch pipeline (two Float64Array blocks: 64 KiB). */
const BLOCK = 4096;
/** Rows shorter than this are gathered into one contiguous run first: per-row overhead would dominate. */
const ROW_MIN = 256;

function partSize(format: NumericFormat): number {
  return format.kind === 'complex' ? format.size / 2 : format.size;
}

function isNative(format: NumericFormat): boolean {
  return partSize(format) === 1 || format.endianness === NATIVE_ENDIANNESS;
}

function byteOrderPlan(format: NumericFormat): ItemPlan {
  const unit = partSize(format);
  return isNative(format) ? { kind: 'move' } : { kind: 'swap', unit: unit as 2 | 4 | 8 };
}

/** True when a direct operand's offset and strides are multiples of its part size (TypedArray-addressable). */
function isAligned(operand: StridedOperand, unit: number): boolean {
  if (operand.byteOffset % unit !== 0) return false;
  for (const stride of operand.strides) if (stride % unit !== 0) return false;
  return true;
}

function usable(operand: StridedOperand, format: NumericFormat): boolean {
  return operand.indirect === null && isNative(format) && isAligned(operand, partSize(format));
}

function sharesMemory(a: StridedOperand, b: StridedOperand): boolean {
  const buffers = (operand: StridedOperand): BufferSource[] =>
    operand.indirect === null ? [operand.buffer] : operand.indirect.segments.map((segment) => segment.buffer);
  const targets = new Set(buffers(b));
  return buffers(a).some((buffer) => targets.has(buffer));
}

/** A C-contiguous native-order copy of `operand` (the source side of a conversion). */
function compact(operand: StridedOperand, format: NumericFormat, count: number): StridedOperand {
  const buffer = new ArrayBuffer(count * format.size);
  const out: StridedOperand = {
    buffer,
    byteOffset: 0,
    shape: operand.shape,
    strides: cStrides(operand.shape, format.size),
    itemsize: format.size,
    indirect: null,
  };
  copyStrided(operand, out, byteOrderPlan(format));
  return out;
}

/**
 * Converts every item of `src` into the item of `dst` at the same index (equal shapes), reading
 * all of `src` before writing when the two share memory.
 */
export function convertStrided(src: StridedOperand, dst: StridedOperand, plan: ConversionPlan): void {
  let count = 1;
  for (const dim of src.shape) count *= dim;
  if (count === 0) return;
  assertReachable(src, 'source');
  assertReachable(dst, 'destination');
  let source = src;
  if (!usable(source, plan.src) || sharesMemory(source, dst)) source = compact(source, plan.src, count);
  if (usable(dst, plan.dst) && convertRows(source, dst, plan)) return;
  if (!isCContiguous(source.shape, source.strides, plan.src.size)) source = compact(source, plan.src, count);
  if (usable(dst, plan.dst) && isCContiguous(dst.shape, dst.strides, plan.dst.size)) {
    convertRun(plan, source.buffer, source.byteOffset, dst.buffer, dst.byteOffset, count);
    return;
  }
  // A strided, indirect, misaligned or byte-swapped target: convert into native C order, then
  // let the byte engine scatter (and swap) into place.
  const buffer = new ArrayBuffer(count * plan.dst.size);
  convertRun(plan, source.buffer, source.byteOffset, buffer, 0, count);
  const temp: StridedOperand = {
    buffer,
    byteOffset: 0,
    shape: src.shape,
    strides: cStrides(src.shape, plan.dst.size),
    itemsize: plan.dst.size,
    indirect: null,
  };
  copyStrided(temp, dst, byteOrderPlan(plan.dst));
}

/**
 * Memory can go away under a view without the export lock knowing (an ArrayBuffer transferred
 * with postMessage or structuredClone, a resizable one shrunk): refuse with a typed error rather
 * than let a TypedArray constructor throw, or read what is no longer there.
 */
function assertReachable(operand: StridedOperand, side: string): void {
  const buffers = operand.indirect === null ? [operand.buffer] : operand.indirect.segments.map((segment) => segment.buffer);
  for (const buffer of buffers) {
    if (isDetached(buffer)) {
      throw new BufferError(
        'ERR_BUFFER_DETACHED',
        `The ${side} memory of the conversion was detached (transferred) after the view was taken; its data is gone. Take a new view of the object that now owns it.`,
        {
          details: { operation: 'convert' },
        },
      );
    }
  }
  if (operand.indirect !== null) return;
  const extent = layoutExtent(operand.shape, operand.strides, operand.itemsize);
  if (extent !== null && (operand.byteOffset + extent.low < 0 || operand.byteOffset + extent.high > operand.buffer.byteLength)) {
    throw new BufferError(
      'ERR_BUFFER_OUT_OF_BOUNDS',
      `The ${side} view reaches byte ${operand.byteOffset + extent.high} of a buffer that now has ${operand.buffer.byteLength} bytes (it was resized after the view was taken).`,
      {
        details: { operation: 'convert' },
      },
    );
  }
}

/**
 * Runs the conversion row by row when, after dropping unit dimensions and merging, both sides
 * are contiguous along the innermost dimension with rows long enough; false otherwise.
 */
function convertRows(src: StridedOperand, dst: StridedOperand, plan: ConversionPlan): boolean {
  const dims: number[] = [];
  const ss: number[] = [];
  const ds: number[] = [];
  for (let k = 0; k < src.shape.length; k++) {
    if (src.shape[k] === 1) continue;
    dims.push(src.shape[k]!);
    ss.push(src.strides[k]!);
    ds.push(dst.strides[k]!);
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
  const last = dims.length - 1;
  if (last < 0) {
    convertRun(plan, src.buffer, src.byteOffset, dst.buffer, dst.byteOffset, 1);
    return true;
  }
  if (ss[last] !== plan.src.size || ds[last] !== plan.dst.size) return false;
  const n = dims[last]!;
  if (last > 0 && n < ROW_MIN) return false;
  // Odometer over the outer dimensions.
  const counters = new Array<number>(last).fill(0);
  let s = src.byteOffset;
  let d = dst.byteOffset;
  for (;;) {
    convertRun(plan, src.buffer, s, dst.buffer, d, n);
    let k = last - 1;
    for (; k >= 0; k--) {
      s += ss[k]!;
      d += ds[k]!;
      if (++counters[k]! < dims[k]!) break;
      counters[k] = 0;
      s -= ss[k]! * dims[k]!;
      d -= ds[k]! * dims[k]!;
    }
    if (k < 0) return true;
  }
}

// ---------------------------------------------------------------- contiguous runs

type NumberArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** The TypedArray whose element type is exactly this format's (parts for complex); null for bool, float16 and 64-bit integers. */
function numberArrayOf(format: NumericFormat): NumberArrayConstructor | null {
  switch (format.kind) {
    case 'int':
      return format.size === 1 ? Int8Array : format.size === 2 ? Int16Array : format.size === 4 ? Int32Array : null;
    case 'uint':
      return format.size === 1 ? Uint8Array : format.size === 2 ? Uint16Array : format.size === 4 ? Uint32Array : null;
    case 'float':
      return format.size === 4 ? Float32Array : format.size === 8 ? Float64Array : null;
    case 'complex':
      return format.size === 8 ? Float32Array : Float64Array;
    default:
      return null;
  }
}

function is64(format: NumericFormat): boolean {
  return (format.kind === 'int' || format.kind === 'uint') && format.size === 8;
}

const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;
const TWO_64 = 18446744073709551616;
/** Index of the low 32-bit word of a native 64-bit integer. */
const LOW = NATIVE_ENDIANNESS === 'little' ? 0 : 1;
const HIGH = 1 - LOW;

/** Lower and upper bound of a target for clamping (64-bit integers saturate in their storer). */
function boundsOf(format: NumericFormat): [number, number] {
  switch (format.kind) {
    case 'int':
      return format.size === 8 ? [-TWO_63, TWO_63] : [-(2 ** (format.size * 8 - 1)), 2 ** (format.size * 8 - 1) - 1];
    case 'uint':
      return format.size === 8 ? [0, TWO_64] : [0, 2 ** (format.size * 8) - 1];
    case 'float':
    case 'complex': {
      const part = partSize(format);
      const max = part === 2 ? 65504 : part === 4 ? 3.4028234663852886e38 : Number.MAX_VALUE;
      return [-max, max];
    }
    default:
      return [-Infinity, Infinity];
  }
}

/**
 * Converts `count` contiguous native items at `srcOffset` into contiguous native items at
 * `dstOffset` (both aligned to their part size, not overlapping).
 */
export function convertRun(plan: ConversionPlan, srcBuffer: BufferSource, srcOffset: number, dstBuffer: BufferSource, dstOffset: number, count: number): void {
  const { src, dst, rounding, clamp } = plan;
  const srcArray = numberArrayOf(src);
  const dstArray = numberArrayOf(dst);
  const perItem = src.kind === 'complex' ? 2 : 1;
  // Fast path 1: a plain conversion the engine does natively (same "number-ness" on both sides).
  if (rounding === null && !clamp && srcArray !== null && dstArray !== null && (src.kind === 'complex') === (dst.kind === 'complex')) {
    new dstArray(dstBuffer as ArrayBuffer, dstOffset, count * perItem).set(new srcArray(srcBuffer as ArrayBuffer, srcOffset, count * perItem));
    return;
  }
  if (rounding === null && !clamp && is64(src) && is64(dst)) {
    // Between int64 and uint64 the bits stay (NumPy wraps): move the words.
    new Int32Array(dstBuffer, dstOffset, count * 2).set(new Int32Array(srcBuffer, srcOffset, count * 2));
    return;
  }
  // Fast path 2: rint + clamp into uint8 is ToUint8Clamp (NaN -> 0).
  if (
    clamp &&
    dst.kind === 'uint' &&
    dst.size === 1 &&
    srcArray !== null &&
    src.kind !== 'complex' &&
    (rounding === 'rint' || (src.kind !== 'float' && rounding === null))
  ) {
    new Uint8ClampedArray(dstBuffer, dstOffset, count).set(new srcArray(srcBuffer as ArrayBuffer, srcOffset, count));
    return;
  }
  if (is64(src) && is64(dst)) {
    convert64To64(plan, new Int32Array(srcBuffer, srcOffset, count * 2), new Int32Array(dstBuffer, dstOffset, count * 2), count);
    return;
  }
  const re = new Float64Array(Math.min(BLOCK, count));
  const im = src.kind === 'complex' ? new Float64Array(re.length) : null;
  const [low, high] = boundsOf(dst);
  const load = loaderFor(plan, srcBuffer, srcOffset, count);
  const store = storerFor(plan, dstBuffer, dstOffset, count);
  for (let start = 0; start < count; start += BLOCK) {
    const n = Math.min(BLOCK, count - start);
    load(re, im, start, n);
    if (rounding !== null) {
      roundBlock(re, n, rounding);
      if (im !== null) roundBlock(im, n, rounding);
    }
    if (clamp && !is64(dst)) {
      clampBlock(re, n, low, high);
      if (im !== null && dst.kind === 'complex') clampBlock(im, n, low, high);
    }
    store(re, im, start, n);
  }
}

type Loader = (re: Float64Array, im: Float64Array | null, start: number, n: number) => void;
type Storer = (re: Float64Array, im: Float64Array | null, start: number, n: number) => void;

let halfTable: Float64Array | null = null;

/** float16 bits -> value for all 65536 patterns (512 KiB, built on first use). */
function halfValues(): Float64Array {
  if (halfTable === null) {
    halfTable = new Float64Array(65536);
    for (let bits = 0; bits < 65536; bits++) halfTable[bits] = halfToNumber(bits);
  }
  return halfTable;
}

function loaderFor(plan: ConversionPlan, buffer: BufferSource, offset: number, count: number): Loader {
  const { src, dst } = plan;
  const array = numberArrayOf(src);
  if (src.kind === 'complex') {
    const parts = new array!(buffer as ArrayBuffer, offset, count * 2);
    return (re, im, start, n) => {
      for (let i = 0, j = start * 2; i < n; i++, j += 2) {
        re[i] = parts[j]!;
        im![i] = parts[j + 1]!;
      }
    };
  }
  if (array !== null) {
    const values = new array(buffer as ArrayBuffer, offset, count);
    return (re, _im, start, n) => re.set(values.subarray(start, start + n));
  }
  if (src.kind === 'bool') {
    const bytes = new Uint8Array(buffer, offset, count);
    return (re, _im, start, n) => {
      for (let i = 0; i < n; i++) re[i] = bytes[start + i] !== 0 ? 1 : 0;
    };
  }
  if (src.kind === 'float') {
    const table = halfValues();
    const bits = new Uint16Array(buffer, offset, count);
    return (re, _im, start, n) => {
      for (let i = 0; i < n; i++) re[i] = table[bits[start + i]!]!;
    };
  }
  // 64-bit integers, from their 32-bit words.
  const words = new Int32Array(buffer, offset, count * 2);
  const signed = src.kind === 'int';
  if ((dst.kind === 'int' || dst.kind === 'uint') && !plan.clamp) {
    // Wrapping into 32 bits or fewer keeps only the low word (and the storer wraps further).
    return (re, _im, start, n) => {
      for (let i = 0, j = start * 2 + LOW; i < n; i++, j += 2) re[i] = words[j]!;
    };
  }
  if ((dst.kind === 'float' || dst.kind === 'complex') && partSize(dst) === 4) {
    return (re, _im, start, n) => {
      for (let i = 0, j = start * 2; i < n; i++, j += 2) re[i] = int64ForFloat32(words[j + HIGH]!, words[j + LOW]!, signed);
    };
  }
  return signed
    ? (re, _im, start, n) => {
        for (let i = 0, j = start * 2; i < n; i++, j += 2) re[i] = words[j + HIGH]! * TWO_32 + (words[j + LOW]! >>> 0);
      }
    : (re, _im, start, n) => {
        for (let i = 0, j = start * 2; i < n; i++, j += 2) re[i] = (words[j + HIGH]! >>> 0) * TWO_32 + (words[j + LOW]! >>> 0);
      };
}

/**
 * A 64-bit integer as a double that rounds to the correctly rounded float32: exact below 2^53;
 * above, the bits a double cannot keep are folded into its last bit (round to odd), so that the
 * float32 rounding that follows is not a second rounding of an already rounded value.
 */
function int64ForFloat32(high: number, low: number, signed: boolean): number {
  let negative = false;
  let hi = high >>> 0;
  let lo = low >>> 0;
  if (signed && high < 0) {
    negative = true;
    // Two's complement negation of the 64-bit word pair.
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  if (hi < 0x200000) {
    const value = hi * TWO_32 + lo;
    return negative ? -value : value;
  }
  // Bits beyond 53 significant ones: 32 + bit length of hi - 53.
  const shift = 32 - Math.clz32(hi) + 32 - 53;
  const mask = (1 << shift) - 1;
  if ((lo & mask) !== 0) lo = ((lo & ~mask) | (1 << shift)) >>> 0;
  const value = hi * TWO_32 + lo;
  return negative ? -value : value;
}

function storerFor(plan: ConversionPlan, buffer: BufferSource, offset: number, count: number): Storer {
  const { dst, clamp } = plan;
  const array = numberArrayOf(dst);
  if (dst.kind === 'complex') {
    const parts = new array!(buffer as ArrayBuffer, offset, count * 2);
    return (re, im, start, n) => {
      if (im === null) {
        for (let i = 0, j = start * 2; i < n; i++, j += 2) {
          parts[j] = re[i]!;
          parts[j + 1] = 0;
        }
      } else {
        for (let i = 0, j = start * 2; i < n; i++, j += 2) {
          parts[j] = re[i]!;
          parts[j + 1] = im[i]!;
        }
      }
    };
  }
  if (array !== null) {
    const values = new array(buffer as ArrayBuffer, offset, count);
    return (re, _im, start, n) => values.set(n === re.length ? re : re.subarray(0, n), start);
  }
  if (dst.kind === 'bool') {
    const bytes = new Uint8Array(buffer, offset, count);
    return (re, im, start, n) => {
      if (im === null) for (let i = 0; i < n; i++) bytes[start + i] = re[i] !== 0 ? 1 : 0;
      else for (let i = 0; i < n; i++) bytes[start + i] = re[i] !== 0 || im[i] !== 0 ? 1 : 0;
    };
  }
  if (dst.kind === 'float') {
    const bits = new Uint16Array(buffer, offset, count);
    return (re, _im, start, n) => {
      for (let i = 0; i < n; i++) bits[start + i] = toHalfBits(re[i]!);
    };
  }
  const words = new Int32Array(buffer, offset, count * 2);
  const signed = dst.kind === 'int';
  return (re, _im, start, n) => {
    for (let i = 0, j = start * 2; i < n; i++, j += 2) storeInt64(words, j, re[i]!, signed, clamp);
  };
}

/**
 * Stores a double into a 64-bit integer's words: truncated toward zero; NaN gives 0; out of
 * range, saturated with `clamp` (±inf included), otherwise wrapped modulo 2^64 (±inf give 0).
 */
function storeInt64(words: Int32Array, j: number, value: number, signed: boolean, clamp: boolean): void {
  let x = Math.trunc(value);
  if (x !== x) x = 0;
  if (clamp) {
    if (signed) {
      if (x >= TWO_63) {
        words[j + HIGH] = 0x7fffffff;
        words[j + LOW] = -1;
        return;
      }
      if (x < -TWO_63) {
        words[j + HIGH] = -0x80000000;
        words[j + LOW] = 0;
        return;
      }
    } else {
      if (x >= TWO_64) {
        words[j + HIGH] = -1;
        words[j + LOW] = -1;
        return;
      }
      if (x < 0) x = 0;
    }
  } else if (x === Infinity || x === -Infinity) {
    x = 0;
  }
  // |x| modulo 2^64, exactly: every step below is exact for an integer-valued double.
  const magnitude = Math.abs(x);
  const wrapped = magnitude < TWO_64 ? magnitude : magnitude - Math.floor(magnitude / TWO_64) * TWO_64;
  let hi = Math.floor(wrapped / TWO_32);
  let lo = wrapped - hi * TWO_32;
  if (x < 0) {
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  words[j + HIGH] = hi | 0;
  words[j + LOW] = lo | 0;
}

/** 64-bit to 64-bit integers with clamp (saturation between int64 and uint64). */
function convert64To64(plan: ConversionPlan, from: Int32Array, to: Int32Array, count: number): void {
  const fromSigned = plan.src.kind === 'int';
  const toSigned = plan.dst.kind === 'int';
  for (let i = 0, j = 0; i < count; i++, j += 2) {
    let hi = from[j + HIGH]!;
    let lo = from[j + LOW]!;
    if (fromSigned !== toSigned && plan.clamp && hi < 0) {
      // Signed negative into unsigned: 0. Unsigned >= 2^63 into signed: the maximum.
      if (fromSigned) {
        hi = 0;
        lo = 0;
      } else {
        hi = 0x7fffffff;
        lo = -1;
      }
    }
    to[j + HIGH] = hi;
    to[j + LOW] = lo;
  }
}

/** 1.5 * 2^52: adding and subtracting it rounds |x| < 2^51 to an integer, half to even (the FPU's rounding), without a branch. */
const ROUNDER = 6755399441055744;

function rint(x: number): number {
  if (!(Math.abs(x) < 2251799813685248)) {
    // NaN, ±inf and |x| >= 2^51 (where only halves below 2^52 remain): Math.round rounds halves up.
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }
  const r = x + ROUNDER - ROUNDER;
  // Keep the sign of zero, as np.rint(-0.3) is -0.0.
  return r === 0 ? x * 0 : r;
}

function roundBlock(values: Float64Array, n: number, rounding: Rounding): void {
  switch (rounding) {
    case 'rint':
      for (let i = 0; i < n; i++) values[i] = rint(values[i]!);
      return;
    case 'trunc':
      for (let i = 0; i < n; i++) values[i] = Math.trunc(values[i]!);
      return;
    case 'floor':
      for (let i = 0; i < n; i++) values[i] = Math.floor(values[i]!);
      return;
    case 'ceil':
      for (let i = 0; i < n; i++) values[i] = Math.ceil(values[i]!);
      return;
  }
}

function clampBlock(values: Float64Array, n: number, low: number, high: number): void {
  // Math.min/max keep NaN (and -0) and compile without branches, which random data would mispredict.
  for (let i = 0; i < n; i++) values[i] = Math.min(Math.max(values[i]!, low), high);
}

// float64 -> float16 bits from the double's own bits (a Float64Array aliased by 32-bit words):
// round half to even on the 42 bits float16 drops, the carry running into the exponent (and up
// to infinity) as IEEE rounding does. Subnormal results (rare) take numberToHalf.
const halfScratch = new Float64Array(1);
const halfWords = new Uint32Array(halfScratch.buffer);

function toHalfBits(value: number): number {
  halfScratch[0] = value;
  const high = halfWords[HIGH]!;
  const low = halfWords[LOW]!;
  const sign = (high >>> 16) & 0x8000;
  const exponent = (high >>> 20) & 0x7ff;
  if (exponent === 0x7ff) return (high & 0xfffff) !== 0 || low !== 0 ? 0x7e00 : sign | 0x7c00;
  const e = exponent - 1023;
  if (e > 15) return sign | 0x7c00;
  if (e < -14) return numberToHalf(value);
  const mantissa = (high >>> 10) & 0x3ff;
  const round = (high >>> 9) & 1;
  const sticky = (high & 0x1ff) | low;
  let bits = ((e + 15) << 10) | mantissa;
  if (round !== 0 && (sticky !== 0 || (mantissa & 1) !== 0)) bits++;
  return sign | bits;
}
