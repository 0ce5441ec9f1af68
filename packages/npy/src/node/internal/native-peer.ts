// The optional peer @interop/native, loaded on first use: memory-mapped and shared files. Typed
// structurally so that @interop/npy type-checks and installs without it.
import { loadOptionalPeer } from '@interop/core';
import type { NpyErrorCode } from '../../errors/codes.js';
import { NpyError } from '../../errors/npy-error.js';

/** What this package uses of a mapping (`MappedFile` of @interop/native). */
export interface NativeMapping {
  readonly path: string;
  readonly byteLength: number;
  flush(): void;
  close(): void;
}

/** What this package uses of a shared file (`SharedFile` of @interop/native): a mapping that removes its own file. */
export interface NativeSharedFile extends NativeMapping {
  readonly unlinked: boolean;
  unlink(): void;
}

interface SharedFileOptions {
  readonly extension?: string;
  readonly directory?: string;
}

/** The functions of @interop/native this package calls. */
export interface NativePeer {
  mapFile(path: string, options: { mode: 'r' | 'r+' | 'c' }): NativeMapping;
  createSharedFile(
    name: string,
    options: SharedFileOptions & { byteLength: number; head?: Uint8Array; persist?: boolean; initialize?: (file: NativeSharedFile) => void },
  ): NativeSharedFile;
  openSharedFile(name: string, options: SharedFileOptions & { mode?: 'r' | 'r+' }): NativeSharedFile;
  unlinkSharedFile(name: string, options: SharedFileOptions): void;
  /** Present from the version whose shared files remove only their own file; a marker, not called. */
  SharedFile: unknown;
}

// A variable specifier keeps bundlers and the type checker from requiring the optional peer.
const specifier = '@interop/native';

/**
 * Imports @interop/native and checks it has the functions `needs` lists.
 *
 * @throws {NpyError} `ERR_NPY_MMAP_UNAVAILABLE` when it is missing, fails to load, or is too old.
 */
export function loadNativePeer(operation: string, needs: readonly (keyof NativePeer)[]): Promise<NativePeer> {
  return loadOptionalPeer<NativePeer, NpyErrorCode>(() => import(specifier), {
    name: specifier,
    operation,
    needs,
    family: NpyError,
    code: 'ERR_NPY_MMAP_UNAVAILABLE',
    ...(operation.startsWith('loadNpy') ? { alternative: 'load without mmap' } : {}),
  });
}
