import { BufferError } from '../errors/buffer-error.js';

/**
 * One entry of `MemoryView.slice`: an integer selects one index (dropping the dimension),
 * `null`/`undefined` keeps the whole dimension, an object gives Python slice bounds, and a
 * string is Python slice syntax (`'1:5'`, `'::-1'`, `':'`, `'-1'`).
 */
export type SliceSpec = number | null | undefined | string | { readonly start?: number | null; readonly stop?: number | null; readonly step?: number | null };

/** A normalised slice: bounds may be null (defaults), as Python's `slice` object. */
export interface SliceBounds {
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
}

function invalid(message: string, dimension: number): never {
  throw new BufferError('ERR_INVALID_ARGUMENT', message, { details: { operation: 'slice', dimension } });
}

function checkBound(value: unknown, name: string, dimension: number): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) invalid(`Slice ${name} for dimension ${dimension} must be an integer or null; received ${typeof value === 'number' ? String(value) : typeof value}.`, dimension);
  return value;
}

const sliceSyntax = /^\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?)?$/;

/** Turns a spec into an integer index or slice bounds. */
export function parseSliceSpec(spec: SliceSpec, dimension: number): number | SliceBounds {
  if (spec === null || spec === undefined) return { start: null, stop: null, step: null };
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec)) invalid(`Index ${spec} for dimension ${dimension} is not an integer.`, dimension);
    return spec;
  }
  if (typeof spec === 'string') {
    const match = sliceSyntax.exec(spec);
    if (match === null) invalid(`${JSON.stringify(spec)} is not Python slice syntax (start:stop:step, e.g. "1:5", "::-1", "3").`, dimension);
    const [, start, stop, step] = match;
    if (!spec.includes(':')) {
      if (start === undefined) invalid(`${JSON.stringify(spec)} is not Python slice syntax.`, dimension);
      return Number(start);
    }
    return { start: start === undefined ? null : Number(start), stop: stop === undefined ? null : Number(stop), step: step === undefined ? null : Number(step) };
  }
  if (typeof spec === 'object') {
    return { start: checkBound(spec.start, 'start', dimension), stop: checkBound(spec.stop, 'stop', dimension), step: checkBound(spec.step, 'step', dimension) };
  }
  return invalid(`A slice spec must be an integer, null, a string or { start, stop, step }; received ${typeof spec}.`, dimension);
}

/**
 * Python's `slice.indices(length)` followed by the slice length: returns `[start, count, step]`.
 *
 * @throws {BufferError} `ERR_INVALID_ARGUMENT` when the step is 0.
 */
export function sliceIndices(bounds: SliceBounds, length: number, dimension: number): [number, number, number] {
  const step = bounds.step ?? 1;
  if (step === 0) invalid(`Slice step cannot be zero (dimension ${dimension}).`, dimension);
  const lower = step < 0 ? -1 : 0;
  const upper = step < 0 ? length - 1 : length;
  const clamp = (value: number | null, fallback: number): number => {
    if (value === null) return fallback;
    if (value < 0) return Math.max(value + length, lower);
    return Math.min(value, upper);
  };
  const start = clamp(bounds.start, step < 0 ? upper : lower);
  const stop = clamp(bounds.stop, step < 0 ? lower : upper);
  let count = 0;
  if (step > 0 && stop > start) count = Math.floor((stop - start - 1) / step) + 1;
  else if (step < 0 && start > stop) count = Math.floor((start - stop - 1) / -step) + 1;
  return [start, count, step];
}
