import { allocateBuffer, NATIVE_ENDIANNESS, parseFormat, typedArrayMapping } from '@interop/core';
import type { VnlElementType } from '../element-type.js';
import { VnlError } from '../errors/vnl-error.js';

/** Any storage array of a vector or matrix. */
export type AnyData =
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;
/** Storage arrays holding numbers (every type but the 64-bit integers). */
export type NumberData = Exclude<AnyData, BigInt64Array | BigUint64Array>;
/** Storage arrays holding bigints. */
export type BigData = BigInt64Array | BigUint64Array;

/**
 * How the kernels treat a type: float64 has its own monomorphic loops (the hot case); "small"
 * integers and float32 share plain arithmetic (products stay exact below 2^53 and stores wrap);
 * 32-bit integers multiply with Math.imul so products wrap instead of losing bits; 64-bit integers
 * use bigint; complex types work on interleaved pairs.
 */
export type KernelKind = 'float64' | 'small' | 'int32' | 'bigint' | 'complex';

export interface ElementInfo {
  readonly type: VnlElementType;
  readonly format: string;
  readonly itemsize: number;
  /** Storage entries per element: 2 for complex, 1 otherwise. */
  readonly components: 1 | 2;
  /** Bytes per storage entry (the alignment a zero-copy view needs). */
  readonly componentSize: number;
  readonly kind: KernelKind;
  readonly integer: boolean;
  readonly create: (length: number) => AnyData;
  /** A copy of `data` in fresh storage from the allocation seam. */
  readonly copy: (data: AnyData) => AnyData;
  readonly wrap: (buffer: ArrayBufferLike, byteOffset: number, length: number) => AnyData;
}

type Constructor = {
  new (length: number): AnyData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): AnyData;
  readonly BYTES_PER_ELEMENT: number;
};

function info(type: VnlElementType, format: string, kind: KernelKind, integer: boolean): ElementInfo {
  // Storage is core's TypedArray mapping of the format: complex items are two elements.
  const mapping = typedArrayMapping(format);
  const Ctor = mapping.arrayConstructor as unknown as Constructor;
  const components = mapping.elementsPerItem as 1 | 2;
  return Object.freeze({
    type,
    format,
    itemsize: Ctor.BYTES_PER_ELEMENT * components,
    components,
    componentSize: Ctor.BYTES_PER_ELEMENT,
    kind,
    integer,
    // Fresh storage comes from the allocation seam of @interop/core (huge pages when registered).
    create: (length: number) => new Ctor(allocateBuffer(length * Ctor.BYTES_PER_ELEMENT), 0, length),
    copy: (data: AnyData) => {
      const out = new Ctor(allocateBuffer(data.byteLength), 0, data.length);
      (out as unknown as { set(source: ArrayLike<unknown>): void }).set(data);
      return out;
    },
    wrap: (buffer: ArrayBufferLike, byteOffset: number, length: number) => new Ctor(buffer, byteOffset, length),
  });
}

const table: Readonly<Record<VnlElementType, ElementInfo>> = {
  int8: info('int8', 'b', 'small', true),
  uint8: info('uint8', 'B', 'small', true),
  int16: info('int16', 'h', 'small', true),
  uint16: info('uint16', 'H', 'small', true),
  int32: info('int32', 'i', 'int32', true),
  uint32: info('uint32', 'I', 'int32', true),
  int64: info('int64', 'q', 'bigint', true),
  uint64: info('uint64', 'Q', 'bigint', true),
  float32: info('float32', 'f', 'small', false),
  float64: info('float64', 'd', 'float64', false),
  complex64: info('complex64', 'Zf', 'complex', false),
  complex128: info('complex128', 'Zd', 'complex', false),
};

export const formats: Readonly<Record<VnlElementType, string>> = Object.freeze(
  Object.fromEntries(Object.entries(table).map(([type, entry]) => [type, entry.format])) as Record<VnlElementType, string>,
);

const typeNames = Object.keys(table).join(', ');

/** True when `value` names a vnl element type. */
export function isVnlElementType(value: unknown): value is VnlElementType {
  return typeof value === 'string' && Object.hasOwn(table, value);
}

/** The element facts of `type`, or a VnlError naming the valid types. */
export function elementInfo(type: unknown): ElementInfo {
  if (!isVnlElementType(type)) throw invalidType(type);
  return table[type];
}

export function invalidType(type: unknown): VnlError {
  return new VnlError(
    'ERR_VNL_INVALID_TYPE',
    `Element type ${typeof type === 'string' ? JSON.stringify(type) : String(type)} is not a vnl element type; use one of ${typeNames}.`,
    {
      details: { type },
    },
  );
}

/** A parsed numeric format: the vnl type and whether its bytes are in this machine's order. */
export interface NumericFormat {
  readonly type: VnlElementType;
  readonly nativeOrder: boolean;
}

/** Parses a PEP 3118 format into a vnl type and byte order. */
export function describeFormat(format: string): NumericFormat {
  const parsed = parseFormat(format);
  const item = parsed.type;
  if (item.kind === 'scalar') {
    const type = scalarType(item.valueKind, item.size);
    if (type !== null) return { type, nativeOrder: item.endianness === NATIVE_ENDIANNESS || item.size === 1 };
  }
  throw new VnlError(
    'ERR_FORMAT_UNSUPPORTED',
    `Format ${JSON.stringify(format)} has no vnl element type; vnl holds signed or unsigned integers of 1, 2, 4 or 8 bytes, float32, float64, complex64 ("Zf") and complex128 ("Zd"). Convert the array first (e.g. NumPy's astype).`,
    { details: { format } },
  );
}

function scalarType(kind: string, size: number): VnlElementType | null {
  if (kind === 'int' || kind === 'uint') {
    const bits = size * 8;
    if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) return null;
    return `${kind}${bits}` as VnlElementType;
  }
  if (kind === 'float') return size === 4 ? 'float32' : size === 8 ? 'float64' : null;
  if (kind === 'complex') return size === 8 ? 'complex64' : size === 16 ? 'complex128' : null;
  return null;
}
