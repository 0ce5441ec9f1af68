// The consumer's copy of an exporter's answer. Every field of the answer is read exactly once
// (a getter or a Proxy trap runs once), arrays are copied element by element, buffers are
// brand-checked with the engine's own accessors (a Proxy of an ArrayBuffer is refused), and the
// result is a frozen plain record. Validation runs on this record and consumers use only it, so
// nothing the exporter does after answering can change what was validated.
import type { BufferInfo, BufferSegment, BufferSource } from '../buffer-info.js';
import { BufferError } from '../errors/buffer-error.js';
import { MAX_NDIM } from '../flags.js';
import { describeObject } from './describe-object.js';

/** A validated-to-be answer: a frozen `BufferInfo` whose buffers are genuine and whose arrays are copies. */
export interface BufferSnapshot extends BufferInfo {
  readonly shape: readonly number[] | null;
  readonly strides: readonly number[] | null;
  readonly suboffsets: readonly number[] | null;
  readonly segments: readonly BufferSegment[] | undefined;
  /** The engine's byte length of `buffer` when the answer was taken. */
  readonly bufferByteLength: number;
}

type Getter = (this: unknown) => unknown;
// eslint-disable-next-line @typescript-eslint/unbound-method -- each getter is only ever invoked with .call(buffer)
const getterOf = (prototype: object, key: string): Getter | undefined => Object.getOwnPropertyDescriptor(prototype, key)?.get as Getter | undefined;
const arrayBufferLength = getterOf(ArrayBuffer.prototype, 'byteLength')!;
const arrayBufferDetached = getterOf(ArrayBuffer.prototype, 'detached');
const sharedBufferLength = typeof SharedArrayBuffer === 'undefined' ? undefined : getterOf(SharedArrayBuffer.prototype, 'byteLength');

/** What the engine knows about a buffer, or null when `value` is not a genuine (Shared)ArrayBuffer of any realm. */
export function inspectBuffer(value: unknown): { readonly byteLength: number; readonly shared: boolean } | null {
  if (typeof value !== 'object' || value === null) return null;
  try {
    return { byteLength: arrayBufferLength.call(value) as number, shared: false };
  } catch {
    // not an ArrayBuffer (a Proxy of one fails this brand check too)
  }
  if (sharedBufferLength !== undefined) {
    try {
      return { byteLength: sharedBufferLength.call(value) as number, shared: true };
    } catch {
      // not a SharedArrayBuffer either
    }
  }
  return null;
}

/** True when a genuine ArrayBuffer has been detached (transferred); SharedArrayBuffers never are. */
export function isGenuineDetached(buffer: BufferSource, byteLength: number, shared: boolean): boolean {
  if (shared || byteLength !== 0) return false;
  if (arrayBufferDetached !== undefined) return arrayBufferDetached.call(buffer) === true;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function refuse(owner: unknown, message: string, cause?: unknown): never {
  throw new BufferError(
    'ERR_BUFFER_INVALID_LAYOUT',
    `The exporter returned an invalid buffer: ${message}. This is a bug in the exporter (${describeObject(owner)}); report it to its author.`,
    {
      details: { operation: 'getbuffer' },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

function read(answer: object, key: string, owner: unknown): unknown {
  try {
    return (answer as Record<string, unknown>)[key];
  } catch (cause) {
    return refuse(owner, `reading its ${key} threw (${cause instanceof Error ? cause.message : String(cause)})`, cause);
  }
}

function copyNumbers(value: unknown, name: string, owner: unknown, limit: number): readonly number[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) refuse(owner, `${name} is neither an array nor null`);
  try {
    const length: unknown = (value as unknown[]).length;
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) refuse(owner, `${name} has no valid length`);
    if (length > limit) {
      throw new BufferError('ERR_BUFFER_TOO_MANY_DIMENSIONS', `The exporter returned ${name} with ${length} entries; at most ${limit} are supported.`, {
        details: { operation: 'getbuffer' },
      });
    }
    const copy = new Array<number>(length);
    for (let i = 0; i < length; i++) {
      const entry: unknown = (value as unknown[])[i];
      // Non-numbers are kept as NaN so that validation names the entry.
      copy[i] = typeof entry === 'number' ? entry : Number.NaN;
    }
    return Object.freeze(copy);
  } catch (cause) {
    if (BufferError.isInstance(cause)) throw cause;
    return refuse(owner, `reading ${name} threw (${cause instanceof Error ? cause.message : String(cause)})`, cause);
  }
}

function copySegments(value: unknown, owner: unknown): readonly BufferSegment[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) refuse(owner, 'segments is neither an array nor absent');
  try {
    const length: unknown = (value as unknown[]).length;
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) refuse(owner, 'segments has no valid length');
    const copy = new Array<BufferSegment>(length);
    for (let i = 0; i < length; i++) {
      const segment: unknown = (value as unknown[])[i];
      if (typeof segment !== 'object' || segment === null) refuse(owner, `segment ${i} is not an object`);
      const buffer = (segment as Record<string, unknown>)['buffer'];
      const byteOffset = (segment as Record<string, unknown>)['byteOffset'];
      const byteLength = (segment as Record<string, unknown>)['byteLength'];
      if (inspectBuffer(buffer) === null) refuse(owner, `segment ${i}'s buffer is not a genuine ArrayBuffer or SharedArrayBuffer (a Proxy or a look-alike)`);
      copy[i] = Object.freeze({ buffer: buffer as BufferSource, byteOffset: byteOffset as number, byteLength: byteLength as number });
    }
    return Object.freeze(copy);
  } catch (cause) {
    if (BufferError.isInstance(cause)) throw cause;
    return refuse(owner, `reading segments threw (${cause instanceof Error ? cause.message : String(cause)})`, cause);
  }
}

