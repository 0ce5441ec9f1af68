import { CompressionType, compressionRegistry } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { codecImplementations, DataFrameView, loadZstdEncoder, readArrowIPC, useNativeCodecs, writeArrowIPC, PandasError, Column } from '../src/index.js';
import { setFallbackZstdEncoder } from '../src/internal/codecs.js';
import { nativeCodecs } from '../src/internal/native-codecs.js';
import { InteropError, registerAllocator, registeredAllocator, resetAllocator, type AllocateOptions } from '@interop/core';
import { installSystemCodecs } from '../src/internal/system-codecs.js';
import { useDecoders } from './helpers.js';
import * as nativeModule from '@interop/native';

const native = nativeCodecs();
const rows = 100_000;
const frame = DataFrameView.fromColumns({
  x: Float64Array.from({ length: rows }, (_, index) => Math.round(Math.sin(index) * 100) / 4),
  n: BigInt64Array.from({ length: rows }, (_, index) => BigInt(index % 977)),
  s: Array.from({ length: rows }, (_, index) => (index % 3 === 0 ? null : `v${index % 50}`)),
});

function expectSame(back: DataFrameView): void {
  for (const name of frame.columnNames) expect(back.column(name).toArray()).toEqual(frame.column(name).toArray());
}

function compressionOf(bytes: Uint8Array, magic: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let at = 0; at + 4 <= bytes.length; at++) if (view.getUint32(at, true) === magic) count++;
  return count;
}

describe('codecs', () => {
  afterEach(() => {
    useNativeCodecs(true);
    setFallbackZstdEncoder(undefined);
  });

  it('loads the native codecs where their prebuilt binaries exist', () => {
    // CI and development machines are linux-x64 (prebuilt binaries ship for it): the native path
    // must be the one tested there.
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect(native.lz4?.name).toBe('lz4-napi');
      expect(native.zstd?.name).toBe('@toondepauw/node-zstd');
    }
    expect(codecImplementations()).toEqual({
      lz4Decode: native.lz4?.name ?? 'lz4js',
      lz4Encode: native.lz4?.name ?? 'lz4js',
      zstdDecode: native.zstd?.name ?? 'fzstd',
      zstdEncode: native.zstd?.name ?? null,
    });
    useNativeCodecs(false);
    expect(codecImplementations()).toEqual({ lz4Decode: 'lz4js', lz4Encode: 'lz4js', zstdDecode: 'fzstd', zstdEncode: null });
    expectErrorCode(() => useNativeCodecs('no' as never), 'ERR_INVALID_ARGUMENT', { family: PandasError });
  });

  it('reads with either implementation what the other wrote (LZ4 frames both ways)', () => {
    for (const writeNative of [true, false]) {
      useNativeCodecs(writeNative);
      const bytes = writeArrowIPC(frame, { compression: 'lz4' });
      expect(compressionOf(bytes, 0x184d2204)).toBeGreaterThan(0);
      for (const readNative of [true, false]) {
        useNativeCodecs(readNative);
        expectSame(readArrowIPC(bytes));
      }
    }
  });

  it.skipIf(native.zstd === null)('writes ZSTD with the native encoder, read back by libzstd and by fzstd', () => {
    const bytes = writeArrowIPC(frame, { compression: 'zstd' });
    expect(compressionOf(bytes, 0xfd2fb528)).toBeGreaterThan(0);
    expect(bytes.length).toBeLessThan(writeArrowIPC(frame).length / 2);
    expectSame(readArrowIPC(bytes));
    useNativeCodecs(false);
    expectSame(readArrowIPC(bytes));
  });

  it('refuses ZSTD writing without an encoder, and writes it with the WebAssembly one once loaded', async () => {
    useNativeCodecs(false);
    expectErrorCode(() => writeArrowIPC(frame, { compression: 'zstd' }), 'ERR_PANDAS_CODEC_UNSUPPORTED', { family: PandasError });
    await loadZstdEncoder();
    expect(codecImplementations().zstdEncode).toBe('@bokuweb/zstd-wasm');
    const bytes = writeArrowIPC(frame, { compression: 'zstd' });
    expect(compressionOf(bytes, 0xfd2fb528)).toBeGreaterThan(0);
    expectSame(readArrowIPC(bytes));
    useNativeCodecs(true);
    expectSame(readArrowIPC(bytes));
  });

  it('keeps a codec the application registered', () => {
    const saved = compressionRegistry.get(CompressionType.LZ4_FRAME);
    let calls = 0;
    try {
      compressionRegistry.set(CompressionType.LZ4_FRAME, {
        encode: (data: Uint8Array) => {
          calls++;
          return saved!.encode!(data);
        },
        decode: (data: Uint8Array) => saved!.decode!(data),
      });
      expectSame(readArrowIPC(writeArrowIPC(frame, { compression: 'lz4' })));
      expect(calls).toBeGreaterThan(0);
    } finally {
      if (saved !== null) compressionRegistry.set(CompressionType.LZ4_FRAME, saved);
    }
  });
});

/** The bytes of every column's values, offsets and validity, to compare reads bit for bit. */
function columnBytes(read: DataFrameView): Buffer[] {
  return read.columnNames.flatMap((name) => {
    const column = read.column(name);
    const views: ArrayBufferView[] = [column.values];
    if (column.offsets !== null) views.push(column.offsets);
    if (column.validity !== null) views.push(column.validity.bitmap);
    return views.map((view) => Buffer.from(view.buffer, view.byteOffset, view.byteLength));
  });
}

