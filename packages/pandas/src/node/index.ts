// Node-only helpers of @interop/pandas, published as "@interop/pandas/node".
// Importing it registers @interop/native's huge-page allocator when that optional peer is
// installed (INTEROP_ALLOCATOR=default opts out), as the Node entries of npy and stream do.
import { installNativeAllocatorIfPresent } from '@interop/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { readArrowIPC, type ReadArrowIPCOptions, writeArrowIPC, type WriteArrowIPCOptions } from '../arrow-ipc.js';
import type { DataFrameView } from '../data-frame-view.js';

// A variable specifier keeps bundlers and the type checker from requiring the optional peer.
const nativeSpecifier = '@interop/native';
/** True when the huge-page allocator of @interop/native is in force after this entry was imported. */
export const nativeAllocatorInstalled: boolean = await installNativeAllocatorIfPresent(() => import(nativeSpecifier));

export {
  createSharedFrame,
  openSharedFrame,
  SharedFrame,
  unlinkSharedFrame,
  type CreateSharedFrameOptions,
  type SharedFrameLocation,
} from './shared-frame.js';

/**
 * Reads a Feather v2 / Arrow IPC file (or stream) from disk; errors name the path.
 *
 * @example
 * ```ts no-run
 * import { readFeather } from '@interop/pandas/node';
 * const frame = readFeather('data.feather'); // written by pandas' df.to_feather
 * ```
 * @throws {PandasError} every code of `readArrowIPC`.
 */
export function readFeather(path: string, options: Omit<ReadArrowIPCOptions, 'source'> = {}): DataFrameView {
  return readArrowIPC(readFileSync(path), { ...options, source: path });
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
