import { BufferFlags, getBuffer, loadOptionalPeer, releaseBuffer, translateErrors, type Exporter } from '@interop/core';
import { toArrowTable, type ToArrowOptions } from '../arrow.js';
import { readArrowIPC } from '../arrow-ipc.js';
import { DataFrameView } from '../data-frame-view.js';
import type { PandasErrorCode } from '../errors/codes.js';
import { PandasError } from '../errors/pandas-error.js';
import { AlignedFileWriter } from '../internal/aligned-ipc-writer.js';

/** Where shared frames live: see `sharedDirectory()` of @interop/native. */
export interface SharedFrameLocation {
  /** An absolute path to an existing directory; default `/dev/shm` on Linux, the temporary directory elsewhere. */
  readonly directory?: string;
}

/** Options of `createSharedFrame`. */
export interface CreateSharedFrameOptions extends SharedFrameLocation, ToArrowOptions {
  /** Keep the file when this process exits (by default it is unlinked at a normal exit). */
  readonly persist?: boolean;
}

/** What this module uses of a `SharedFile` of @interop/native (typed here: the package is an optional peer). */
interface NativeSharedFile extends Exporter {
  readonly path: string;
  readonly byteLength: number;
  readonly unlinked: boolean;
  close(): void;
  unlink(): void;
}

interface SharedFileOptions {
  readonly extension?: string;
  readonly directory?: string;
}

interface NativePeer {
  createSharedFile(
    name: string,
    options: SharedFileOptions & { byteLength: number; persist?: boolean; initialize?: (file: NativeSharedFile) => void },
  ): NativeSharedFile;
  openSharedFile(name: string, options: SharedFileOptions & { mode?: 'r' | 'r+' }): NativeSharedFile;
  unlinkSharedFile(name: string, options: SharedFileOptions): void;
  sharedFilePath(name: string, options: SharedFileOptions): string;
  /** Present from the version whose shared files remove only their own file; a marker, not called. */
  SharedFile: unknown;
}

const NATIVE_ERROR_BRAND = '@interop/native/NativeError';
const EXTENSION = '.arrow';
const constructKey: unique symbol = Symbol('SharedFrame');
// A variable specifier keeps bundlers and the type checker from requiring the optional peer.
const specifier = '@interop/native';

function loadNative(operation: string, needs: readonly (keyof NativePeer)[]): Promise<NativePeer> {
  return loadOptionalPeer<NativePeer, PandasErrorCode>(() => import(specifier), {
    name: specifier,
    operation,
    needs,
    family: PandasError,
    code: 'ERR_PANDAS_ADAPTER_UNAVAILABLE',
  });
}

/** Runs a call into @interop/native, turning its errors into PandasErrors (the NativeError as `cause`). */
function native<T>(operation: string, name: unknown, call: () => T): T {
  const subject = typeof name === 'string' ? JSON.stringify(name) : typeof name;
  return translateErrors(PandasError, call, { from: NATIVE_ERROR_BRAND, operation: `${operation}(${subject})`, fallback: 'ERR_SHARED_FAILED' });
}

/** Where the file of `name` is, for @interop/native's shared-file functions. */
function location(directory: string | undefined): { extension: string; directory?: string } {
  return directory === undefined ? { extension: EXTENSION } : { extension: EXTENSION, directory };
}