/**
 * Copies an exporter's answer into a frozen plain record, reading every field once.
 *
 * @throws {BufferError} `ERR_BUFFER_INVALID_LAYOUT` (not an object, a field of the wrong type, a
 * Proxy or look-alike buffer, a throwing getter), `ERR_BUFFER_TOO_MANY_DIMENSIONS`.
 */
export function snapshotBufferInfo(answer: unknown, owner: unknown = undefined): BufferSnapshot {
  if (typeof answer !== 'object' || answer === null) {
    refuse(owner, `expected a BufferInfo object, found ${answer === null ? 'null' : typeof answer}`);
  }
  const obj = read(answer, 'obj', owner);
  const who = owner ?? obj;
  const buffer = read(answer, 'buffer', who);
  const byteOffset = read(answer, 'byteOffset', who);
  const byteLength = read(answer, 'byteLength', who);
  const readonly = read(answer, 'readonly', who);
  const itemsize = read(answer, 'itemsize', who);
  const format = read(answer, 'format', who);
  const ndim = read(answer, 'ndim', who);
  const shape = read(answer, 'shape', who);
  const strides = read(answer, 'strides', who);
  const suboffsets = read(answer, 'suboffsets', who);
  const segments = read(answer, 'segments', who);
  const internal = read(answer, 'internal', who);
  if ((typeof obj !== 'object' && typeof obj !== 'function') || obj === null)
    refuse(who, `obj is ${obj === null ? 'null' : typeof obj}, not the exporter object`);
  const inspected = inspectBuffer(buffer);
  if (inspected === null) refuse(who, 'buffer is not a genuine ArrayBuffer or SharedArrayBuffer (a Proxy or a look-alike)');
  if (typeof readonly !== 'boolean') refuse(who, `readonly is ${typeof readonly}, not a boolean`);
  if (format !== null && typeof format !== 'string') refuse(who, `format is ${typeof format}, not a string or null`);
  for (const [name, value] of [
    ['byteOffset', byteOffset],
    ['byteLength', byteLength],
    ['itemsize', itemsize],
    ['ndim', ndim],
  ] as const) {
    if (typeof value !== 'number') refuse(who, `${name} is ${typeof value}, not a number`);
  }
  return Object.freeze({
    obj: obj,
    buffer: buffer as BufferSource,
    byteOffset: byteOffset as number,
    byteLength: byteLength as number,
    readonly,
    itemsize: itemsize as number,
    format,
    ndim: ndim as number,
    shape: copyNumbers(shape, 'shape', who, MAX_NDIM),
    strides: copyNumbers(strides, 'strides', who, MAX_NDIM),
    suboffsets: copyNumbers(suboffsets, 'suboffsets', who, MAX_NDIM),
    segments: copySegments(segments, who),
    internal,
    bufferByteLength: inspected.byteLength,
  });
}
