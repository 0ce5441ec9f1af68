import { expect } from 'vitest';
import { BufferError } from '../errors/buffer-error.js';
import { InteropError } from '../errors/interop-error.js';

/** How one object's memory is taken away behind its back. */
export type MemoryLoss = 'transfer' | 'shrink';

/** An object built over memory that a test can take away. */
export interface DetachableSubject<T extends object = object> {
  /** The object under test. */
  readonly object: T;
  /** Takes the memory away: transfers or shrinks the ArrayBuffer(s) the object views. */
  readonly lose: () => void;
}

/** Options of {@link expectDetachedEverywhere}. */
export interface DetachedMethodsOptions<T extends object> {
  /**
   * One call per public method (own or inherited, string or symbol key), with arguments that
   * would succeed on live memory. A method that is neither here nor in `exempt` fails the test,
   * so a method added later without the detached check cannot go unnoticed.
   */
  readonly calls: Readonly<Record<string | symbol, (object: T) => unknown>>;
  /** Methods allowed to run on lost memory (release, dispose, releasebuffer...): they touch no data. */
  readonly exempt?: readonly (string | symbol)[];
  /**
   * Methods that refuse on live memory too, with a typed error (e.g. `setSize` of a view of
   * another object's memory): after the loss they must still answer `ERR_BUFFER_DETACHED`.
   */
  readonly liveRefusals?: readonly (string | symbol)[];
  /** Property getters that must refuse too (e.g. `data`), each as a call. */
  readonly getters?: Readonly<Record<string, (object: T) => unknown>>;
}

/**
 * Every public method name of `object`: own and inherited function-valued properties (string
 * and symbol keys) up to `Object.prototype`, without `constructor` and getters.
 *
 * @example
 * ```ts
 * import { publicMethods } from '@interop/core/testing';
 * publicMethods(new Map()); // ['get', 'set', 'has', ...]
 * ```
 */
export function publicMethods(object: object): (string | symbol)[] {
  const names = new Set<string | symbol>();
  for (
    let proto = Object.getPrototypeOf(object) as object | null;
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (descriptor !== undefined && typeof descriptor.value === 'function') names.add(key);
    }
  }
  return [...names];
}

/**
 * Asserts that, once its memory is lost (`lose()`), every public method of a fresh subject
 * throws `BufferError` `ERR_BUFFER_DETACHED` - never `undefined`, `NaN`, 0, an empty read or an
 * engine `TypeError`. Each call must first succeed on a live subject (so the refusal is the
 * detached check, not bad arguments). Iterators and promises a method returns are driven
 * (`next()`, awaited), so lazy methods are covered too. A fresh subject is made for each call.
 *
 * @example
 * ```ts
 * import { expectDetachedEverywhere } from '@interop/core/testing';
 * await expectDetachedEverywhere(() => {
 *   const data = new Float64Array(4);
 *   return { object: makeThing(data), lose: () => void structuredClone(data.buffer, { transfer: [data.buffer] }) };
 * }, { calls: { get: (thing) => thing.get(0) }, exempt: ['release'] });
 * ```
 */
export async function expectDetachedEverywhere<T extends object>(make: () => DetachableSubject<T>, options: DetachedMethodsOptions<T>): Promise<void> {
  const exempt = new Set(options.exempt ?? []);
  const probe = make();
  const missing = publicMethods(probe.object).filter(
    (name) => !(name in options.calls) && !Object.getOwnPropertySymbols(options.calls).includes(name as symbol) && !exempt.has(name),
  );
  expect(missing.map(String), 'public methods without a detached-memory case (add each to `calls`, after giving the method the core check)').toEqual([]);
  const refusals = new Set((options.liveRefusals ?? []).map(String));
  const cases: [string, (object: T) => unknown][] = [
    ...Reflect.ownKeys(options.calls).map((key) => [String(key), options.calls[key as string]!] as [string, (object: T) => unknown]),
    ...Object.entries(options.getters ?? {}).map(([name, call]) => [`get ${name}`, call] as [string, (object: T) => unknown]),
  ];
  for (const [name, call] of cases) {
    // The same call must succeed on live memory, so that the refusal below is the detached check
    // and not bad arguments.
    const live = make().object;
    let liveError: unknown = undefined;
    try {
      await drive(call(live));
    } catch (caught) {
      liveError = caught;
    }
    if (refusals.has(name)) {
      expect(InteropError.isInstance(liveError), `${name} is listed in liveRefusals but did not refuse live memory with a typed error`).toBe(true);
    } else {
      expect(
        liveError === undefined
          ? `${name} succeeds on live memory`
          : `${name} threw on live memory: ${liveError instanceof Error ? `${liveError.name}: ${liveError.message}` : typeof liveError}`,
      ).toBe(`${name} succeeds on live memory`);
    }
    const { object, lose } = make();
    lose();
    let error: unknown = undefined;
    let result: unknown;
    try {
      result = await drive(call(object));
    } catch (caught) {
      error = caught;
    }
    expect(
      error === undefined
        ? `${name} returned ${describe(result)}`
        : BufferError.isInstance(error)
          ? `${name} threw ${error.code}`
          : `${name} threw ${error instanceof Error ? `${error.name}: ${error.message}` : typeof error}`,
    ).toBe(`${name} threw ERR_BUFFER_DETACHED`);
  }
}

async function drive(value: unknown): Promise<unknown> {
  if (value instanceof Promise) return drive(await value);
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { next?: unknown }).next === 'function' &&
    (Symbol.iterator in value || Symbol.asyncIterator in value)
  ) {
    return drive((value as unknown as Iterator<unknown>).next());
  }
  return value;
}

function describe(value: unknown): string {
  try {
    return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value)).slice(0, 80);
  } catch {
    return typeof value;
  }
}

/**
 * Takes `buffer` away as `loss` says: transfers it (`structuredClone` with `transfer`), or
 * shrinks a resizable one to 0 bytes. (A shrink followed by a regrow with no access in between
 * leaves no trace any check could see: see `assertAttached`.)
 *
 * @example
 * ```ts
 * import { loseMemory } from '@interop/core/testing';
 * const data = new Float64Array(4);
 * loseMemory(data.buffer, 'transfer');
 * data.length; // 0
 * ```
 */
export function loseMemory(buffer: ArrayBufferLike, loss: MemoryLoss): void {
  if (loss === 'transfer') {
    structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
    return;
  }
  const resizable = buffer as ArrayBuffer & { resize(length: number): void };
  resizable.resize(0);
}

/**
 * A resizable ArrayBuffer of `byteLength` bytes (growable to `maxByteLength`, default twice that),
 * for `'shrink'` subjects.
 *
 * @example
 * ```ts
 * import { resizableBuffer } from '@interop/core/testing';
 * const buffer = resizableBuffer(64);
 * ```
 */
export function resizableBuffer(byteLength: number, maxByteLength: number = byteLength * 2): ArrayBuffer {
  const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
  return new Resizable(byteLength, { maxByteLength });
}