describe('system decoders of @interop/native', () => {
  afterEach(() => {
    useDecoders('napi');
  });
  const linux = process.platform === 'linux';
  const lz4 = writeArrowIPC(frame, { compression: 'lz4' });

  it.runIf(linux)('are what codecImplementations names once installed, and switch off with the other native codecs', () => {
    useDecoders('system');
    const names = codecImplementations();
    expect(names.lz4Decode).toBe(`liblz4 ${nativeModule.codecLibrary('lz4').version} (@interop/native)`);
    expect(names.zstdDecode).toBe(`libzstd ${nativeModule.codecLibrary('zstd').version} (@interop/native)`);
    expect(names.lz4Encode).toBe(native.lz4?.name ?? 'lz4js');
    useNativeCodecs(false);
    expect(codecImplementations().lz4Decode).toBe('lz4js');
  });

  it('fall back to the napi-rs codecs where the system library is absent', () => {
    expect(installSystemCodecs({ ...nativeModule, codecLibrary: () => ({ available: false, version: null }) })).toBe(false);
    expect(codecImplementations().lz4Decode).toBe(native.lz4?.name ?? 'lz4js');
    expectSame(readArrowIPC(lz4));
    expect(installSystemCodecs(null)).toBe(false);
    expect(installSystemCodecs({ decompressInto: 1 })).toBe(false);
  });

  it.runIf(linux)('decompress every buffer of a read in one call, straight into one allocation, bit-exact', () => {
    const calls = { many: 0, ranges: 0, into: 0 };
    const spy = {
      ...nativeModule,
      decompressManyInto: (...args: Parameters<typeof nativeModule.decompressManyInto>) => {
        calls.many++;
        calls.ranges += args[3].length;
        return nativeModule.decompressManyInto(...args);
      },
      decompressInto: (...args: Parameters<typeof nativeModule.decompressInto>) => {
        calls.into++;
        return nativeModule.decompressInto(...args);
      },
    };
    expect(installSystemCodecs(spy)).toBe(true);
    const read = readArrowIPC(lz4);
    expectSame(read);
    expect(calls.many).toBe(1);
    expect(calls.ranges).toBeGreaterThanOrEqual(4); // x, n, and the validity, offsets and data of s
    expect(calls.into).toBe(0);
    // Every column's values sit in the one allocation the buffers were decompressed into.
    expect(read.column('x').values.buffer).toBe(read.column('n').values.buffer);
    useDecoders('napi');
    const other = columnBytes(readArrowIPC(lz4));
    columnBytes(read).forEach((bytes, index) => expect(Buffer.compare(bytes, other[index]!)).toBe(0));
  });

  it.runIf(linux)('report data the library refuses as ERR_PANDAS_IPC_INVALID, the NativeError as cause', () => {
    useDecoders('system');
    // The first LZ4 buffer's prefix declares one byte less than the frame holds: the system decoder
    // refuses to write past the declared length.
    const at = lz4.findIndex((_, i) => i >= 8 && lz4[i] === 0x04 && lz4[i + 1] === 0x22 && lz4[i + 2] === 0x4d && lz4[i + 3] === 0x18);
    const lying = lz4.slice();
    const prefix = new DataView(lying.buffer, at - 8, 8);
    prefix.setBigInt64(0, prefix.getBigInt64(0, true) - 1n, true);
    let caught: unknown;
    try {
      readArrowIPC(lying);
    } catch (error) {
      caught = error;
    }
    expect((caught as InteropError).code).toBe('ERR_PANDAS_IPC_INVALID');
    const cause = (caught as Error).cause as Error;
    expect(InteropError.isInstance(cause.cause) && cause.cause.code).toBe('ERR_NATIVE_DESTINATION_TOO_SMALL');
  });

  it.runIf(linux)('decode into memory allocated without zero-filling, and zero every byte no decoder writes', () => {
    // An allocator that hands out "recycled" memory full of 0xaa whenever zero-filling is waived.
    let dirty = 0;
    const before = registeredAllocator();
    registerAllocator(
      {
        name: 'dirty',
        allocate: (byteLength: number, options?: AllocateOptions) => {
          const buffer = new ArrayBuffer(byteLength);
          if (options?.zeroFill === false) {
            new Uint8Array(buffer).fill(0xaa);
            dirty++;
          }
          return buffer;
        },
      },
      { threshold: 0 },
    );
    try {
      useDecoders('system');
      // Odd lengths leave padding between the arena's 8-byte aligned slots.
      const rows = 10_001;
      const odd = DataFrameView.fromColumns({
        i: Int32Array.from({ length: rows }, (_, index) => index % 7),
        b: Column.from(
          Array.from({ length: rows }, (_, index) => (index % 5 === 0 ? null : index % 3 === 0)),
          'boolean',
        ),
        s: Array.from({ length: rows }, (_, index) => (index % 4 === 0 ? null : `v${index % 9}`)),
      });
      const bytes = writeArrowIPC(odd, { compression: 'lz4' });
      const read = readArrowIPC(bytes);
      expect(dirty).toBe(1);
      for (const name of odd.columnNames) expect(read.column(name).toArray()).toEqual(odd.column(name).toArray());
      // The whole arena (decoded buffers and the padding between them) is what a zero-filled one holds.
      registerAllocator({ name: 'clean', allocate: (byteLength: number) => new ArrayBuffer(byteLength) }, { threshold: 0 });
      const clean = readArrowIPC(bytes);
      const arena = new Uint8Array(read.column('i').values.buffer);
      expect(arena.length).toBeGreaterThan(rows * 4);
      expect(Buffer.compare(arena, new Uint8Array(clean.column('i').values.buffer))).toBe(0);
    } finally {
      if (before === null) resetAllocator();
      else registerAllocator(before.allocator, { threshold: before.threshold, fallback: before.fallback });
    }
  });
});
