// Projects that type-check these sources through the "@interop/source" condition do not include
// lz4js.d.ts on their own, so the declaration is referenced here explicitly.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./lz4js.d.ts" />
import { CompressionType, compressionRegistry } from 'apache-arrow';
import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';

let registered = false;

/**
 * Registers LZ4-frame (both directions, lz4js) and ZSTD (decompression, fzstd) with apache-arrow's
 * codec registry, keeping any codec the application registered itself.
 */
export function ensureCodecs(): void {
  if (registered) return;
  registered = true;
  if (compressionRegistry.get(CompressionType.LZ4_FRAME) === null) {
    compressionRegistry.set(CompressionType.LZ4_FRAME, {
      encode: (data: Uint8Array) => lz4.compress(data),
      decode: (data: Uint8Array) => aligned(lz4.decompress(data)),
    });
  }
  if (compressionRegistry.get(CompressionType.ZSTD) === null) {
    compressionRegistry.set(CompressionType.ZSTD, { decode: (data: Uint8Array) => aligned(zstdDecompress(data)) });
  }
}

/** True when a codec able to encode `type` is registered. */
export function canEncode(type: CompressionType): boolean {
  ensureCodecs();
  return typeof compressionRegistry.get(type)?.encode === 'function';
}

// apache-arrow views decompressed buffers as typed arrays in place, which needs an 8-byte
// aligned start; decoders may return a view into a larger scratch buffer at any offset.
function aligned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
}
