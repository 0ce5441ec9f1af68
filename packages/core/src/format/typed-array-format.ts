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

function unsupported(format: string, why: string, reason: string, operation: string): never {
  throw new BufferError('ERR_FORMAT_UNSUPPORTED', `Format ${JSON.stringify(format)} has no TypedArray counterpart: ${why}.`, {
    details: { operation, format, reason },
  });
}

/** How the items of a scalar format sit in a TypedArray; see {@link typedArrayMapping}. */
export interface TypedArrayMapping {
  /** The TypedArray whose elements hold the item's values (a complex item's parts, a string's bytes or code units). */
  readonly arrayConstructor: TypedArrayConstructor;
  /** Elements per item: 2 for complex (`[re, im]`), the byte count of `Ns` and `?`/`c` runs, 1 otherwise. */
  readonly elementsPerItem: number;
  /**
   * The byte-swap unit that brings each element to this machine's byte order: the element size
   * for multi-byte elements in the other byte order (a complex item swaps each part), 0 when the
   * bytes are already native. A copy with this unit (`copyItems(..., { byteSwap })`) makes
   * non-native data readable through `arrayConstructor`.
   */
  readonly byteSwap: 0 | 2 | 4 | 8;
}

function parsedType(format: string | ParsedFormat | FormatType): { type: FormatType; source: string } {
  if (typeof format === 'string') return { type: parseFormat(format).type, source: format };
  if ('kind' in format) return { type: format, source: format.kind };
  return { type: format.type, source: format.source };
}

const strictKinds: ReadonlySet<string> = new Set(['int', 'uint', 'bool', 'char', 'float']);

/** The mapping of one item type; `operation` names the public call in errors. @internal */
export function mappingOfType(type: FormatType, source: string, operation: string): TypedArrayMapping {
  if (type.kind === 'struct') unsupported(source, 'it is a record or sub-array; view one field at a time, or the bytes as Uint8Array', 'record', operation);
  const size = type.size;
  const map = (arrayConstructor: TypedArrayConstructor, elementsPerItem = 1): TypedArrayMapping => {
    const elementSize = arrayConstructor.BYTES_PER_ELEMENT as 1 | 2 | 4 | 8;
    const byteSwap = elementSize === 1 || type.endianness === NATIVE_ENDIANNESS ? 0 : elementSize;
    return { arrayConstructor, elementsPerItem, byteSwap };
  };
  const noArray = (): never =>
    unsupported(source, `JavaScript has no array type for ${type.valueKind} items of ${size} bytes (code "${type.code}")`, 'no-array-type', operation);
  switch (type.valueKind) {
    case 'int':
      return map(size === 1 ? Int8Array : size === 2 ? Int16Array : size === 4 ? Int32Array : size === 8 ? BigInt64Array : noArray());
    case 'uint':
    case 'pointer':
      return map(size === 1 ? Uint8Array : size === 2 ? Uint16Array : size === 4 ? Uint32Array : size === 8 ? BigUint64Array : noArray());
    case 'bool':
    case 'char':
    case 'bytes':
      // Pascal strings ("p") keep their length byte: the item's bytes, as "s".
      return map(Uint8Array, size);
    case 'ucs2':
      return map(Uint16Array, size / 2);
    case 'ucs4':
      return map(Uint32Array, size / 4);
    case 'float': {
      if (size === 4) return map(Float32Array);
      if (size === 8) return map(Float64Array);
      if (size === 2) {
        const float16 = float16Constructor();
        if (float16 !== undefined) return map(float16);
        return unsupported(
          source,
          'float16 needs Float16Array, which this runtime does not have; read it as Uint16Array and convert',
          'no-array-type',
          operation,
        );
      }
      return noArray();
    }
    case 'complex':
      if (size === 8) return map(Float32Array, 2);
      if (size === 16) return map(Float64Array, 2);
      return noArray();
    default:
      return noArray();
  }
}

