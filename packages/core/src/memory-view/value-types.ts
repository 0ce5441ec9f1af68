// Compile-time value types of MemoryView: which JavaScript value `get` answers for a format
// literal or a TypedArray, so that numeric code type-checks. Every type here mirrors the codec's
// runtime rules (codec.ts); where the format is not a literal the wide union stays.
import type { MemoryViewRecord, MemoryViewValue } from './codec.js';
import type { MemoryView } from './memory-view.js';

/** Codes whose items read as `number` in every size mode. */
type NumberCode = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'e' | 'f' | 'd';
/** Codes whose items are byte strings (`Uint8Array`). */
type BytesCode = 'c' | 's' | 'p' | `${number}s` | `${number}p`;
/** Codes whose items are strings. */
type TextCode = 'u' | 'w' | `${number}u` | `${number}w`;

type CommonValue<C extends string> = C extends NumberCode
  ? number
  : C extends 'q' | 'Q'
    ? bigint
    : C extends '?'
      ? boolean
      : C extends 'Zf' | 'Zd'
        ? [number, number]
        : C extends BytesCode
          ? Uint8Array
          : C extends TextCode
            ? string
            : C extends `T{${string}`
              ? MemoryViewRecord
              : MemoryViewValue;

/** Standard sizes (`= < > !`): `l L` are 4 bytes, so numbers. */
type StandardValue<C extends string> = C extends 'l' | 'L' ? number : CommonValue<C>;
/** Native sizes (`@`, `^` or no prefix): `l L n N P` are 8 bytes, so bigints. */
type NativeValue<C extends string> = C extends 'l' | 'L' | 'n' | 'N' | 'P' ? bigint : CommonValue<C>;

/**
 * The value type `get` returns for items of format `F`: `number`, `bigint` (8-byte integers),
 * `boolean` (`?`), `[re, im]` (`Zf`, `Zd`), `Uint8Array`, `string`, `MemoryViewRecord`; the
 * whole `MemoryViewValue` union when `F` is not a literal or not recognised.
 *
 * @example
 * ```ts
 * import type { FormatValue } from '@interop/core';
 * const value: FormatValue<'<d'> = 1.5; // number
 * const big: FormatValue<'Q'> = 1n; // bigint
 * ```
 */
export type FormatValue<F extends string> = string extends F
  ? MemoryViewValue
  : F extends `${'=' | '<' | '>' | '!'}${infer C}`
    ? StandardValue<C>
    : F extends `${'@' | '^'}${infer C}`
      ? NativeValue<C>
      : NativeValue<F>;

/**
 * The value type of a view of `S`: the element type of a TypedArray (`bigint` for the BigInt
 * arrays), `number` for byte sources (ArrayBuffer, DataView, Buffer), the value type of a typed
 * MemoryView, and `MemoryViewValue` for anything else.
 */
export type SourceValue<S> =
  S extends MemoryView<infer T>
    ? T
    : S extends BigInt64Array | BigUint64Array
      ? bigint
      : S extends ArrayBufferView | ArrayBufferLike
        ? number
        : MemoryViewValue;

/**
 * What `set` accepts for items of value type `T`: numbers (bigints or safe integers for `bigint`
 * items, a real number for complex items); anything, checked at run time, for other value types
 * and for the wide union.
 */
export type MemoryViewInput<T> = T extends number
  ? number
  : T extends bigint
    ? bigint | number
    : T extends [number, number]
      ? [number, number] | number
      : T extends boolean
        ? boolean
        : unknown;

/** What `toList` returns for items of value type `T`: the value (0-d views) or nested arrays of values. */
export type MemoryViewList<T> = T | MemoryViewList<T>[];

/** The TypedArrays `toTypedArray` can return for items of value type `T`. */
export type MemoryViewTypedArrayOf<T> = T extends bigint
  ? BigInt64Array | BigUint64Array
  : T extends boolean
    ? Uint8Array
    : T extends [number, number]
      ? Float32Array | Float64Array
      : T extends number
        ? Exclude<MemoryViewTypedArray, BigInt64Array | BigUint64Array>
        : MemoryViewTypedArray;

/** Every TypedArray `toTypedArray` can return. */
export type MemoryViewTypedArray =
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;
