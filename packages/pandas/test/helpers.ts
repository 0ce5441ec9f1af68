import * as nativeModule from '@interop/native';
import { useNativeCodecs } from '../src/index.js';
import { installSystemCodecs } from '../src/internal/system-codecs.js';

/** The decoder sets `readArrowIPC` can run with, for describe.each over all of them. */
export type DecoderMode = 'system' | 'napi' | 'js';

export const decoderModes: readonly (readonly [string, DecoderMode])[] = [
  ['system decoders of @interop/native (liblz4, libzstd)', 'system'],
  ['napi-rs codecs (lz4-napi, @toondepauw/node-zstd)', 'napi'],
  ['pure-JS codecs (lz4js, fzstd)', 'js'],
];

/**
 * Switches the decoders: the system ones of @interop/native (as the Node entry installs them),
 * the napi-rs ones of the main entry, or the pure-JS ones of the browser build.
 */
export function useDecoders(mode: DecoderMode): void {
  installSystemCodecs(mode === 'system' ? nativeModule : null);
  useNativeCodecs(mode !== 'js');
}
