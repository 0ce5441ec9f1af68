import { exportBuffer, ExportLock, getbuffer, releasebuffer, type BufferInfo, type Exporter } from '@interop/core';
import { randomBytes } from 'node:crypto';
import { NativeError } from './errors/native-error.js';
import { assertPosix, nativeCall } from './internal/native-call.js';
import { loadAddon } from './load-addon.js';

const constructKey: unique symbol = Symbol('SharedMemory');
// NAME_MAX on Linux; macOS allows 31 (PSHMNAMLEN) and reports ENAMETOOLONG itself.
const MAX_NAME = 255;

/**
 * Turns a user-facing name into the POSIX one: Python's SharedMemory prepends "/" to its names,
 * so "psm_1234" in Python and "psm_1234" here open the same "/psm_1234" object.
 */
function posixName(name: string, operation: string): string {
  if (typeof name !== 'string') {
    throw new NativeError(
      'ERR_SHARED_INVALID_NAME',
      `${operation}: the shared memory name must be a string (or null to pick one); received ${name === null ? 'null' : typeof name}.`,
      {
        details: { operation },
      },
    );
  }
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (bare === '' || bare.includes('/') || bare.includes('\0') || bare.length + 1 > MAX_NAME) {
    throw new NativeError(
      'ERR_SHARED_INVALID_NAME',
      `${operation}: the shared memory name ${JSON.stringify(name)} must be 1-${MAX_NAME - 1} characters without "/" (a leading "/" is allowed, as in shm_open) and without NUL.`,
      {
        details: { operation },
      },
    );
  }
  return `/${bare}`;
}

/**
 * A POSIX shared memory segment as an exporter (1-D bytes, format `'B'`, writable), compatible
 * with Python's `multiprocessing.shared_memory.SharedMemory`: the same name opens the same bytes
 * in a NumPy process, with no copy.
 *
 * @example
 * ```ts
 * import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
 * import { SharedMemory } from '@interop/native';
 * const segment = SharedMemory.create(`doc_${process.pid}`, 16);
 * const info = getBuffer(segment, BufferFlags.CONTIG);
 * new Uint8Array(info.buffer, info.byteOffset, info.byteLength).fill(7);
 * releaseBuffer(info);
 * const again = SharedMemory.attach(segment.name);   // Python: SharedMemory(name=segment.name)
 * console.log(again.size); // 16
 * again.close();
 * segment.close();
 * segment.unlink();
 * ```
 */
export class SharedMemory implements Exporter {
  readonly #lock = new ExportLock();
  #memory: ArrayBuffer | undefined;
  readonly #mapping: object;
  readonly #posixName: string;
  readonly #size: number;
  #unlinked = false;

  /** Use `SharedMemory.create` or `SharedMemory.attach`. */
  constructor(key: typeof constructKey, name: string, memory: ArrayBuffer, mapping: object) {
    if (key !== constructKey) {
      throw new NativeError('ERR_INVALID_ARGUMENT', 'SharedMemory is created by SharedMemory.create(name, size) or SharedMemory.attach(name), not with new.', {
        details: { operation: 'SharedMemory' },
      });
    }
    this.#posixName = name;
    this.#memory = memory;
    this.#mapping = mapping;
    this.#size = memory.byteLength;
  }

  /**
   * Creates a new segment of `size` bytes (zero-filled). `name` null picks a unique "psm_..."
   * name, as Python does.
   *
   * @example
   * ```ts
   * import { SharedMemory } from '@interop/native';
   * const segment = SharedMemory.create(null, 4096);
   * console.log(segment.name.startsWith('psm_')); // true
   * segment.close(); segment.unlink();
   * ```
   * @throws {NativeError} `ERR_SHARED_INVALID_NAME`, `ERR_NATIVE_INVALID_SIZE`, `ERR_SHARED_EXISTS`,
   * `ERR_NATIVE_PERMISSION_DENIED`, `ERR_NATIVE_SYSTEM`, `ERR_NATIVE_UNSUPPORTED_PLATFORM`.
   */
  static create(name: string | null, size: number): SharedMemory {
    if (!Number.isSafeInteger(size) || size <= 0) {
      throw new NativeError('ERR_NATIVE_INVALID_SIZE', `SharedMemory.create: size must be a positive integer number of bytes; received ${String(size)}.`, {
        details: { operation: 'SharedMemory.create' },
      });
    }
    const posix = posixName(name === null || name === undefined ? `psm_${randomBytes(4).toString('hex')}` : name, 'SharedMemory.create');
    assertPosix('SharedMemory.create');
    const addon = loadAddon();
    const [memory, mapping] = nativeCall(
      `SharedMemory.create(${JSON.stringify(posix.slice(1))}, ${size})`,
      {
        ERR_SHARED_EXISTS: 'Choose another name, attach to the existing segment with SharedMemory.attach, or unlink it first.',
        ERR_NATIVE_PERMISSION_DENIED: 'Check the permissions of /dev/shm.',
      },
      () => addon.shmOpen(posix, true, size),
    );
    return new SharedMemory(constructKey, posix, memory, mapping);
  }

