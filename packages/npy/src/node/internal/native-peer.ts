// The optional peer @interop/native, loaded on first use: memory-mapped and shared files. Typed
// structurally so that @interop/npy type-checks and installs without it.
import { NpyError } from '../../errors/npy-error.js';

/** What this package uses of a mapping (`MappedFile` of @interop/native). */
export interface NativeMapping {
  readonly path: string;
  readonly byteLength: number;
  flush(): void;
  close(): void;
}

interface SharedFileOptions {
  readonly extension?: string;
  readonly directory?: string;
}

/** The functions of @interop/native this package calls. */
export interface NativePeer {
  mapFile(path: string, options: { mode: 'r' | 'r+' | 'c' }): NativeMapping;
  createSharedFile(name: string, options: SharedFileOptions & { byteLength: number; head?: Uint8Array; persist?: boolean }): NativeMapping;
  openSharedFile(name: string, options: SharedFileOptions & { mode?: 'r' | 'r+' }): NativeMapping;
  unlinkSharedFile(name: string, options: SharedFileOptions): void;
  sharedFilePath(name: string, options: SharedFileOptions): string;
}

/**
 * Imports @interop/native and returns the functions `needs` lists.
 *
 * @throws {NpyError} `ERR_NPY_MMAP_UNAVAILABLE` when it is missing, fails to load, or is too old.
 */
export async function loadNativePeer(operation: string, needs: readonly (keyof NativePeer)[]): Promise<NativePeer> {
  let native: unknown;
  // A variable specifier keeps bundlers and the type checker from requiring the optional peer.
  const specifier = '@interop/native';
  try {
    native = await import(specifier);
  } catch (cause) {
    throw new NpyError(
      'ERR_NPY_MMAP_UNAVAILABLE',
      `${operation} needs the optional package @interop/native, which could not be loaded (${(cause as Error).message}). Install it (npm install @interop/native)${operation.startsWith('loadNpy') ? ' or load without mmap' : ''}.`,
      { cause },
    );
  }
  for (const name of needs) {
    if (typeof (native as Record<string, unknown>)[name] !== 'function') {
      throw new NpyError('ERR_NPY_MMAP_UNAVAILABLE', `The installed @interop/native has no ${name} function, which ${operation} needs; upgrade @interop/native.`);
    }
  }
  return native as NativePeer;
}
