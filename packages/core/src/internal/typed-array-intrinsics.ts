// What the engine itself knows about a TypedArray, read through the intrinsic accessors of
// %TypedArray%.prototype: they answer with the engine's own facts whatever a subclass or an own
// property claims, and they work on TypedArrays of every realm. Used by the export fast paths
// (getBuffer and MemoryView.from on a TypedArray), the hottest calls of the project.
import type { BufferSource } from '../buffer-info.js';
import { BufferFlags } from '../flags.js';
import { formatItemsize } from '../format/parse.js';
import { formatForTypedArrayName, typedArrayFamilies } from '../format/typed-array-format.js';

/** The format and itemsize of one TypedArray family, with the strides of its 1-D export. */
export interface TypedArrayKind {
  readonly format: string;
  readonly itemsize: number;
  /** `[itemsize]`, frozen and shared: layout arrays are never mutated. */
  readonly strides: readonly number[];
}

const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as object;
const intrinsicGetter = (key: PropertyKey): ((this: unknown) => unknown) =>
  // eslint-disable-next-line @typescript-eslint/unbound-method -- each getter is only ever invoked with .call(view)
  Object.getOwnPropertyDescriptor(typedArrayPrototype, key)!.get! as (this: unknown) => unknown;
// Symbol.toStringTag names the family, and is undefined for anything that is not a TypedArray.
const tagGetter = intrinsicGetter(Symbol.toStringTag) as (this: unknown) => string | undefined;
const bufferGetter = intrinsicGetter('buffer') as (this: unknown) => BufferSource;
const byteOffsetGetter = intrinsicGetter('byteOffset') as (this: unknown) => number;
const lengthGetter = intrinsicGetter('length') as (this: unknown) => number;

// A plain object with fast properties: a keyed load on it beats a Map lookup by a string.
const kinds: Readonly<Record<string, TypedArrayKind | undefined>> = Object.fromEntries(
  typedArrayFamilies.map((name) => {
    const format = formatForTypedArrayName(name)!;
    const itemsize = formatItemsize(format);
    return [name, { format, itemsize, strides: Object.freeze([itemsize]) }];
  }),
);

/** The family of a TypedArray (any realm, subclasses included); undefined for everything else. */
export function typedArrayKind(value: unknown): TypedArrayKind | undefined {
  const tag = tagGetter.call(value);
  // The getter answers only with the engine's own family names, every one of which is a key.
  return tag === undefined ? undefined : kinds[tag];
}

/** Elements of a TypedArray, as the engine knows them (0 when detached or out of bounds). */
export function typedArrayLength(view: ArrayBufferView): number {
  return lengthGetter.call(view);
}

/** Byte offset of a TypedArray, as the engine knows it. */
export function typedArrayByteOffset(view: ArrayBufferView): number {
  return byteOffsetGetter.call(view);
}

/** The ArrayBuffer of a TypedArray (never changes for a given TypedArray; answered in C++ by V8). */
export function typedArrayBuffer(view: ArrayBufferView): BufferSource {
  return bufferGetter.call(view);
}

/**
 * True when a TypedArray (1-D, contiguous, writable memory) satisfies request `flags` without
 * the general machinery: well-formed flags, not FORMAT without ND (which the general path refuses
 * with the precise error).
 */
export function isSimpleRequest(flags: number): boolean {
  return (flags & 0x1ff) === flags && (flags & (BufferFlags.FORMAT | BufferFlags.ND)) !== BufferFlags.FORMAT;
}
