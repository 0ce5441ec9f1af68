import type { ColumnType, IntegerTypeName, NumericTypeName } from '../column-type.js';

/** Every TypedArray a column can hold its values in. */
export type ColumnValues =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

type ValuesConstructor = {
  new (length: number): ColumnValues;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): ColumnValues;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
};

const constructors: Record<NumericTypeName | 'bool', ValuesConstructor> = {
  bool: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
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

export function valuesConstructor(type: ColumnType): ValuesConstructor {
  return constructors[storageName(type)];
}

export function valuesFormat(type: ColumnType): string {
  return type.kind === 'string' ? 'B' : formats[storageName(type)];
}

export function integerConstructor(name: IntegerTypeName): ValuesConstructor {
  return constructors[name];
}

/** The storage name matching a TypedArray's class, or undefined for other objects. */
export function typedArrayStorage(value: unknown): NumericTypeName | undefined {
  if (value instanceof Float64Array) return 'float64';
  if (value instanceof Float32Array) return 'float32';
  if (value instanceof Int32Array) return 'int32';
  if (value instanceof Uint32Array) return 'uint32';
  if (value instanceof Int16Array) return 'int16';
  if (value instanceof Uint16Array) return 'uint16';
  if (value instanceof Int8Array) return 'int8';
  if (value instanceof Uint8Array) return 'uint8';
  if (value instanceof Uint8ClampedArray) return 'uint8';
  if (value instanceof BigInt64Array) return 'int64';
  if (value instanceof BigUint64Array) return 'uint64';
  return undefined;
}

/** Creates a view of the same memory with the storage class of `type` (no copy). */
export function viewAs(type: ColumnType, source: ArrayBufferView, length: number): ColumnValues {
  const Constructor = valuesConstructor(type);
  return new Constructor(source.buffer, source.byteOffset, length);
}
