import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { longOperation, type LongOperationOptions } from '../progress.js';

/** The size of one read or write of the chunked file helpers: progress and abort are checked per chunk. */
const CHUNK = 16 * 2 ** 20;

/** Options of `readFileInto`. */
export interface ReadFileIntoOptions extends LongOperationOptions {
  /** Where in the file to start reading (default 0). */
  readonly position?: number;
  /** The operation named in progress reports and errors (default "readFileInto"). */
  readonly operation?: string;
}

/**
 * Reads a file into memory the caller already holds (`target`), in 16 MiB chunks, reporting
 * progress and honouring an `AbortSignal` between chunks. Returns the number of bytes read: less
 * than `target.length` only when the file ends first. Loaders use it to read straight into their
 * final memory.
 *
 * @example
 * ```ts
 * import { writeFileSync, rmSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readFileInto } from '@interop/core/node';
 * const path = join(tmpdir(), `read-into-${process.pid}.bin`);
 * writeFileSync(path, new Uint8Array([1, 2, 3, 4]));
 * const target = new Uint8Array(3);
 * console.log(await readFileInto(path, target, { position: 1 }), target); // 3 Uint8Array(3) [2, 3, 4]
 * rmSync(path);
 * ```
 * @throws {BufferError} `ERR_ABORTED` when the signal aborts; `ERR_INVALID_ARGUMENT` for bad
 * options. File-system failures are Node's own errors (ENOENT, EACCES...).
 */
export async function readFileInto(path: string, target: Uint8Array, options: ReadFileIntoOptions = {}): Promise<number> {
  const operation = options.operation ?? 'readFileInto';
  const report = longOperation(operation, options, target.length);
  const start = options.position ?? 0;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    let done = 0;
    report(0);
    while (done < target.length) {
      const { bytesRead } = await handle.read(target, done, Math.min(CHUNK, target.length - done), start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
      report(done);
    }
    return done;
  } finally {
    await handle?.close();
  }
}

/** Options of `writeFileAtomic`. */
export interface WriteFileAtomicOptions extends LongOperationOptions {
  /** The total number of bytes the chunks hold, for progress reports (optional). */
  readonly bytesTotal?: number;
  /** Flush the data to the disk before the rename (`fsync`): survives a power cut, costs time. Default false. */
  readonly fsync?: boolean;
  /** The operation named in progress reports and errors (default "writeFileAtomic"). */
  readonly operation?: string;
}

/**
 * Writes `chunks` to `path` all or nothing: into a temporary file beside it, renamed over `path`
 * only once every byte is written. An error or an abort removes the temporary file and leaves any
 * earlier `path` untouched, so a reader never sees half a file. Progress is reported and the
 * signal checked for every 16 MiB written.
 *
 * @example
 * ```ts
 * import { readFileSync, rmSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeFileAtomic } from '@interop/core/node';
 * const path = join(tmpdir(), `atomic-${process.pid}.bin`);
 * await writeFileAtomic(path, [new Uint8Array([1, 2]), new Uint8Array([3])]);
 * console.log(readFileSync(path)); // <Buffer 01 02 03>
 * rmSync(path);
 * ```
 * @throws {BufferError} `ERR_ABORTED` when the signal aborts; `ERR_INVALID_ARGUMENT` for bad
 * options. File-system failures are Node's own errors; in every failure the temporary file is gone.
 */
export async function writeFileAtomic(
  path: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const operation = options.operation ?? 'writeFileAtomic';
  const report = longOperation(operation, options, options.bytesTotal);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let handle: FileHandle | undefined;
  let renamed = false;
  try {
    handle = await open(temporary, 'wx');
    let done = 0;
    report(0);
    for await (const chunk of chunks) {
      for (let offset = 0; offset < chunk.length;) {
        const length = Math.min(CHUNK, chunk.length - offset);
        let written = 0;
        while (written < length) written += (await handle.write(chunk, offset + written, length - written)).bytesWritten;
        offset += length;
        done += length;
        report(done);
      }
    }
    if (options.fsync === true) await handle.sync();
    await handle.close();
    handle = undefined;
    report(done);
    await rename(temporary, path);
    renamed = true;
  } finally {
    await handle?.close().catch(() => undefined);
    if (!renamed) await rm(temporary, { force: true });
  }
}
