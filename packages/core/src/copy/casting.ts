// NumPy's casting rules between numeric formats ('no', 'equiv', 'safe', 'same_kind', 'unsafe'),
// as np.can_cast answers them for the dtypes a PEP 3118 scalar format names. The tables are
// derived from three facts NumPy's own tables follow, and the peer test compares every pair with
// np.can_cast: (1) a safe cast keeps every value (bool -> anything; integers into wider integers,
// unsigned into a strictly wider signed; integers into the float whose mantissa holds them, with
// NumPy's exception that 64-bit integers go to float64; floats into wider floats; reals into the
// complex whose parts hold them); (2) 'same_kind' adds every cast that does not go down NumPy's
// kind order bool < unsigned < signed < float < complex; (3) 'equiv' allows byte-order changes only.
import { BufferError } from '../errors/buffer-error.js';
import { parseFormat } from '../format/parse.js';
import type { Endianness, FormatType } from '../format/types.js';

/** NumPy's casting rules, from the strictest: `'no'` (identical), `'equiv'` (byte order only), `'safe'`, `'same_kind'`, `'unsafe'`. */
export type Casting = 'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe';

/** The numeric kinds of NumPy, in its kind order. */
export type NumericKind = 'bool' | 'uint' | 'int' | 'float' | 'complex';

/** A scalar numeric format reduced to what conversion needs. */
export interface NumericFormat {
  readonly kind: NumericKind;
  /** Bytes per item (a complex item holds two parts of size / 2). */
  readonly size: number;
  readonly endianness: Endianness;
}

const castings: readonly Casting[] = ['no', 'equiv', 'safe', 'same_kind', 'unsafe'];

const kindOrder: Readonly<Record<NumericKind, number>> = { bool: 0, uint: 1, int: 2, float: 3, complex: 4 };

/** True when `value` names a casting rule. */
export function isCasting(value: unknown): value is Casting {
  return typeof value === 'string' && (castings as readonly string[]).includes(value);
}

/**
 * The numeric reading of a parsed format: bool, integers of 1, 2, 4, 8 bytes, floats of 2, 4, 8
 * bytes and complex of 8, 16 bytes; null for everything else (long double, strings, pointers,
 * records, sub-arrays), which has no numeric conversion.
 */
export function numericFormat(type: FormatType): NumericFormat | null {
  if (type.kind !== 'scalar') return null;
  const { valueKind, size, endianness } = type;
  switch (valueKind) {
    case 'bool':
      return { kind: 'bool', size, endianness };
    case 'int':
    case 'uint':
      return size === 1 || size === 2 || size === 4 || size === 8 ? { kind: valueKind, size, endianness } : null;
    case 'float':
      return size === 2 || size === 4 || size === 8 ? { kind: 'float', size, endianness } : null;
    case 'complex':
      return size === 8 || size === 16 ? { kind: 'complex', size, endianness } : null;
    default:
      return null;
  }
}

/** Smallest float size that holds every integer of `size` bytes as NumPy counts it (64-bit integers: float64). */
function floatSizeFor(kind: 'int' | 'uint', size: number): number {
  return size === 1 ? 2 : size === 2 ? 4 : 8;
}

function isSafe(from: NumericFormat, to: NumericFormat): boolean {
  if (from.kind === 'bool') return true;
  switch (to.kind) {
    case 'bool':
      return false;
    case 'uint':
      return from.kind === 'uint' && to.size >= from.size;
    case 'int':
      return (from.kind === 'int' && to.size >= from.size) || (from.kind === 'uint' && to.size > from.size);
    case 'float':
      if (from.kind === 'float') return to.size >= from.size;
      return (from.kind === 'int' || from.kind === 'uint') && to.size >= floatSizeFor(from.kind, from.size);
    case 'complex': {
      const part = to.size / 2;
      if (from.kind === 'complex') return to.size >= from.size;
      if (from.kind === 'float') return part >= from.size;
      return part >= floatSizeFor(from.kind, from.size);
    }
  }
}

/** np.can_cast for two numeric formats. */
export function canCastNumeric(from: NumericFormat, to: NumericFormat, casting: Casting): boolean {
  const sameType = from.kind === to.kind && from.size === to.size;
  switch (casting) {
    case 'no':
      return sameType && (from.endianness === to.endianness || from.size === 1);
    case 'equiv':
      return sameType;
    case 'safe':
      return isSafe(from, to);
    case 'same_kind':
      return isSafe(from, to) || kindOrder[from.kind] <= kindOrder[to.kind];
    case 'unsafe':
      return true;
  }
}

/**
 * NumPy's `np.can_cast(from, to, casting)` for two numeric PEP 3118 formats (`?`, integers,
 * `e f d`, `Zf Zd`, any byte order): whether `astype` / `MemoryView.copy` with that `casting`
 * accepts the pair.
 *
 * @example
 * ```ts
 * import { canCast } from '@interop/core';
 * canCast('B', '<d', 'safe'); // true
 * canCast('d', 'B', 'same_kind'); // false: a float does not go down to an integer
 * canCast('<i', '>i', 'no'); // false; 'equiv' allows it
 * ```
 * @throws {BufferError} `ERR_FORMAT_INVALID` (malformed format), `ERR_FORMAT_UNSUPPORTED` (a
 * format without numeric conversion: records, strings, pointers, long double), `ERR_INVALID_ARGUMENT`
 * (unknown casting rule).
 */
export function canCast(from: string, to: string, casting: Casting = 'safe'): boolean {
  if (!isCasting(casting)) {
    throw new BufferError('ERR_INVALID_ARGUMENT', `Casting must be one of ${castings.map((c) => `'${c}'`).join(', ')}; received ${JSON.stringify(casting)}.`, {
      details: { operation: 'canCast' },
    });
  }
  const a = numericOrThrow(from, 'canCast');
  const b = numericOrThrow(to, 'canCast');
  return canCastNumeric(a, b, casting);
}

/** The numeric reading of `format`, or `ERR_FORMAT_UNSUPPORTED`. */
export function numericOrThrow(format: string, operation: string): NumericFormat {
  const numeric = numericFormat(parseFormat(format).type);
  if (numeric === null) {
    throw new BufferError(
      'ERR_FORMAT_UNSUPPORTED',
      `Format ${JSON.stringify(format)} has no numeric conversion: conversion covers "?", integers of 1-8 bytes, "e", "f", "d", "Zf" and "Zd" in any byte order. Cast records and strings field by field, or cast() to bytes.`,
      { details: { operation, format } },
    );
  }
  return numeric;
}

/** The list of casting rules, for messages. */
export const castingNames: readonly Casting[] = castings;
