// The hostile-exporter matrix: exporters that lie about each field of their answer, answer
// through getters and Proxies that change their value after the first read, ignore the request
// flags, answer null, or throw from releasebuffer. Any consumer (getBuffer, MemoryView.from, a C
// borrow, a package's reader or writer) run against it must end every case with a typed error or
// with exactly the right values, its exports balanced, and nothing else.
import { describe, expect, it } from 'vitest';
import type { BufferInfo, BufferSegment } from '../buffer-info.js';
import { InteropError } from '../errors/interop-error.js';
import { BufferFlags } from '../flags.js';
import { cStrides, fStrides, resolveLayout, shapeSize } from '../layout.js';
import { getBuffer, releaseBuffer } from '../protocol.js';
import { getbuffer, releasebuffer } from '../symbols.js';

/** The layout a hostile exporter shows on the first read of each field (its one valid reading). */
export interface HostileLayout {
  readonly byteOffset: number;
  readonly shape: readonly number[];
  /** null: C order (and no strides in the answer). */
  readonly strides: readonly number[] | null;
  readonly readonly: boolean;
}

/** One exporter of the matrix, with the counters the checks read. */
export interface HostileExporter {
  [getbuffer](flags: number): BufferInfo;
  [releasebuffer](info: BufferInfo): void;
  /** Exports answered so far (each counts one, even a lying one, as PEP 3118 says). */
  readonly exports: number;
  /** Calls of releasebuffer so far. */
  readonly releases: number;
  /** The flags of every request, in order. */
  readonly requests: readonly number[];
}

/** One case of the matrix. */
export interface HostileCase {
  /** What the exporter does, e.g. `"getter byteOffset 0 -> 56"`. */
  readonly name: string;
  /** The family: field lies, getters, proxies, flags, null answers, release failures. */
  readonly family: 'field' | 'getter' | 'proxy' | 'flags' | 'null' | 'release';
  /**
   * The values (float64, logical C order) a consumer must see when it accepts the answer; null
   * when no reading is valid, so every consumer must refuse with a typed error.
   */
  readonly values: readonly number[] | null;
  /** The valid first reading (null when there is none). */
  readonly layout: HostileLayout | null;
  /** True when releasebuffer throws a plain Error (after counting the release). */
  readonly releaseThrows: boolean;
  /** A fresh exporter for this case. */
  create(): HostileExporter;
}

/** Options of `hostileCases`. */
export interface HostileCaseOptions {
  /** The logical shape of the honest data: `[16]` (default) or `[4, 4]`. Items are float64 ("d"). */
  readonly shape?: readonly number[];
}

const SENTINEL = -12345.5;
const ITEM = 8;

interface AnswerFields {
  obj: unknown;
  buffer: unknown;
  byteOffset: unknown;
  byteLength: unknown;
  readonly: unknown;
  itemsize: unknown;
  format: unknown;
  ndim: unknown;
  shape: unknown;
  strides: unknown;
  suboffsets: unknown;
  segments?: unknown;
  internal?: unknown;
}

type Builder = (memory: ArrayBuffer, owner: object, flags: number) => unknown;

/** Memory of `slots` float64 sentinels with values 1..n written where `layout` puts them. */
function memoryFor(layout: HostileLayout, slots: number): ArrayBuffer {
  const memory = new ArrayBuffer(slots * ITEM);
  const view = new DataView(memory);
  for (let i = 0; i < slots; i++) view.setFloat64(i * ITEM, SENTINEL, true);
  const strides = layout.strides ?? cStrides(layout.shape, ITEM);
  const count = shapeSize(layout.shape);
  const index = new Array<number>(layout.shape.length).fill(0);
  for (let n = 0; n < count; n++) {
    let offset = layout.byteOffset;
    for (let k = 0; k < index.length; k++) offset += index[k]! * strides[k]!;
    view.setFloat64(offset, n + 1, NATIVE_LITTLE);
    for (let k = index.length - 1; k >= 0; k--) {
      if (++index[k]! < layout.shape[k]!) break;
      index[k] = 0;
    }
  }
  return memory;
}

