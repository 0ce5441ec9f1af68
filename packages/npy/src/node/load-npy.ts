import { closeSync, openSync, writeSync } from 'node:fs';
import { allocateBuffer, BufferFlags, getBuffer, longOperation, releaseBuffer, type BufferInfo, type LongOperationOptions } from '@interop/core';
import { readFileInto, writeFileAtomic } from '@interop/core/node';
import { NpyError } from '../errors/npy-error.js';
import { NpyArray } from '../npy-array.js';
import { parseNpyHeader } from '../npy-header.js';
import { checkDestination } from '../npy-stream.js';
import { arrayFromHeader, type ReadNpyOptions } from '../read-npy.js';
import { nativeAllocatorReady } from './native-allocator.js';
import { checkDataRead, readFully, readHeaderSync } from './read-file.js';
import { planNpyWrite, type WriteNpyOptions } from '../write-npy.js';
import { loadNativePeer, type NativeMapping } from './internal/native-peer.js';

/** Memory-mapping modes, as NumPy's `mmap_mode`: read-only, read-write, copy-on-write. */
export type MmapMode = 'r' | 'r+' | 'c';

/** Options of `loadNpy`. */
export interface LoadNpyOptions extends ReadNpyOptions, LongOperationOptions {
  /**
   * Map the file instead of reading it (through `@interop/native`, which must be installed):
   * `true` or `'r'` read-only, `'r+'` writes go to the file, `'c'` copy-on-write. Default false.
   */
  readonly mmap?: boolean | MmapMode;
  /**
   * Read the data into memory you already hold (as NumPy's `out=`): any writable exporter of
   * exactly the data's size, in the file's shape and order, or a flat run of its items or bytes
   * (e.g. a `Float32Array` of the right length). The returned array views that memory and holds
   * one export of it until `close()`. Not with `mmap`.
   */
  readonly into?: unknown;
}

/** The mapping as bytes; an engine that cannot view that many bytes at once gets a typed error, not a RangeError. */
function byteView(info: BufferInfo, path: string): Uint8Array {
  try {
    return new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw new NpyError(
      'ERR_NPY_SIZE_OVERFLOW',
      `${JSON.stringify(path)} is ${info.byteLength} bytes, more than this JavaScript engine can view as one Uint8Array; an NpyArray cannot hold it. Map it with @interop/native's mapFile and read it through a MemoryView instead.`,
      { cause },
    );
  }
}

async function loadMapped(path: string, mode: MmapMode, options: ReadNpyOptions): Promise<NpyArray> {
  const native = await loadNativePeer('loadNpy(path, { mmap })', ['mapFile']);
  let mapping: NativeMapping;
  try {
    mapping = native.mapFile(path, { mode });
  } catch (cause) {
    if (
      typeof cause === 'object' &&
      cause !== null &&
      typeof (cause as { code?: unknown }).code === 'string' &&
      /^E[A-Z]+$/.test((cause as { code: string }).code)
    )
      throw cause;
    throw new NpyError('ERR_NPY_MMAP_UNAVAILABLE', `@interop/native could not map ${JSON.stringify(path)}: ${(cause as Error).message}.`, { cause });
  }
  let info: BufferInfo | null = null;
  const close = (): void => {
    if (info !== null) releaseBuffer(info);
    info = null;
    mapping.close();
  };
  try {
    info = getBuffer(mapping, mode === 'r' ? BufferFlags.SIMPLE : BufferFlags.SIMPLE | BufferFlags.WRITABLE);
    const bytes = byteView(info, path);
    const header = parseNpyHeader(bytes, options);
    const readonly = mode === 'r' || options.readonly === true;
    const aligned = (bytes.byteOffset + header.dataOffset) % header.alignment === 0;
    if (!aligned || options.copy === true) {
      // The data is copied out of the mapping (misaligned, or a copy was asked for): unmap it now.
      const array = arrayFromHeader(bytes, header, { ...options, readonly });
      close();
      return array;
    }
    return arrayFromHeader(bytes, header, { ...options, readonly, onClose: close });
  } catch (error) {
    close();
    throw error;
  }
}

