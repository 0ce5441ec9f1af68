// How the Node entry of @interop/pandas reads and writes whole files: straight into memory from
// core's allocation seam (huge pages with @interop/native), in 16 MiB chunks when the caller asked
// for progress or cancellation, and all or nothing when writing.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { longOperation, type LongOperationOptions } from '@interop/core';
import { readFileInto, writeFileAtomic } from '@interop/core/node';
import { allocateBytes } from '../../internal/allocate.js';
import { PandasError } from '../../errors/pandas-error.js';

// Node refuses single reads over 2 GiB - 1.
const MAX_READ = 0x7fff0000;

function cannotOpen(operation: string, path: string, error: unknown): PandasError {
  return new PandasError('ERR_INVALID_ARGUMENT', `${operation}: cannot open ${path}: ${error instanceof Error ? error.message : String(error)}.`, {
    cause: error,
    details: { operation },
  });
}

/** The whole file, read once into seam memory (synchronously). A file that shrank is what it holds now. */
export function readFileBytesSync(path: string, operation: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw cannotOpen(operation, path, error);
  }
  try {
    // Every byte is read into (or zeroed, when the file shrank): no need to zero-fill first.
    const bytes = allocateBytes(fstatSync(fd).size, operation, { zeroFill: false });
    let done = 0;
    while (done < bytes.length) {
      const count = readSync(fd, bytes, done, Math.min(bytes.length - done, MAX_READ), done);
      if (count === 0) break;
      done += count;
    }
    if (done === bytes.length) return bytes;
    bytes.fill(0, done);
    return bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** The whole file, read into seam memory in 16 MiB chunks with progress reports and the signal checked. */
export async function readFileBytes(path: string, operation: string, options: LongOperationOptions = {}): Promise<Uint8Array> {
  longOperation(operation, options, undefined);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw cannotOpen(operation, path, error);
  }
  // Every byte is read into (or zeroed, when the file shrank); on failure the memory is dropped unseen.
  const bytes = allocateBytes(size, operation, { zeroFill: false });
  const filled = await readFileInto(path, bytes, { operation, signal: options.signal, onProgress: options.onProgress });
  if (filled === bytes.byteLength) return bytes;
  // A file that shrank while being read is read as what it holds now (the readers see a truncated file).
  bytes.fill(0, filled);
  return bytes.subarray(0, filled);
}

/** Writes `bytes` to `path` all or nothing (a temporary file renamed into place), with progress and the signal. */
export async function writeFileBytes(path: string, bytes: Uint8Array, operation: string, options: LongOperationOptions = {}): Promise<void> {
  await writeFileAtomic(path, [bytes], { operation, bytesTotal: bytes.length, signal: options.signal, onProgress: options.onProgress });
}
