// Fuzzing @interop/stream: MemoryStream and BufferStream driven by random operations with hostile
// arguments (negative, NaN, fractional, huge offsets and sizes) against reference models, and the
// raw-I/O and WHATWG adapters over hostile streams and sources (counts out of range, wrong kinds
// of chunks, detached memory). Invariants: only typed errors escape; no read or write touches a
// byte outside the memory it was given. CI runs a bounded number of cases; `pnpm fuzz` the long mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InteropError } from '@interop/core';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import { BufferStream, fromReadableStream, MemoryStream, type StreamAccess, toRawIO, toReadableStream, toWritableStream, type Whence } from '@interop/stream';
import { expectErrorCode, expectErrorCodeAsync } from '@interop/core/testing';
import { applyStreamOperation, BytesIOModel, MemoryStreamRunner, type Operation, type Outcome } from './bytes-io-model.js';

/** Typed errors only: anything else fails the property. */
function expectTyped(error: unknown): string {
  if (!InteropError.isInstance(error)) throw error instanceof Error ? error : new Error('a non-Error value was thrown', { cause: error });
  return error.code;
}

const hostileNumber = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -20, max: 30 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.5,
      1.5,
      -0.5,
      2 ** 40,
      2 ** 53,
      Number.MAX_SAFE_INTEGER,
      -(2 ** 53),
    ),
  },
);
/** Sizes the engine refuses at once (no typed array of 2^36 bytes exists). */
const HUGE = 2 ** 36;

type HostileOperation = Operation | { readonly op: 'readinto-range'; readonly size: number; readonly offset: number; readonly length: number };

const hostileOperation: fc.Arbitrary<HostileOperation> = fc.oneof(
  fc.record({ op: fc.constant('read' as const), size: fc.option(hostileNumber, { nil: null }) }),
  fc.record({ op: fc.constant('readinto' as const), size: fc.nat(12) }),
  fc.record({ op: fc.constant('readinto-range' as const), size: fc.nat(12), offset: hostileNumber, length: hostileNumber }),
  fc.record({ op: fc.constant('write' as const), data: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }) }),
  fc.record({ op: fc.constant('seek' as const), offset: hostileNumber, whence: fc.constantFrom<Whence>(0, 1, 2, 3 as Whence, -1 as Whence) }),
  fc.record({ op: fc.constant('truncate' as const), size: fc.option(hostileNumber, { nil: null }) }),
  fc.record({ op: fc.constant('tell' as const) }),
  fc.record({ op: fc.constant('export' as const) }),
  fc.record({ op: fc.constant('release' as const) }),
);

const isCount = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;

/** BytesIOModel plus MemoryStream's documented answers to hostile arguments. */
function applyHostile(model: BytesIOModel, operation: HostileOperation): Outcome {
  switch (operation.op) {
    case 'read':
      if (operation.size !== null && !isCount(operation.size)) return { error: 'ERR_INVALID_ARGUMENT' };
      return model.apply(operation);
    case 'readinto-range': {
      if (!isCount(operation.offset) || !isCount(operation.length) || operation.offset + operation.length > operation.size)
        return { error: 'ERR_INVALID_ARGUMENT' };
      return model.apply({ op: 'readinto', size: operation.length });
    }
    case 'seek': {
      if (operation.whence !== 0 && operation.whence !== 1 && operation.whence !== 2) return { error: 'ERR_INVALID_ARGUMENT' };
      if (!Number.isSafeInteger(operation.offset)) return { error: 'ERR_INVALID_ARGUMENT' };
      return model.apply(operation);
    }
    case 'truncate': {
      if (operation.size !== null && !isCount(operation.size)) return { error: 'ERR_INVALID_ARGUMENT' };
      const size = operation.size ?? model.position;
      if (size !== model.data.length && model.exports > 0) return { error: 'ERR_BUFFER_EXPORTED' };
      if (size >= HUGE) return { error: 'ERR_STREAM_NO_SPACE' };
      return model.apply(operation);
    }
    case 'write': {
      const end = model.position + operation.data.length;
      if (operation.data.length > 0 && end > model.data.length && model.exports === 0 && end >= HUGE) return { error: 'ERR_STREAM_NO_SPACE' };
      return model.apply(operation);
    }
    default:
      return model.apply(operation);
  }
}