type FileHeader = ReturnType<typeof readHeaderSync>;

/** Where the data is read to: fresh memory from core's seam, or `into` borrowed writable (checked against the header). */
function destination(header: FileHeader, into: unknown): { readonly data: Uint8Array; readonly release?: () => void } {
  // One allocation from the seam of @interop/core (huge pages when @interop/native is installed).
  if (into === undefined) return { data: new Uint8Array(allocateBuffer(header.nbytes)) };
  const info = getBuffer(into, BufferFlags.STRIDED | BufferFlags.FORMAT | BufferFlags.WRITABLE);
  try {
    checkDestination(info, header);
  } catch (error) {
    releaseBuffer(info);
    throw error;
  }
  return { data: new Uint8Array(info.buffer, info.byteOffset, header.nbytes), release: () => releaseBuffer(info) };
}

/** Reads the data once into its destination and returns the array over it; a borrowed destination is released on failure, else on close. */
function loadArray(header: FileHeader, options: LoadNpyOptions, read: (data: Uint8Array) => number | Promise<number>): NpyArray | Promise<NpyArray> {
  const target = destination(header, options.into);
  const finish = (bytesRead: number): NpyArray => {
    checkDataRead(header, bytesRead);
    return new NpyArray({
      data: target.data,
      descr: header.descr,
      shape: header.shape,
      fortranOrder: header.fortranOrder,
      readonly: options.readonly === true,
      version: header.version,
      copied: false,
      ...(target.release === undefined ? {} : { onClose: target.release }),
    });
  };
  const fail = (error: unknown): never => {
    target.release?.();
    throw error;
  };
  try {
    const bytesRead = read(target.data);
    return typeof bytesRead === 'number' ? finish(bytesRead) : bytesRead.then(finish, fail);
  } catch (error) {
    return fail(error);
  }
}

function loadRead(fd: number, options: LoadNpyOptions): NpyArray {
  const header = readHeaderSync(fd, options);
  return loadArray(header, options, (data) => readFully(fd, data, header.dataOffset)) as NpyArray;
}

/** True when the caller asked for progress reports or cancellation (the chunked, asynchronous path). */
function isLong(options: LongOperationOptions): boolean {
  return options.onProgress !== undefined || options.signal !== undefined;
}

/** loadNpy with `onProgress` / `signal`: the same single read into final memory, in 16 MiB chunks. */
async function loadLong(path: string, options: LoadNpyOptions): Promise<NpyArray> {
  longOperation('loadNpy', options, undefined); // validates the options, and an already aborted signal
  const fd = openSync(path, 'r');
  let header;
  try {
    header = readHeaderSync(fd, options);
  } finally {
    closeSync(fd);
  }
  const chunked = { position: header.dataOffset, operation: 'loadNpy', signal: options.signal, onProgress: options.onProgress };
  return loadArray(header, options, (data) => readFileInto(path, data, chunked));
}

/**
 * Loads a `.npy` file. Without `mmap`, the header is read, then the data is read once, straight
 * into fresh memory from `allocateBuffer` of `@interop/core` (or into `into`); with `mmap`, the
 * file is mapped through `@interop/native` and `close()` unmaps it.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * import { loadNpy, saveNpy } from '@interop/npy/node';
 * const path = join(tmpdir(), 'example-load.npy');
 * await saveNpy(path, new Float32Array([1, 2, 3]));
 * const array = await loadNpy(path);
 * console.log(array.shape, array.dtype); // [3] "<f4"
 * const out = new Float32Array(3);
 * (await loadNpy(path, { into: out })).close();
 * console.log(out); // Float32Array [1, 2, 3]
 * ```
 * @throws {NpyError} the header codes of `parseNpyHeader`; `ERR_NPY_DATA_TRUNCATED`;
 * `ERR_NPY_DESTINATION_MISMATCH` (an `into` of another size, shape, order or dtype);
 * `ERR_INVALID_ARGUMENT` (`into` with `mmap`); `ERR_NPY_MMAP_UNAVAILABLE` when `mmap` is
 * asked and `@interop/native` is missing or cannot map. File-system failures are Node's own errors.
 * With `onProgress` or `signal` (not with `mmap`), the data is read in 16 MiB chunks, progress is
 * reported per chunk and an abort stops the load.
 * @throws {BufferError} `ERR_BUFFER_READONLY` (a read-only `into`), `ERR_BUFFER_NOT_EXPORTER`,
 * `ERR_BUFFER_ALLOCATION_FAILED` (out of memory), `ERR_ABORTED` (the signal aborted).
 */
