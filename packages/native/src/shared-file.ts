import { type Stats, closeSync, fstatSync, ftruncateSync, lstatSync, openSync, statfsSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { NativeError } from './errors/native-error.js';
import type { NativeErrorCode } from './errors/codes.js';
import { assertPosix } from './internal/native-call.js';
import { MappedFile, mappedFileKey, mapMemory } from './map-file.js';

/** Where and under which extension a shared file lives. */
export interface SharedFileOptions {
  /**
   * Appended to the name unless the name already ends with it (as `np.save` adds `.npy`):
   * `'.npy'`, `'.arrow'`. A dot and 1-16 letters or digits; default none.
   */
  readonly extension?: string;
  /** An absolute path to an existing directory; default `sharedDirectory()`. */
  readonly directory?: string;
}

/** Options of `createSharedFile`. */
export interface CreateSharedFileOptions extends SharedFileOptions {
  /** Size of the file in bytes (zero-filled, then `head` written at its start). */
  readonly byteLength: number;
  /** Bytes written at the start of the file before it is mapped (a header). */
  readonly head?: Uint8Array;
  /**
   * Keep the file when this process exits. By default a file this process created and did not
   * unlink is unlinked when the process exits normally (`process.on('exit')`), as Python's
   * resource tracker does for the shared memory a process created.
   */
  readonly persist?: boolean;
  /**
   * Runs on the new mapping before `createSharedFile` returns (to write a header, copy data in,
   * build an object over the memory). If it throws, the mapping is closed, the file removed, and
   * its error thrown: a failed create leaves nothing behind.
   */
  readonly initialize?: (file: SharedFile) => void;
}

/** Options of `openSharedFile`. */
export interface OpenSharedFileOptions extends SharedFileOptions {
  /** `'r+'` (default): writes are shared with every process; `'r'`: read-only. */
  readonly mode?: 'r' | 'r+';
}

// The longest name: NAME_MAX (255) less the longest extension, so every file name fits.
const MAX_NAME = 200;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const EXTENSION = /^\.[A-Za-z0-9]{1,16}$/;

let directoryCache: string | undefined;

/**
 * The directory shared files live in: `/dev/shm` on Linux (memory, visible to every process as a
 * file NumPy and pyarrow can open), the operating system's temporary directory elsewhere (a file
 * shared through the page cache).
 *
 * @example
 * ```ts
 * import { sharedDirectory } from '@interop/native';
 * console.log(sharedDirectory()); // "/dev/shm" on Linux
 * ```
 */
export function sharedDirectory(): string {
  if (directoryCache !== undefined) return directoryCache;
  let directory = tmpdir();
  if (process.platform === 'linux') {
    try {
      if (statSync('/dev/shm').isDirectory()) directory = '/dev/shm';
    } catch {
      // No /dev/shm (some containers): the temporary directory is still a shared file.
    }
  }
  directoryCache = directory;
  return directory;
}

function invalidName(name: unknown, operation: string, why: string): NativeError {
  return new NativeError(
    'ERR_SHARED_INVALID_NAME',
    `${operation}: the shared file name ${typeof name === 'string' ? JSON.stringify(name) : typeof name} ${why}. Use 1-${MAX_NAME} letters, digits, "_", "-" or "." starting with a letter, digit or "_" (no "/", no "..": a name, not a path).`,
    { details: { operation } },
  );
}

function resolve(name: unknown, options: SharedFileOptions, operation: string): string {
  if (typeof name !== 'string') throw invalidName(name, operation, 'is not a string');
  if (name.length === 0 || name.length > MAX_NAME) throw invalidName(name, operation, `has ${name.length} characters`);
  if (!NAME.test(name)) throw invalidName(name, operation, 'has a character outside the allowed set');
  if (typeof options !== 'object' || options === null) {
    throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: options must be an object; received ${options === null ? 'null' : typeof options}.`, {
      details: { operation },
    });
  }
  const extension = options.extension ?? '';
  if (typeof extension !== 'string' || (extension !== '' && !EXTENSION.test(extension))) {
    throw new NativeError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: extension must be "" or a dot and 1-16 letters or digits (".npy"); received ${JSON.stringify(extension)}.`,
      {
        details: { operation },
      },
    );
  }
  const directory = options.directory ?? sharedDirectory();
  if (typeof directory !== 'string' || !isAbsolute(directory) || directory.includes('\0')) {
    throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: directory must be an absolute path; received ${JSON.stringify(directory)}.`, {
      details: { operation },
    });
  }
  const file = extension !== '' && name.endsWith(extension) ? name : name + extension;
  return join(directory, file);
}

/**
 * The path of the shared file `name` (validated: a name, never a path; see `SharedFileOptions`).
 * Python opens the same file with this path.
 *
 * @example
 * ```ts
 * import { sharedFilePath } from '@interop/native';
 * console.log(sharedFilePath('frames', { extension: '.npy' })); // "/dev/shm/frames.npy" on Linux
 * ```
 * @throws {NativeError} `ERR_SHARED_INVALID_NAME`, `ERR_INVALID_ARGUMENT` (extension, directory).
 */
export function sharedFilePath(name: string, options: SharedFileOptions = {}): string {
  return resolve(name, options, 'sharedFilePath');
}

interface Identity {
  readonly dev: number;
  readonly ino: number;
}

const identityOf = (status: Stats): Identity => ({ dev: status.dev, ino: status.ino });

// Files created here and not yet unlinked: unlinked at exit unless created with persist.
const owned = new Map<string, Identity>();
let exitHookInstalled = false;

function own(path: string, identity: Identity): void {
  owned.set(path, identity);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', unlinkOwnedAtExit);
  }
}

/** Removes `path` only while it is still the file `identity` names (another process may have replaced the name since); true when removed. */
function removeIfSame(path: string, identity: Identity): boolean {
  try {
    const status = lstatSync(path);
    if (status.dev !== identity.dev || status.ino !== identity.ino) return false;
    unlinkSync(path);
    owned.delete(path);
    return true;
  } catch {
    // Already gone.
    return false;
  }
}

function unlinkOwnedAtExit(): void {
  for (const [path, identity] of owned) removeIfSame(path, identity);
  owned.clear();
}

function fileKind(status: Stats): string {
  if (status.isFile()) return 'file';
  if (status.isSymbolicLink()) return 'symbolic link';
  if (status.isDirectory()) return 'directory';
  if (status.isFIFO()) return 'FIFO (named pipe)';
  if (status.isSocket()) return 'socket';
  return 'device';
}

function fsError(error: unknown, operation: string, path: string, advice: Partial<Record<NativeErrorCode, string>> = {}): NativeError {
  const raw = error as { code?: unknown; errno?: unknown; message?: unknown; syscall?: unknown };
  const errno = typeof raw.code === 'string' ? raw.code : '';
  const code: NativeErrorCode =
    errno === 'EEXIST'
      ? 'ERR_SHARED_EXISTS'
      : errno === 'ENOENT'
        ? 'ERR_SHARED_NOT_FOUND'
        : errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS'
          ? 'ERR_NATIVE_PERMISSION_DENIED'
          : errno === 'ENOSPC'
            ? 'ERR_NATIVE_NO_SPACE'
            : 'ERR_NATIVE_SYSTEM';
  const hint = advice[code];
  return new NativeError(
    code,
    `${operation}(${JSON.stringify(path)}): ${typeof raw.message === 'string' ? raw.message : String(error)}.${hint === undefined ? '' : ` ${hint}`}`,
    {
      cause: error,
      details: {
        operation,
        path,
        ...(typeof raw.errno === 'number' ? { errno: raw.errno } : {}),
        ...(typeof raw.syscall === 'string' ? { syscall: raw.syscall } : {}),
      },
    },
  );
}

const sharedFileKey: unique symbol = Symbol('SharedFile');

/**
 * A shared file as `createSharedFile` and `openSharedFile` return it: a `MappedFile` that also
 * knows the file it mapped (device and inode), so that its `unlink()` removes that file and never
 * a newer one that took the name after it was unlinked elsewhere.
 *
 * @example
 * ```ts
 * import { createSharedFile } from '@interop/native';
 * const file = createSharedFile(`example_shared_${process.pid}`, { byteLength: 64 });
 * file.close();
 * file.unlink();
 * console.log(file.unlinked); // true
 * ```
 */
export class SharedFile extends MappedFile {
  /** The name given to `createSharedFile` / `openSharedFile`. */
  readonly name: string;
  readonly #identity: Identity;
  #unlinked = false;

  /** Use `createSharedFile` or `openSharedFile`; the constructor is not for direct use. */
  constructor(key: typeof sharedFileKey, name: string, path: string, mode: 'r' | 'r+', identity: Identity, [memory, mapping]: [ArrayBuffer, object]) {
    if (key !== sharedFileKey) {
      throw new NativeError('ERR_INVALID_ARGUMENT', 'SharedFile is created by createSharedFile(name, options) or openSharedFile(name), not with new.', {
        details: { operation: 'SharedFile' },
      });
    }
    super(mappedFileKey, path, mode, memory, mapping);
    this.name = name;
    this.#identity = identity;
  }

  /** True once `unlink()` succeeded here. */
  get unlinked(): boolean {
    return this.#unlinked;
  }

  /**
   * Removes the file's name, as `unlinkSharedFile`, but only while the name still belongs to the
   * file this object mapped: mappings (this one too, until `close()`) keep their memory; new opens
   * fail. Allowed after `close()`.
   *
   * @throws {NativeError} `ERR_SHARED_NOT_FOUND` when the file was already unlinked (by this object,
   * by name, or by another process), also when the name now belongs to another file;
   * `ERR_NATIVE_PERMISSION_DENIED`, `ERR_NATIVE_SYSTEM`.
   */
  unlink(): void {
    const operation = 'SharedFile.unlink';
    const details = { operation, path: this.path };
    if (this.#unlinked) throw new NativeError('ERR_SHARED_NOT_FOUND', `${operation}: ${this.path} was already unlinked by this object.`, { details });
    let status: Stats;
    try {
      status = lstatSync(this.path);
    } catch (error) {
      throw fsError(error, operation, this.path, { ERR_SHARED_NOT_FOUND: 'It was already unlinked (by name, or by another process).' });
    }
    if (status.dev !== this.#identity.dev || status.ino !== this.#identity.ino) {
      throw new NativeError(
        'ERR_SHARED_NOT_FOUND',
        `${operation}: the file this object mapped was already removed, and ${this.path} is now another file (made after it was unlinked elsewhere); it is not this object's to remove. Remove it by name (unlinkSharedFile) if that is what you mean.`,
        { details },
      );
    }
    try {
      unlinkSync(this.path);
    } catch (error) {
      throw fsError(error, operation, this.path, { ERR_SHARED_NOT_FOUND: 'It was already unlinked (by name, or by another process).' });
    }
    owned.delete(this.path);
    this.#unlinked = true;
  }
}