function runHostile(runner: MemoryStreamRunner, operation: HostileOperation): Outcome {
  const stream = runner.stream;
  try {
    if (operation.op === 'read' && operation.size !== null) return { value: [...stream.read(operation.size)] };
    if (operation.op === 'readinto-range') return { value: stream.readInto(new Uint8Array(operation.size), operation.offset, operation.length) };
    if (operation.op === 'truncate' && operation.size !== null) return { value: stream.truncate(operation.size) };
    return runner.apply(operation);
  } catch (error) {
    return { error: expectTyped(error) };
  }
}

/** A fixed window [start, start + size) of a larger buffer, and the model of BufferStream over it. */
class WindowModel {
  position = 0;
  constructor(readonly data: number[]) {}

  apply(operation: HostileOperation): Outcome {
    const size = this.data.length;
    switch (operation.op) {
      case 'read': {
        if (operation.size !== null && !isCount(operation.size)) return { error: 'ERR_INVALID_ARGUMENT' };
        const count = Math.min(operation.size ?? size, Math.max(0, size - this.position));
        const out = this.data.slice(this.position, this.position + count);
        this.position += count;
        return { value: out };
      }
      case 'readinto':
      case 'readinto-range': {
        let wanted = operation.size;
        if (operation.op === 'readinto-range') {
          if (!isCount(operation.offset) || !isCount(operation.length) || operation.offset + operation.length > operation.size)
            return { error: 'ERR_INVALID_ARGUMENT' };
          wanted = operation.length;
        }
        const count = Math.min(wanted, Math.max(0, size - this.position));
        this.position += count;
        return { value: count };
      }
      case 'write': {
        if (operation.data.length === 0) return { value: 0 };
        const room = size - this.position;
        if (room <= 0) return { error: 'ERR_STREAM_NO_SPACE' };
        const count = Math.min(room, operation.data.length);
        for (let i = 0; i < count; i++) this.data[this.position + i] = operation.data[i]!;
        this.position += count;
        return { value: count };
      }
      case 'seek': {
        if (operation.whence !== 0 && operation.whence !== 1 && operation.whence !== 2) return { error: 'ERR_INVALID_ARGUMENT' };
        if (!Number.isSafeInteger(operation.offset) || (operation.whence === 0 && operation.offset < 0)) return { error: 'ERR_INVALID_ARGUMENT' };
        const target = (operation.whence === 0 ? 0 : operation.whence === 1 ? this.position : size) + operation.offset;
        if (target < 0 || target > size) return { error: 'ERR_STREAM_SEEK_OUT_OF_RANGE' };
        this.position = target;
        return { value: target };
      }
      case 'truncate': {
        if (operation.size !== null && !isCount(operation.size)) return { error: 'ERR_INVALID_ARGUMENT' };
        const wanted = operation.size ?? this.position;
        return wanted === size ? { value: size } : { error: 'ERR_NOT_RESIZABLE' };
      }
      case 'tell':
        return { value: this.position };
      default:
        return { value: 0 };
    }
  }
}

function runOnStream(stream: StreamAccess, operation: HostileOperation): Outcome {
  try {
    if (operation.op === 'readinto-range') return { value: stream.readInto(new Uint8Array(operation.size), operation.offset, operation.length) };
    if (operation.op === 'export' || operation.op === 'release') return { value: 0 };
    return applyStreamOperation(stream, operation);
  } catch (error) {
    return { error: expectTyped(error) };
  }
}

// ---- hostile streams and sources for the adapters ----

/** What a hostile stream's readInto / write returns: a count in range, or not. */
const hostileCount = fc.oneof(
  { weight: 4, arbitrary: fc.constant('valid' as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-1, 0, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, 1e9, '3' as unknown as number, null as unknown as number),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }).map((extra) => ({ extra })) },
);
/**
 * What a hostile stream's read returns (or a ReadableStream enqueues), as a description built
 * into a value inside the property: fast-check cannot print a detached array in a counterexample.
 */
type ChunkSpec =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'u16' | 'shared' | 'dataview' | 'arraybuffer' | 'detached'; readonly n: number };
const hostileChunk: fc.Arbitrary<ChunkSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 24 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('text', 42, null, undefined, [1, 2, 3], {}).map((value) => ({ kind: 'value' as const, value })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('u16' as const, 'shared' as const, 'dataview' as const, 'arraybuffer' as const, 'detached' as const),
      n: fc.nat(16),
    }),
  },
);