function checkOptions(options: unknown, operation: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PandasError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: options must be an object (or omitted); received ${options === null ? 'null' : typeof options}.`,
      { details: { operation } },
    );
  }
}

/**
 * A data frame in shared memory: an uncompressed, single-batch Arrow IPC file (`name.arrow` in
 * `/dev/shm` on Linux) whose buffers start on 64-byte boundaries, and `frame`, a `DataFrameView`
 * over the mapped file (read-only, zero-copy except bool columns, which DataFrameView holds one
 * byte per row). pyarrow opens the same file zero-copy:
 * `pa.ipc.open_file(pa.memory_map(path)).read_all()`.
 *
 * The mapping stays valid while `frame` or any of its columns is reachable, then is unmapped by
 * the garbage collector; there is no `close()`, which could pull the memory from under a column.
 * `unlink()` removes the name (mappings stay valid).
 *
 * @example
 * ```ts
 * import { DataFrameView } from '@interop/pandas';
 * import { createSharedFrame } from '@interop/pandas/node';
 * const shared = await createSharedFrame(`doc_frame_${process.pid}`, DataFrameView.fromColumns({ x: Float64Array.of(1, 2) }));
 * console.log(shared.path); // Python: pa.ipc.open_file(pa.memory_map(path)).read_all()
 * console.log(shared.frame.column('x').toArray()); // [1, 2]
 * shared.unlink();
 * ```
 */
export class SharedFrame {
  /** The name given to `createSharedFrame` / `openSharedFrame`. */
  readonly name: string;
  /** The file's path: what Python passes to `pa.memory_map(path)`. */
  readonly path: string;
  /** Size of the Arrow IPC file in bytes. */
  readonly byteLength: number;
  /** The frame, read from the mapped file without copying its columns (bool columns excepted). */
  readonly frame: DataFrameView;
  readonly #file: NativeSharedFile;

  /** Use `createSharedFrame` or `openSharedFrame`. */
  constructor(key: typeof constructKey, name: string, file: NativeSharedFile, frame: DataFrameView) {
    if (key !== constructKey) {
      throw new PandasError('ERR_INVALID_ARGUMENT', 'SharedFrame is made by createSharedFrame(name, frame) or openSharedFrame(name), not with new.', {
        details: { operation: 'SharedFrame' },
      });
    }
    this.name = name;
    this.path = file.path;
    this.byteLength = file.byteLength;
    this.frame = frame;
    this.#file = file;
  }

  /** True once `unlink()` succeeded here. */
  get unlinked(): boolean {
    return this.#file.unlinked;
  }

  /**
   * Removes the file's name: every process that mapped it keeps its memory; new opens fail. A file
   * that replaced this one under the same name (after it was unlinked elsewhere) is never removed.
   *
   * @throws {PandasError} `ERR_SHARED_NOT_FOUND` when it was already unlinked.
   */
  unlink(): void {
    native('unlink', this.name, () => this.#file.unlink());
  }
}

/** Maps the file read-only and reads the frame over it; the mapping lives as long as the columns. */
function attach(operation: string, name: string, peer: NativePeer, directory: string | undefined): SharedFrame {
  const file = native(operation, name, () => peer.openSharedFile(name, { ...location(directory), mode: 'r' }));
  let bytes: Uint8Array;
  const info = getBuffer(file, BufferFlags.SIMPLE);
  try {
    bytes = new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
  } finally {
    // No export is kept: the columns' typed arrays keep the mapped ArrayBuffer (and so the
    // mapping) alive, and this module never closes the mapping, so nothing can detach it.
    releaseBuffer(info);
  }
  let frame: DataFrameView;
  try {
    frame = readArrowIPC(bytes, { source: file.path });
  } catch (error) {
    // Not an Arrow file (or a hostile one): nothing refers to the mapping yet.
    file.close();
    throw error;
  }
  return new SharedFrame(constructKey, name, file, frame);
}

/**
 * Writes `frame` into shared memory as an uncompressed, single-batch Arrow IPC file with 64-byte
 * aligned buffers (`name.arrow` in `/dev/shm` on Linux, the temporary directory elsewhere), and
 * returns it mapped, zero-copy. pyarrow opens it without copying:
 * `pa.ipc.open_file(pa.memory_map(path)).read_all()`. The frame's data is copied once, from its
 * columns straight into the shared pages.
 *
 * @example
 * ```ts
 * import { DataFrameView } from '@interop/pandas';
 * import { createSharedFrame } from '@interop/pandas/node';
 * const shared = await createSharedFrame(`doc_create_frame_${process.pid}`, DataFrameView.fromColumns({ id: Int32Array.of(1, 2, 3) }));
 * console.log(shared.byteLength % 64); // 0
 * shared.unlink();
 * ```
 * @throws {PandasError} `ERR_SHARED_INVALID_NAME` (a name, not a path), `ERR_SHARED_EXISTS`,
 * `ERR_SHARED_FAILED` (no space in /dev/shm, permissions; the NativeError is the `cause`),
 * `ERR_PANDAS_ADAPTER_UNAVAILABLE` (@interop/native missing), `ERR_INVALID_ARGUMENT`, and the codes of `toArrowTable`.
 */
export async function createSharedFrame(name: string, frame: DataFrameView, options: CreateSharedFrameOptions = {}): Promise<SharedFrame> {
  const operation = 'createSharedFrame';
  if (!(frame instanceof DataFrameView)) {
    throw new PandasError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: frame must be a DataFrameView (DataFrameView.fromColumns, readArrowIPC...); received ${frame === null ? 'null' : typeof frame}.`,
      {
        details: { operation },
      },
    );
  }
  checkOptions(options, operation);
  const peer = await loadNative(operation, ['createSharedFile', 'openSharedFile', 'sharedFilePath', 'SharedFile']);
  // The name is checked before the frame is serialized.
  native(operation, name, () => peer.sharedFilePath(name, location(options.directory)));
  const table = toArrowTable(frame, options);
  const writer = new AlignedFileWriter();
  writer.writeAll(table);
  let shared: SharedFrame | undefined;
  // The one copy, from the frame's memory straight into the shared pages; then the frame is read
  // back through a read-only mapping, as every other reader does. @interop/native removes the
  // file if any of it throws.
  const initialize = (file: NativeSharedFile): void => {
    const info = getBuffer(file, BufferFlags.SIMPLE | BufferFlags.WRITABLE);
    try {
      writer.copyTo(new Uint8Array(info.buffer, info.byteOffset, info.byteLength));
    } finally {
      releaseBuffer(info);
    }
    file.close();
    shared = attach(operation, name, peer, options.directory);
  };
  const persist = options.persist === true ? { persist: true } : {};
  native(operation, name, () => peer.createSharedFile(name, { ...location(options.directory), byteLength: writer.byteLength, ...persist, initialize }));
  if (shared === undefined)
    throw new PandasError('ERR_SHARED_FAILED', `${operation}: the installed @interop/native did not run initialize; upgrade @interop/native.`, {
      details: { operation },
    });
  return shared;
}

