// Node-only helpers of @interop/pandas, published as "@interop/pandas/node".
// Importing it registers @interop/native's huge-page allocator when that optional peer is
// installed (INTEROP_ALLOCATOR=default opts out), as the Node entries of npy and stream do, and
// installs its LZ4 / ZSTD decoders (the system's liblz4 and libzstd, decompressing straight into
// memory from the allocation seam; useNativeCodecs(false) switches them off with the others).
import { installNativeAllocatorIfPresent, longOperation, type LongOperationOptions } from '@interop/core';
import { writeFileSync } from 'node:fs';
import { readArrowIPC, type ReadArrowIPCOptions, writeArrowIPC, type WriteArrowIPCOptions } from '../arrow-ipc.js';
import type { DataFrameView } from '../data-frame-view.js';
import { installSystemCodecs } from '../internal/system-codecs.js';
import { readFileBytes, readFileBytesSync, writeFileBytes } from './internal/file-bytes.js';

// A variable specifier keeps bundlers and the type checker from requiring the optional peer.
const nativeSpecifier = '@interop/native';
const nativeModule: unknown = await import(nativeSpecifier).catch(() => null);
/** True when the huge-page allocator of @interop/native is in force after this entry was imported. */
export const nativeAllocatorInstalled: boolean = await installNativeAllocatorIfPresent(() => Promise.resolve(nativeModule));
installSystemCodecs(nativeModule);

export { createSharedFrame, openSharedFrame, SharedFrame, unlinkSharedFrame, type CreateSharedFrameOptions, type SharedFrameLocation } from './shared-frame.js';

/**
 * Reads a Feather v2 / Arrow IPC file (or stream) from disk, straight into memory from core's
 * allocation seam (huge pages where @interop/native is installed); errors name the path.
 * `loadFeather` is the asynchronous twin with progress reports and cancellation.
 *
 * @example
 * ```ts no-run
 * import { readFeather } from '@interop/pandas/node';
 * const frame = readFeather('data.feather'); // written by pandas' df.to_feather
 * ```
 * @throws {PandasError} every code of `readArrowIPC`.
 */
export function readFeather(path: string, options: Omit<ReadArrowIPCOptions, 'source'> = {}): DataFrameView {
  return readArrowIPC(readFileBytesSync(path, 'readFeather'), { ...options, source: path });
}

/**
 * Reads a Feather v2 / Arrow IPC file from disk as `readFeather` does, asynchronously: the file is
 * read in 16 MiB chunks, `onProgress` reports the bytes read and `signal` aborts the read.
 *
 * @example
 * ```ts
 * import { rmSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { DataFrameView } from '@interop/pandas';
 * import { loadFeather, saveFeather } from '@interop/pandas/node';
 * const path = join(tmpdir(), `interop-example-${process.pid}.feather`);
 * await saveFeather(path, DataFrameView.fromColumns({ a: [1, 2] }), { compression: 'lz4' });
 * const frame = await loadFeather(path, { onProgress: (p) => console.log(p.bytesDone, '/', p.bytesTotal) });
 * console.log(frame.column('a').toArray()); // [1, 2]
 * rmSync(path);
 * ```
 * @throws {PandasError} every code of `readArrowIPC`; `ERR_INVALID_ARGUMENT` for a file
 * that cannot be opened. @throws {BufferError} `ERR_ABORTED`.
 */
export async function loadFeather(path: string, options: Omit<ReadArrowIPCOptions, 'source'> & LongOperationOptions = {}): Promise<DataFrameView> {
  const bytes = await readFileBytes(path, 'loadFeather', options);
  return readArrowIPC(bytes, { ...options, source: path });
}

/**
 * Writes a frame as a Feather v2 file as `writeFeather` does, asynchronously and all or nothing:
 * into a temporary file renamed into place when complete, so an abort of `signal` or a failure
 * leaves no half-written file and any earlier file untouched; `onProgress` reports the bytes written.
 *
 * @example
 * ```ts no-run
 * import { saveFeather } from '@interop/pandas/node';
 * await saveFeather('out.feather', frame, { compression: 'zstd', signal: AbortSignal.timeout(60_000) });
 * ```
 * @throws {PandasError} every code of `writeArrowIPC`. @throws {BufferError} `ERR_ABORTED`.
 */
export async function saveFeather(
  path: string,
  frame: DataFrameView,
  options: Omit<WriteArrowIPCOptions, 'format'> & LongOperationOptions = {},
): Promise<void> {
  longOperation('saveFeather', options, undefined);
  await writeFileBytes(path, writeArrowIPC(frame, { ...options, format: 'file' }), 'saveFeather', options);
}

/**
 * Writes a frame as a Feather v2 file (`pd.read_feather` reads it), optionally LZ4-compressed.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { DataFrameView } from '@interop/pandas';
 * import { readFeather, writeFeather } from '@interop/pandas/node';
 * const path = join(tmpdir(), 'interop-example.feather');
 * writeFeather(path, DataFrameView.fromColumns({ a: [1, 2] }), { compression: 'lz4' });
 * console.log(readFeather(path).column('a').toArray()); // [1, 2]
 * ```
 * @throws {PandasError} every code of `writeArrowIPC`.
 */
export function writeFeather(path: string, frame: DataFrameView, options: Omit<WriteArrowIPCOptions, 'format'> = {}): void {
  writeFileSync(path, writeArrowIPC(frame, { ...options, format: 'file' }));
}

export {
  loadParquet,
  loadParquetBatches,
  loadParquetDataset,
  loadParquetDatasetBatches,
  saveParquet,
  saveParquetDataset,
  type LoadParquetDatasetOptions,
  type SaveParquetDatasetOptions,
} from './parquet.js';
