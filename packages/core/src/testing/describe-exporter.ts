import { describe, expect, it } from 'vitest';
import type { BufferInfo } from '../buffer-info.js';
import { BufferError } from '../errors/buffer-error.js';
import { InteropError } from '../errors/interop-error.js';
import type { BufferErrorCode } from '../errors/codes.js';
import { BufferFlags, describeFlags } from '../flags.js';
import { parseFormat } from '../format/parse.js';
import { isCContiguous, isDetached, isFContiguous, layoutExtent, resolveLayout } from '../layout.js';
import { getBuffer, releaseBuffer, supportsBuffer } from '../protocol.js';
import { PROTOCOL_VERSION } from '../symbols.js';
import { expectErrorCode } from './expect-error-code.js';

/** What a conformance test needs to know about one exporter instance. */
export interface ConformanceSubject<T extends object = object> {
  /** A fresh exporter (or an object a registered adapter exports). */
  readonly exporter: T;
  /**
   * Every operation that could move, resize or free the exporter's memory. Each must throw
   * `BufferError` `ERR_BUFFER_EXPORTED` while an export is held, leave the data intact, and
   * succeed once every export is released.
   */
  readonly mutations?: Readonly<Record<string, (exporter: T) => unknown>>;
  /** Facts a FULL_RO export must show. */
  readonly expected?: {
    readonly format?: string;
    readonly itemsize?: number;
    readonly shape?: readonly number[];
    readonly readonly?: boolean;
  };
  /** Frees resources after each test. */
  readonly dispose?: () => void;
}

/** The request structures PEP 3118 defines, from SIMPLE to INDIRECT. */
const structures: readonly (readonly [string, number])[] = [
  ['SIMPLE', BufferFlags.SIMPLE],
  ['ND', BufferFlags.ND],
  ['STRIDES', BufferFlags.STRIDES],
  ['C_CONTIGUOUS', BufferFlags.C_CONTIGUOUS],
  ['F_CONTIGUOUS', BufferFlags.F_CONTIGUOUS],
  ['ANY_CONTIGUOUS', BufferFlags.ANY_CONTIGUOUS],
  ['INDIRECT', BufferFlags.INDIRECT],
];

/** Every well-formed request: each structure, with and without WRITABLE and FORMAT (28 in all). */
export function allRequestFlags(): number[] {
  const all: number[] = [];
  for (const [, structure] of structures) {
    for (const writable of [0, BufferFlags.WRITABLE]) {
      for (const format of [0, BufferFlags.FORMAT]) all.push(structure | writable | format);
    }
  }
  return all;
}

interface Facts {
  readonly readonly: boolean;
  readonly indirect: boolean;
  readonly c: boolean;
  readonly f: boolean;
}

/** The outcome CPython's rules prescribe for `flags` on memory with `facts`: null for success. */
export function expectedRefusal(flags: number, facts: Facts): BufferErrorCode | null {
  if ((flags & BufferFlags.WRITABLE) !== 0 && facts.readonly) return 'ERR_BUFFER_READONLY';
  if ((flags & BufferFlags.FORMAT) !== 0 && (flags & BufferFlags.ND) === 0) return 'ERR_BUFFER_FLAGS_UNSUPPORTED';
  if (facts.indirect && (flags & BufferFlags.INDIRECT) !== BufferFlags.INDIRECT) return 'ERR_BUFFER_FLAGS_UNSUPPORTED';
  const has = (bit: number): boolean => (flags & bit) !== 0;
  if (has(0x20) && !facts.c) return 'ERR_BUFFER_NOT_CONTIGUOUS';
  if (has(0x40) && !facts.f) return 'ERR_BUFFER_NOT_CONTIGUOUS';
  if (has(0x80) && !facts.c && !facts.f) return 'ERR_BUFFER_NOT_CONTIGUOUS';
  if (!has(0x10) && !facts.c) return 'ERR_BUFFER_NOT_CONTIGUOUS';
  return null;
}

