// Small dense linear algebra for image geometry (dimension x dimension, row-major).
import { ImageError } from '../errors/image-error.js';

/** The inverse of a row-major square matrix by Gauss-Jordan elimination with partial pivoting, or null when singular. */
export function invert(matrix: readonly number[], n: number): number[] | null {
  const a = matrix.slice();
  const inverse = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) inverse[i * n + i] = 1;
  let scale = 0;
  for (const value of matrix) scale = Math.max(scale, Math.abs(value));
  if (scale === 0) return null;
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(a[row * n + column]!) > Math.abs(a[pivot * n + column]!)) pivot = row;
    const pivotValue = a[pivot * n + column]!;
    // Relative tolerance: a direction whose columns are (numerically) dependent is singular.
    if (Math.abs(pivotValue) <= scale * 1e-12) return null;
    if (pivot !== column) {
      for (let k = 0; k < n; k++) {
        [a[column * n + k], a[pivot * n + k]] = [a[pivot * n + k]!, a[column * n + k]!];
        [inverse[column * n + k], inverse[pivot * n + k]] = [inverse[pivot * n + k]!, inverse[column * n + k]!];
      }
    }
    for (let k = 0; k < n; k++) {
      a[column * n + k] = a[column * n + k]! / pivotValue;
      inverse[column * n + k] = inverse[column * n + k]! / pivotValue;
    }
    for (let row = 0; row < n; row++) {
      if (row === column) continue;
      const factor = a[row * n + column]!;
      if (factor === 0) continue;
      for (let k = 0; k < n; k++) {
        a[row * n + k] = a[row * n + k]! - factor * a[column * n + k]!;
        inverse[row * n + k] = inverse[row * n + k]! - factor * inverse[column * n + k]!;
      }
    }
  }
  return inverse;
}

export function identity(n: number): number[] {
  const matrix = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) matrix[i * n + i] = 1;
  return matrix;
}

/** A numeric vector of `length` finite numbers, copied. */
export function checkVector(name: string, value: unknown, length: number, options: { positive?: boolean; integer?: boolean } = {}): number[] {
  if (!isNumberList(value)) {
    throw new ImageError('ERR_INVALID_ARGUMENT', `${name} must be an array of numbers; received ${describe(value)}.`, { details: { argument: name } });
  }
  const list = Array.from(value, Number);
  if (list.length !== length) {
    throw new ImageError('ERR_IMAGE_DIMENSION', `${name} needs ${length} entries (one per dimension); received ${list.length}.`, {
      details: { argument: name },
    });
  }
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    const bad = !Number.isFinite(entry) || (options.integer === true && !Number.isSafeInteger(entry)) || (options.positive === true && entry <= 0);
    if (bad) {
      const code = options.integer === true ? 'ERR_INVALID_ARGUMENT' : 'ERR_IMAGE_GEOMETRY';
      const want = options.integer === true ? 'an integer' : options.positive === true ? 'a finite number > 0' : 'a finite number';
      throw new ImageError(code, `${name}[${i}] must be ${want}; received ${String(entry)}.`, { details: { argument: name, dimension: i } });
    }
  }
  return list;
}

/** A row-major `n x n` matrix from a flat list or nested rows, checked finite and non-singular. */
export function checkDirection(value: unknown, n: number): number[] {
  const flat = Array.isArray(value) && value.every((row) => Array.isArray(row)) ? (value as unknown[][]).flat() : value;
  const matrix = checkVector('direction', flat, n * n);
  if (invert(matrix, n) === null) {
    throw new ImageError(
      'ERR_IMAGE_GEOMETRY',
      `direction ${JSON.stringify(matrix)} is singular; its columns must be linearly independent unit axes (use the identity for an unrotated image).`,
      {
        details: { argument: 'direction' },
      },
    );
  }
  return matrix;
}

function isNumberList(value: unknown): value is ArrayLike<number> {
  if (Array.isArray(value)) return value.every((entry) => typeof entry === 'number');
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return (value as { constructor?: { name?: string } }).constructor?.name ?? 'an object';
  return typeof value;
}
