// How one item of a source format becomes one item of a destination format: a plain move, a
// byte swap, a byte permutation (records with mixed byte orders), or an explicit numeric
// conversion through the item codecs.
import { BufferError } from '../errors/buffer-error.js';
import { parseFormat } from '../format/parse.js';
import type { FormatType } from '../format/types.js';
import { codecFor, type ItemCodec } from '../memory-view/codec.js';

/** What the copy engine does per item. */
export type ItemPlan =
  | { readonly kind: 'move' }
  | { readonly kind: 'swap'; readonly unit: 2 | 4 | 8 }
  | { readonly kind: 'permute'; readonly permutation: Int32Array }
  | {
      readonly kind: 'convert';
      readonly read: ItemCodec;
      readonly write: ItemCodec;
      readonly srcBig: boolean;
      readonly dstBig: boolean;
      readonly dstBool: boolean;
    };

const MOVE: ItemPlan = { kind: 'move' };

/**
 * The plan for copying items of `srcFormat` into items of `dstFormat`. Formats that describe
 * the same values in a different byte order need no option; other numeric formats need
 * `convert` (as NumPy's `astype`, but refusing values that do not fit).
 *
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` when the formats describe different values and no conversion applies.
 */
export function itemPlan(srcFormat: string, dstFormat: string, convert: boolean): ItemPlan {
  if (srcFormat === dstFormat) return MOVE;
  const src = parseFormat(srcFormat);
  const dst = parseFormat(dstFormat);
  if (src.itemsize === dst.itemsize) {
    const permutation = new Int32Array(src.itemsize);
    for (let i = 0; i < permutation.length; i++) permutation[i] = i;
    const units = new Set<number>();
    if (matchTypes(src.type, dst.type, 0, permutation, units)) {
      let identity = true;
      for (let i = 0; i < permutation.length; i++) if (permutation[i] !== i) identity = false;
      if (identity) return MOVE;
      const unit = units.size === 1 ? [...units][0]! : 0;
      if ((unit === 2 || unit === 4 || unit === 8) && coversWhole(permutation, unit)) return { kind: 'swap', unit };
      return { kind: 'permute', permutation };
    }
  }
  if (convert) {
    const srcKind = numericKind(src.type);
    const dstKind = numericKind(dst.type);
    if (srcKind !== null && dstKind !== null && (srcKind === 'complex') === (dstKind === 'complex')) {
      const read = codecFor(srcFormat);
      const write = codecFor(dstFormat);
      if (read.itemisable && write.itemisable) {
        return {
          kind: 'convert',
          read,
          write,
          srcBig: isBig(src.type),
          dstBig: isBig(dst.type),
          dstBool: dst.type.kind === 'scalar' && dst.type.valueKind === 'bool',
        };
      }
    }
  }
  const hint = convert
    ? 'conversion applies only between numeric formats (integers, floats, booleans; complex to complex)'
    : "pass { casting: 'unsafe' } (NumPy's astype rules, with rounding and clamp if you need them) or { convert: true } (exact values only) to convert numbers, or view()/cast() to reinterpret bytes";
  throw new BufferError(
    'ERR_FORMAT_UNSUPPORTED',
    `Cannot copy items of format ${JSON.stringify(srcFormat)} into items of format ${JSON.stringify(dstFormat)}: the formats describe different values; ${hint}.`,
    {
      details: { operation: 'copy', srcFormat, dstFormat },
    },
  );
}

function numericKind(type: FormatType): 'real' | 'complex' | null {
  if (type.kind !== 'scalar') return null;
  switch (type.valueKind) {
    case 'int':
    case 'uint':
    case 'float':
    case 'bool':
      return 'real';
    case 'complex':
      return 'complex';
    default:
      return null;
  }
}

function isBig(type: FormatType): boolean {
  return type.kind === 'scalar' && (type.valueKind === 'int' || type.valueKind === 'uint') && type.size === 8;
}

function coversWhole(permutation: Int32Array, unit: number): boolean {
  for (let base = 0; base < permutation.length; base += unit) {
    for (let j = 0; j < unit; j++) if (permutation[base + j] !== base + unit - 1 - j) return false;
  }
  return true;
}

/** Walks two item types in parallel; fills `permutation` (destination byte -> source byte). */
function matchTypes(a: FormatType, b: FormatType, base: number, permutation: Int32Array, units: Set<number>): boolean {
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    if (a.valueKind !== b.valueKind || a.size !== b.size) return false;
    if ((a.valueKind === 'char' || a.valueKind === 'bytes') && a.code !== b.code) return false;
    if (a.endianness === b.endianness || a.size === 1) return true;
    switch (a.valueKind) {
      case 'int':
      case 'uint':
      case 'float':
      case 'pointer':
      case 'ucs2':
      case 'ucs4':
        reverse(permutation, base, a.size, units);
        return true;
      case 'complex':
        reverse(permutation, base, a.size / 2, units);
        reverse(permutation, base + a.size / 2, a.size / 2, units);
        return true;
      default:
        return true;
    }
  }
  if (a.kind === 'struct' && b.kind === 'struct') {
    if (a.fields.length !== b.fields.length || a.size !== b.size) return false;
    for (let i = 0; i < a.fields.length; i++) {
      const fa = a.fields[i]!;
      const fb = b.fields[i]!;
      if (
        fa.name !== fb.name ||
        fa.offset !== fb.offset ||
        fa.padding !== fb.padding ||
        fa.shape.length !== fb.shape.length ||
        fa.shape.some((d, k) => d !== fb.shape[k])
      )
        return false;
      if (fa.padding) continue;
      let count = 1;
      for (const dim of fa.shape) count *= dim;
      for (let k = 0; k < count; k++) if (!matchTypes(fa.type, fb.type, base + fa.offset + k * fa.type.size, permutation, units)) return false;
    }
    return true;
  }
  return false;
}

function reverse(permutation: Int32Array, base: number, size: number, units: Set<number>): void {
  units.add(size);
  for (let j = 0; j < size; j++) permutation[base + j] = base + size - 1 - j;
}
