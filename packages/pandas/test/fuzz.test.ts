// Fuzzing Arrow IPC reading: valid Feather files and IPC streams (plain, LZ4 and ZSTD), mutated
// at random. Only typed errors may escape, a frame that is returned exports only memory inside its
// buffers, and no decoder allocation exceeds maxDecompressedBytes (observed through the codec
// module's allocation hook). CI runs a bounded number of cases; `pnpm fuzz` runs the long mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferFlags, getBuffer, InteropError, releaseBuffer } from '@interop/core';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import { DataFrameView, readArrowIPC, writeArrowIPC } from '@interop/pandas';
import { expectErrorCode } from '@interop/core/testing';
import { defaultMaxDecompressedBytes, observeDecoderAllocations } from '../src/internal/codecs.js';
import { smallLz4, smallZstd, zerosZstd } from './fixtures/compressed.js';
import { useDecoders } from './helpers.js';

const frame = DataFrameView.fromColumns({
  id: new Int32Array([1, 2, 3, 4, 5, 6]),
  value: new Float64Array([0.5, -1, Number.NaN, 3, 4.25, 1e300]),
  name: ['a', 'bb', '', 'dddd', 'é', 'ff'],
  flag: [true, false, true, true, false, false],
});
const seeds = [
  writeArrowIPC(frame),
  writeArrowIPC(frame, { compression: 'lz4' }),
  writeArrowIPC(frame, { format: 'stream' }),
  writeArrowIPC(frame, { format: 'stream', compression: 'lz4' }),
  // Written by pyarrow: ZSTD and LZ4 with real compressed blocks, and a 1,300:1 ZSTD column.
  smallZstd,
  smallLz4,
  zerosZstd,
];

function readOrTypedError(bytes: Uint8Array, maxDecompressedBytes?: number): void {
  let result: DataFrameView | undefined;
  const limit = maxDecompressedBytes ?? defaultMaxDecompressedBytes(bytes.byteLength);
  let lz4Total = 0;
  let largest = 0;
  // Recorded, not thrown: the reader would wrap an error thrown inside a decoder.
  const stop = observeDecoderAllocations(({ codec, bytes: size }) => {
    largest = Math.max(largest, size);
    if (codec === 'lz4') lz4Total += size;
  });
  let failure: unknown;
  try {
    result = maxDecompressedBytes === undefined ? readArrowIPC(bytes, { source: 'fuzz' }) : readArrowIPC(bytes, { source: 'fuzz', maxDecompressedBytes });
  } catch (error) {
    failure = error;
  } finally {
    stop();
  }
  // No single decoder allocation may exceed the limit, and the LZ4 outputs (one per buffer) must
  // sum to at most the limit over the read.
  expect(largest).toBeLessThanOrEqual(limit);
  expect(lz4Total).toBeLessThanOrEqual(limit);
  if (failure !== undefined || result === undefined) {
    if (!InteropError.isInstance(failure)) throw failure instanceof Error ? failure : new Error('a non-Error value was thrown', { cause: failure });
    return;
  }
  // A frame came back: every column export must validate (inside its memory) and read without error.
  for (const name of result.columnNames) {
    const column = result.column(name);
    const info = getBuffer(column, BufferFlags.FULL_RO);
    releaseBuffer(info);
    // Values are validated as they are read: a corrupt one is a typed error there too.
    for (let i = 0; i < Math.min(column.length, 8); i++) {
      try {
        column.get(i);
      } catch (error) {
        if (!InteropError.isInstance(error)) throw error;
      }
    }
  }
}

describe('fuzz: Arrow IPC reading', () => {
  it('reads every seed file back', () => {
    for (const bytes of seeds.slice(0, 6)) expect(readArrowIPC(bytes).shape).toEqual([6, 4]);
    expect(readArrowIPC(zerosZstd).shape).toEqual([200_000, 1]);
  });
  it('observes every decoder allocation of a read', () => {
    const seen: number[] = [];
    const stop = observeDecoderAllocations(({ bytes }) => seen.push(bytes));
    try {
      readArrowIPC(seeds[1]!);
      readArrowIPC(zerosZstd);
    } finally {
      stop();
    }
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).toContain(65_536 * 8); // the first 65,536-row batch of zeros, allocated once
  });
  it('refuses a file whose footer points at a non-batch message (apache-arrow alone loops forever on it)', () => {
    const bytes = seeds[0]!.slice();
    bytes[24] = 0; // found by this fuzzer: the message at the footer's block is no longer a record batch
    expectErrorCode(() => readArrowIPC(bytes), 'ERR_PANDAS_IPC_INVALID');
  });
  it('refuses a batch whose buffer count was corrupted, without allocating for it (apache-arrow alone exhausts the heap)', () => {
    const bytes = seeds[0]!.slice();
    bytes[94] = 121; // found by this fuzzer: the record batch's buffer vector now claims millions of entries
    const before = process.memoryUsage().heapUsed;
    expectErrorCode(() => readArrowIPC(bytes), 'ERR_PANDAS_IPC_INVALID');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 2 ** 20);
  });
  it('wraps errors apache-arrow raises lazily for corrupted types (found in the long run)', () => {
    const bytes = seeds[1]!.slice();
    bytes[1637027370 % bytes.length] = 9;
    bytes[28947014 % bytes.length] = 0;
    readOrTypedError(bytes);
  });
  it('reports a corrupt categorical code as a typed error when the value is read (found in the long run)', () => {
    const bytes = seeds[2]!.slice();
    bytes[570034644 % bytes.length] = 20;
    bytes[929073 % bytes.length] = 0;
    readOrTypedError(bytes);
  });
  it('lets only typed errors escape from mutated files and streams', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.option(fc.nat({ max: 2 ** 21 }), { nil: undefined }),
        (which, flips, cut, maxDecompressedBytes) => {
          const bytes = seeds[which]!.slice();
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          readOrTypedError(cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length), maxDecompressedBytes);
        },
      ),
      fuzzOptions(250),
    );
  });
  it('lets only typed errors escape from mutated files with the system decoders of @interop/native', { timeout: fuzzTimeout }, () => {
    useDecoders('system');
    try {
      fc.assert(
        fc.property(
          fc.nat({ max: seeds.length - 1 }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
          (which, flips) => {
            const bytes = seeds[which]!.slice();
            for (const [at, value] of flips) bytes[at % bytes.length] = value;
            readOrTypedError(bytes);
          },
        ),
        fuzzOptions(250),
      );
    } finally {
      useDecoders('napi');
    }
  });
  it('lets only typed errors escape from arbitrary bytes', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => readOrTypedError(bytes)),
      fuzzOptions(300),
    );
  });
});
