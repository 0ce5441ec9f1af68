import { BufferError } from '@interop/core';
import * as nativeModule from '@interop/native';
import { PandasError, useNativeCodecs } from '../src/index.js';
import { installSystemCodecs } from '../src/internal/system-codecs.js';

/** The code of the PandasError or BufferError `fn` throws (rethrows anything else). */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (PandasError.isInstance(error) || BufferError.isInstance(error)) return error.code;
    throw error;
  }
  return undefined;
}

/** The code of the PandasError the promise rejects with (rethrows anything else). */
export async function asyncCodeOf(promise: Promise<unknown> | (() => Promise<unknown>)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (PandasError.isInstance(error)) return error.code;
    throw error;
  }
  return undefined;
}

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
