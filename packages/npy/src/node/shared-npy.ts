import { BufferFlags, formatItemsize, getBuffer, MAX_NDIM, releaseBuffer, translateErrors, type BufferInfo, type NumpyDescr } from '@interop/core';
import { NpyError } from '../errors/npy-error.js';
import { descrFromFormat, descrInfo } from '../internal/descr.js';
import { assertNpyArrayUnlocked, NpyArray, type NpyArrayInit } from '../npy-array.js';
import { parseNpyHeader, type NpyHeaderOptions } from '../npy-header.js';
import { initFromHeader } from '../read-npy.js';
import { encodeNpyHeader } from '../write-npy.js';
import { loadNativePeer, type NativeSharedFile } from './internal/native-peer.js';

/** Where shared arrays live: see `sharedDirectory()` of @interop/native. */
export interface SharedNpyLocation {
  /** An absolute path to an existing directory; default `/dev/shm` on Linux, the temporary directory elsewhere. */
  readonly directory?: string;
}

/** Options of `createSharedNpy`: the array's type and shape (exactly one of `format` and `dtype`). */
export interface CreateSharedNpyOptions extends SharedNpyLocation {
  readonly shape: readonly number[];
  /** The item type as a PEP 3118 format (`'f'`, `'<i8'`, `'T{<i:x:<d:y:}'`). */
  readonly format?: string;
  /** The item type as a NumPy dtype (`'<f4'`, `'<M8[ns]'`, a structured descr). */
  readonly dtype?: NumpyDescr;
  /** `'C'` row-major (default) or `'F'` column-major, written in the header as `fortran_order`. */
  readonly order?: 'C' | 'F';
  /**
   * Keep the file when this process exits. By default a shared array this process created and did
   * not unlink is unlinked when the process exits normally.
   */
  readonly persist?: boolean;
}

/** Options of `openSharedNpy`. */
export interface OpenSharedNpyOptions extends SharedNpyLocation, NpyHeaderOptions {
  /** Map read-only (exports refuse `WRITABLE`). Default false: writes are shared both ways. */
  readonly readonly?: boolean;
}

const constructKey: unique symbol = Symbol('SharedNpyArray');
const NATIVE_ERROR_BRAND = '@interop/native/NativeError';
const EXTENSION = '.npy';

/** Runs a call into @interop/native, turning its errors into NpyErrors (the NativeError as `cause`). */
function native<T>(operation: string, name: unknown, call: () => T): T {
  const subject = typeof name === 'string' ? JSON.stringify(name) : typeof name;
  return translateErrors(NpyError, call, { from: NATIVE_ERROR_BRAND, operation: `${operation}(${subject})`, fallback: 'ERR_SHARED_FAILED' });
}

/**
 * A NumPy array in a `.npy` file in shared memory: an `NpyArray` (an exporter with its export
 * lock) whose memory is mapped `MAP_SHARED`, so a NumPy process that opens the same file with
 * `np.load(path, mmap_mode='r+')` works on the same bytes. Made by `createSharedNpy` or
 * `openSharedNpy`.
 *
 * Lifetime: `close()` unmaps it from this process (refused while a view is held); `unlink()`
 * removes the file's name (refused while a view is held), after which the memory lives until the
 * last process unmaps it.
 *
 * @example
 * ```ts
 * import { MemoryView } from '@interop/core';
 * import { createSharedNpy } from '@interop/npy/node';
 * const shared = await createSharedNpy(`doc_shared_${process.pid}`, { format: 'f', shape: [2, 3] });
 * console.log(shared.path); // "/dev/shm/doc_shared_....npy": np.load(path, mmap_mode='r+') in Python
 * const view = MemoryView.from(shared);
 * view.set([1, 2], 7.5);
 * view.release();
 * shared.close();
 * shared.unlink();
 * ```
 */
export class SharedNpyArray extends NpyArray {
  /** The name given to `createSharedNpy` / `openSharedNpy`. */
  readonly name: string;
  /** The file's path: what Python passes to `np.load(path, mmap_mode='r+')`. */
  readonly path: string;
  readonly #file: NativeSharedFile;