/**
 * Creates the shared file `name` (exclusively: an existing name is refused), `byteLength` bytes,
 * zero-filled, with `head` written at its start, and maps it read-write and shared (`MAP_SHARED`):
 * every process that maps the same file sees the same memory. The result is a `SharedFile` (a
 * `MappedFile`, mode `'r+'`): `close()` unmaps it (refused while exported); its `unlink()` (or
 * `unlinkSharedFile(name)`) removes the name. `initialize` runs on the new mapping; if it throws,
 * the file is removed.
 *
 * @example
 * ```ts
 * import { createSharedFile, unlinkSharedFile } from '@interop/native';
 * const name = `example_${process.pid}`;
 * const file = createSharedFile(name, { byteLength: 4096, extension: '.bin' });
 * console.log(file.path, file.byteLength); // "/dev/shm/example_....bin" 4096
 * file.close();
 * unlinkSharedFile(name, { extension: '.bin' });
 * ```
 * @throws {NativeError} `ERR_SHARED_INVALID_NAME`, `ERR_INVALID_ARGUMENT`, `ERR_NATIVE_INVALID_SIZE`,
 * `ERR_SHARED_EXISTS`, `ERR_NATIVE_NO_SPACE` (the shared directory has less free space
 * than `byteLength`), `ERR_NATIVE_PERMISSION_DENIED`, `ERR_NATIVE_SYSTEM`, `ERR_NATIVE_UNSUPPORTED_PLATFORM`,
 * and whatever `initialize` throws.
 */
