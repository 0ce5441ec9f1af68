import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StreamError } from '../errors/stream-error.js';
import { AsyncStreamBase } from '../internal/async-stream-base.js';
import { describe, resolveSeek } from '../internal/checks.js';
import { SyncStreamBase } from '../internal/sync-stream-base.js';
import type { Whence } from '../stream-access.js';
import { forgetFileStream, watchFileStream } from './file-stream-leaks.js';

/**
 * How a file is opened, as Python's `open(path, mode + 'b')`: `r` read (default), `w` truncate or
 * create and write, `x` create (fails if it exists) and write, `a` append; `+` adds the other
 * access.
 */
export type FileMode = 'r' | 'r+' | 'w' | 'w+' | 'x' | 'x+' | 'a' | 'a+';

/** Options of `new FileStream` and `AsyncFileStream.open`. */
export interface FileStreamOptions {
  /** Access mode (default `"r"`). For a descriptor or handle it states what the descriptor allows. */
  readonly mode?: FileMode;
  /** Close a descriptor or handle passed in when the stream closes (default true, as Python's closefd). */
  readonly closeFd?: boolean;
}

interface ModeFacts {
  readonly flags: string;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
}

const modes: Readonly<Record<FileMode, ModeFacts>> = {
  r: { flags: 'r', readable: true, writable: false, append: false },
  'r+': { flags: 'r+', readable: true, writable: true, append: false },
  w: { flags: 'w', readable: false, writable: true, append: false },
  'w+': { flags: 'w+', readable: true, writable: true, append: false },
  x: { flags: 'wx', readable: false, writable: true, append: false },
  'x+': { flags: 'wx+', readable: true, writable: true, append: false },
  a: { flags: 'a', readable: false, writable: true, append: true },
  'a+': { flags: 'a+', readable: true, writable: true, append: true },
};

