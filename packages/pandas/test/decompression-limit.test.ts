import { type Codec, CompressionType, compressionRegistry } from 'apache-arrow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { DataFrameView, readArrowIPC, writeArrowIPC, PandasError, codecImplementations } from '../src/index.js';
import { checkZstdFrames } from '../src/internal/codec-frames.js';
import { defaultMaxDecompressedBytes, observeDecoderAllocations } from '../src/internal/codecs.js';
import { smallLz4, smallZstd, zerosZstd } from './fixtures/compressed.js';
import { decoderModes, useDecoders } from './helpers.js';
import { rawZstdFrame, type RawZstdOptions } from './zstd-raw.js';

const LZ4_MAGIC = [0x04, 0x22, 0x4d, 0x18];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** Byte offsets of every compressed frame (its magic number) in `bytes`. */
function framesIn(bytes: Uint8Array, magic: readonly number[]): number[] {
  const found: number[] = [];
  for (let i = 8; i + 4 <= bytes.length; i++) if (magic.every((byte, k) => bytes[i + k] === byte)) found.push(i);
  return found;
}

function setPrefix(bytes: Uint8Array, frameAt: number, value: bigint): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigInt64(frameAt - 8, value, true);
  return copy;
}

function prefixAt(bytes: Uint8Array, frameAt: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset).getBigInt64(frameAt - 8, true);
}

let ownZstd: Codec;

/** Writes `frame` with ZSTD frames built by `rawZstdFrame` (this package cannot encode ZSTD). */
function writeZstd(frame: DataFrameView, options: RawZstdOptions = {}): Uint8Array {
  compressionRegistry.set(CompressionType.ZSTD, { encode: (data: Uint8Array) => rawZstdFrame(data, options), decode: ownZstd.decode! });
  try {
    return writeArrowIPC(frame, { compression: 'zstd' });
  } finally {
    compressionRegistry.set(CompressionType.ZSTD, ownZstd);
  }
}

const lz4File = writeArrowIPC(DataFrameView.fromColumns({ x: new Float64Array(4096).fill(1.5) }), { compression: 'lz4' });