export function createSharedFile(name: string, options: CreateSharedFileOptions): SharedFile {
  const operation = 'createSharedFile';
  const path = resolve(name, options, operation);
  const { byteLength, head, initialize } = options;
  if (!Number.isSafeInteger(byteLength) || byteLength <= 0) {
    throw new NativeError('ERR_NATIVE_INVALID_SIZE', `${operation}: byteLength must be a positive integer number of bytes; received ${String(byteLength)}.`, {
      details: { operation },
    });
  }
  if (head !== undefined && (!(head instanceof Uint8Array) || head.length > byteLength)) {
    throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: head must be a Uint8Array of at most byteLength (${byteLength}) bytes.`, {
      details: { operation },
    });
  }
  if (initialize !== undefined && typeof initialize !== 'function') {
    throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: initialize must be a function (file) => void; received ${typeof initialize}.`, {
      details: { operation },
    });
  }
  assertPosix(operation);
  const directory = options.directory ?? sharedDirectory();
  // A file in /dev/shm is sparse: writing to a page that memory cannot hold kills the writer with
  // SIGBUS. Refuse up front what cannot fit now (a check, not a reservation).
  let available: number | undefined;
  try {
    const space = statfsSync(directory);
    available = space.bavail * space.bsize;
  } catch (error) {
    throw fsError(error, operation, directory, { ERR_SHARED_NOT_FOUND: 'The directory does not exist.' });
  }
  if (available < byteLength) {
    throw new NativeError(
      'ERR_NATIVE_NO_SPACE',
      `${operation}: ${directory} has ${available} bytes free, less than the ${byteLength} asked. Free memory (or space), or choose a smaller array or another directory.`,
      {
        details: { operation, path, available, byteLength },
      },
    );
  }
  let fd: number;
  try {
    // O_CREAT | O_EXCL: never opens (or follows a symlink to) a file someone else put there.
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    throw fsError(error, operation, path, {
      ERR_SHARED_EXISTS: 'Choose another name, open the existing one, or unlink it first (a process that died without unlinking leaves its files).',
      ERR_SHARED_NOT_FOUND: 'The directory does not exist.',
    });
  }
  let identity: Identity | undefined;
  try {
    identity = identityOf(fstatSync(fd));
    ftruncateSync(fd, byteLength);
    if (head !== undefined && head.length > 0) {
      let done = 0;
      while (done < head.length) done += writeSync(fd, head, done, head.length - done, done);
    }
  } catch (error) {
    closeSync(fd);
    if (identity !== undefined) removeIfSame(path, identity);
    throw fsError(error, operation, path);
  }
  closeSync(fd);
  let file: SharedFile;
  try {
    file = new SharedFile(sharedFileKey, name, path, 'r+', identity, mapMemory(path, 'r+', true));
  } catch (error) {
    removeIfSame(path, identity);
    throw error;
  }
  if (options.persist !== true) own(path, identity);
  if (initialize !== undefined) {
    try {
      initialize(file);
    } catch (error) {
      try {
        file.close();
      } catch {
        // An export the initializer left open: the pages go when the object is collected.
      }
      removeIfSame(path, identity);
      throw error;
    }
  }
  return file;
}