const NATIVE_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function honestFields(layout: HostileLayout, memory: ArrayBuffer, owner: object): AnswerFields {
  return {
    obj: owner,
    buffer: memory,
    byteOffset: layout.byteOffset,
    byteLength: shapeSize(layout.shape) * ITEM,
    readonly: layout.readonly,
    itemsize: ITEM,
    format: 'd',
    ndim: layout.shape.length,
    shape: layout.shape.slice(),
    strides: layout.strides === null ? null : layout.strides.slice(),
    suboffsets: null,
  };
}

/** The answer PEP 3118 requires for `flags` from an honest exporter of `layout` (format/shape/strides dropped when not asked). */
function requestShaped(fields: AnswerFields, flags: number): AnswerFields {
  const shaped = { ...fields };
  if ((flags & BufferFlags.FORMAT) === 0) shaped.format = null;
  if ((flags & BufferFlags.ND) === 0) {
    shaped.shape = null;
    shaped.ndim = 1;
  }
  if ((flags & BufferFlags.STRIDES) !== BufferFlags.STRIDES) shaped.strides = null;
  return shaped;
}

class Hostile implements HostileExporter {
  exports = 0;
  releases = 0;
  readonly requests: number[] = [];
  readonly #memory: ArrayBuffer;
  readonly #build: Builder;
  readonly #releaseThrows: boolean;

  constructor(memory: ArrayBuffer, build: Builder, releaseThrows: boolean) {
    this.#memory = memory;
    this.#build = build;
    this.#releaseThrows = releaseThrows;
  }

  [getbuffer](flags: number): BufferInfo {
    this.requests.push(flags);
    const answer = this.#build(this.#memory, this, flags);
    this.exports++;
    return answer as BufferInfo;
  }