/**
 * How the items of a scalar format sit in a TypedArray, in any byte order: the constructor, how
 * many elements one item takes (2 for complex `Zf`/`Zd`, the length of `Ns` strings and of
 * UCS-2/UCS-4 strings) and the byte-swap unit non-native data needs before the array reads it.
 * This is the one format -> TypedArray mapping of the project: `typedArrayForFormat` is its
 * strict form, and `MemoryView.toTypedArray` / `copyToTypedArray` use it.
 *
 * @example
 * ```ts
 * import { typedArrayMapping } from '@interop/core';
 * const big = typedArrayMapping('>Zd');
 * console.log(big.arrayConstructor.name, big.elementsPerItem, big.byteSwap); // "Float64Array" 2 8 (on a little-endian machine)
 * console.log(typedArrayMapping('10s').elementsPerItem); // 10
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` for records and sub-arrays (`details.reason`
 * `'record'`) and items without a JavaScript array type (long double `g`, `Zg`, objects, padding,
 * float16 without Float16Array: `'no-array-type'`); `ERR_FORMAT_INVALID` for malformed format strings.
 */
export function typedArrayMapping(format: string | ParsedFormat | FormatType): TypedArrayMapping {
  const { type, source } = parsedType(format);
  return mappingOfType(type, source, 'typedArrayMapping');
}

/**
 * The TypedArray constructor whose elements are exactly the items of `format`: one native-endian
 * scalar (`b B h H i I q Q f d`, `l L n N` where 8 bytes, `e` where the runtime has Float16Array;
 * `?` and `c` read as Uint8Array bytes).
 * For other byte orders, complex numbers and strings, {@link typedArrayMapping} says how the items
 * sit in an array and which byte swap they need.
 *
 * @example
 * ```ts
 * import { typedArrayForFormat } from '@interop/core';
 * const Ctor = typedArrayForFormat('<f');
 * console.log(new Ctor(2).constructor.name); // "Float32Array"
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` when the format is non-native byte order, a
 * record or sub-array, or has no JavaScript array type of its values (complex, strings, pointers,
 * long double, objects, padding, float16 without Float16Array); `details.reason` is
 * `'byte-order'`, `'record'` or `'no-array-type'`. `ERR_FORMAT_INVALID` for malformed format strings.
 */
export function typedArrayForFormat(format: string | ParsedFormat | FormatType): TypedArrayConstructor {
  const { type, source } = parsedType(format);
  const mapping = mappingOfType(type, source, 'typedArrayForFormat');
  // Values only: complex parts, string bytes and code units, and pointers are left to the mapping.
  if (type.kind === 'scalar' && (mapping.elementsPerItem !== 1 || !strictKinds.has(type.valueKind))) {
    const what = type.valueKind === 'complex' ? 'a complex item is two elements ([re, im])' : `${type.valueKind} items (code "${type.code}") are not numbers`;
    unsupported(source, `${what}; typedArrayMapping(format) says how they sit in a TypedArray`, 'no-array-type', 'typedArrayForFormat');
  }
  if (mapping.byteSwap !== 0) {
    unsupported(
      source,
      `its byte order is ${type.kind === 'scalar' ? type.endianness : 'mixed'}-endian and TypedArrays use the machine's (${NATIVE_ENDIANNESS}-endian); copy with byte swapping first (typedArrayMapping(format).byteSwap)`,
      'byte-order',
      'typedArrayForFormat',
    );
  }
  return mapping.arrayConstructor;
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
  let candidate: unknown =
    typeof arrayOrConstructor === 'function' ? arrayOrConstructor : ArrayBuffer.isView(arrayOrConstructor) ? arrayOrConstructor.constructor : undefined;
  // Walk up the constructor chain so subclasses (Buffer extends Uint8Array) resolve to their base.
  while (typeof candidate === 'function') {
    const format = Object.hasOwn(formatByName, candidate.name) ? formatByName[candidate.name] : undefined;
    if (format !== undefined && isViewPrototype(candidate)) return format;
    candidate = Object.getPrototypeOf(candidate);
  }
  throw new BufferError(
    'ERR_INVALID_ARGUMENT',
    `formatForTypedArray expects a TypedArray, a DataView or one of their constructors; received ${describe(arrayOrConstructor)}.`,
    {
      details: { operation: 'formatForTypedArray' },
    },
  );
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
