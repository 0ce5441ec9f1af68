import { BufferError } from '../errors/buffer-error.js';

/**
 * One entry of `MemoryView.slice`: an integer selects one index (dropping the dimension),
 * `null`/`undefined` keeps the whole dimension, an object `{ start, stop, step }` or an array
 * `[start, stop]` / `[start, stop, step]` gives Python slice bounds (`[null, null, -1]` is
 * Python's `slice(None, None, -1)`), and a string is Python slice syntax (`'1:5'`, `'::-1'`,
 * `':'`, `'-1'`).
 */
export type SliceSpec =
  | number
  | null
  | undefined
  | string
  | readonly [start: number | null, stop: number | null, step?: number | null]
  | { readonly start?: number | null; readonly stop?: number | null; readonly step?: number | null };

const boundKeys = new Set(['start', 'stop', 'step']);

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
  if (typeof value !== 'number' || !Number.isInteger(value))
    invalid(
      `Slice ${name} for dimension ${dimension} must be an integer or null; received ${typeof value === 'number' ? String(value) : typeof value}.`,
      dimension,
    );
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
    return {
      start: start === undefined ? null : Number(start),
      stop: stop === undefined ? null : Number(stop),
      step: step === undefined ? null : Number(step),
    };
  }
  if (Array.isArray(spec)) {
    // Python's slice(start, stop[, step]); anything else would silently select something else.
    const bounds = spec as readonly unknown[];
    if (bounds.length !== 2 && bounds.length !== 3)
      invalid(
        `A slice given as an array must be [start, stop] or [start, stop, step] (Python's slice(start, stop, step)); received ${bounds.length} entries.`,
        dimension,
      );
    return { start: checkBound(bounds[0], 'start', dimension), stop: checkBound(bounds[1], 'stop', dimension), step: checkBound(bounds[2], 'step', dimension) };
  }
  if (typeof spec === 'object') {
    const bounds = spec as { readonly start?: number | null; readonly stop?: number | null; readonly step?: number | null };
    for (const key of Object.keys(bounds)) {
      if (!boundKeys.has(key))
        invalid(`A slice object takes only start, stop and step; received a ${JSON.stringify(key)} key (dimension ${dimension}).`, dimension);
    }
    return {
      start: checkBound(bounds.start, 'start', dimension),
      stop: checkBound(bounds.stop, 'stop', dimension),
      step: checkBound(bounds.step, 'step', dimension),
    };
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
