import { BufferError } from '../errors/buffer-error.js';
import { NATIVE_ENDIANNESS } from './code-table.js';
import { parseFormat } from './parse.js';
import type { FormatType, ParsedFormat } from './types.js';

/** The constructor of any standard TypedArray (Float16Array too, where the runtime has one). */
export type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** Any standard TypedArray instance. */
export type AnyTypedArray = InstanceType<TypedArrayConstructor>;

function float16Constructor(): TypedArrayConstructor | undefined {
  // Float16Array is ES2025 (Node 24+); older runtimes have none, and its type is not in this lib.
  return (globalThis as { Float16Array?: TypedArrayConstructor }).Float16Array;
}

/** Formats of the TypedArray families, by constructor name (names survive realms and subclasses). */
const formatByName: Readonly<Record<string, string>> = {
  Int8Array: 'b',
  Uint8Array: 'B',
  Uint8ClampedArray: 'B',
  Int16Array: 'h',
  Uint16Array: 'H',
  Int32Array: 'i',
  Uint32Array: 'I',
  Float16Array: 'e',
  Float32Array: 'f',
  Float64Array: 'd',
  BigInt64Array: 'q',
  BigUint64Array: 'Q',
  DataView: 'B',
};

/** The names of the TypedArray families (Float16Array included; the runtime may lack it). */
export const typedArrayFamilies: readonly string[] = Object.keys(formatByName).filter((name) => name !== 'DataView');

/** The format of a TypedArray family by its name (`Symbol.toStringTag`), or undefined. */
export function formatForTypedArrayName(name: string): string | undefined {
  return Object.hasOwn(formatByName, name) ? formatByName[name] : undefined;
}

function unsupported(format: string, why: string, reason: string): never {
  throw new BufferError('ERR_FORMAT_UNSUPPORTED', `Format ${JSON.stringify(format)} has no TypedArray counterpart: ${why}.`, {
    details: { operation: 'typedArrayForFormat', format, reason },
  });
}

/**
 * The TypedArray constructor whose elements are exactly the items of `format`: one native-endian
 * scalar (`b B h H i I q Q f d`, `l L n N` where 8 bytes, `e` where the runtime has Float16Array;
 * `?` and `c` read as Uint8Array bytes).
 *
 * @example
 * ```ts
 * import { typedArrayForFormat } from '@interop/core';
 * const Ctor = typedArrayForFormat('<f');
 * console.log(new Ctor(2).constructor.name); // "Float32Array"
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` when the format is non-native byte order, a
 * record or sub-array, or has no JavaScript array type (complex, long double, strings, objects,
 * pointers, padding, float16 without Float16Array); `details.reason` is `'byte-order'`, `'record'`
 * or `'no-array-type'`. `ERR_FORMAT_INVALID` for malformed format strings.
 */
export function typedArrayForFormat(format: string | ParsedFormat | FormatType): TypedArrayConstructor {
  const type = typeof format === 'string' ? parseFormat(format).type : 'kind' in format ? format : format.type;
  const source = typeof format === 'string' ? format : 'kind' in format ? format.kind : format.source;
  if (type.kind === 'struct') unsupported(source, 'it is a record or sub-array; view one field at a time, or the bytes as Uint8Array', 'record');
  if (type.size > 1 && type.endianness !== NATIVE_ENDIANNESS) {
    unsupported(source, `its byte order is ${type.endianness}-endian and TypedArrays use the machine's (${NATIVE_ENDIANNESS}-endian); copy with byte swapping first`, 'byte-order');
  }
  const size = type.size;
  switch (type.valueKind) {
    case 'int':
      if (size === 1) return Int8Array;
      if (size === 2) return Int16Array;
      if (size === 4) return Int32Array;
      if (size === 8) return BigInt64Array;
      break;
    case 'uint':
      if (size === 1) return Uint8Array;
      if (size === 2) return Uint16Array;
      if (size === 4) return Uint32Array;
      if (size === 8) return BigUint64Array;
      break;
    case 'bool':
    case 'char':
      return Uint8Array;
    case 'float': {
      if (size === 4) return Float32Array;
      if (size === 8) return Float64Array;
      if (size === 2) {
        const float16 = float16Constructor();
        if (float16 !== undefined) return float16;
        unsupported(source, 'float16 needs Float16Array, which this runtime does not have; read it as Uint16Array and convert', 'no-array-type');
      }
      break;
    }
    default:
      break;
  }
  return unsupported(source, `JavaScript has no array type for ${type.valueKind} items of ${size} bytes (code "${type.code}")`, 'no-array-type');
}

/**
 * The PEP 3118 format of a TypedArray (instance or constructor, subclasses such as Node's Buffer
 * included) or DataView: the native-size code CPython's `array` module reports (`BigInt64Array`
 * -> `q`, `Uint8ClampedArray` and `DataView` -> `B`).
 *
 * @example
 * ```ts
 * import { formatForTypedArray } from '@interop/core';
 * console.log(formatForTypedArray(new Float64Array(3))); // "d"
 * console.log(formatForTypedArray(BigUint64Array)); // "Q"
 * ```
 * @throws {BufferError} `ERR_INVALID_ARGUMENT` when the argument is neither a TypedArray/DataView
 * nor one of their constructors.
 */
export function formatForTypedArray(arrayOrConstructor: ArrayBufferView | TypedArrayConstructor | DataViewConstructor): string {
  let candidate: unknown = typeof arrayOrConstructor === 'function' ? arrayOrConstructor : ArrayBuffer.isView(arrayOrConstructor) ? arrayOrConstructor.constructor : undefined;
  // Walk up the constructor chain so subclasses (Buffer extends Uint8Array) resolve to their base.
  while (typeof candidate === 'function') {
    const format = Object.hasOwn(formatByName, candidate.name) ? formatByName[candidate.name] : undefined;
    if (format !== undefined && isViewPrototype(candidate)) return format;
    candidate = Object.getPrototypeOf(candidate);
  }
  throw new BufferError('ERR_INVALID_ARGUMENT', `formatForTypedArray expects a TypedArray, a DataView or one of their constructors; received ${describe(arrayOrConstructor)}.`, {
    details: { operation: 'formatForTypedArray' },
  });
}

function isViewPrototype(constructor: { prototype?: unknown }): boolean {
  // Typed array and DataView prototypes (of any realm) have a byteLength accessor; this refuses
  // unrelated functions that merely share a name.
  for (let proto: unknown = constructor.prototype; typeof proto === 'object' && proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (typeof Object.getOwnPropertyDescriptor(proto, 'byteLength')?.get === 'function') return true;
  }
  return false;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return `an object (${(value.constructor as { name?: string } | undefined)?.name ?? 'no constructor'})`;
  return typeof value;
}
