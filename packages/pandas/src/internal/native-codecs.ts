// Optional native codecs (Node only): lz4-napi (LZ4 frames, lz4_flex) and @toondepauw/node-zstd
// (libzstd through the zstd crate). Both ship prebuilt binaries as optional dependencies; when
// they are missing, cannot load (another platform, a browser, Node older than 20.16 without
// process.getBuiltinModule), or are switched off, the pure-JS codecs (lz4js, fzstd) run instead.
// No Node built-in is imported statically, so the main entry stays browser-safe.

interface Lz4Binding {
  compressFrameSync(data: Uint8Array): Uint8Array;
  decompressFrameSync(data: Uint8Array): Uint8Array;
}

interface ZstdBinding {
  Decoder: new () => { decodeSync(data: Uint8Array): Uint8Array };
  Encoder: new (level: number) => { encodeSync(data: Uint8Array): Uint8Array };
}

/** The native codec functions that loaded. */
export interface NativeCodecs {
  readonly lz4: { readonly name: string; compress(data: Uint8Array): Uint8Array; decompress(data: Uint8Array): Uint8Array } | null;
  readonly zstd: { readonly name: string; compress(data: Uint8Array, level: number): Uint8Array; decompress(data: Uint8Array): Uint8Array } | null;
}

type Require = (id: string) => unknown;
type BufferClass = { from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array };

let loaded: NativeCodecs | undefined;

function nodeRequire(): Require | null {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof host?.getBuiltinModule !== 'function') return null;
  try {
    const moduleApi = host.getBuiltinModule('node:module') as { createRequire?: (from: string) => Require } | undefined;
    return typeof moduleApi?.createRequire === 'function' ? moduleApi.createRequire(import.meta.url) : null;
  } catch {
    return null;
  }
}

function tryRequire(require: Require, id: string): unknown {
  try {
    return require(id);
  } catch {
    return null;
  }
}

/** The native codecs, loaded once; `{ lz4: null, zstd: null }` where none is available. */
export function nativeCodecs(): NativeCodecs {
  if (loaded !== undefined) return loaded;
  const require = nodeRequire();
  const NodeBuffer = (globalThis as { Buffer?: BufferClass }).Buffer;
  if (require === null || NodeBuffer === undefined) {
    loaded = { lz4: null, zstd: null };
    return loaded;
  }
  // napi-rs takes Node Buffers: wrap the same memory (no copy).
  const asBuffer = (data: Uint8Array): Uint8Array => NodeBuffer.from(data.buffer, data.byteOffset, data.byteLength);
  const lz4 = tryRequire(require, 'lz4-napi') as Partial<Lz4Binding> | null;
  const zstd = tryRequire(require, '@toondepauw/node-zstd') as Partial<ZstdBinding> | null;
  let zstdDecoder: { decodeSync(data: Uint8Array): Uint8Array } | null = null;
  const zstdEncoders = new Map<number, { encodeSync(data: Uint8Array): Uint8Array }>();
  loaded = {
    lz4:
      typeof lz4?.decompressFrameSync === 'function' && typeof lz4.compressFrameSync === 'function'
        ? {
            name: 'lz4-napi',
            compress: (data) => (lz4 as Lz4Binding).compressFrameSync(asBuffer(data)),
            decompress: (data) => (lz4 as Lz4Binding).decompressFrameSync(asBuffer(data)),
          }
        : null,
    zstd:
      typeof zstd?.Decoder === 'function' && typeof zstd.Encoder === 'function'
        ? {
            name: '@toondepauw/node-zstd',
            compress: (data, level) => {
              let encoder = zstdEncoders.get(level);
              if (encoder === undefined) {
                encoder = new (zstd as ZstdBinding).Encoder(level);
                zstdEncoders.set(level, encoder);
              }
              return encoder.encodeSync(asBuffer(data));
            },
            decompress: (data) => {
              zstdDecoder ??= new (zstd as ZstdBinding).Decoder();
              return zstdDecoder.decodeSync(asBuffer(data));
            },
          }
        : null,
  };
  return loaded;
}
