import { formatForTypedArray, typedArrayForFormat, type MemoryViewTypedArray } from '@interop/core';
import type { ColumnType, IntegerTypeName, NumericTypeName } from '../column-type.js';

/** Every TypedArray a column can hold its values in: core's `MemoryViewTypedArray`. */
export type ColumnValues = MemoryViewTypedArray;

type ValuesConstructor = {
  new (length: number): ColumnValues;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): ColumnValues;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
};

/** PEP 3118 struct codes of the values buffer of each storage type. */
const formats: Record<NumericTypeName | 'bool', string> = {
  bool: '?',
  int8: 'b',
  uint8: 'B',
  int16: 'h',
  uint16: 'H',
  int32: 'i',
  uint32: 'I',
  int64: 'q',
  uint64: 'Q',
  float16: 'e',
  float32: 'f',
  float64: 'd',
};

/** The storage type name of a column type's values buffer. */
export function storageName(type: ColumnType): NumericTypeName | 'bool' {
  switch (type.kind) {
    case 'string':
      return 'uint8';
    case 'categorical':
      return type.codes;
    case 'datetime':
    case 'timedelta':
      return 'int64';
    default:
      return type.kind;
  }
}

/** The storage types by PEP 3118 format (the inverse of `formats`). */
const namesByFormat: ReadonlyMap<string, NumericTypeName | 'bool'> = new Map(
  Object.entries(formats).map(([name, format]) => [format, name as NumericTypeName | 'bool']),
);

/** The PEP 3118 format of a storage type's values. */
export function storageFormat(name: NumericTypeName | 'bool'): string {
  return formats[name];
}

/** The storage type of a PEP 3118 format, or undefined. */
export function storageFromFormat(format: string): NumericTypeName | 'bool' | undefined {
  return namesByFormat.get(format);
}

/** core's TypedArray for a storage type; float16 is stored as raw `Uint16Array` bits on every engine. */
function constructorOf(name: NumericTypeName | 'bool'): ValuesConstructor {
  return (name === 'float16' ? Uint16Array : typedArrayForFormat(formats[name])) as ValuesConstructor;
}

export function valuesConstructor(type: ColumnType): ValuesConstructor {
  return constructorOf(storageName(type));
}

export function valuesFormat(type: ColumnType): string {
  return type.kind === 'string' ? 'B' : formats[storageName(type)];
}

export function integerConstructor(name: IntegerTypeName): ValuesConstructor {
  return constructorOf(name);
}

/** The storage name matching a TypedArray's class (through core's `formatForTypedArray`), or undefined for other objects. */
export function typedArrayStorage(value: unknown): NumericTypeName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  let format: string;
  try {
    format = formatForTypedArray(value);
  } catch {
    return undefined;
  }
  const name = storageFromFormat(format);
  // '?' is bool, which a plain TypedArray never is; float16 is kept as raw Uint16Array bits.
  return name === 'bool' || name === 'float16' ? undefined : name;
}

/** Creates a view of the same memory with the storage class of `type` (no copy). */
export function viewAs(type: ColumnType, source: ArrayBufferView, length: number): ColumnValues {
  const Constructor = valuesConstructor(type);
  return new Constructor(source.buffer, source.byteOffset, length);
}
