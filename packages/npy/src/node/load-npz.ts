import { closeSync, fstatSync, openSync } from 'node:fs';
import { allocateBuffer, longOperation, type LongOperationOptions } from '@interop/core';
import { readFileInto, writeFileAtomic } from '@interop/core/node';
import { readNpz, writeNpz, type NpzFile, type ReadNpzOptions, type WriteNpzOptions } from '../npz.js';
import { nativeAllocatorReady } from './native-allocator.js';
import { readWholeFile } from './read-file.js';

/**
 * Opens a `.npz` file: reads it once into memory from `allocateBuffer` of `@interop/core`, and its central directory; members are decoded when
 * accessed. Member names are keys only, never used as paths.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * import { loadNpz, saveNpz } from '@interop/npy/node';
 * const path = join(tmpdir(), 'example-load.npz');
 * await saveNpz(path, { a: new Float32Array([1, 2]) });
 * console.log((await loadNpz(path)).keys); // ["a"]
 * ```
 * With `onProgress` or `signal`, the archive is read in 16 MiB chunks, reporting progress, and an
 * abort stops the load (`BufferError` `ERR_ABORTED`).
 * @throws {NpyError} the codes of `readNpz`. File-system failures are Node's own errors (e.g. `ENOENT`).
 */
export async function loadNpz(path: string, options: ReadNpzOptions & LongOperationOptions = {}): Promise<NpzFile> {
  await nativeAllocatorReady;
  const long = options.onProgress !== undefined || options.signal !== undefined;
  if (long) longOperation('loadNpz', options, undefined);
  const fd = openSync(path, 'r');
  let bytes: Uint8Array;
  try {
    if (long) {
      // The archive is read in 16 MiB chunks with progress reports and the signal checked.
      const size = fstatSync(fd).size;
      bytes = new Uint8Array(allocateBuffer(size));
      bytes = bytes.subarray(0, await readFileInto(path, bytes, { operation: 'loadNpz', signal: options.signal, onProgress: options.onProgress }));
    } else {
      bytes = readWholeFile(fd);
    }
  } finally {
    closeSync(fd);
  }
  return readNpz(bytes, options);
}

/**
 * Writes arrays to a `.npz` file (`compress: true` for `np.savez_compressed`).
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * import { saveNpz } from '@interop/npy/node';
 * await saveNpz(join(tmpdir(), 'example-save.npz'), { x: new Int32Array([1, 2, 3]) }, { compress: true });
 * ```
 * The archive is written to a temporary file renamed into place when complete: a failure or an
 * abort of `signal` leaves no half-written file. `onProgress` reports the bytes written.
 * @throws {NpyError} the codes of `writeNpz`. @throws {BufferError} `ERR_ABORTED`.
 */
export async function saveNpz(
  path: string,
  arrays: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>,
  options: WriteNpzOptions & LongOperationOptions = {},
): Promise<void> {
  longOperation('saveNpz', options, undefined);
  const bytes = writeNpz(arrays, options);
  await writeFileAtomic(path, [bytes], { operation: 'saveNpz', bytesTotal: bytes.length, signal: options.signal, onProgress: options.onProgress });
}
