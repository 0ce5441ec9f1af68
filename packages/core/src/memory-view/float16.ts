// IEEE 754 binary16 conversion without Float16Array (Node 20 has none).

const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_POW_MINUS_14 = 2 ** -14;

/**
 * Decodes the 16 bits of an IEEE 754 binary16 (float16, format `e`) value, without Float16Array.
 *
 * @example
 * ```ts
 * import { halfToNumber } from '@interop/core';
 * halfToNumber(0x3c00); // 1
 * ```
 */
export function halfToNumber(bits: number): number {
  const sign = (bits & 0x8000) !== 0 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * TWO_POW_MINUS_24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const rest = value - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Encodes a number as binary16 bits with round-half-to-even, straight from the double (no detour
 * through float32, which would round twice). Finite values too large become infinity: callers
 * that must refuse overflow compare the result against the input.
 *
 * @example
 * ```ts
 * import { numberToHalf } from '@interop/core';
 * numberToHalf(1.5).toString(16); // "3e00"
 * ```
 */
export function numberToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude === Infinity) return sign | 0x7c00;
  if (magnitude < TWO_POW_MINUS_14) {
    // Subnormal: units of 2^-24. Scaling by a power of two is exact; a result of 1024 is the
    // bit pattern of the smallest normal, which is the correct rounding.
    return sign | roundHalfEven(magnitude / TWO_POW_MINUS_24);
  }
  let exponent = Math.floor(Math.log2(magnitude));
  if (2 ** exponent > magnitude) exponent--;
  else if (2 ** (exponent + 1) <= magnitude) exponent++;
  let mantissa = roundHalfEven((magnitude / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  if (exponent > 15) return sign | 0x7c00;
  return sign | ((exponent + 15) << 10) | mantissa;
}
