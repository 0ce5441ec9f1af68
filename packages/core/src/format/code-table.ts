// The struct codes of PEP 3118, shared by the parser and the printer (not part of the public API).
import type { ByteOrderChar, Endianness, ScalarKind } from './types.js';

/** Layout facts of one struct code. */
export interface CodeSpec {
  readonly kind: ScalarKind;
  readonly nativeSize: number;
  readonly nativeAlignment: number;
  /** Size in standard mode (`= < > !`), or 0 when the code has no standard size. */
  readonly standardSize: number;
  /**
   * For codes whose repeat count is a length rather than a sub-array (`s`, `p`, `x`, and the
   * NumPy string codes `w`/`u`): bytes per counted unit. Absent for every other code.
   */
  readonly unit?: number;
}

// Native sizes are those of the LP64 C ABI (Linux, macOS), which NumPy and CPython report there.
// `w` and `u` are counted like `s`: NumPy exports `<U5` as `5w` (one string of 5 UCS-4 units).
export const codeTable: Readonly<Record<string, CodeSpec>> = {
  c: { kind: 'char', nativeSize: 1, nativeAlignment: 1, standardSize: 1 },
  b: { kind: 'int', nativeSize: 1, nativeAlignment: 1, standardSize: 1 },
  B: { kind: 'uint', nativeSize: 1, nativeAlignment: 1, standardSize: 1 },
  '?': { kind: 'bool', nativeSize: 1, nativeAlignment: 1, standardSize: 1 },
  h: { kind: 'int', nativeSize: 2, nativeAlignment: 2, standardSize: 2 },
  H: { kind: 'uint', nativeSize: 2, nativeAlignment: 2, standardSize: 2 },
  i: { kind: 'int', nativeSize: 4, nativeAlignment: 4, standardSize: 4 },
  I: { kind: 'uint', nativeSize: 4, nativeAlignment: 4, standardSize: 4 },
  l: { kind: 'int', nativeSize: 8, nativeAlignment: 8, standardSize: 4 },
  L: { kind: 'uint', nativeSize: 8, nativeAlignment: 8, standardSize: 4 },
  q: { kind: 'int', nativeSize: 8, nativeAlignment: 8, standardSize: 8 },
  Q: { kind: 'uint', nativeSize: 8, nativeAlignment: 8, standardSize: 8 },
  n: { kind: 'int', nativeSize: 8, nativeAlignment: 8, standardSize: 0 },
  N: { kind: 'uint', nativeSize: 8, nativeAlignment: 8, standardSize: 0 },
  e: { kind: 'float', nativeSize: 2, nativeAlignment: 2, standardSize: 2 },
  f: { kind: 'float', nativeSize: 4, nativeAlignment: 4, standardSize: 4 },
  d: { kind: 'float', nativeSize: 8, nativeAlignment: 8, standardSize: 8 },
  g: { kind: 'float', nativeSize: 16, nativeAlignment: 16, standardSize: 16 },
  Zf: { kind: 'complex', nativeSize: 8, nativeAlignment: 4, standardSize: 8 },
  Zd: { kind: 'complex', nativeSize: 16, nativeAlignment: 8, standardSize: 16 },
  Zg: { kind: 'complex', nativeSize: 32, nativeAlignment: 16, standardSize: 32 },
  u: { kind: 'ucs2', nativeSize: 2, nativeAlignment: 2, standardSize: 2, unit: 2 },
  w: { kind: 'ucs4', nativeSize: 4, nativeAlignment: 4, standardSize: 4, unit: 4 },
  P: { kind: 'pointer', nativeSize: 8, nativeAlignment: 8, standardSize: 0 },
  O: { kind: 'object', nativeSize: 8, nativeAlignment: 8, standardSize: 0 },
  s: { kind: 'bytes', nativeSize: 1, nativeAlignment: 1, standardSize: 1, unit: 1 },
  p: { kind: 'bytes', nativeSize: 1, nativeAlignment: 1, standardSize: 1, unit: 1 },
  x: { kind: 'padding', nativeSize: 1, nativeAlignment: 1, standardSize: 1, unit: 1 },
};

/** The byte order of this machine. Every mainstream JavaScript engine host is little-endian. */
export const NATIVE_ENDIANNESS: Endianness = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';

/** True for `@` and `^`: native sizes. */
export function isNativeSizeMode(byteOrder: ByteOrderChar): boolean {
  return byteOrder === '@' || byteOrder === '^';
}

/** The endianness a byte-order character selects. */
export function endiannessOf(byteOrder: ByteOrderChar): Endianness {
  return byteOrder === '<' ? 'little' : byteOrder === '>' || byteOrder === '!' ? 'big' : NATIVE_ENDIANNESS;
}

/** Size of one unit of `code` under `byteOrder` (0 when the code has no size in that mode). */
export function unitSize(spec: CodeSpec, byteOrder: ByteOrderChar): number {
  return isNativeSizeMode(byteOrder) ? spec.nativeSize : spec.standardSize;
}

/** Alignment of `code` under `byteOrder`: native alignment in `@` mode only. */
export function unitAlignment(spec: CodeSpec, byteOrder: ByteOrderChar): number {
  return byteOrder === '@' ? spec.nativeAlignment : 1;
}

export function roundUp(value: number, alignment: number): number {
  return alignment <= 1 ? value : Math.ceil(value / alignment) * alignment;
}
