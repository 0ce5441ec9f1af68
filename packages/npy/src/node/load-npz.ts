import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
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
 * @throws {NpyError} the codes of `readNpz`. File-system failures are Node's own errors (e.g. `ENOENT`).
 */
export async function loadNpz(path: string, options: ReadNpzOptions = {}): Promise<NpzFile> {
  await nativeAllocatorReady;
  const fd = openSync(path, 'r');
  let bytes: Uint8Array;
  try {
    bytes = readWholeFile(fd);
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
 * @throws {NpyError} the codes of `writeNpz`.
 */
export async function saveNpz(path: string, arrays: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>, options: WriteNpzOptions = {}): Promise<void> {
  await writeFile(path, writeNpz(arrays, options));
}
