import type { VnlComplex } from '../element-type.js';
import { VnlError } from '../errors/vnl-error.js';
import type { AnyData, BigData, ElementInfo, NumberData } from './element-info.js';

/** One element as JavaScript holds it. */
export type AnyValue = number | bigint | VnlComplex;

/** Reads element `index` (already bounds-checked) of `data`. */
export function readValue(info: ElementInfo, data: AnyData, index: number): AnyValue {
  if (info.components === 2) {
    const at = index * 2;
    return [(data as NumberData)[at]!, (data as NumberData)[at + 1]!];
  }
  return data[index]!;
}

/**
 * Writes element `index` (already bounds-checked). Integers wrap modulo 2^bits and fractions
 * truncate toward zero, as C++'s conversions do on every platform vnl supports.
 */
export function writeValue(info: ElementInfo, data: AnyData, index: number, value: unknown, operation: string): void {
  if (info.kind === 'bigint') {
    (data as BigData)[index] = toBigInt(value, info, operation);
  } else if (info.components === 2) {
    const [re, im] = toComplex(value, info, operation);
    (data as NumberData)[index * 2] = re;
    (data as NumberData)[index * 2 + 1] = im;
  } else {
    (data as NumberData)[index] = toNumber(value, info, operation);
  }
}

/** Fills every element of `data` with `value`. */
export function fillValue(info: ElementInfo, data: AnyData, value: unknown, operation: string): void {
  if (info.kind === 'bigint') {
    (data as BigData).fill(toBigInt(value, info, operation));
  } else if (info.components === 2) {
    const [re, im] = toComplex(value, info, operation);
    const values = data as NumberData;
    for (let i = 0; i < values.length; i += 2) {
      values[i] = re;
      values[i + 1] = im;
    }
  } else {
    (data as NumberData).fill(toNumber(value, info, operation));
  }
}

export function toNumber(value: unknown, info: ElementInfo, operation: string): number {
  if (typeof value === 'number') return value;
  throw badValue(value, info, operation, 'a number');
}

export function toBigInt(value: unknown, info: ElementInfo, operation: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw badValue(value, info, operation, 'a bigint (or a safe-integer number)');
}

export function toComplex(value: unknown, info: ElementInfo, operation: string): VnlComplex {
  if (typeof value === 'number') return [value, 0];
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number') return value as unknown as VnlComplex;
  throw badValue(value, info, operation, 'a [real, imaginary] pair of numbers (or a real number)');
}

function badValue(value: unknown, info: ElementInfo, operation: string, expected: string): VnlError {
  const found =
    typeof value === 'bigint'
      ? `the bigint ${value}n`
      : Array.isArray(value)
        ? `an array of length ${value.length}`
        : typeof value === 'number'
          ? `the number ${value}`
          : `a ${typeof value}`;
  return new VnlError('ERR_VALUE_INVALID', `${operation}: a ${info.type} element must be ${expected}; found ${found}.`, {
    details: { operation, type: info.type },
  });
}

/**
 * Prints a number as C++'s `std::ostream` does by default (`%g`, six significant digits), which
 * is how vnl's `operator<<` shows floating-point elements.
 */
export function formatDefaultFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exponential = x.toExponential(5);
  const at = exponential.indexOf('e');
  const exponent = Number(exponential.slice(at + 1));
  if (exponent < -4 || exponent >= 6) {
    const mantissa = stripZeros(exponential.slice(0, at));
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  return stripZeros(x.toFixed(5 - exponent));
}

function stripZeros(text: string): string {
  if (!text.includes('.')) return text;
  let end = text.length;
  while (text[end - 1] === '0') end--;
  if (text[end - 1] === '.') end--;
  return text.slice(0, end);
}

/** One element as vnl's `operator<<` prints it. */
export function formatValue(info: ElementInfo, value: AnyValue): string {
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return info.integer ? String(value) : formatDefaultFloat(value);
  return `(${formatDefaultFloat(value[0])},${formatDefaultFloat(value[1])})`;
}

/** Validates a scalar operand (a scale factor) for the element type. */
export function toScalar(info: ElementInfo, value: unknown, operation: string): AnyValue {
  if (info.kind === 'bigint') return toBigInt(value, info, operation);
  if (info.components === 2) return toComplex(value, info, operation);
  return toNumber(value, info, operation);
}
