import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo } from '@interop/core';
import { NpyError } from '../errors/npy-error.js';
import type { NpyArray } from '../npy-array.js';
import { parseNpyHeader } from '../npy-header.js';
import { arrayFromHeader, readNpy, type ReadNpyOptions } from '../read-npy.js';
import { planNpyWrite, type WriteNpyOptions } from '../write-npy.js';

/** Memory-mapping modes, as NumPy's `mmap_mode`: read-only, read-write, copy-on-write. */
export type MmapMode = 'r' | 'r+' | 'c';

/** Options of `loadNpy`. */
export interface LoadNpyOptions extends ReadNpyOptions {
  /**
   * Map the file instead of reading it (through `@interop/native`, which must be installed):
   * `true` or `'r'` read-only, `'r+'` writes go to the file, `'c'` copy-on-write. Default false.
   */
  readonly mmap?: boolean | MmapMode;
}

interface NativeMapping {
  close(): void;
}

async function loadNative(): Promise<(path: string, options: { mode: MmapMode }) => NativeMapping> {
  let native: unknown;
  // A variable specifier keeps bundlers and the type checker from requiring the optional peer.
  const specifier = '@interop/native';
  try {
    native = await import(specifier);
  } catch (cause) {
    throw new NpyError(
      'ERR_NPY_MMAP_UNAVAILABLE',
      `loadNpy(path, { mmap }) needs the optional package @interop/native, which could not be loaded (${(cause as Error).message}). Install it (npm install @interop/native) or load without mmap.`,
      { cause },
    );
  }
  const mapFile = (native as { mapFile?: unknown }).mapFile;
  if (typeof mapFile !== 'function') {
    throw new NpyError('ERR_NPY_MMAP_UNAVAILABLE', 'The installed @interop/native has no mapFile function; upgrade @interop/native or load without mmap.');
  }
  return mapFile as (path: string, options: { mode: MmapMode }) => NativeMapping;
}

/** The mapping as bytes; an engine that cannot view that many bytes at once gets a typed error, not a RangeError. */
function byteView(info: BufferInfo, path: string): Uint8Array {
  try {
    return new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw new NpyError('ERR_NPY_SIZE_OVERFLOW', `${JSON.stringify(path)} is ${info.byteLength} bytes, more than this JavaScript engine can view as one Uint8Array; an NpyArray cannot hold it. Map it with @interop/native's mapFile and read it through a MemoryView instead.`, { cause });
  }
}

async function loadMapped(path: string, mode: MmapMode, options: ReadNpyOptions): Promise<NpyArray> {
  const mapFile = await loadNative();
  let mapping: NativeMapping;
  try {
    mapping = mapFile(path, { mode });
  } catch (cause) {
    if (typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string' && /^E[A-Z]+$/.test((cause as { code: string }).code)) throw cause;
    throw new NpyError('ERR_NPY_MMAP_UNAVAILABLE', `@interop/native could not map ${JSON.stringify(path)}: ${(cause as Error).message}.`, { cause });
  }
  let info: BufferInfo | null = null;
  const close = (): void => {
    if (info !== null) releaseBuffer(info);
    info = null;
    mapping.close();
  };
  try {
    info = getBuffer(mapping, mode === 'r' ? BufferFlags.SIMPLE : BufferFlags.SIMPLE | BufferFlags.WRITABLE);
    const bytes = byteView(info, path);
    const header = parseNpyHeader(bytes, options);
    const readonly = mode === 'r' || options.readonly === true;
    const aligned = (bytes.byteOffset + header.dataOffset) % header.alignment === 0;
    if (!aligned || options.copy === true) {
      // The data is copied out of the mapping (misaligned, or a copy was asked for): unmap it now.
      const array = arrayFromHeader(bytes, header, { ...options, readonly });
      close();
      return array;
    }
    return arrayFromHeader(bytes, header, { ...options, readonly, onClose: close });
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * Loads a `.npy` file. Without `mmap`, the file is read once into memory and the array is a
 * zero-copy view of it (parsing costs O(1)); with `mmap`, the file is mapped through
 * `@interop/native` and `close()` unmaps it.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * import { loadNpy, saveNpy } from '@interop/npy/node';
 * const path = join(tmpdir(), 'example-load.npy');
 * await saveNpy(path, new Float32Array([1, 2, 3]));
 * const array = await loadNpy(path);
 * console.log(array.shape, array.dtype); // [3] "<f4"
 * ```
 * @throws {NpyError} the codes of `readNpy`; `ERR_NPY_MMAP_UNAVAILABLE` when `mmap` is asked
 * and `@interop/native` is missing or cannot map. File-system failures are Node's own errors.
 */
export async function loadNpy(path: string, options: LoadNpyOptions = {}): Promise<NpyArray> {
  const mmap = options.mmap ?? false;
  if (mmap !== false) {
    const mode: MmapMode = mmap === true ? 'r' : mmap;
    if (mode !== 'r' && mode !== 'r+' && mode !== 'c') throw new NpyError('ERR_NPY_INVALID_ARGUMENT', `mmap must be true, false, 'r', 'r+' or 'c'; received ${String(mmap)}.`);
    return loadMapped(path, mode, options);
  }
  return readNpy(readFileSync(path), options);
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, Math.min(bytes.length - done, 0x7fff0000));
}

/**
 * Saves any exporter as a `.npy` file, byte-identical to `np.save`. Contiguous data is written
 * straight from the source's memory.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * import { saveNpy } from '@interop/npy/node';
 * await saveNpy(join(tmpdir(), 'example-save.npy'), new Int16Array([1, 2, 3]));
 * ```
 * @throws {NpyError} the codes of `writeNpy`. File-system failures are Node's own errors.
 */
export function saveNpy(path: string, source: unknown, options: WriteNpyOptions = {}): Promise<void> {
  try {
    const plan = planNpyWrite(source, options);
    try {
      // Synchronous writes, as fs.writeFileSync: one large write from the source's own memory.
      const fd = openSync(path, 'w');
      try {
        writeFully(fd, plan.header);
        if (plan.contiguous !== null) {
          writeFully(fd, plan.contiguous);
        } else {
          const data = new Uint8Array(plan.nbytes);
          plan.copyTo(data, 0);
          writeFully(fd, data);
        }
      } finally {
        closeSync(fd);
      }
    } finally {
      plan.release();
    }
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