function materialize(spec: ChunkSpec): unknown {
  switch (spec.kind) {
    case 'bytes':
      return spec.bytes.slice();
    case 'value':
      return spec.value;
    case 'u16':
      return new Uint16Array(spec.n);
    case 'shared':
      return new Uint8Array(new SharedArrayBuffer(spec.n));
    case 'dataview':
      return new DataView(new ArrayBuffer(spec.n));
    case 'arraybuffer':
      return new ArrayBuffer(spec.n);
    case 'detached': {
      const bytes = new Uint8Array(spec.n);
      structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
      return bytes;
    }
  }
}

type Count = 'valid' | number | { extra: number };

function countFor(plan: Count, available: number): number {
  if (plan === 'valid') return available;
  if (typeof plan === 'object') return available + plan.extra;
  return plan;
}

/**
 * A synchronous StreamAccess that breaks the contract as planned: readInto writes inside the
 * view it is given but reports the planned count; read returns the planned chunk; write reports
 * the planned count. It records every view it was handed, to check they stay in bounds.
 */
function hostileStream(counts: readonly Count[], chunks: readonly ChunkSpec[], length: number): StreamAccess & { calls: number } {
  let step = 0;
  let remaining = length;
  const next = <T>(list: readonly T[]): T | undefined => list[step++ % Math.max(1, list.length)];
  const base = new MemoryStream(new Uint8Array(length));
  const stream = {
    calls: 0,
    closed: false,
    readable: true,
    writable: true,
    seekable: true,
    get size(): number {
      return length;
    },
    readInto(target: unknown): number {
      stream.calls++;
      if (stream.calls > 10_000) throw new Error('an adapter looped over a hostile stream');
      const view = target as Uint8Array;
      const available = Math.min(view.byteLength, remaining);
      view.fill(7, 0, available);
      remaining -= available;
      return countFor(next(counts) ?? 'valid', available);
    },
    read(): Uint8Array {
      stream.calls++;
      if (stream.calls > 10_000) throw new Error('an adapter looped over a hostile stream');
      if (remaining <= 0) return new Uint8Array(0);
      remaining = Math.max(0, remaining - 8);
      const spec = next(chunks);
      return (spec === undefined ? new Uint8Array(0) : materialize(spec)) as Uint8Array;
    },
    readAll: (): Uint8Array => stream.read(),
    write(source: unknown): number {
      stream.calls++;
      if (stream.calls > 10_000) throw new Error('an adapter looped over a hostile stream');
      return countFor(next(counts) ?? 'valid', (source as Uint8Array).byteLength);
    },
    seek: (offset: number, whence?: Whence): number => base.seek(offset, whence),
    tell: (): number => base.tell(),
    truncate: (): number => length,
    flush(): void {},
    close(): void {
      stream.closed = true;
    },
    chunks: () => base.chunks(),
    [Symbol.iterator]: () => base.chunks(),
    [Symbol.asyncIterator]: () => base[Symbol.asyncIterator](),
    [Symbol.dispose](): void {
      stream.closed = true;
    },
  };
  return stream;
}

async function settleTyped(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    expectTyped(error);
    return undefined;
  }
}