function snapshot(info: BufferInfo): Uint8Array {
  const layout = resolveLayout(info);
  if (layout.segments !== null) {
    return Uint8Array.from(layout.segments.flatMap((segment) => [...new Uint8Array(segment.buffer, segment.byteOffset, segment.byteLength)]));
  }
  const extent = layoutExtent(layout.shape, layout.strides, layout.itemsize);
  if (extent === null) return new Uint8Array(0);
  return new Uint8Array(layout.buffer, layout.byteOffset + extent.low, extent.high - extent.low).slice();
}

/**
 * Asserts (vitest) that `action` throws a `BufferError` with `code`, from any copy of core.
 *
 * @example
 * ```ts no-run
 * expectBufferError(() => lock.assertUnlocked('resize'), 'ERR_BUFFER_EXPORTED');
 * ```
 */
export function expectBufferError(action: () => unknown, code: BufferErrorCode, what = 'the call'): void {
  expectErrorCode(action, code, { family: BufferError, what });
}

/**
 * Asserts (vitest) that the mutation `operation` is refused with `ERR_BUFFER_EXPORTED` while an
 * export is held; a failure names the mutation and the fix.
 */
function expectLockRefusal(operation: string, mutate: () => unknown): void {
  const fix = `call lock.assertUnlocked('${operation}') first in ${operation}(), before it moves, resizes or frees the memory (ExportLock from @interop/core)`;
  let thrown: unknown;
  let threw = false;
  try {
    mutate();
  } catch (error) {
    thrown = error;
    threw = true;
  }
  if (!threw) expect.fail(`${operation}() ran while an export was held, and was not refused: ${fix}.`);
  if (!BufferError.isInstance(thrown))
    expect.fail(
      `${operation}() threw ${describeThrown(thrown)} while an export was held, not BufferError ERR_BUFFER_EXPORTED: ${fix}, so the lock is checked before anything else can fail.`,
    );
  if (thrown.code !== 'ERR_BUFFER_EXPORTED')
    expect.fail(`${operation}() threw BufferError ${thrown.code} while an export was held, not ERR_BUFFER_EXPORTED: ${fix}. (${thrown.message})`);
}

function describeThrown(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return `a non-error value (${typeof value}: ${String(value)})`;
}

/**
 * Registers a vitest suite proving that an exporter follows the buffer protocol: every request
 * flag combination answered by CPython's rules, getbuffer/releasebuffer pairing, exports inside
 * their memory, format/itemsize agreement, and the export lock on each named mutation.
 *
 * @example
 * ```ts no-run
 * import { describeExporter } from '@interop/core/testing';
 * describeExporter('MyMatrix', () => {
 *   const matrix = new MyMatrix(3, 4);
 *   return { exporter: matrix, mutations: { resize: (m) => m.resize(5, 5) }, expected: { shape: [3, 4] } };
 * });
 * ```
 */