/**
 * Maps the existing shared file `name` (created by `createSharedFile`, or by Python in the shared
 * directory), read-write and shared by default. Symbolic links are refused.
 *
 * @example
 * ```ts
 * import { createSharedFile, openSharedFile, unlinkSharedFile } from '@interop/native';
 * const name = `example_open_${process.pid}`;
 * createSharedFile(name, { byteLength: 8 }).close();
 * const again = openSharedFile(name);
 * console.log(again.byteLength); // 8
 * again.close();
 * unlinkSharedFile(name);
 * ```
 * @throws {NativeError} `ERR_SHARED_INVALID_NAME`, `ERR_INVALID_ARGUMENT`, `ERR_NATIVE_INVALID_MODE`,
 * `ERR_SHARED_NOT_FOUND`, `ERR_NATIVE_NOT_A_FILE`, `ERR_NATIVE_EMPTY_FILE`,
 * `ERR_NATIVE_PERMISSION_DENIED`, `ERR_NATIVE_SYSTEM`, `ERR_NATIVE_UNSUPPORTED_PLATFORM`.
 */
export function openSharedFile(name: string, options: OpenSharedFileOptions = {}): SharedFile {
  const operation = 'openSharedFile';
  const path = resolve(name, options, operation);
  const mode = options.mode ?? 'r+';
  if (mode !== 'r' && mode !== 'r+') {
    throw new NativeError('ERR_NATIVE_INVALID_MODE', `${operation}: mode must be "r+" (shared writes) or "r" (read-only); received ${JSON.stringify(mode)}.`, {
      details: { operation },
    });
  }
  assertPosix(operation);
  let status: Stats;
  try {
    status = lstatSync(path);
  } catch (error) {
    throw fsError(error, operation, path, { ERR_SHARED_NOT_FOUND: 'Check the name, and that its creator has created it and not yet unlinked it.' });
  }
  // Checked before open(2): opening a FIFO read-only blocks the whole thread until a writer comes.
  const kind = fileKind(status);
  if (kind !== 'file') {
    throw new NativeError(
      'ERR_NATIVE_NOT_A_FILE',
      `${operation}: ${path} is a ${kind}; shared files are regular files in the shared directory. Choose another name.`,
      {
        details: { operation, path, kind },
      },
    );
  }
  try {
    // The identity is the file checked above: were the name replaced before the mapping, unlink()
    // would refuse to remove the newcomer rather than remove a file that is not this one.
    return new SharedFile(sharedFileKey, name, path, mode, identityOf(status), mapMemory(path, mode, true));
  } catch (error) {
    if (NativeError.isInstance(error) && error.code === 'ERR_NATIVE_FILE_NOT_FOUND') {
      throw new NativeError('ERR_SHARED_NOT_FOUND', `${operation}: ${path} was removed while it was being opened.`, {
        cause: error,
        details: { operation, path },
      });
    }
    throw error;
  }
}

/**
 * Removes the name of the shared file `name`, as Python's `SharedMemory.unlink()`: processes that
 * have it mapped keep their memory until they unmap it; new opens fail; the memory is freed when
 * the last mapping goes. Call it once, from the process that owns the name.
 *
 * @example
 * ```ts
 * import { createSharedFile, unlinkSharedFile } from '@interop/native';
 * const name = `example_unlink_${process.pid}`;
 * createSharedFile(name, { byteLength: 8 }).close();
 * unlinkSharedFile(name);
 * ```
 * @throws {NativeError} `ERR_SHARED_INVALID_NAME`, `ERR_INVALID_ARGUMENT`, `ERR_SHARED_NOT_FOUND`,
 * `ERR_NATIVE_PERMISSION_DENIED`, `ERR_NATIVE_SYSTEM`.
 */
export function unlinkSharedFile(name: string, options: SharedFileOptions = {}): void {
  const operation = 'unlinkSharedFile';
  const path = resolve(name, options, operation);
  try {
    unlinkSync(path);
  } catch (error) {
    throw fsError(error, operation, path, { ERR_SHARED_NOT_FOUND: 'It was already unlinked (by this or another process).' });
  }
  owned.delete(path);
}