  /**
   * Opens an existing segment (created here or by Python) with its whole size.
   *
   * @example
   * ```ts no-run
   * // Python: shm = SharedMemory(create=True, size=1024); print(shm.name)
   * const segment = SharedMemory.attach('psm_1a2b3c4d');
   * ```
   * @throws {NativeError} `ERR_SHARED_INVALID_NAME`, `ERR_SHARED_NOT_FOUND`, `ERR_NATIVE_INVALID_SIZE` (a segment of size 0),
   * `ERR_NATIVE_PERMISSION_DENIED`, `ERR_NATIVE_SYSTEM`, `ERR_NATIVE_UNSUPPORTED_PLATFORM`.
   */
  static attach(name: string): SharedMemory {
    const posix = posixName(name, 'SharedMemory.attach');
    assertPosix('SharedMemory.attach');
    const addon = loadAddon();
    const [memory, mapping] = nativeCall(
      `SharedMemory.attach(${JSON.stringify(posix.slice(1))})`,
      { ERR_SHARED_NOT_FOUND: 'No segment has that name: check it (Python reports it in shm.name) and that its creator has not unlinked it.' },
      () => addon.shmOpen(posix, false, 0),
    );
    return new SharedMemory(constructKey, posix, memory, mapping);
  }

  /** The name as Python's `SharedMemory.name` reports it (no leading "/"). */
  get name(): string {
    return this.#posixName.slice(1);
  }
  /** The name passed to shm_open (with its leading "/"). */
  get posixName(): string {
    return this.#posixName;
  }
  /** Size in bytes. */
  get size(): number {
    return this.#size;
  }
  get closed(): boolean {
    return this.#memory === undefined;
  }
  /** Live exports of the segment. */
  get exports(): number {
    return this.#lock.exports;
  }

  [getbuffer](flags: number): BufferInfo {
    if (this.#memory === undefined) {
      throw new NativeError('ERR_BUFFER_RELEASED', `Cannot export the shared memory ${this.name}: it was closed. Attach it again.`, {
        details: { operation: 'getbuffer' },
      });
    }
    return exportBuffer(this, { buffer: this.#memory, byteOffset: 0, format: 'B', itemsize: 1, shape: [this.#size] }, flags, this.#lock);
  }

  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }

  /**
   * Unmaps the segment from this process (the segment itself lives on until unlinked). Closing
   * twice does nothing.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while an export is held.
   */
  close(): void {
    if (this.#memory === undefined) return;
    this.#lock.assertUnlocked('close');
    const memory = this.#memory;
    this.#memory = undefined;
    loadAddon().unmap(this.#mapping, memory);
  }

  /**
   * Removes the segment's name, as Python's `unlink()`: processes that have it mapped keep their
   * mapping; new `attach` calls fail. Call it once, from one process.
   *
   * @throws {NativeError} `ERR_SHARED_NOT_FOUND` when the name is already gone.
   */
  unlink(): void {
    nativeCall(`SharedMemory.unlink(${JSON.stringify(this.name)})`, { ERR_SHARED_NOT_FOUND: 'It was already unlinked (by this or another process).' }, () =>
      loadAddon().shmUnlink(this.#posixName),
    );
    this.#unlinked = true;
  }

  /** True once `unlink()` succeeded here. */
  get unlinked(): boolean {
    return this.#unlinked;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