export function describeExporter<T extends object>(name: string, factory: () => ConformanceSubject<T>): void {
  const withSubject = (test: (subject: ConformanceSubject<T>) => void) => (): void => {
    const subject = factory();
    try {
      test(subject);
    } finally {
      subject.dispose?.();
    }
  };

  describe(`buffer protocol conformance: ${name}`, () => {
    it(
      'supports the buffer protocol',
      withSubject(({ exporter }) => {
        expect(supportsBuffer(exporter)).toBe(true);
        const version = (exporter as { protocolVersion?: unknown }).protocolVersion;
        if (version !== undefined) expect(version).toBe(PROTOCOL_VERSION);
      }),
    );

    it(
      'answers FULL_RO with a valid export that matches the expected facts',
      withSubject(({ exporter, expected }) => {
        const info = getBuffer(exporter, BufferFlags.FULL_RO);
        try {
          expect(info.obj).toBeDefined();
          expect(info.format).not.toBeNull();
          expect(info.shape).not.toBeNull();
          expect(info.strides).not.toBeNull();
          const parsed = parseFormat(info.format!);
          if (parsed.type.kind === 'struct') expect(info.itemsize).toBeGreaterThanOrEqual(parsed.itemsize);
          else expect(info.itemsize).toBe(parsed.itemsize);
          expect(info.byteLength).toBe(info.itemsize * info.shape!.reduce((a, b) => a * b, 1));
          if (expected?.format !== undefined) expect(info.format).toBe(expected.format);
          if (expected?.itemsize !== undefined) expect(info.itemsize).toBe(expected.itemsize);
          if (expected?.shape !== undefined) expect(info.shape).toEqual(expected.shape);
          if (expected?.readonly !== undefined) expect(info.readonly).toBe(expected.readonly);
        } finally {
          releaseBuffer(info);
        }
      }),
    );

    it(
      "answers every request flag combination by CPython's rules",
      withSubject(({ exporter, mutations }) => {
        const reference = getBuffer(exporter, BufferFlags.FULL_RO);
        const layout = resolveLayout(reference);
        const facts: Facts = {
          readonly: reference.readonly,
          indirect: reference.suboffsets !== null,
          c: isCContiguous(layout.shape, layout.strides, layout.itemsize, layout.suboffsets),
          f: isFContiguous(layout.shape, layout.strides, layout.itemsize, layout.suboffsets),
        };
        releaseBuffer(reference);
        for (const flags of allRequestFlags()) {
          const refusal = expectedRefusal(flags, facts);
          if (refusal !== null) {
            expectBufferError(() => getBuffer(exporter, flags), refusal);
            continue;
          }
          const info = getBuffer(exporter, flags);
          try {
            const context = `flags ${describeFlags(flags)}`;
            expect(info.itemsize, context).toBe(reference.itemsize);
            expect(info.byteLength, context).toBe(reference.byteLength);
            expect(info.format, context).toBe((flags & BufferFlags.FORMAT) !== 0 ? reference.format : null);
            expect(info.shape, context).toEqual((flags & BufferFlags.ND) !== 0 ? reference.shape : null);
            if ((flags & BufferFlags.STRIDES) === BufferFlags.STRIDES) expect(info.strides, context).toEqual(reference.strides);
            else expect(info.strides, context).toBeNull();
            if ((flags & BufferFlags.WRITABLE) !== 0) expect(info.readonly, context).toBe(false);
            if (!facts.indirect) {
              expect(info.buffer, context).toBe(reference.buffer);
              expect(info.byteOffset, context).toBe(reference.byteOffset);
            }
          } finally {
            releaseBuffer(info);
          }
        }
        // Refused requests must not leave an export behind.
        for (const [operation, mutate] of Object.entries(mutations ?? {})) {
          expect(() => mutate(exporter), `${operation} after refused requests`).not.toThrow();
          break;
        }
      }),
    );

    it(
      'rejects malformed request flags with a BufferError',
      withSubject(({ exporter }) => {
        for (const flags of [-1, 0x200, 1.5, Number.NaN]) {
          let thrown: unknown;
          try {
            const info = getBuffer(exporter, flags);
            releaseBuffer(info);
          } catch (error) {
            thrown = error;
          }
          expect(BufferError.isInstance(thrown), `flags ${flags}`).toBe(true);
        }
      }),
    );

    it(
      'pairs every getbuffer with exactly one releasebuffer',
      withSubject(({ exporter, mutations }) => {
        const first = getBuffer(exporter, BufferFlags.FULL_RO);
        const second = getBuffer(exporter, BufferFlags.FULL_RO);
        const entries = Object.entries(mutations ?? {});
        releaseBuffer(first);
        for (const [operation, mutate] of entries) expectLockRefusal(operation, () => mutate(exporter));
        releaseBuffer(second);
        expectBufferError(() => releaseBuffer(second), 'ERR_BUFFER_RELEASED', 'a second releaseBuffer of the same export');
        expectBufferError(() => releaseBuffer(first), 'ERR_BUFFER_RELEASED', 'a second releaseBuffer of the same export');
      }),
    );

    it(
      'keeps every export inside its memory',
      withSubject(({ exporter }) => {
        for (const flags of [BufferFlags.FULL_RO, BufferFlags.RECORDS_RO, BufferFlags.STRIDED_RO, BufferFlags.CONTIG_RO, BufferFlags.SIMPLE]) {
          let info: BufferInfo;
          try {
            info = getBuffer(exporter, flags);
          } catch (error) {
            expect(BufferError.isInstance(error)).toBe(true);
            continue;
          }
          try {
            const layout = resolveLayout(info);
            if (layout.segments === null) {
              const extent = layoutExtent(layout.shape, layout.strides, layout.itemsize);
              if (extent !== null) {
                expect(layout.byteOffset + extent.low).toBeGreaterThanOrEqual(0);
                expect(layout.byteOffset + extent.high).toBeLessThanOrEqual(layout.buffer.byteLength);
              }
            } else {
              expect(layout.segments.length).toBe(layout.shape[0]);
            }
          } finally {
            releaseBuffer(info);
          }
        }
      }),
    );

    it(
      'detects memory transferred or shrunk behind its back (never reads it as zeros)',
      withSubject(({ exporter }) => {
        const info = getBuffer(exporter, BufferFlags.FULL_RO);
        const { buffer } = info;
        const nbytes = info.byteLength;
        releaseBuffer(info);
        if (nbytes === 0 || !(buffer instanceof ArrayBuffer)) return; // SharedArrayBuffers cannot be transferred
        const resizable = (buffer as ArrayBuffer & { resizable?: boolean; resize?: (length: number) => void }).resizable === true;
        try {
          if (resizable) (buffer as ArrayBuffer & { resize: (length: number) => void }).resize(0);
          else structuredClone(buffer, { transfer: [buffer] });
        } catch {
          return; // non-detachable memory: nothing can be transferred away
        }
        // Untransferable memory (WebAssembly.Memory, Node's Buffer pool) is copied, not detached.
        if (!resizable && !isDetached(buffer)) return;
        // Either the export is refused with a typed error, or the exporter answers with live memory
        // it re-acquired (e.g. WebAssembly.Memory hands out a fresh buffer) - never a detached one.
        let after: BufferInfo | undefined;
        try {
          after = getBuffer(exporter, BufferFlags.FULL_RO);
        } catch (error) {
          expect(
            InteropError.isInstance(error),
            `expected a typed error after the buffer was ${resizable ? 'shrunk' : 'transferred'}, got ${String(error)}`,
          ).toBe(true);
          return;
        }
        try {
          expect(isDetached(after.buffer)).toBe(false);
          expect(after.byteOffset + after.byteLength).toBeLessThanOrEqual(after.buffer.byteLength);
        } finally {
          releaseBuffer(after);
        }
      }),
    );

    // The subject made only to learn the mutation names is disposed too: a factory that creates
    // an outside resource (a shared memory segment, a file) must not leave it behind.
    const probe = factory();
    let names: string[];
    try {
      names = Object.keys(probe.mutations ?? {});
    } finally {
      probe.dispose?.();
    }
    for (const operation of names) {
      it(
        `refuses ${operation} while exported, intact, and allows it after release`,
        withSubject(({ exporter, mutations }) => {
          const mutate = mutations![operation]!;
          const info = getBuffer(exporter, BufferFlags.FULL_RO);
          const before = snapshot(info);
          expectLockRefusal(operation, () => mutate(exporter));
          expect(snapshot(info), `${operation}() was refused but changed the exported bytes first: check the lock before touching the data`).toEqual(before);
          releaseBuffer(info);
          try {
            mutate(exporter);
          } catch (error) {
            expect.fail(
              `${operation}() still failed after every export was released (${describeThrown(error)}): does releasebuffer call lock.release() exactly once per export?`,
            );
          }
        }),
      );
    }
  });
}