export async function loadNpy(path: string, options: LoadNpyOptions = {}): Promise<NpyArray> {
  await nativeAllocatorReady;
  const mmap = options.mmap ?? false;
  if (mmap !== false) {
    const mode: MmapMode = mmap === true ? 'r' : mmap;
    if (mode !== 'r' && mode !== 'r+' && mode !== 'c')
      throw new NpyError('ERR_INVALID_ARGUMENT', `mmap must be true, false, 'r', 'r+' or 'c'; received ${String(mmap)}.`);
    if (options.into !== undefined)
      throw new NpyError('ERR_INVALID_ARGUMENT', 'loadNpy cannot combine mmap with into: a mapping is its own memory. Pass one or the other.');
    return loadMapped(path, mode, options);
  }
  if (isLong(options)) return loadLong(path, options);
  const fd = openSync(path, 'r');
  try {
    return loadRead(fd, options);
  } finally {
    closeSync(fd);
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, Math.min(bytes.length - done, 0x7fff0000));
}

/**
 * Saves any exporter as a `.npy` file, byte-identical to `np.save`. Contiguous data is written
 * straight from the source's memory.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * import { saveNpy } from '@interop/npy/node';
 * await saveNpy(join(tmpdir(), 'example-save.npy'), new Int16Array([1, 2, 3]));
 * ```
 * With `onProgress` or `signal`, the file is written in 16 MiB chunks to a temporary file renamed
 * into place when complete: an abort (`BufferError` `ERR_ABORTED`) or a failure leaves no
 * half-written file and any earlier file untouched.
 * @throws {NpyError} the codes of `writeNpy`. File-system failures are Node's own errors.
 */
export function saveNpy(path: string, source: unknown, options: WriteNpyOptions & LongOperationOptions = {}): Promise<void> {
  if (isLong(options)) return saveLong(path, source, options);
  try {
    const plan = planNpyWrite(source, options);
    try {
      // Synchronous writes, as fs.writeFileSync: one large write from the source's own memory.
      const fd = openSync(path, 'w');
      try {
        writeFully(fd, plan.header);
        if (plan.contiguous !== null) {
          writeFully(fd, plan.contiguous);
        } else {
          const data = new Uint8Array(allocateBuffer(plan.nbytes));
          plan.copyTo(data, 0);
          writeFully(fd, data);
        }
      } finally {
        closeSync(fd);
      }
    } finally {
      plan.release();
    }
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** saveNpy with `onProgress` / `signal`: all or nothing, through a temporary file. */
async function saveLong(path: string, source: unknown, options: WriteNpyOptions & LongOperationOptions): Promise<void> {
  longOperation('saveNpy', options, undefined);
  const plan = planNpyWrite(source, options);
  try {
    let data = plan.contiguous;
    if (data === null) {
      data = new Uint8Array(allocateBuffer(plan.nbytes));
      plan.copyTo(data, 0);
    }
    await writeFileAtomic(path, [plan.header, data], {
      operation: 'saveNpy',
      bytesTotal: plan.header.length + data.length,
      signal: options.signal,
      onProgress: options.onProgress,
    });
  } finally {
    plan.release();
  }
}