  [releasebuffer](_info: BufferInfo): void {
    this.releases++;
    if (this.#releaseThrows) throw new Error('hostile releasebuffer: refusing to release');
  }
}

/** An object whose `key` getter answers `first` once, then `later` forever. */
function flipping(fields: AnswerFields, key: keyof AnswerFields, first: unknown, later: unknown): object {
  const answer: Record<string, unknown> = { ...fields };
  let reads = 0;
  Object.defineProperty(answer, key, { enumerable: true, get: () => (reads++ === 0 ? first : later) });
  return answer;
}

/**
 * The hostile-exporter matrix over float64 data of `options.shape` (default `[16]`): one case per
 * lie. Each case's `create()` makes a fresh exporter; `values` says what an accepting consumer
 * must see (null: it must refuse with a typed error).
 *
 * @example
 * ```ts
 * import { getBuffer, releaseBuffer } from '@interop/core';
 * import { hostileCases } from '@interop/core/testing';
 * for (const hostile of hostileCases()) {
 *   try { releaseBuffer(getBuffer(hostile.create())); } catch { }
 * }
 * ```
 */
export function hostileCases(options: HostileCaseOptions = {}): HostileCase[] {
  const shape = options.shape ?? [16];
  const count = shapeSize(shape);
  const values = Array.from({ length: count }, (_, i) => i + 1);
  const cases: HostileCase[] = [];
  const honest: HostileLayout = { byteOffset: 0, shape, strides: null, readonly: false };
  const slots = count * 4 + 8;

  const add = (
    name: string,
    family: HostileCase['family'],
    layout: HostileLayout | null,
    build: (fields: AnswerFields, flags: number, memory: ArrayBuffer) => unknown,
    releaseThrows = false,
  ): void => {
    const base = layout ?? honest;
    cases.push({
      name,
      family,
      values: layout === null ? null : values,
      layout,
      releaseThrows,
      create: () => new Hostile(memoryFor(base, slots), (memory, owner, flags) => build(honestFields(base, memory, owner), flags, memory), releaseThrows),
    });
  };
  // An answer that lies about one field, whatever was requested.
  const lie = (name: string, patch: Partial<AnswerFields>): void =>
    add(`field ${name}`, 'field', null, (fields, flags) => ({ ...requestShaped(fields, flags), ...patch }));

  // ---- field lies: no valid reading exists
  const total = count * ITEM;
  lie('byteOffset past the end', { byteOffset: slots * ITEM });
  lie('byteOffset negative', { byteOffset: -8 });
  lie('byteOffset fractional', { byteOffset: 0.5 });
  lie('byteOffset NaN', { byteOffset: Number.NaN });
  lie('byteOffset a string', { byteOffset: '0' });
  lie('byteLength too large', { byteLength: slots * ITEM * 2 });
  lie('byteLength not itemsize x shape', { byteLength: total - 8, shape: shape.slice(), ndim: shape.length });
  lie('shape too large', { shape: shape.map((dim, k) => (k === 0 ? dim * 1000 : dim)), ndim: shape.length, byteLength: total * 1000 });
  lie('shape negative', { shape: shape.map((dim, k) => (k === 0 ? -dim : dim)), ndim: shape.length });
  lie('shape fractional', { shape: shape.map((dim, k) => (k === 0 ? dim + 0.5 : dim)), ndim: shape.length });
  lie('shape 1e300', { shape: shape.map((dim, k) => (k === 0 ? 1e300 : dim)), ndim: shape.length, byteLength: 1e300 });
  lie('shape not an array', { shape: { length: shape.length, 0: shape[0] }, ndim: shape.length });
  lie('shape longer than ndim', { shape: [...shape, 1], ndim: shape.length });
  lie('strides reaching past the end', { shape: shape.slice(), ndim: shape.length, strides: shape.map(() => slots * ITEM) });
  lie('strides negative from offset 0', { shape: shape.slice(), ndim: shape.length, strides: shape.map(() => -ITEM) });
  lie('strides fractional', { shape: shape.slice(), ndim: shape.length, strides: shape.map(() => 7.5) });
  lie('itemsize disagreeing with format', { itemsize: 4, byteLength: total / 2, format: 'd', shape: shape.slice(), ndim: shape.length });
  lie('itemsize zero', { itemsize: 0, byteLength: 0 });
  lie('format malformed', { format: 'T{d', shape: shape.slice(), ndim: shape.length });
  lie('format nested 3000 deep', { format: `${'T{'.repeat(3000)}d${'}'.repeat(3000)}`, shape: shape.slice(), ndim: shape.length });
  lie('format not a string', { format: 100, shape: shape.slice(), ndim: shape.length });
  lie('ndim 65', { ndim: 65, shape: new Array<number>(65).fill(1), strides: null, byteLength: ITEM });
  lie('ndim disagreeing with shape', { ndim: shape.length + 1, shape: shape.slice() });
  lie('buffer a plain object', { buffer: { byteLength: slots * ITEM } });
  lie('buffer a TypedArray', { buffer: new Float64Array(slots) });
  lie('buffer a Proxy of an ArrayBuffer', { buffer: new Proxy(new ArrayBuffer(slots * ITEM), {}) });
  lie('buffer detached', { buffer: detachedBuffer() });
  lie('readonly not a boolean', { readonly: 'no' });
  lie('obj not an object', { obj: 42 });
  lie('suboffsets without segments', { shape: shape.slice(), ndim: shape.length, suboffsets: shape.map((_, k) => (k === 0 ? 0 : -1)) });
  lie('segments outside their buffers', {
    shape: shape.slice(),
    ndim: shape.length,
    suboffsets: shape.map((_, k) => (k === 0 ? 0 : -1)),
    segments: Array.from({ length: shape[0]! }, () => ({ buffer: new ArrayBuffer(8), byteOffset: 4, byteLength: 64 }) satisfies BufferSegment),
  });

  // ---- null and non-object answers
  add('answer null', 'null', null, () => null);
  add('answer undefined', 'null', null, () => undefined);
  add('answer a number', 'null', null, () => 7);
  add('answer with a throwing getter', 'getter', null, (fields, flags) => {
    const answer: Record<string, unknown> = { ...requestShaped(fields, flags) };
    Object.defineProperty(answer, 'shape', {
      enumerable: true,
      get: () => {
        throw new TypeError('hostile getter');
      },
    });
    return answer;
  });

  // ---- getters that change after the first read: the first reading is valid and must be the one used
  const flipGetter = (key: keyof AnswerFields, later: (fields: AnswerFields, memory: ArrayBuffer) => unknown, label: string): void =>
    add(`getter ${key} ${label}`, 'getter', honest, (fields, flags, memory) => {
      const shaped = requestShaped(fields, flags);
      return flipping(shaped, key, shaped[key], later(shaped, memory));
    });
  flipGetter('byteOffset', () => 56, '0 -> 56');
  flipGetter('byteOffset', () => slots * ITEM * 4, '0 -> past the end');
  flipGetter('byteOffset', () => -1024, '0 -> -1024');
  flipGetter('byteLength', () => slots * ITEM * 100, '-> 100x');
  flipGetter('shape', (fields) => (fields.shape === null ? null : [1e6, ...shape.slice(1)]), '-> [1e6, ...]');
  flipGetter('strides', (fields) => (fields.strides === null ? null : shape.map(() => slots * ITEM)), '-> past the end');
  flipGetter('itemsize', () => 1, '8 -> 1');
  flipGetter('format', (fields) => (fields.format === null ? null : 'B'), "'d' -> 'B'");
  flipGetter('readonly', () => true, 'false -> true');
  flipGetter('buffer', () => new ArrayBuffer(8), '-> an 8-byte buffer');
  flipGetter('ndim', () => 64, '-> 64');
  add('getter shape entries flip', 'getter', honest, (fields, flags) => {
    const shaped = requestShaped(fields, flags);
    if (shaped.shape !== null) {
      const honestShape = shaped.shape as number[];
      const flipped: number[] = [];
      honestShape.forEach((dim, k) => {
        let reads = 0;
        Object.defineProperty(flipped, k, { enumerable: true, get: () => (reads++ === 0 ? dim : dim * 1000) });
      });
      shaped.shape = flipped;
    }
    return shaped;
  });

  // ---- Proxies
  add('proxy answer flipping every field after its first read', 'proxy', honest, (fields, flags) => {
    const shaped = requestShaped(fields, flags);
    const reads = new Map<PropertyKey, number>();
    const later: Partial<Record<keyof AnswerFields, unknown>> = {
      byteOffset: 64,
      byteLength: 1e9,
      shape: shaped.shape === null ? null : [1e6],
      strides: shaped.strides === null ? null : [-1e6],
      itemsize: 1,
      buffer: new ArrayBuffer(8),
    };
    return new Proxy(shaped, {
      get(target, key, receiver) {
        const n = reads.get(key) ?? 0;
        reads.set(key, n + 1);
        if (n > 0 && Object.hasOwn(later, key)) return later[key as keyof AnswerFields];
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  });
  add('proxy shape array growing after the first read', 'proxy', honest, (fields, flags) => {
    const shaped = requestShaped(fields, flags);
    if (Array.isArray(shaped.shape)) {
      const reads = new Map<PropertyKey, number>();
      shaped.shape = new Proxy(shaped.shape as number[], {
        get(target, key, receiver) {
          const n = reads.get(key) ?? 0;
          reads.set(key, n + 1);
          if (n > 0 && key !== 'length' && typeof key === 'string' && /^\d+$/.test(key)) return 1e6;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    }
    return shaped;
  });
  add('proxy buffer', 'proxy', null, (fields, flags, memory) => ({ ...requestShaped(fields, flags), buffer: new Proxy(memory, {}) }));

  // ---- answers that ignore the request flags: valid layouts, refused only when they break the request
  const layoutCase = (name: string, layout: HostileLayout, extra: Partial<AnswerFields> = {}): void =>
    add(`flags ${name}`, 'flags', layout, (fields) => ({ ...fields, strides: fields.strides ?? cStrides(layout.shape, ITEM), ...extra }));
  layoutCase('negative strides', { byteOffset: (count - 1) * ITEM, shape, strides: reversedStrides(shape), readonly: false });
  layoutCase('every other item', { byteOffset: 0, shape, strides: cStrides(shape, ITEM).map((stride) => stride * 2), readonly: false });
  if (shape.length >= 2) layoutCase('Fortran order', { byteOffset: 0, shape, strides: fStrides(shape, ITEM), readonly: false });
  layoutCase('C order, ignoring every flag', honest);
  layoutCase('read-only memory', { ...honest, readonly: true });
  add('flags indirect layout for any request', 'flags', honest, (fields, _flags, memory) => ({
    ...fields,
    strides: cStrides(shape, ITEM).map((stride, k) => (k === 0 ? 0 : stride)),
    suboffsets: shape.map((_, k) => (k === 0 ? 0 : -1)),
    segments: Array.from({ length: shape[0]! }, (_, i) => ({
      buffer: memory,
      byteOffset: i * (count / shape[0]!) * ITEM,
      byteLength: (count / shape[0]!) * ITEM,
    })),
  }));

  // ---- releasebuffer throwing, with a refused answer and with an honest one
  add('release throws after a refused answer', 'release', null, (fields, flags) => ({ ...requestShaped(fields, flags), byteOffset: -8 }), true);
  add('release throws after an honest answer', 'release', honest, (fields, flags) => requestShaped(fields, flags), true);
  return cases;
}

function detachedBuffer(): ArrayBuffer {
  const buffer = new ArrayBuffer(64);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
}

function reversedStrides(shape: readonly number[]): number[] {
  return cStrides(shape, ITEM).map((stride) => -stride);
}

/**
 * The float64 values of an export (from `getBuffer`), in logical C order: what a consumer of the
 * hostile matrix reads back to prove it saw the valid reading.
 */
export function readFloat64Values(info: BufferInfo): number[] {
  if (info.shape === null) {
    // No ND: a flat run of bytes, read as float64 items.
    const bytes = new DataView(info.buffer, info.byteOffset, info.byteLength);
    return Array.from({ length: Math.floor(info.byteLength / ITEM) }, (_, i) => bytes.getFloat64(i * ITEM, NATIVE_LITTLE));
  }
  const layout = resolveLayout(info);
  const count = layout.shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  const index = new Array<number>(layout.ndim).fill(0);
  for (let n = 0; n < count; n++) {
    let buffer = layout.buffer;
    let offset = layout.byteOffset;
    for (let k = 0; k < layout.ndim; k++) {
      if (k === 0 && layout.segments !== null && layout.suboffsets !== null) {
        const segment = layout.segments[index[0]!]!;
        buffer = segment.buffer;
        offset = segment.byteOffset + layout.suboffsets[0]!;
      } else {
        offset += index[k]! * layout.strides[k]!;
      }
    }
    out.push(new DataView(buffer).getFloat64(offset, NATIVE_LITTLE));
    for (let k = layout.ndim - 1; k >= 0; k--) {
      if (++index[k]! < layout.shape[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}

/**
 * The float64 values an exporter holds, in logical C order (one export, read with
 * `readFloat64Values`, then released): the `values` of a consumer whose result is itself an
 * exporter. A result that is not float64 fails the test (an assertion, never a typed error).
 */
export function exporterFloat64Values(exporter: unknown): number[] {
  const info = getBuffer(exporter, BufferFlags.FULL_RO);
  try {
    expect(info.format === 'd' || info.format === (NATIVE_LITTLE ? '<d' : '>d'), `the result's format is ${JSON.stringify(info.format)}, not float64`).toBe(
      true,
    );
    return readFloat64Values(info);
  } finally {
    releaseBuffer(info);
  }
}

/** What one consumer run produced, for `checkHostileOutcome`. */
export interface HostileOutcome {
  /** The error the consumer threw (undefined when it returned). */
  readonly error?: unknown;
  /** The values (logical C order) the consumer's result holds, when it returned and they can be read. */
  readonly values?: readonly number[] | null;
}

/** Why a run broke the contract, or null when it kept it. */
export function hostileViolation(hostile: HostileCase, exporter: HostileExporter, outcome: HostileOutcome): string | null {
  if ('error' in outcome && outcome.error !== undefined) {
    if (!InteropError.isInstance(outcome.error)) {
      const error = outcome.error as { name?: unknown; message?: unknown };
      return `untyped error ${String(error?.name)}: ${String(error?.message)}`;
    }
  } else {
    if (hostile.values === null) return 'accepted an answer that has no valid reading';
    if (outcome.values !== undefined && outcome.values !== null) {
      const got = outcome.values;
      if (got.length !== hostile.values.length || got.some((value, i) => value !== hostile.values![i])) {
        return `silent wrong result: expected [${hostile.values.slice(0, 6).join(', ')}...], got [${got.slice(0, 6).join(', ')}...]`;
      }
    }
  }
  if (exporter.exports !== exporter.releases) return `exports unbalanced: ${exporter.exports} taken, ${exporter.releases} released`;
  return null;
}

/** How a consumer is driven by `describeHostileConsumer`. */
export interface HostileConsumer<R> {
  /** Consumes the exporter (takes its exports, reads or copies its memory) and returns a result. */
  consume(exporter: HostileExporter): R;
  /** The float64 values (logical C order) the result holds; omit when the result cannot be read back. */
  values?(result: R): readonly number[] | null;
  /** Ends what the result still holds (a view's export); errors it throws must be typed too. */
  dispose?(result: R): void;
}

/** Runs one case against a consumer: its outcome and contract violation (null when kept). */
export function runHostileCase<R>(hostile: HostileCase, consumer: HostileConsumer<R>): { readonly violation: string | null; readonly error: unknown } {
  const exporter = hostile.create();
  let outcome: HostileOutcome;
  try {
    const result = consumer.consume(exporter);
    let values: readonly number[] | null | undefined;
    let disposeError: unknown;
    try {
      values = consumer.values?.(result);
    } finally {
      try {
        consumer.dispose?.(result);
      } catch (error) {
        disposeError = error;
      }
    }
    outcome = disposeError === undefined ? { values: values ?? null } : { error: disposeError };
    if (disposeError !== undefined && InteropError.isInstance(disposeError) && hostile.releaseThrows) {
      // The release failed as the case intends, typed; the values read before are still checked.
      const violation = hostileViolation(hostile, exporter, { values: values ?? null });
      return { violation, error: disposeError };
    }
  } catch (error) {
    outcome = { error };
  }
  return { violation: hostileViolation(hostile, exporter, outcome), error: outcome.error };
}

/**
 * Registers one vitest test per hostile case for a consumer: each must end with a typed error or
 * the exact values, with every export released.
 *
 * @example
 * ```ts
 * import { MemoryView } from '@interop/core';
 * import { describeHostileConsumer } from '@interop/core/testing';
 * describeHostileConsumer('MemoryView.from', {
 *   consume: (exporter) => MemoryView.from(exporter),
 *   values: (view) => view.copyToTypedArray() as unknown as number[],
 *   dispose: (view) => view.release(),
 * });
 * ```
 */
export function describeHostileConsumer<R>(name: string, consumer: HostileConsumer<R>, options: HostileCaseOptions = {}): void {
  describe(`${name} against hostile exporters`, () => {
    for (const hostile of hostileCases(options)) {
      it(`${hostile.family}: ${hostile.name}`, () => {
        const { violation } = runHostileCase(hostile, consumer);
        expect(violation).toBeNull();
      });
    }
  });
}
