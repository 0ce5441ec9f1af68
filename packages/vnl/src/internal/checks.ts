import { VnlError } from '../errors/vnl-error.js';
import type { AnyData, ElementInfo } from './element-info.js';

/** Validates a size, row count or column count. */
export function checkSize(value: unknown, what: string, operation: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new VnlError(
    'ERR_VNL_INVALID_SIZE',
    `${operation}: ${what} must be a non-negative safe integer; found ${typeof value === 'number' ? String(value) : typeof value}.`,
    {
      details: { operation, [what]: value },
    },
  );
}

/** Checks that rows x columns elements fit in a TypedArray and returns the element count. */
export function checkCount(info: ElementInfo, count: number, operation: string): number {
  // V8 caps TypedArray lengths; refuse clearly instead of a RangeError from the engine.
  if (count * info.components > 2 ** 32) {
    throw new VnlError('ERR_VNL_INVALID_SIZE', `${operation}: ${count} ${info.type} elements exceed what one TypedArray can hold (2^32 entries).`, {
      details: { operation, count },
    });
  }
  return count;
}

export function indexError(operation: string, index: unknown, size: number, what = 'index', dimension?: number): VnlError {
  const shown = typeof index === 'number' ? String(index) : typeof index;
  return new VnlError('ERR_INDEX_OUT_OF_RANGE', `${operation}: ${what} ${shown} is outside [0, ${size}); use an integer from 0 to ${size - 1}.`, {
    details: dimension === undefined ? { operation, index, size } : { operation, index, size, dimension },
  });
}

export function releasedError(operation: string, kind: string): VnlError {
  return new VnlError(
    'ERR_BUFFER_RELEASED',
    `${operation}: this ${kind} borrowed another object's memory and was released; it holds no data. Keep the view until you are done with it, or copy with ${kind === 'VnlVector' ? 'vnlVectorFromArray' : 'vnlMatrixFromArray'}.`,
    { details: { operation } },
  );
}

export function referenceFixedError(operation: string, kind: string): VnlError {
  return new VnlError(
    'ERR_NOT_RESIZABLE',
    `${operation}: this ${kind} is a view of another object's memory (like vnl's _ref classes) and cannot be resized. Copy it (clone()) to get a resizable ${kind}.`,
    { details: { operation } },
  );
}

export function typeMismatch(operation: string, expected: string, found: unknown): VnlError {
  return new VnlError(
    'ERR_VNL_TYPE_MISMATCH',
    `${operation}: the operand must be ${expected}; found ${describe(found)}. Convert one operand so both have the same element type.`,
    {
      details: { operation, expected, found: describe(found) },
    },
  );
}

export function sizeMismatch(operation: string, expected: string, found: string): VnlError {
  return new VnlError('ERR_SHAPE_MISMATCH', `${operation}: expected ${expected}, found ${found}.`, { details: { operation, expected, found } });
}

export function emptyError(operation: string, kind: string): VnlError {
  return new VnlError('ERR_VNL_EMPTY', `${operation}: the ${kind} has no elements; ${operation} needs at least one.`, { details: { operation } });
}

export function notOrderedError(operation: string, type: string): VnlError {
  return new VnlError(
    'ERR_VNL_TYPE_MISMATCH',
    `${operation}: ${type} elements have no order; use the norms (magnitudes) instead, or compare real and imaginary parts yourself.`,
    {
      details: { operation, type },
    },
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const type = (value as { type?: unknown }).type;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return `${typeof name === 'string' ? name : 'object'}${typeof type === 'string' ? `<${type}>` : ''}`;
}

/** Copies raw storage or element values into `data` (length-checked by the caller). */
export function isStorageOf(data: AnyData, values: unknown): values is AnyData {
  return ArrayBuffer.isView(values) && (values as object).constructor === data.constructor;
}