function modeFacts(mode: unknown, operation: string): ModeFacts {
  const facts = typeof mode === 'string' ? modes[mode as FileMode] : undefined;
  if (facts === undefined) {
    throw new StreamError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: mode must be one of ${Object.keys(modes).join(', ')} (binary is implied); received ${describe(mode)}.`,
      {
        details: { operation, argument: 'mode', value: mode },
      },
    );
  }
  return facts;
}

function ioError(error: unknown, operation: string, path: string | undefined): StreamError {
  const system = error as NodeJS.ErrnoException;
  const where = path === undefined ? '' : ` ${JSON.stringify(path)}`;
  return new StreamError('ERR_STREAM_IO', `${operation}${where} failed: ${system.message ?? String(error)}`, {
    cause: error,
    details: { operation, systemCode: system.code, errno: system.errno, syscall: system.syscall, path },
  });
}

function isSeekableFile(stats: Stats): boolean {
  return stats.isFile() || stats.isBlockDevice();
}

function pathOf(file: string | URL): string {
  return typeof file === 'string' ? file : decodeURIComponent(file.pathname);
}

/**
 * A raw file stream (Python's `io.FileIO`) over a path or an open descriptor, synchronous.
 *
 * `readInto` reads with one `fs.readSync` straight into the target's memory (the exporter's own
 * bytes, no intermediate buffer); like `FileIO.readinto` it may return fewer bytes than asked.
 * Reads and writes are positioned (`pread`/`pwrite`), so the stream's position is its own; in
 * append mode every write goes to the end. Pipes and character devices are not seekable.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { FileStream } from '@interop/stream/node';
 * const path = join(tmpdir(), `file-stream-${process.pid}.bin`);
 * const file = new FileStream(path, { mode: 'w+' });
 * file.write(new Uint8Array([1, 2, 3]));
 * file.seek(0);
 * const target = new Uint8Array(3);
 * console.log(file.readInto(target), target); // 3 Uint8Array(3) [ 1, 2, 3 ]
 * file.close();
 * ```
 * @throws {StreamError} `ERR_INVALID_ARGUMENT` for a bad mode or descriptor; `ERR_STREAM_IO` when the system refuses (details.systemCode: ENOENT, EACCES, EEXIST...).
 */
export class FileStream extends SyncStreamBase {
  readonly #fd: number;
  readonly #facts: ModeFacts;
  readonly #seekable: boolean;
  readonly #closeFd: boolean;
  readonly #path: string | undefined;
  #position = 0;
  #closed = false;
  /** Registration with the leak safety net while this stream owns its descriptor. */
  #watch: object | null = null;

  constructor(file: string | URL | number, options: FileStreamOptions = {}) {
    super();
    this.#facts = modeFacts(options.mode ?? 'r', 'new FileStream');
    if (typeof file === 'number') {
      if (!Number.isSafeInteger(file) || file < 0) {
        throw new StreamError('ERR_INVALID_ARGUMENT', `new FileStream: a file descriptor must be a non-negative integer; received ${describe(file)}.`, {
          details: { operation: 'new FileStream' },
        });
      }
      this.#fd = file;
      this.#closeFd = options.closeFd !== false;
      this.#path = undefined;
    } else {
      this.#path = pathOf(file);
      try {
        this.#fd = openSync(file, this.#facts.flags);
      } catch (error) {
        throw ioError(error, 'open', this.#path);
      }
      this.#closeFd = true;
    }
    let stats: Stats;
    try {
      stats = fstatSync(this.#fd);
    } catch (error) {
      if (this.#path !== undefined) closeSync(this.#fd);
      throw ioError(error, 'fstat', this.#path);
    }
    this.#seekable = isSeekableFile(stats);
    // Python's FileIO starts an append-mode stream at the end.
    if (this.#facts.append && this.#seekable) this.#position = stats.size;
    // A stream dropped without close() closes its descriptor when collected, with a warning.
    if (this.#closeFd) this.#watch = watchFileStream(this, this.#fd, this.#path);
  }

  get closed(): boolean {
    return this.#closed;
  }
  get readable(): boolean {
    return this.#facts.readable;
  }
  get writable(): boolean {
    return this.#facts.writable;
  }
  get seekable(): boolean {
    return this.#seekable;
  }

  /** The file descriptor (Python's `fileno()`). */
  get fd(): number {
    return this.#fd;
  }

  protected readBytes(bytes: Uint8Array): number {
    try {
      const count = readSync(this.#fd, bytes, 0, bytes.length, this.#seekable ? this.#position : null);
      this.#position += count;
      return count;
    } catch (error) {
      throw ioError(error, 'read', this.#path);
    }
  }

  protected writeBytes(bytes: Uint8Array): number {
    try {
      if (this.#facts.append && this.#seekable) this.#position = fstatSync(this.#fd).size;
      const count = writeSync(this.#fd, bytes, 0, bytes.length, this.#seekable ? this.#position : null);
      this.#position += count;
      return count;
    } catch (error) {
      throw ioError(error, 'write', this.#path);
    }
  }

  protected remainingHint(): number | undefined {
    if (!this.#seekable) return undefined;
    return Math.max(0, this.currentSize() - this.#position);
  }

  protected currentSize(): number {
    try {
      return fstatSync(this.#fd).size;
    } catch (error) {
      throw ioError(error, 'fstat', this.#path);
    }
  }

  protected currentPosition(): number {
    return this.#position;
  }

  protected seekTo(offset: number, whence: Whence): number {
    this.#position = resolveSeek(offset, whence, this.#position, () => this.currentSize(), undefined);
    return this.#position;
  }

  protected truncateTo(size: number): number {
    try {
      ftruncateSync(this.#fd, size);
    } catch (error) {
      throw ioError(error, 'truncate', this.#path);
    }
    return size;
  }

  protected closeResource(): void {
    this.#closed = true;
    if (this.#watch !== null) forgetFileStream(this.#watch);
    this.#watch = null;
    if (this.#closeFd) {
      try {
        closeSync(this.#fd);
      } catch (error) {
        throw ioError(error, 'close', this.#path);
      }
    }
  }
}

/**
 * The asynchronous twin of `FileStream` over `fs.promises` (a `FileHandle`): `readInto` reads
 * with one `FileHandle.read` straight into the target's memory, holding the target's export until
 * the read completes. Operations on one stream run in call order.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { AsyncFileStream } from '@interop/stream/node';
 * const file = await AsyncFileStream.open(join(tmpdir(), `async-file-${process.pid}.bin`), { mode: 'w+' });
 * await file.write(new Uint8Array([9, 8, 7]));
 * await file.seek(0);
 * console.log(await file.readAll()); // Uint8Array(3) [ 9, 8, 7 ]
 * await file.close();
 * ```
 */
export class AsyncFileStream extends AsyncStreamBase {
  readonly #handle: FileHandle;
  readonly #facts: ModeFacts;
  readonly #seekable: boolean;
  readonly #closeFd: boolean;
  readonly #path: string | undefined;
  #position: number;
  #closed = false;

  private constructor(handle: FileHandle, facts: ModeFacts, seekable: boolean, closeFd: boolean, path: string | undefined, position: number) {
    super();
    this.#handle = handle;
    this.#facts = facts;
    this.#seekable = seekable;
    this.#closeFd = closeFd;
    this.#path = path;
    this.#position = position;
  }

  /**
   * Opens `file` (a path, a `file:` URL or an open `FileHandle`).
   *
   * @throws {StreamError} `ERR_INVALID_ARGUMENT` for a bad mode; `ERR_STREAM_IO` when the system refuses.
   */
  static async open(file: string | URL | FileHandle, options: FileStreamOptions = {}): Promise<AsyncFileStream> {
    const facts = modeFacts(options.mode ?? 'r', 'AsyncFileStream.open');
    let handle: FileHandle;
    let path: string | undefined;
    let owned: boolean;
    if (typeof file === 'string' || file instanceof URL) {
      path = pathOf(file);
      try {
        handle = await open(file, facts.flags);
      } catch (error) {
        throw ioError(error, 'open', path);
      }
      owned = true;
    } else {
      handle = file;
      owned = options.closeFd !== false;
    }
    let stats: Stats;
    try {
      stats = await handle.stat();
    } catch (error) {
      if (path !== undefined) await handle.close();
      throw ioError(error, 'fstat', path);
    }
    const seekable = isSeekableFile(stats);
    return new AsyncFileStream(handle, facts, seekable, owned, path, facts.append && seekable ? stats.size : 0);
  }

  get closed(): boolean {
    return this.#closed;
  }
  get readable(): boolean {
    return this.#facts.readable;
  }
  get writable(): boolean {
    return this.#facts.writable;
  }
  get seekable(): boolean {
    return this.#seekable;
  }

  /** The underlying `FileHandle`. */
  get handle(): FileHandle {
    return this.#handle;
  }

  protected async readBytes(bytes: Uint8Array): Promise<number> {
    try {
      const { bytesRead } = await this.#handle.read(bytes, 0, bytes.length, this.#seekable ? this.#position : null);
      this.#position += bytesRead;
      return bytesRead;
    } catch (error) {
      throw ioError(error, 'read', this.#path);
    }
  }

  protected async writeBytes(bytes: Uint8Array): Promise<number> {
    try {
      if (this.#facts.append && this.#seekable) this.#position = (await this.#handle.stat()).size;
      const { bytesWritten } = await this.#handle.write(bytes, 0, bytes.length, this.#seekable ? this.#position : null);
      this.#position += bytesWritten;
      return bytesWritten;
    } catch (error) {
      throw ioError(error, 'write', this.#path);
    }
  }

  protected async remainingHint(): Promise<number | undefined> {
    if (!this.#seekable) return undefined;
    return Math.max(0, (await this.currentSize()) - this.#position);
  }

  protected async currentSize(): Promise<number> {
    try {
      return (await this.#handle.stat()).size;
    } catch (error) {
      throw ioError(error, 'fstat', this.#path);
    }
  }

  protected currentPosition(): number {
    return this.#position;
  }

  protected async seekTo(offset: number, whence: Whence): Promise<number> {
    const size = whence === 2 ? await this.currentSize() : 0;
    this.#position = resolveSeek(offset, whence, this.#position, () => size, undefined);
    return this.#position;
  }

  protected async truncateTo(size: number): Promise<number> {
    try {
      await this.#handle.truncate(size);
    } catch (error) {
      throw ioError(error, 'truncate', this.#path);
    }
    return size;
  }

  protected async closeResource(): Promise<void> {
    this.#closed = true;
    if (this.#closeFd) {
      try {
        await this.#handle.close();
      } catch (error) {
        throw ioError(error, 'close', this.#path);
      }
    }
  }
}
