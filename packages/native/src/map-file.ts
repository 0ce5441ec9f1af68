import { exportBuffer, ExportLock, getbuffer, releasebuffer, type BufferInfo, type Exporter } from '@interop/core';
import { NativeError } from './errors/native-error.js';
import { assertPosix, nativeCall } from './internal/native-call.js';
import { loadAddon } from './load-addon.js';

/**
 * How a file is mapped, as NumPy's memmap modes: `'r'` read-only (exported read-only), `'r+'`
 * read-write (writes reach the file), `'c'` copy-on-write (writable, writes stay private).
 */
export type MapMode = 'r' | 'r+' | 'c';

/** Options of `mapFile`. */
export interface MapFileOptions {
  /** Default `'r'`. */
  readonly mode?: MapMode;
}

// Checked by MappedFile's constructor; SharedFile (shared-file.ts) passes it on.
export const mappedFileKey: unique symbol = Symbol('MappedFile');
const modeNumbers: Record<MapMode, number> = { r: 0, 'r+': 1, c: 2 };

/**
 * A memory-mapped file as an exporter: 1-D unsigned bytes (format `'B'`), zero-copy. The pages are
 * unmapped by `close()` (refused while exported) or when the object and every view of it are
 * unreachable.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
 * import { mapFile } from '@interop/native';
 * const path = join(tmpdir(), `mapped-${process.pid}.bin`);
 * writeFileSync(path, new Uint8Array([1, 2, 3]));
 * const file = mapFile(path, { mode: 'r' });
 * const info = getBuffer(file, BufferFlags.CONTIG_RO);
 * console.log(new Uint8Array(info.buffer, info.byteOffset, info.byteLength)); // 1, 2, 3
 * releaseBuffer(info);
 * file.close();
 * ```
 */
export class MappedFile implements Exporter {
  readonly #lock = new ExportLock();
  #memory: ArrayBuffer | undefined;
  readonly #mapping: object;
  readonly #byteLength: number;
  /** The path that was mapped. */
  readonly path: string;
  readonly mode: MapMode;

  /** Use `mapFile`; the constructor is not for direct use. */
  constructor(key: typeof mappedFileKey, path: string, mode: MapMode, memory: ArrayBuffer, mapping: object) {
    if (key !== mappedFileKey)
      throw new NativeError('ERR_INVALID_ARGUMENT', 'MappedFile is created by mapFile(path, { mode }), not with new.', {
        details: { operation: 'MappedFile' },
      });
    this.path = path;
    this.mode = mode;
    this.#memory = memory;
    this.#mapping = mapping;
    this.#byteLength = memory.byteLength;
  }

  /** Size of the mapping in bytes (the file size when it was mapped). */
  get byteLength(): number {
    return this.#byteLength;
  }
  /** True for mode `'r'`. */
  get readonly(): boolean {
    return this.mode === 'r';
  }
  get closed(): boolean {
    return this.#memory === undefined;
  }
  /** Live exports of the mapping. */
  get exports(): number {
    return this.#lock.exports;
  }

  [getbuffer](flags: number): BufferInfo {
    const memory = this.#open('getbuffer');
    return exportBuffer(
      this,
      { buffer: memory, byteOffset: 0, format: 'B', itemsize: 1, shape: [this.#byteLength], readonly: this.mode === 'r' },
      flags,
      this.#lock,
    );
  }

  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }

  /**
   * Writes dirty pages back to the file now (mode `'r+'`; a no-op for the private modes).
   *
   * @throws {NativeError} `ERR_BUFFER_RELEASED`, `ERR_NATIVE_SYSTEM`.
   */
  flush(): void {
    this.#open('flush');
    if (this.mode === 'r+') nativeCall('MappedFile.flush', {}, () => loadAddon().flush(this.#mapping));
  }

  /**
   * Unmaps the file now. Closing twice does nothing.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while an export is held (release every view first).
   */
  close(): void {
    if (this.#memory === undefined) return;
    this.#lock.assertUnlocked('close');
    const memory = this.#memory;
    this.#memory = undefined;
    loadAddon().unmap(this.#mapping, memory);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #open(operation: string): ArrayBuffer {
    if (this.#memory === undefined) {
      throw new NativeError('ERR_BUFFER_RELEASED', `Cannot ${operation}: the mapping of ${this.path} was closed. Map the file again.`, {
        details: { operation },
      });
    }
    return this.#memory;
  }
}

/**
 * Maps a file into memory and returns it as an exporter of its bytes, without reading it.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { mapFile } from '@interop/native';
 * const path = join(tmpdir(), `map-${process.pid}.bin`);
 * writeFileSync(path, 'hello');
 * using file = mapFile(path, { mode: 'r' });
 * console.log(file.byteLength); // 5
 * ```
 * @throws {NativeError} `ERR_NATIVE_INVALID_MODE`, `ERR_INVALID_ARGUMENT` (path not a string),
 * `ERR_NATIVE_FILE_NOT_FOUND`, `ERR_NATIVE_NOT_A_FILE`, `ERR_NATIVE_EMPTY_FILE`, `ERR_NATIVE_PERMISSION_DENIED`,
 * `ERR_NATIVE_SYSTEM`, `ERR_NATIVE_UNSUPPORTED_PLATFORM`, and the loader's `ERR_NATIVE_ADDON_*` codes.
 */
export function mapFile(path: string, options: MapFileOptions = {}): MappedFile {
  const mode = options.mode ?? 'r';
  const [memory, mapping] = mapMemory(path, mode, false);
  return new MappedFile(mappedFileKey, path, mode, memory, mapping);
}

/**
 * Validates the arguments of `mapFile` and maps the file: the memory and the addon's mapping. With
 * `noFollow` a symbolic link at `path` is refused by open(2) itself (shared files).
 */
export function mapMemory(path: string, mode: MapMode, noFollow: boolean): [ArrayBuffer, object] {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) {
    throw new NativeError(
      'ERR_INVALID_ARGUMENT',
      `mapFile: path must be a non-empty string without NUL bytes; received ${typeof path === 'string' ? JSON.stringify(path) : typeof path}.`,
      {
        details: { operation: 'mapFile' },
      },
    );
  }
  if (!Object.hasOwn(modeNumbers, mode)) {
    throw new NativeError(
      'ERR_NATIVE_INVALID_MODE',
      `mapFile: mode ${JSON.stringify(mode)} is not one of "r" (read-only), "r+" (read-write) or "c" (copy-on-write).`,
      {
        details: { operation: 'mapFile' },
      },
    );
  }
  assertPosix('mapFile');
  const addon = loadAddon();
  return nativeCall(
    `mapFile(${JSON.stringify(path)}, { mode: ${JSON.stringify(mode)} })`,
    {
      ERR_NATIVE_FILE_NOT_FOUND: 'Check the path (relative paths resolve against process.cwd()).',
      ERR_NATIVE_EMPTY_FILE: 'Empty files cannot be mapped; read them normally.',
      ERR_NATIVE_PERMISSION_DENIED: mode === 'r+' ? 'Mode "r+" needs write permission; use "r" or "c" for a read-only file.' : 'Check the file permissions.',
      ERR_NATIVE_NOT_A_FILE: 'Only regular files can be mapped.',
    },
    () => addon.mapFile(path, modeNumbers[mode], noFollow),
  );
}