  /** Use `createSharedNpy` or `openSharedNpy`. */
  constructor(key: typeof constructKey, init: NpyArrayInit, name: string, file: NativeSharedFile) {
    super(init);
    if (key !== constructKey) {
      throw new NpyError('ERR_INVALID_ARGUMENT', 'SharedNpyArray is made by createSharedNpy(name, options) or openSharedNpy(name), not with new.');
    }
    this.name = name;
    this.path = file.path;
    this.#file = file;
  }

  /** True once `unlink()` succeeded here. */
  get unlinked(): boolean {
    return this.#file.unlinked;
  }

  /**
   * Forces written pages out to the file (`msync`). Not needed for other processes to see writes
   * (they share the memory); useful only for a file on a disk.
   *
   * @throws {NpyError} `ERR_BUFFER_RELEASED` after `close()`; `ERR_SHARED_FAILED` when the system call fails.
   */
  flush(): void {
    if (this.closed)
      throw new NpyError('ERR_BUFFER_RELEASED', `Cannot flush the shared array ${this.name}: it was closed.`, { details: { operation: 'flush' } });
    native('flush', this.name, () => this.#file.flush());
  }

  /**
   * Removes the file's name, as Python's `SharedMemory.unlink()`: processes that have the array
   * mapped (this one too, until `close()`) keep their memory; new opens fail. Call it once, from
   * the process that owns the array.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while a view of the array is held.
   * @throws {NpyError} `ERR_SHARED_NOT_FOUND` when it was already unlinked (here or elsewhere).
   */
  unlink(): void {
    assertNpyArrayUnlocked(this, 'unlink');
    native('unlink', this.name, () => this.#file.unlink());
  }
}

function checkOptions(options: unknown, operation: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new NpyError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: options must be an object (or omitted); received ${options === null ? 'null' : typeof options}.`,
      { details: { operation } },
    );
  }
}

function resolveType(options: CreateSharedNpyOptions): { descr: NumpyDescr; shape: number[] } {
  const { format, dtype } = options;
  const given = options.shape as unknown;
  // Copied once, then validated: only the copy is used afterwards.
  const shape: unknown[] | null = Array.isArray(given) ? [...(given as unknown[])] : null;
  if (shape === null || shape.length > MAX_NDIM || !shape.every((extent) => Number.isSafeInteger(extent) && (extent as number) >= 0)) {
    throw new NpyError(
      'ERR_INVALID_ARGUMENT',
      `createSharedNpy: shape must be an array of at most ${MAX_NDIM} non-negative integers; received ${JSON.stringify(given)}.`,
    );
  }
  if ((format === undefined) === (dtype === undefined)) {
    throw new NpyError('ERR_INVALID_ARGUMENT', 'createSharedNpy: give exactly one of format (PEP 3118, e.g. "f") and dtype (NumPy, e.g. "<f4").');
  }
  if (dtype !== undefined) {
    descrInfo(dtype);
    return { descr: dtype, shape: shape as number[] };
  }
  if (typeof format !== 'string') throw new NpyError('ERR_INVALID_ARGUMENT', `createSharedNpy: format must be a string; received ${typeof format}.`);
  let itemsize: number;
  try {
    itemsize = formatItemsize(format);
  } catch (cause) {
    throw new NpyError('ERR_FORMAT_UNSUPPORTED', `createSharedNpy: ${JSON.stringify(format)} is not a valid PEP 3118 format (${(cause as Error).message}).`, {
      cause,
    });
  }
  const derived = descrFromFormat(format, itemsize);
  // A sub-array item ('(2,3)f') folds into the shape, as NumPy does.
  return { descr: derived.descr, shape: [...(shape as number[]), ...derived.extraShape] };
}

/** Where the file of `name` is, for @interop/native's shared-file functions. */
function location(directory: string | undefined): { extension: string; directory?: string } {
  return directory === undefined ? { extension: EXTENSION } : { extension: EXTENSION, directory };
}

/** Exports the file's mapping for the array's lifetime and builds the array over it (never a copy). */
function attach(
  operation: string,
  name: string,
  file: NativeSharedFile,
  readonly: boolean,
  options: NpyHeaderOptions,
  expectedDataOffset?: number,
): SharedNpyArray {
  let info: BufferInfo | null = null;
  const close = (): void => {
    if (info !== null) releaseBuffer(info);
    info = null;
    file.close();
  };
  try {
    info = getBuffer(file, readonly ? BufferFlags.SIMPLE : BufferFlags.SIMPLE | BufferFlags.WRITABLE);
    const bytes = new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
    // The header is read back from the mapping: what is shared is what was validated.
    const header = parseNpyHeader(bytes, options);
    if (expectedDataOffset !== undefined && header.dataOffset !== expectedDataOffset) {
      throw new NpyError(
        'ERR_SHARED_FAILED',
        `${operation}: the header of ${file.path} changed between writing and mapping it; another process wrote to the file.`,
        { details: { operation } },
      );
    }
    if (header.dataOffset % header.alignment !== 0) {
      throw new NpyError(
        'ERR_NPY_SHARED_MISALIGNED',
        `${operation}: the data of ${file.path} starts at byte ${header.dataOffset}, not a multiple of the ${header.alignment}-byte alignment of ${JSON.stringify(header.descr)}; it cannot be shared without a copy. Write it with np.lib.format.open_memmap (64-byte aligned) or copy it with loadNpy.`,
        { details: { operation, dataOffset: header.dataOffset, alignment: header.alignment } },
      );
    }
    const init = initFromHeader(bytes, header, { readonly, onClose: close });
    return new SharedNpyArray(constructKey, init, name, file);
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * Creates a zero-filled NumPy array in shared memory, as a `.npy` file named `name` in `/dev/shm`
 * (Linux) or the temporary directory (elsewhere), mapped `MAP_SHARED`, its header padded so the
 * data is 64-byte aligned. Python attaches with plain NumPy: `np.load(shared.path, mmap_mode='r+')`;
 * writes on either side are seen by the other, without a copy or a message.
 *
 * @example
 * ```ts
 * import { createSharedNpy } from '@interop/npy/node';
 * const shared = await createSharedNpy(`doc_create_${process.pid}`, { dtype: '<i2', shape: [3, 4], order: 'F' });
 * console.log(shared.fortranOrder, shared.strides); // true [2, 6]
 * shared.close();
 * shared.unlink();
 * ```
 * @throws {NpyError} `ERR_SHARED_INVALID_NAME` (a name, not a path: letters, digits, `_`, `-`, `.`),
 * `ERR_SHARED_EXISTS`, `ERR_INVALID_ARGUMENT` (shape, order, format and dtype together),
 * `ERR_FORMAT_UNSUPPORTED`, `ERR_NPY_BAD_DESCR`, `ERR_NPY_UNSUPPORTED_DTYPE`, `ERR_NPY_OBJECT_DTYPE`,
 * `ERR_NPY_SIZE_OVERFLOW`, `ERR_SHARED_FAILED` (no space in /dev/shm, permissions, another system
 * failure: the `NativeError` is the `cause`), `ERR_NPY_MMAP_UNAVAILABLE` (@interop/native missing).
 */
export async function createSharedNpy(name: string, options: CreateSharedNpyOptions): Promise<SharedNpyArray> {
  const operation = 'createSharedNpy';
  if (typeof options !== 'object' || options === null)
    throw new NpyError('ERR_INVALID_ARGUMENT', `${operation}: options with shape and format (or dtype) are required.`);
  const order = options.order ?? 'C';
  if (order !== 'C' && order !== 'F') throw new NpyError('ERR_INVALID_ARGUMENT', `${operation}: order must be 'C' or 'F'; received ${JSON.stringify(order)}.`);
  const { descr, shape } = resolveType(options);
  const { itemsize } = descrInfo(descr);
  let nbytes = itemsize;
  for (const extent of shape) nbytes *= extent;
  if (!Number.isSafeInteger(nbytes)) {
    throw new NpyError('ERR_NPY_SIZE_OVERFLOW', `${operation}: shape (${shape.join(', ')}) of ${itemsize}-byte items is more bytes than can be addressed.`);
  }
  const header = encodeNpyHeader(descr, shape, order === 'F' && shape.length > 1, undefined).bytes;
  const peer = await loadNativePeer(operation, ['createSharedFile', 'SharedFile']);
  let array: SharedNpyArray | undefined;
  // Built over the new mapping; @interop/native removes the file if that throws.
  const initialize = (file: NativeSharedFile): void => {
    array = attach(operation, name, file, false, {}, header.length);
  };
  const persist = options.persist === true ? { persist: true } : {};
  native(operation, name, () =>
    peer.createSharedFile(name, { ...location(options.directory), byteLength: header.length + nbytes, head: header, ...persist, initialize }),
  );
  if (array === undefined)
    throw new NpyError('ERR_SHARED_FAILED', `${operation}: the installed @interop/native did not run initialize; upgrade @interop/native.`);
  return array;
}

/**
 * Maps an existing shared `.npy` array: one made by `createSharedNpy` (in this or another process or
 * worker), or one Python made in the shared directory with
 * `np.lib.format.open_memmap('/dev/shm/<name>.npy', mode='w+', dtype=..., shape=...)`. The header is
 * parsed with the limits of `parseNpyHeader`; data that is not aligned for its dtype is refused
 * rather than copied.
 *
 * @example
 * ```ts
 * import { createSharedNpy, openSharedNpy } from '@interop/npy/node';
 * const name = `doc_open_${process.pid}`;
 * const mine = await createSharedNpy(name, { format: '<d', shape: [4] });
 * const theirs = await openSharedNpy(name);   // another worker, or Python: np.load(path, mmap_mode='r+')
 * console.log(theirs.dtype, theirs.shape); // "<f8" [4]
 * theirs.close();
 * mine.close();
 * mine.unlink();
 * ```
 * @throws {NpyError} `ERR_SHARED_INVALID_NAME`, `ERR_SHARED_NOT_FOUND`, `ERR_NPY_SHARED_MISALIGNED`,
 * every header code of `parseNpyHeader`, `ERR_NPY_DATA_TRUNCATED`, `ERR_SHARED_FAILED`,
 * `ERR_NPY_MMAP_UNAVAILABLE`.
 */
export async function openSharedNpy(name: string, options: OpenSharedNpyOptions = {}): Promise<SharedNpyArray> {
  const operation = 'openSharedNpy';
  checkOptions(options, operation);
  const readonly = options.readonly === true;
  const peer = await loadNativePeer(operation, ['openSharedFile', 'SharedFile']);
  const file = native(operation, name, () => peer.openSharedFile(name, { ...location(options.directory), mode: readonly ? 'r' : 'r+' }));
  return attach(operation, name, file, readonly, options.maxHeaderSize === undefined ? {} : { maxHeaderSize: options.maxHeaderSize });
}

/**
 * Removes the shared array `name` without opening it: the clean-up for an array whose creator
 * died without unlinking it (a process killed by a signal leaves its files in /dev/shm).
 *
 * @example
 * ```ts
 * import { createSharedNpy, unlinkSharedNpy } from '@interop/npy/node';
 * const name = `doc_unlink_${process.pid}`;
 * (await createSharedNpy(name, { format: 'B', shape: [1] })).close();
 * await unlinkSharedNpy(name);
 * ```
 * @throws {NpyError} `ERR_SHARED_INVALID_NAME`, `ERR_SHARED_NOT_FOUND`, `ERR_SHARED_FAILED`, `ERR_NPY_MMAP_UNAVAILABLE`.
 */
export async function unlinkSharedNpy(name: string, options: SharedNpyLocation = {}): Promise<void> {
  const operation = 'unlinkSharedNpy';
  checkOptions(options, operation);
  const peer = await loadNativePeer(operation, ['unlinkSharedFile']);
  native(operation, name, () => peer.unlinkSharedFile(name, location(options.directory)));
}
