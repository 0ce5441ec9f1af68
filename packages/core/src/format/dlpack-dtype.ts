import { BufferError } from '../errors/buffer-error.js';
import { NATIVE_ENDIANNESS } from './code-table.js';
import { parseFormat } from './parse.js';
import type { FormatType, ParsedFormat, ScalarFormat } from './types.js';

/** DLPack's `DLDataTypeCode` values (dlpack.h). */
export const DlpackTypeCode: {
  readonly kDLInt: 0;
  readonly kDLUInt: 1;
  readonly kDLFloat: 2;
  readonly kDLOpaqueHandle: 3;
  readonly kDLBfloat: 4;
  readonly kDLComplex: 5;
  readonly kDLBool: 6;
} = Object.freeze({ kDLInt: 0, kDLUInt: 1, kDLFloat: 2, kDLOpaqueHandle: 3, kDLBfloat: 4, kDLComplex: 5, kDLBool: 6 });

/** DLPack's `DLDataType`: type code, bits per lane, and lanes (vector width; 1 for scalars). */
export interface DlpackDtype {
  readonly code: number;
  readonly bits: number;
  readonly lanes: number;
}

const codeNames: Readonly<Record<number, string>> = {
  0: 'kDLInt',
  1: 'kDLUInt',
  2: 'kDLFloat',
  3: 'kDLOpaqueHandle',
  4: 'kDLBfloat',
  5: 'kDLComplex',
  6: 'kDLBool',
};

/**
 * The DLPack dtype of a PEP 3118 format: a native-endian scalar (`lanes` 1), or a vector written
 * as one unnamed 1-D sub-array of a scalar (`4f` -> float32 x 4 lanes). Integers -> kDLInt/kDLUInt,
 * `e f d` -> kDLFloat 16/32/64, `Zf Zd` -> kDLComplex 64/128, `?` -> kDLBool 8.
 *
 * @example
 * ```ts
 * import { dlpackDtypeFromFormat } from '@interop/core';
 * console.log(dlpackDtypeFromFormat('<f')); // { code: 2, bits: 32, lanes: 1 }
 * console.log(dlpackDtypeFromFormat('4B')); // { code: 1, bits: 8, lanes: 4 }
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` for non-native byte order (DLPack tensors are
 * native-endian), records, and items DLPack has no code for (long double, chars, strings,
 * objects, pointers, padding); `ERR_FORMAT_INVALID` for malformed format strings.
 */
export function dlpackDtypeFromFormat(format: string | ParsedFormat | FormatType): DlpackDtype {
  const type = typeof format === 'string' ? parseFormat(format).type : 'kind' in format ? format : format.type;
  const source = typeof format === 'string' ? format : 'kind' in format ? type.kind : format.source;
  const fail = (why: string): never => {
    throw new BufferError('ERR_FORMAT_UNSUPPORTED', `Format ${JSON.stringify(source)} has no DLPack dtype: ${why}.`, {
      details: { operation: 'dlpackDtypeFromFormat', format: source },
    });
  };
  let scalar: ScalarFormat;
  let lanes = 1;
  if (type.kind === 'struct') {
    const only = type.fields[0];
    if (
      type.fields.length !== 1 ||
      only === undefined ||
      only.name !== null ||
      only.type.kind !== 'scalar' ||
      only.shape.length !== 1 ||
      only.padding ||
      only.size !== type.size
    ) {
      return fail('it is a record; DLPack describes one scalar or one vector of lanes (e.g. "4f")');
    }
    scalar = only.type;
    lanes = only.shape[0]!;
    if (lanes < 1 || lanes > 0xffff) return fail(`DLPack lanes are 1 to 65535, found ${lanes}`);
  } else scalar = type;
  if (scalar.size > 1 && scalar.endianness !== NATIVE_ENDIANNESS)
    return fail(`it is ${scalar.endianness}-endian and DLPack tensors are native (${NATIVE_ENDIANNESS}-endian)`);
  const bits = scalar.size * 8;
  switch (scalar.valueKind) {
    case 'int':
    case 'uint':
      if (bits <= 64) return { code: scalar.valueKind === 'int' ? DlpackTypeCode.kDLInt : DlpackTypeCode.kDLUInt, bits, lanes };
      break;
    case 'float':
      if (bits <= 64) return { code: DlpackTypeCode.kDLFloat, bits, lanes };
      return fail('long double ("g") is not an IEEE binary128; convert to float64');
    case 'complex':
      if (bits <= 128) return { code: DlpackTypeCode.kDLComplex, bits, lanes };
      return fail('complex long double ("Zg") has no DLPack code');
    case 'bool':
      return { code: DlpackTypeCode.kDLBool, bits: 8, lanes };
    default:
      break;
  }
  return fail(`DLPack has no type for ${scalar.valueKind} items (code "${scalar.code}")`);
}

/**
 * The PEP 3118 format (native byte order) of a DLPack dtype: `{code: 2, bits: 32, lanes: 1}` ->
 * `f`, lanes > 1 as a 1-D sub-array (`{code: 0, bits: 16, lanes: 4}` -> `4h`).
 *
 * @example
 * ```ts
 * import { formatFromDlpackDtype, DlpackTypeCode } from '@interop/core';
 * console.log(formatFromDlpackDtype({ code: DlpackTypeCode.kDLComplex, bits: 128, lanes: 1 })); // "Zd"
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` for dtypes without a struct code (bfloat16,
 * opaque handles, 1-bit booleans, float8 and other codes, unusual widths);
 * `ERR_INVALID_ARGUMENT` when code, bits or lanes are not integers in DLPack's ranges.
 */
export function formatFromDlpackDtype(dtype: DlpackDtype): string {
  const { code, bits, lanes } = (typeof dtype === 'object' && dtype !== null ? dtype : {}) as Partial<DlpackDtype>;
  const isUint = (value: unknown, max: number): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
  if (!isUint(code, 0xff) || !isUint(bits, 0xff) || !isUint(lanes, 0xffff) || lanes === 0) {
    throw new BufferError('ERR_INVALID_ARGUMENT', `A DLPack dtype is { code: 0-255, bits: 0-255, lanes: 1-65535 }; received ${JSON.stringify(dtype)}.`, {
      details: { operation: 'formatFromDlpackDtype' },
    });
  }
  const table: Readonly<Record<number, Readonly<Record<number, string>>>> = {
    0: { 8: 'b', 16: 'h', 32: 'i', 64: 'q' },
    1: { 8: 'B', 16: 'H', 32: 'I', 64: 'Q' },
    2: { 16: 'e', 32: 'f', 64: 'd' },
    5: { 64: 'Zf', 128: 'Zd' },
    6: { 8: '?' },
  };
  const scalar = table[code]?.[bits];
  if (scalar === undefined) {
    const name = codeNames[code] ?? `type code ${code}`;
    const why =
      code === DlpackTypeCode.kDLBfloat
        ? 'bfloat16 has no struct code; widen it to float32'
        : code === DlpackTypeCode.kDLOpaqueHandle
          ? 'opaque handles are not data'
          : code === DlpackTypeCode.kDLBool && bits === 1
            ? '1-bit booleans are bit-packed; unpack them to bytes ("?")'
            : `no struct code has ${bits} bits`;
    throw new BufferError('ERR_FORMAT_UNSUPPORTED', `DLPack dtype ${name} with ${bits} bits has no struct format: ${why}.`, {
      details: { operation: 'formatFromDlpackDtype', code, bits, lanes },
    });
  }
  return lanes === 1 ? scalar : `${lanes}${scalar}`;
}
