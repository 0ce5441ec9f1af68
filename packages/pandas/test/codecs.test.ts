import { CompressionType, compressionRegistry } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { codecImplementations, DataFrameView, loadZstdEncoder, readArrowIPC, useNativeCodecs, writeArrowIPC, PandasError } from '../src/index.js';
import { setFallbackZstdEncoder } from '../src/internal/codecs.js';
import { nativeCodecs } from '../src/internal/native-codecs.js';

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