// Every check runs in front of every implementation: the system decoders of @interop/native, the
// napi-rs codecs (where they load) and the pure-JS ones of the browser build.
describe.each(decoderModes)('readArrowIPC: maxDecompressedBytes (%s)', (_label, mode) => {
  afterAll(() => useDecoders('napi'));
  beforeAll(() => {
    useDecoders(mode);
    readArrowIPC(smallZstd); // registers the package's codecs
    ownZstd = compressionRegistry.get(CompressionType.ZSTD)!;
    // liblz4 and libzstd are on every Linux machine this runs on: the system mode must be real.
    if (mode === 'system' && process.platform === 'linux')
      expect(codecImplementations().lz4Decode + codecImplementations().zstdDecode).toMatch(/^liblz4 .*libzstd /);
  });
  afterEach(() => {
    compressionRegistry.set(CompressionType.ZSTD, ownZstd);
  });

  it('reads ZSTD and LZ4 Feather files written by pyarrow', () => {
    for (const bytes of [smallZstd, smallLz4]) {
      const frame = readArrowIPC(bytes);
      expect(frame.column('id').toArray()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(frame.column('name').toArray()).toEqual(['a', 'bb', '', 'dddd', 'é', 'ff']);
    }
    const zeros = readArrowIPC(zerosZstd).column('z');
    expect(zeros.length).toBe(200_000);
    expect(zeros.get(199_999)).toBe(0n);
  });

  it('defaults to 255 x the input size, at least 256 MiB and at most 4 GiB', () => {
    expect(defaultMaxDecompressedBytes(1000)).toBe(2 ** 28);
    expect(defaultMaxDecompressedBytes(2 ** 22)).toBe(255 * 2 ** 22);
    expect(defaultMaxDecompressedBytes(2 ** 30)).toBe(2 ** 32);
  });

  it('refuses buffers declaring more than the limit, counted over the whole read', () => {
    // The zero column decompresses to exactly 1,600,000 bytes from about 1.2 KB.
    expect(readArrowIPC(zerosZstd, { maxDecompressedBytes: 1_600_000 }).column('z').length).toBe(200_000);
    expectErrorCode(() => readArrowIPC(zerosZstd, { maxDecompressedBytes: 1_599_999 }), 'ERR_SIZE_LIMIT', { family: PandasError });
    expectErrorCode(() => readArrowIPC(lz4File, { maxDecompressedBytes: 4096 * 8 - 1 }), 'ERR_SIZE_LIMIT', { family: PandasError });
    expect(
      readArrowIPC(lz4File, { maxDecompressedBytes: 4096 * 8 })
        .column('x')
        .get(4095),
    ).toBe(1.5);
  });

  it('refuses a tiny file whose prefix declares a terabyte, without allocating it', () => {
    const [at] = framesIn(lz4File, LZ4_MAGIC);
    const hostile = setPrefix(lz4File, at!, 2n ** 40n);
    const allocations: number[] = [];
    const stop = observeDecoderAllocations((allocation) => allocations.push(allocation.bytes));
    try {
      const { details } = expectErrorCode(() => readArrowIPC(hostile, { source: 'bomb.feather' }), 'ERR_SIZE_LIMIT');
      expect(details.declared).toBe(String(2n ** 40n));
      expect(details?.maxDecompressedBytes).toBe(defaultMaxDecompressedBytes(hostile.length));
    } finally {
      stop();
    }
    expect(allocations).toEqual([]);
  });

  it('refuses a prefix that disagrees with the decompressed length (no truncated or overlong column)', () => {
    for (const bytes of [lz4File, smallLz4, smallZstd]) {
      const frames = framesIn(bytes, bytes === smallZstd ? ZSTD_MAGIC : LZ4_MAGIC);
      expect(frames.length).toBeGreaterThan(0);
      for (const at of frames) {
        const declared = prefixAt(bytes, at);
        for (const lie of [declared - 1n, declared + 1n, declared + 8n, 0n, -2n]) {
          if (lie === declared) continue;
          expectErrorCode(() => readArrowIPC(setPrefix(bytes, at, lie), { maxDecompressedBytes: 2 ** 20 }), 'ERR_PANDAS_IPC_INVALID', { family: PandasError });
        }
      }
    }
  });

  it('refuses a ZSTD frame whose window exceeds the limit before fzstd allocates it', () => {
    const zeros = DataFrameView.fromColumns({ z: new Float64Array(40_000) });
    const small = writeZstd(zeros, { contentSize: false, windowLog: 17 });
    expect(readArrowIPC(small).column('z').get(39_999)).toBe(0);
    const huge = writeZstd(zeros, { contentSize: false, windowLog: 30 }); // a 1 GiB window for 320 KB
    expect(huge.length).toBeLessThan(2000);
    expectErrorCode(() => readArrowIPC(huge), 'ERR_SIZE_LIMIT', { family: PandasError });
    const wide = writeZstd(zeros, { contentSize: false, windowLog: 24 }); // a 16 MiB window
    expectErrorCode(() => readArrowIPC(wide, { maxDecompressedBytes: 2 ** 24 - 1 }), 'ERR_SIZE_LIMIT', { family: PandasError });
    expect(readArrowIPC(wide, { maxDecompressedBytes: 2 ** 24 }).column('z').length).toBe(40_000);
  });

  it('reads ZSTD frames with and without a content size', () => {
    const data = DataFrameView.fromColumns({ z: new Int32Array(70_000).fill(7), w: new Float64Array(70_000) });
    for (const contentSize of [true, false]) {
      const frame = readArrowIPC(writeZstd(data, { contentSize }));
      expect(frame.column('z').get(69_999)).toBe(7);
    }
  });

  it('checks ZSTD frame headers against their blocks', () => {
    const frame = rawZstdFrame(new Uint8Array(300).fill(3));
    expect(checkZstdFrames(frame, 300)).toEqual({ window: 300, output: 300 });
    expect(() => checkZstdFrames(frame, 299)).toThrow(/declared as 299/);
    const lying = frame.slice();
    lying[5] = 200; // content size 200, but the RLE block holds 300 bytes
    expect(() => checkZstdFrames(lying, 200)).toThrow(/blocks hold/);
    expect(() => checkZstdFrames(frame.subarray(0, frame.length - 1), 300)).toThrow(/ends inside/);
    const reserved = frame.slice();
    reserved[4]! |= 0x08;
    expect(() => checkZstdFrames(reserved, 300)).toThrow(/reserved/);
    const windowed = rawZstdFrame(new Uint8Array(10), { contentSize: false, windowLog: 41 });
    expect(() => checkZstdFrames(windowed, 10)).toThrow(/window/);
  });

  it('bounds and checks codecs the application registered', () => {
    const lying: Codec = { decode: () => new Uint8Array(3) };
    compressionRegistry.set(CompressionType.ZSTD, lying);
    expectErrorCode(() => readArrowIPC(smallZstd), 'ERR_PANDAS_IPC_INVALID', { family: PandasError });
    expectErrorCode(() => readArrowIPC(zerosZstd, { maxDecompressedBytes: 1000 }), 'ERR_SIZE_LIMIT', { family: PandasError });
    expect(compressionRegistry.get(CompressionType.ZSTD)).toBe(lying); // restored after the read
  });

  it('checks LZ4 frame headers before lz4js allocates or loops (lz4js alone: 2 GiB for a 19-byte frame, 92 s for a 14-byte one)', () => {
    const decode = compressionRegistry.get(CompressionType.LZ4_FRAME)!.decode!;
    const withPrefix = (declared: number, frame: readonly number[]): Uint8Array => {
      const bytes = new Uint8Array(8 + frame.length);
      new DataView(bytes.buffer).setBigInt64(0, BigInt(declared), true);
      bytes.set(frame, 8);
      return bytes.subarray(8);
    };
    // A frame whose header claims 2^31 - 1 bytes of content and holds none.
    const contentSize = [0x04, 0x22, 0x4d, 0x18, 0x68, 0x40, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0x00, 0, 0, 0, 0];
    expectErrorCode(() => decode(withPrefix(2 ** 31 - 1, contentSize)), 'ERR_SIZE_LIMIT', { family: PandasError });
    expect(() => decode(withPrefix(10, contentSize))).toThrow(/header says 2147483647/);
    // A block claiming 2^31 - 1 bytes of input, followed by 3.
    const started = performance.now();
    expect(() => decode(withPrefix(10, [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x00, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]))).toThrow(/LZ4 block/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('validates the option', () => {
    for (const bad of [-1, 1.5, Number.NaN, '10' as unknown as number]) {
      expectErrorCode(() => readArrowIPC(smallZstd, { maxDecompressedBytes: bad }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    }
    expect(readArrowIPC(smallZstd, { maxDecompressedBytes: Number.POSITIVE_INFINITY }).shape).toEqual([6, 4]);
  });
});