describe('fuzz: streams', () => {
  it('MemoryStream agrees with the BytesIO model under hostile arguments', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 }), fc.array(hostileOperation, { maxLength: 30 }), (initial, operations) => {
        const model = new BytesIOModel(initial);
        const runner = new MemoryStreamRunner(initial);
        try {
          for (const [index, operation] of operations.entries()) {
            const context = `step ${index}: ${JSON.stringify(operation)}`;
            expect(runHostile(runner, operation), context).toEqual(applyHostile(model, operation));
            expect(runner.stream.tell(), context).toBe(model.position);
            expect(runner.stream.size, context).toBe(model.data.length);
          }
          expect([...runner.stream.getValue()]).toEqual(model.data);
        } finally {
          runner.dispose();
        }
      }),
      fuzzOptions(300),
    );
  });

  it('BufferStream over a window of a larger buffer agrees with its model and never touches bytes outside the window', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(
        fc.nat(8),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 }),
        fc.nat(8),
        fc.array(hostileOperation, { maxLength: 30 }),
        (before, window, after, operations) => {
          const buffer = new Uint8Array(before + window.length + after).fill(0xee);
          buffer.set(window, before);
          const stream = new BufferStream(buffer.subarray(before, before + window.length));
          const model = new WindowModel([...window]);
          for (const [index, operation] of operations.entries()) {
            const context = `step ${index}: ${JSON.stringify(operation)}`;
            expect(runOnStream(stream, operation), context).toEqual(model.apply(operation));
          }
          stream.close();
          expect([...buffer.subarray(before, before + window.length)]).toEqual(model.data);
          expect(buffer.subarray(0, before).every((byte) => byte === 0xee)).toBe(true);
          expect(buffer.subarray(before + window.length).every((byte) => byte === 0xee)).toBe(true);
        },
      ),
      fuzzOptions(300),
    );
  });

  it('toRawIO over a hostile stream: only typed errors, results stay within what was asked', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(
        fc.array(hostileCount, { minLength: 1, maxLength: 6 }),
        fc.array(hostileChunk, { minLength: 1, maxLength: 6 }),
        fc.nat(64),
        fc.nat(16),
        (counts, chunks, length, size) => {
          const raw = toRawIO(hostileStream(counts, chunks, length));
          const attempt = (operation: () => unknown, check: (value: unknown) => void): void => {
            let value: unknown;
            try {
              value = operation();
            } catch (error) {
              expectTyped(error);
              return;
            }
            check(value);
          };
          const target = new Uint8Array(size);
          attempt(
            () => raw.readinto(target),
            (count) => {
              expect(Number.isSafeInteger(count)).toBe(true);
              expect(count).toBeGreaterThanOrEqual(0);
              expect(count).toBeLessThanOrEqual(size);
            },
          );
          attempt(
            () => raw.read(size),
            (bytes) => {
              expect(bytes).toBeInstanceOf(Uint8Array);
              expect((bytes as Uint8Array).length).toBeLessThanOrEqual(size);
            },
          );
          attempt(
            () => raw.readline(size),
            (bytes) => {
              expect(bytes).toBeInstanceOf(Uint8Array);
              expect((bytes as Uint8Array).length).toBeLessThanOrEqual(size);
            },
          );
          attempt(
            () => raw.write(new Uint8Array(size)),
            (count) => {
              expect(Number.isSafeInteger(count)).toBe(true);
              expect(count).toBeGreaterThanOrEqual(0);
              expect(count).toBeLessThanOrEqual(size);
            },
          );
          attempt(
            () => raw.writelines([new Uint8Array(size), new Uint8Array(3)]),
            () => undefined,
          );
        },
      ),
      fuzzOptions(300),
    );
  });

  it('toReadableStream over a hostile stream: readers get typed errors or chunks inside their views', { timeout: fuzzTimeout }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileCount, { minLength: 1, maxLength: 6 }),
        fc.array(hostileChunk, { minLength: 1, maxLength: 6 }),
        fc.nat(48),
        fc.integer({ min: 1, max: 16 }),
        fc.boolean(),
        async (counts, chunks, length, viewSize, byob) => {
          const readable = toReadableStream(hostileStream(counts, chunks, length), { chunkSize: viewSize });
          let total = 0;
          if (byob) {
            const reader = readable.getReader({ mode: 'byob' });
            for (let i = 0; i < 20; i++) {
              const result = (await settleTyped(reader.read(new Uint8Array(viewSize)))) as ReadableStreamReadResult<Uint8Array> | undefined;
              if (result === undefined || result.done) break;
              expect(result.value.byteLength).toBeLessThanOrEqual(viewSize);
              total += result.value.byteLength;
            }
          } else {
            const reader = readable.getReader();
            for (let i = 0; i < 20; i++) {
              const result = (await settleTyped(reader.read())) as ReadableStreamReadResult<Uint8Array> | undefined;
              if (result === undefined || result.done) break;
              expect(result.value).toBeInstanceOf(Uint8Array);
              total += result.value.byteLength;
            }
          }
          // A stream that over-reports a count still inside the view cannot be caught: the reader
          // then gets bytes of its own view, never memory outside it.
          expect(total).toBeGreaterThanOrEqual(0);
        },
      ),
      fuzzOptions(150),
    );
  });

  it('toWritableStream over a hostile stream: typed errors, and no endless loop on stalled or lying writes', { timeout: fuzzTimeout }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileCount, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(32), { minLength: 1, maxLength: 4 }), async (counts, sizes) => {
        const stream = hostileStream(counts, [], 0);
        const writer = toWritableStream(stream).getWriter();
        let failed = false;
        for (const size of sizes) {
          if ((await settleTyped(writer.write(new Uint8Array(size)).then(() => true))) !== true) {
            failed = true;
            break;
          }
        }
        // After an error, Node's writer.close() rejects with its own TypeError ("closed"): not ours.
        if (!failed) await settleTyped(writer.close());
        expect(stream.calls).toBeLessThanOrEqual(sizes.reduce((a, b) => a + b, 0) + sizes.length);
      }),
      fuzzOptions(150),
    );
  });

  it('fromReadableStream over hostile chunks: typed errors, bytes read are the chunks given', { timeout: fuzzTimeout }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileChunk, { maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 8 }),
        async (chunks, sizes) => {
          const readable = new ReadableStream<unknown>({
            start(controller) {
              for (const chunk of chunks) controller.enqueue(materialize(chunk));
              controller.close();
            },
          });
          const stream = fromReadableStream(readable);
          for (const size of sizes) {
            const target = new Uint8Array(size + 4).fill(0xee);
            const count = (await settleTyped(stream.readInto(target.subarray(2, 2 + size)))) as number | undefined;
            if (count === undefined) break;
            expect(count).toBeGreaterThanOrEqual(0);
            expect(count).toBeLessThanOrEqual(size);
            expect([target[0], target[1], target[size + 2], target[size + 3]]).toEqual([0xee, 0xee, 0xee, 0xee]);
          }
          await settleTyped(stream.close());
        },
      ),
      fuzzOptions(150),
    );
  });
});