/**
 * Maps an existing shared frame, zero-copy: one made by `createSharedFrame`, or an Arrow IPC file
 * pyarrow wrote into the shared directory (`pa.ipc.new_file`; compressed files are read too, but
 * their columns are decompressed copies).
 *
 * @example
 * ```ts
 * import { DataFrameView } from '@interop/pandas';
 * import { createSharedFrame, openSharedFrame } from '@interop/pandas/node';
 * const name = `doc_open_frame_${process.pid}`;
 * const mine = await createSharedFrame(name, DataFrameView.fromColumns({ y: Float32Array.of(0.5) }));
 * const theirs = await openSharedFrame(name);
 * console.log(theirs.frame.column('y').toArray()); // [0.5]
 * mine.unlink();
 * ```
 * @throws {PandasError} `ERR_SHARED_INVALID_NAME`, `ERR_SHARED_NOT_FOUND`, `ERR_SHARED_FAILED`,
 * `ERR_PANDAS_ADAPTER_UNAVAILABLE`, and the codes of `readArrowIPC` (`ERR_PANDAS_IPC_INVALID`...).
 */
export async function openSharedFrame(name: string, options: SharedFrameLocation = {}): Promise<SharedFrame> {
  const operation = 'openSharedFrame';
  checkOptions(options, operation);
  const peer = await loadNative(operation, ['openSharedFile', 'SharedFile']);
  return attach(operation, name, peer, options.directory);
}

/**
 * Removes the shared frame `name` without opening it (the clean-up for a creator that died).
 *
 * @example
 * ```ts no-run
 * await unlinkSharedFrame('frame_left_by_a_crashed_process');
 * ```
 * @throws {PandasError} `ERR_SHARED_INVALID_NAME`, `ERR_SHARED_NOT_FOUND`, `ERR_SHARED_FAILED`, `ERR_PANDAS_ADAPTER_UNAVAILABLE`.
 */
export async function unlinkSharedFrame(name: string, options: SharedFrameLocation = {}): Promise<void> {
  const operation = 'unlinkSharedFrame';
  checkOptions(options, operation);
  const peer = await loadNative(operation, ['unlinkSharedFile']);
  native(operation, name, () => peer.unlinkSharedFile(name, location(options.directory)));
}
