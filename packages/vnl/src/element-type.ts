import { describeFormat, formats, invalidType, isVnlElementType as isType } from './internal/element-info.js';

/** The numeric element types a `VnlVector` or `VnlMatrix` can hold (vnl's `T`). */
export type VnlElementType =
  'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64' | 'complex64' | 'complex128';

/** A complex number as `[real, imaginary]`, the form `MemoryView.get` uses for `Zf` / `Zd` items. */
export type VnlComplex = readonly [real: number, imaginary: number];

/**
 * For each element type: the JavaScript value of one element and the TypedArray that stores the
 * elements (complex types store `[re, im]` pairs interleaved, so their storage has twice as many
 * entries as elements).
 */
export interface VnlElementTypeMap {
  int8: { value: number; data: Int8Array };
  uint8: { value: number; data: Uint8Array };
  int16: { value: number; data: Int16Array };
  uint16: { value: number; data: Uint16Array };
  int32: { value: number; data: Int32Array };
  uint32: { value: number; data: Uint32Array };
  int64: { value: bigint; data: BigInt64Array };
  uint64: { value: bigint; data: BigUint64Array };
  float32: { value: number; data: Float32Array };
  float64: { value: number; data: Float64Array };
  complex64: { value: VnlComplex; data: Float32Array };
  complex128: { value: VnlComplex; data: Float64Array };
}

/** The JavaScript value of one element of type `T`: number, bigint (64-bit integers) or `[re, im]`. */
export type VnlValue<T extends VnlElementType> = VnlElementTypeMap[T]['value'];

/**
 * What may be written as an element of type `T`: its value type, plus safe-integer numbers for
 * the 64-bit integer types and real numbers (imaginary part 0) for the complex types.
 */
export type VnlInput<T extends VnlElementType> = T extends 'int64' | 'uint64'
  ? bigint | number
  : T extends 'complex64' | 'complex128'
    ? VnlComplex | number
    : number;

/** The TypedArray that stores elements of type `T`. */
export type VnlData<T extends VnlElementType> = VnlElementTypeMap[T]['data'];

/** Every element type, in the order of the documentation. */
export const vnlElementTypes: readonly VnlElementType[] = Object.freeze([
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
  'complex64',
  'complex128',
] as const);

/**
 * The PEP 3118 format (native byte order) a vector or matrix of `type` exports.
 *
 * @example
 * ```ts
 * import { vnlFormat } from '@interop/vnl';
 * console.log(vnlFormat('complex128')); // "Zd"
 * ```
 * @throws {VnlError} `ERR_VNL_INVALID_TYPE` when `type` is not a vnl element type.
 */
export function vnlFormat(type: VnlElementType): string {
  if (!isType(type)) throw invalidType(type);
  return formats[type];
}

/**
 * The vnl element type of a PEP 3118 format, whatever its byte order (`'<d'`, `'>i'`, `'=Zf'`...).
 *
 * @example
 * ```ts
 * import { vnlElementTypeFromFormat } from '@interop/vnl';
 * console.log(vnlElementTypeFromFormat('<q')); // "int64"
 * ```
 * @throws {VnlError} `ERR_FORMAT_UNSUPPORTED` for formats with no vnl counterpart (bool, float16, records...).
 * @throws {BufferError} `ERR_FORMAT_INVALID` for a malformed format string.
 */
export function vnlElementTypeFromFormat(format: string): VnlElementType {
  return describeFormat(format).type;
}

/**
 * True when `value` names a vnl element type.
 *
 * @example
 * ```ts
 * import { isVnlElementType } from '@interop/vnl';
 * console.log(isVnlElementType('float64'), isVnlElementType('bool')); // true false
 * ```
 */
export function isVnlElementType(value: unknown): value is VnlElementType {
  return isType(value);
}