describe('fuzz regressions', () => {
  it('toReadableStream refuses a count larger than the view as a typed error (was a RangeError from respond)', async () => {
    for (const byob of [true, false]) {
      const readable = toReadableStream(hostileStream([{ extra: 1 }], [], 4), { chunkSize: 1 });
      const reader = byob ? readable.getReader({ mode: 'byob' }) : readable.getReader();
      await expectErrorCodeAsync(
        () => (byob ? (reader as ReadableStreamBYOBReader).read(new Uint8Array(1)) : (reader as ReadableStreamDefaultReader<Uint8Array>).read()),
        'ERR_INVALID_ARGUMENT',
      );
    }
  });

  it('toRawIO checks what the wrapped stream returns against the request', () => {
    expectErrorCode(() => toRawIO(hostileStream([], [{ kind: 'bytes', bytes: new Uint8Array(5) }], 8)).read(2), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toRawIO(hostileStream([], [{ kind: 'value', value: 'text' }], 8)).readline(4), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toRawIO(hostileStream([{ extra: 2 }], [], 8)).readinto(new Uint8Array(3)), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toRawIO(hostileStream([Number.NaN], [], 8)).write(new Uint8Array(3)), 'ERR_INVALID_ARGUMENT');
  });

  it('toWritableStream refuses NaN and over-reported write counts (NaN used to end the loop as if all was written)', async () => {
    for (const count of [Number.NaN, 0.5, 10]) {
      const writer = toWritableStream(hostileStream([count], [], 0)).getWriter();
      await expectErrorCodeAsync(() => writer.write(new Uint8Array(4)), 'ERR_INVALID_ARGUMENT');
    }
  });

  it('fromReadableStream reads a detached chunk as empty instead of throwing a TypeError', async () => {
    const stream = fromReadableStream(
      new ReadableStream({
        start(controller) {
          controller.enqueue(materialize({ kind: 'dataview', n: 0 }));
          const detached = new DataView(new ArrayBuffer(4));
          structuredClone(detached.buffer, { transfer: [detached.buffer] });
          controller.enqueue(detached);
          controller.enqueue(new Uint8Array([1, 2]));
          controller.close();
        },
      }),
    );
    expect([...(await stream.readAll())]).toEqual([1, 2]);
  });
});
