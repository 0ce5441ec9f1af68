import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { BufferError } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { codecLibrary, decompressInto, decompressManyInto, NativeError, type DecompressRange } from '../src/index.js';
import { codecLibraryCandidates, resetCodecLibraries } from '../src/internal/codec-libraries.js';
import { addonBinary } from './helpers/build-addons.js';
import { lz4Independent, lz4Linked, lz4Stored, noiseBytes, textBytes, zstdChecksum, zstdNoContentSize, zstdNoise } from './fixtures/codec-frames.js';

const text = textBytes(200_000);
const noise = noiseBytes(20_000);
const cases = [
  { name: 'LZ4, linked blocks with checksums and content size', codec: 'lz4', frame: lz4Linked, data: text },
  { name: 'LZ4, 4 MiB independent blocks', codec: 'lz4', frame: lz4Independent, data: text },
  { name: 'LZ4, stored blocks', codec: 'lz4', frame: lz4Stored, data: noise },
  { name: 'ZSTD with checksum', codec: 'zstd', frame: zstdChecksum, data: text },
  { name: 'ZSTD without content size', codec: 'zstd', frame: zstdNoContentSize, data: text },
  { name: 'ZSTD raw blocks', codec: 'zstd', frame: zstdNoise, data: noise },
] as const;

// liblz4 and libzstd are on every CI and development machine of this project (Linux).
const linux = process.platform === 'linux';
const guard = 0xa5;

/** A destination of `length` bytes inside a larger buffer filled with guard bytes on both sides. */
function guarded(length: number, margin = 64): { all: Uint8Array; inside: Uint8Array } {
  const all = new Uint8Array(length + 2 * margin).fill(guard);
  return { all, inside: all.subarray(margin, margin + length) };
}

function guardsIntact(all: Uint8Array, length: number, margin = 64): boolean {
  return all.subarray(0, margin).every((byte) => byte === guard) && all.subarray(margin + length).every((byte) => byte === guard);
}

