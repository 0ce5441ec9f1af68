import { PandasError } from './errors/pandas-error.js';
import { type CodecImplementations, codecImplementations as current, setFallbackZstdEncoder, setNativeCodecs } from './internal/codecs.js';

export type { CodecImplementations } from './internal/codecs.js';

/**
 * Names the codec implementations `readArrowIPC` and `writeArrowIPC` use now. Decoding: the
 * system's liblz4 / libzstd through `@interop/native` once `@interop/pandas/node` has installed
 * them (e.g. `"liblz4 1.9.4 (@interop/native)"`), else the native packages (`lz4-napi`,
 * `@toondepauw/node-zstd`, optional dependencies with prebuilt binaries) where they load on Node,
 * else the pure-JS ones (`lz4js`; `fzstd`). Encoding: the native packages, else `lz4js` and, for
 * ZSTD, the WebAssembly encoder once `loadZstdEncoder()` has run (`zstdEncode` is null without one).
 *
 * @example
 * ```ts
 * import { codecImplementations } from '@interop/pandas';
 * console.log(codecImplementations().lz4Decode); // "lz4-napi" on Linux/macOS/Windows Node, "lz4js" in a browser
 * ```
 */
export function codecImplementations(): CodecImplementations {
  return current();
}

/**
 * Switches the optional native codecs on (the default where they load) or off, e.g. to compare
 * with the browser path or to rule them out while debugging: the system decoders of
 * `@interop/native` and the native packages alike. Off, the pure-JS codecs run.
 *
 * @example
 * ```ts
 * import { codecImplementations, useNativeCodecs } from '@interop/pandas';
 * useNativeCodecs(false);
 * console.log(codecImplementations().lz4Decode); // "lz4js"
 * useNativeCodecs(true);
 * ```
 * @throws {PandasError} `ERR_INVALID_ARGUMENT` when `enabled` is not a boolean.
 */
export function useNativeCodecs(enabled: boolean): void {
  if (typeof enabled !== 'boolean')
    throw new PandasError('ERR_INVALID_ARGUMENT', `useNativeCodecs expects true or false; received ${typeof enabled}.`, {
      details: { operation: 'useNativeCodecs' },
    });
  setNativeCodecs(enabled);
}

/**
 * Starts the WebAssembly ZSTD encoder (`@bokuweb/zstd-wasm`, libzstd compiled to WebAssembly),
 * so `writeArrowIPC(frame, { compression: 'zstd' })` works where the native encoder is missing
 * (browsers, other platforms). WebAssembly starts asynchronously, hence this one await; on Node
 * with the native codec it is not needed.
 *
 * @example
 * ```ts
 * import { DataFrameView, loadZstdEncoder, writeArrowIPC } from '@interop/pandas';
 * await loadZstdEncoder();
 * const feather = writeArrowIPC(DataFrameView.fromColumns({ a: [1, 2] }), { compression: 'zstd' });
 * ```
 * @throws {PandasError} `ERR_PANDAS_CODEC_UNSUPPORTED` when the WebAssembly module cannot start.
 */
export async function loadZstdEncoder(): Promise<void> {
  try {
    const zstd = await import('@bokuweb/zstd-wasm');
    await zstd.init();
    setFallbackZstdEncoder({ name: '@bokuweb/zstd-wasm', compress: (data, level) => zstd.compress(data, level) });
  } catch (error) {
    throw new PandasError(
      'ERR_PANDAS_CODEC_UNSUPPORTED',
      `The WebAssembly ZSTD encoder could not start (${error instanceof Error ? error.message : String(error)}); write with compression "lz4" instead.`,
      {
        cause: error,
        details: { operation: 'loadZstdEncoder' },
      },
    );
  }
}
