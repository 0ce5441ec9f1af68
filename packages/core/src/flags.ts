/**
 * PEP 3118 request flags, with CPython's values, so flags written against Python's
 * documentation mean the same here.
 *
 * @example
 * ```ts
 * import { BufferFlags, getBuffer } from '@interop/core';
 * const info = getBuffer(new Float64Array(4), BufferFlags.STRIDED_RO);
 * ```
 */
export const BufferFlags = {
  SIMPLE: 0,
  WRITABLE: 1,
  FORMAT: 4,
  ND: 8,
  STRIDES: 24,
  C_CONTIGUOUS: 56,
  F_CONTIGUOUS: 88,
  ANY_CONTIGUOUS: 152,
  INDIRECT: 280,
  CONTIG: 9,
  CONTIG_RO: 8,
  STRIDED: 25,
  STRIDED_RO: 24,
  RECORDS: 29,
  RECORDS_RO: 28,
  FULL: 285,
  FULL_RO: 284,
} as const;

/** The name of one PEP 3118 flag or composite. */
export type BufferFlagName = keyof typeof BufferFlags;

/** True when every bit of `flag` is set in `flags` (the composite flags need all their bits). */
export function hasFlag(flags: number, flag: number): boolean {
  return (flags & flag) === flag;
}

/** Human-readable form of a flags value, e.g. `"STRIDED_RO|FORMAT"`, for error messages. */
export function describeFlags(flags: number): string {
  if (flags === 0) return 'SIMPLE';
  const names: string[] = [];
  let rest = flags;
  // Composites first, largest first, so "FULL_RO" is printed rather than its parts.
  const ordered = (Object.entries(BufferFlags) as [BufferFlagName, number][])
    .filter(([, value]) => value !== 0)
    .sort((a, b) => popcount(b[1]) - popcount(a[1]));
  for (const [name, value] of ordered) {
    if ((rest & value) === value && (flags & value) === value) {
      names.push(name);
      rest &= ~value;
    }
  }
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.join('|');
}

function popcount(value: number): number {
  let count = 0;
  for (let v = value; v !== 0; v &= v - 1) count++;
  return count;
}

/** The largest number of dimensions an export may have (CPython's PyBUF_MAX_NDIM). */
export const MAX_NDIM = 64;