function failure(run: () => unknown): NativeError | BufferError {
  try {
    run();
  } catch (error) {
    if (NativeError.isInstance(error) || BufferError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

afterEach(() => resetCodecLibraries());

describe('codecLibrary', () => {
  it.runIf(linux)('finds the system liblz4 and libzstd', () => {
    const lz4 = codecLibrary('lz4');
    expect(lz4).toMatchObject({ codec: 'lz4', available: true, file: 'liblz4.so.1', reason: null });
    expect(lz4.version).toMatch(/^1\.\d+\.\d+$/);
    expect(codecLibrary('zstd')).toMatchObject({ codec: 'zstd', available: true, file: 'libzstd.so.1' });
  });

  it('reports an absent library, and every call then fails with ERR_NATIVE_CODEC_UNAVAILABLE', () => {
    codecLibraryCandidates.lz4 = ['/nonexistent/liblz4.so.1'];
    const found = codecLibrary('lz4');
    expect(found).toMatchObject({ available: false, file: null, version: null });
    expect(found.reason).toContain('/nonexistent/liblz4.so.1');
    expect(failure(() => decompressInto('lz4', lz4Linked, new Uint8Array(text.length))).code).toBe('ERR_NATIVE_CODEC_UNAVAILABLE');
    expect(failure(() => decompressManyInto('lz4', lz4Linked, new Uint8Array(text.length), [])).code).toBe('ERR_NATIVE_CODEC_UNAVAILABLE');
  });

  it.runIf(linux)('refuses a library that is not the codec it is opened for', () => {
    codecLibraryCandidates.lz4 = ['libzstd.so.1'];
    const found = codecLibrary('lz4');
    expect(found.available).toBe(false);
    expect(found.reason).toMatch(/lacks LZ4F_/);
  });

  it('validates the codec name', () => {
    expect(failure(() => codecLibrary('gzip' as never)).code).toBe('ERR_INVALID_ARGUMENT');
    expect(failure(() => decompressInto('gzip' as never, lz4Linked, new Uint8Array(1))).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe.runIf(linux)('decompressInto', () => {
  it.each(cases)('decodes $name bit-exact, writing nothing outside the destination', ({ codec, frame, data }) => {
    const { all, inside } = guarded(data.length);
    expect(decompressInto(codec, frame, inside)).toBe(data.length);
    expect(Buffer.compare(inside, data)).toBe(0);
    expect(guardsIntact(all, data.length)).toBe(true);
  });

  it.each(cases)('$name: a larger destination gets the data and the written length', ({ codec, frame, data }) => {
    const { all, inside } = guarded(data.length + 1000);
    expect(decompressInto(codec, frame, inside)).toBe(data.length);
    expect(Buffer.compare(inside.subarray(0, data.length), data)).toBe(0);
    expect(guardsIntact(all, data.length + 1000)).toBe(true);
  });

  it.each(cases)('$name: a destination one byte short is ERR_NATIVE_DESTINATION_TOO_SMALL, nothing written past it', ({ codec, frame, data }) => {
    for (const length of [data.length - 1, 1, 0]) {
      const { all, inside } = guarded(length);
      const error = failure(() => decompressInto(codec, frame, inside));
      expect(error.code).toBe('ERR_NATIVE_DESTINATION_TOO_SMALL');
      expect(guardsIntact(all, length)).toBe(true);
    }
  });

  it.each(cases)('$name: every truncation is ERR_NATIVE_CORRUPT_DATA', ({ codec, frame, data }) => {
    const step = Math.max(1, Math.floor(frame.length / 150));
    for (let length = 1; length < frame.length; length += length < 40 || length > frame.length - 40 ? 1 : step) {
      const { all, inside } = guarded(data.length);
      expect(failure(() => decompressInto(codec, frame.subarray(0, length), inside)).code, `${length} of ${frame.length} bytes`).toBe(
        'ERR_NATIVE_CORRUPT_DATA',
      );
      expect(guardsIntact(all, data.length)).toBe(true);
    }
  });

  it('decodes concatenated frames, and an empty source to nothing', () => {
    const both = new Uint8Array(2 * text.length);
    expect(decompressInto('lz4', concat(lz4Linked, lz4Independent), both)).toBe(2 * text.length);
    expect(Buffer.compare(both, concat(text, text))).toBe(0);
    expect(decompressInto('zstd', concat(zstdChecksum, zstdNoise), new Uint8Array(text.length + noise.length))).toBe(text.length + noise.length);
    expect(decompressInto('lz4', new Uint8Array(0), new Uint8Array(4))).toBe(0);
    expect(decompressInto('zstd', new Uint8Array(0), new Uint8Array(0))).toBe(0);
  });

  it('refuses corrupt frames: a bad magic number, a damaged checksum, damaged data', () => {
    for (const [codec, frame] of [
      ['lz4', lz4Linked],
      ['zstd', zstdChecksum],
    ] as const) {
      const badMagic = frame.slice();
      badMagic[0]! ^= 0xff;
      const error = failure(() => decompressInto(codec, badMagic, new Uint8Array(text.length)));
      expect(error.code).toBe('ERR_NATIVE_CORRUPT_DATA');
      expect(typeof error.details['libraryError']).toBe('string');
      const badChecksum = frame.slice();
      badChecksum[frame.length - 1]! ^= 0x01;
      expect(failure(() => decompressInto(codec, badChecksum, new Uint8Array(text.length))).code).toBe('ERR_NATIVE_CORRUPT_DATA');
    }
    // LZ4: a flipped header bit fails the header checksum; a flipped literal fails the block checksum.
    const header = lz4Linked.slice();
    header[5]! ^= 0x10;
    expect(failure(() => decompressInto('lz4', header, new Uint8Array(text.length))).code).toBe('ERR_NATIVE_CORRUPT_DATA');
    const literal = lz4Linked.slice();
    literal[40]! ^= 0x01;
    expect(failure(() => decompressInto('lz4', literal, new Uint8Array(text.length))).code).toBe('ERR_NATIVE_CORRUPT_DATA');
  });

  it('refuses a frame whose content-size field disagrees with its data', () => {
    // libzstd checks a frame's content-size field against what its blocks hold: the 4-byte field
    // of zstdChecksum (after the descriptor and, without single-segment mode, the window byte) is
    // set one lower than the data.
    const descriptor = zstdChecksum[4]!;
    expect(descriptor >> 6).toBe(2); // a 4-byte content size field
    const at = 5 + ((descriptor & 0x20) !== 0 ? 0 : 1);
    const lying = zstdChecksum.slice();
    new DataView(lying.buffer).setUint32(at, text.length - 1, true);
    expect(['ERR_NATIVE_CORRUPT_DATA', 'ERR_NATIVE_DESTINATION_TOO_SMALL']).toContain(
      failure(() => decompressInto('zstd', lying, new Uint8Array(text.length))).code,
    );
  });

  it('survives random damage: only typed errors, never a write outside the destination', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -100, max: 100 }),
        (item, edits, slack) => {
          const frame = item.frame.slice();
          for (const [position, xor] of edits) frame[position % frame.length]! ^= xor;
          const length = Math.max(0, item.data.length + slack);
          const { all, inside } = guarded(length);
          try {
            const written = decompressInto(item.codec, frame, inside);
            expect(written).toBeLessThanOrEqual(length);
          } catch (error) {
            expect(NativeError.isInstance(error)).toBe(true);
            expect(['ERR_NATIVE_CORRUPT_DATA', 'ERR_NATIVE_DESTINATION_TOO_SMALL']).toContain((error as NativeError).code);
          }
          expect(guardsIntact(all, length)).toBe(true);
        },
      ),
      { numRuns: 300, seed: 15 },
    );
  });

  it('decodes into SharedArrayBuffer memory and from it', () => {
    const out = new Uint8Array(new SharedArrayBuffer(text.length));
    const source = new Uint8Array(new SharedArrayBuffer(lz4Linked.length));
    source.set(lz4Linked);
    expect(decompressInto('lz4', source, out)).toBe(text.length);
    expect(Buffer.compare(out, text)).toBe(0);
  });

  it('refuses detached views with ERR_BUFFER_DETACHED', () => {
    const destination = new Uint8Array(text.length);
    structuredClone(destination.buffer, { transfer: [destination.buffer] });
    const error = failure(() => decompressInto('lz4', lz4Linked, destination));
    expect(BufferError.isInstance(error)).toBe(true);
    expect(error.code).toBe('ERR_BUFFER_DETACHED');
    const source = lz4Linked.slice();
    structuredClone(source.buffer, { transfer: [source.buffer] });
    expect(failure(() => decompressInto('lz4', source, new Uint8Array(text.length))).code).toBe('ERR_BUFFER_DETACHED');
  });

  it('refuses arguments that are not Uint8Arrays, and source and destination sharing memory', () => {
    expect(failure(() => decompressInto('lz4', lz4Linked, new Float64Array(10) as never)).code).toBe('ERR_INVALID_ARGUMENT');
    expect(failure(() => decompressInto('lz4', [1, 2] as never, new Uint8Array(10))).code).toBe('ERR_INVALID_ARGUMENT');
    const shared = new Uint8Array(lz4Linked.length + text.length);
    shared.set(lz4Linked);
    expect(failure(() => decompressInto('lz4', shared.subarray(0, lz4Linked.length), shared.subarray(lz4Linked.length - 1))).code).toBe('ERR_INVALID_ARGUMENT');
    // Adjacent, not overlapping: allowed.
    expect(decompressInto('lz4', shared.subarray(0, lz4Linked.length), shared.subarray(lz4Linked.length))).toBe(text.length);
  });
});

describe.runIf(linux)('decompressManyInto', () => {
  // Every fixture of one codec, several times over, into one destination laid out end to end.
  function layout(codec: 'lz4' | 'zstd', copies: number): { source: Uint8Array; expected: Uint8Array; ranges: DecompressRange[] } {
    const chosen = cases.filter((item) => item.codec === codec);
    const frames: Uint8Array[] = [];
    const datas: Uint8Array[] = [];
    const ranges: DecompressRange[] = [];
    let sourceOffset = 0;
    let destinationOffset = 0;
    for (let copy = 0; copy < copies; copy++) {
      for (const item of chosen) {
        ranges.push({ sourceOffset, sourceLength: item.frame.length, destinationOffset, destinationLength: item.data.length });
        frames.push(item.frame);
        datas.push(item.data);
        sourceOffset += item.frame.length;
        destinationOffset += item.data.length;
      }
    }
    return { source: concat(...frames), expected: concat(...datas), ranges };
  }

  it.each(['lz4', 'zstd'] as const)('%s: decodes every range on 1 and on 4 threads, bit-exact', (codec) => {
    const { source, expected, ranges } = layout(codec, 8);
    for (const threads of [1, 4]) {
      const { all, inside } = guarded(expected.length);
      expect(decompressManyInto(codec, source, inside, ranges, { threads })).toEqual(ranges.map((range) => range.destinationLength));
      expect(Buffer.compare(inside, expected)).toBe(0);
      expect(guardsIntact(all, expected.length)).toBe(true);
    }
  });

  it('names the lowest-numbered failed range', () => {
    const { source, expected, ranges } = layout('lz4', 4);
    const broken = ranges.map((range, index) => (index === 5 || index === 9 ? { ...range, destinationLength: range.destinationLength - 1 } : range));
    const error = failure(() => decompressManyInto('lz4', source, new Uint8Array(expected.length), broken, { threads: 1 }));
    expect(error.code).toBe('ERR_NATIVE_DESTINATION_TOO_SMALL');
    expect(error.details['range']).toBe(5);
    const damaged = source.slice();
    damaged[ranges[2]!.sourceOffset]! ^= 0xff;
    const corrupt = failure(() => decompressManyInto('lz4', damaged, new Uint8Array(expected.length), ranges, { threads: 4 }));
    expect(corrupt.code).toBe('ERR_NATIVE_CORRUPT_DATA');
    expect(corrupt.details['range']).toBe(2);
  });

  it('checks every range before anything runs', () => {
    const { source, expected, ranges } = layout('zstd', 2);
    const destination = new Uint8Array(expected.length).fill(7);
    const run = (bad: DecompressRange[], options = {}) => failure(() => decompressManyInto('zstd', source, destination, bad, options)).code;
    const last = ranges.length - 1;
    const edit = (index: number, change: Partial<DecompressRange>) => ranges.map((range, i) => (i === index ? { ...range, ...change } : range));
    expect(run(edit(last, { destinationLength: ranges[last]!.destinationLength + 1 }))).toBe('ERR_BUFFER_OUT_OF_BOUNDS');
    expect(run(edit(last, { sourceOffset: source.length }))).toBe('ERR_BUFFER_OUT_OF_BOUNDS');
    expect(run(edit(1, { destinationOffset: ranges[0]!.destinationOffset + 1 }))).toBe('ERR_INVALID_ARGUMENT'); // overlaps range 0
    expect(run(edit(0, { sourceLength: -1 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(run(edit(0, { destinationOffset: 1.5 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(run([null as never])).toBe('ERR_INVALID_ARGUMENT');
    expect(run(ranges, { threads: 0 })).toBe('ERR_INVALID_ARGUMENT');
    expect(failure(() => decompressManyInto('zstd', source, destination, 'all' as never)).code).toBe('ERR_INVALID_ARGUMENT');
    // Nothing ran: the destination is untouched.
    expect(destination.every((byte) => byte === 7)).toBe(true);
    // A range of the source may not be written through the destination.
    const shared = new Uint8Array(source.length + expected.length);
    shared.set(source);
    expect(failure(() => decompressManyInto('zstd', shared, shared.subarray(source.length), ranges)).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('decodes in a worker thread (the library is shared by the process)', async () => {
    const { source, expected, ranges } = layout('lz4', 2);
    const result = await new Promise<{ written: number[]; same: boolean }>((resolve, reject) => {
      const worker = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         const addon = require(workerData.addon);
         addon.codecOpen(0, 'liblz4.so.1');
         const out = new Uint8Array(workerData.length);
         const { written } = addon.decompressManyInto(0, workerData.source, out, workerData.ranges, 2);
         parentPort.postMessage({ written: Array.from(written), out });`,
        {
          eval: true,
          workerData: {
            addon: addonBinary,
            source,
            length: expected.length,
            ranges: Float64Array.from(ranges.flatMap((r) => [r.sourceOffset, r.sourceLength, r.destinationOffset, r.destinationLength])),
          },
        },
      );
      worker.once('message', (message: { written: number[]; out: Uint8Array }) => {
        void worker.terminate().then(() => resolve({ written: message.written, same: Buffer.compare(message.out, expected) === 0 }));
      });
      worker.once('error', reject);
    });
    expect(result.written).toEqual(ranges.map((range) => range.destinationLength));
    expect(result.same).toBe(true);
  });
});

describe('decompressManyInto against hostile ranges and options', () => {
  it('refuses a hole in a sparse ranges array instead of skipping it, and an absurd number of ranges before allocating for them', () => {
    const sparse: DecompressRange[] = [];
    sparse[1] = { sourceOffset: 0, sourceLength: 1, destinationOffset: 0, destinationLength: 1 };
    expectErrorCode(() => decompressManyInto('lz4', new Uint8Array(8), new Uint8Array(8), sparse), 'ERR_INVALID_ARGUMENT', { family: NativeError });
    const huge: DecompressRange[] = [];
    huge.length = 2 ** 29;
    expectErrorCode(() => decompressManyInto('lz4', new Uint8Array(8), new Uint8Array(8), huge), 'ERR_INVALID_ARGUMENT', { family: NativeError });
  });

  it('refuses null options with a typed error', () => {
    expectErrorCode(() => decompressManyInto('lz4', new Uint8Array(8), new Uint8Array(8), [], null as never), 'ERR_INVALID_ARGUMENT', { family: NativeError });
  });
});
