import {
  allocateBuffer,
  BufferFlags,
  getBuffer,
  isCContiguous,
  isFContiguous,
  longOperation,
  parseFormat,
  releaseBuffer,
  resolveLayout,
  type BufferInfo,
  type FormatType,
  type LongOperationOptions,
} from '@interop/core';
import type { AsyncStreamAccess, StreamAccess } from '@interop/stream';
import { NpyError } from './errors/npy-error.js';
import { NpyArray } from './npy-array.js';
import {
  checkHeaderLength,
  DEFAULT_MAX_HEADER_SIZE,
  NPY_PREFIX_LENGTH,
  parseNpyHeader,
  readNpyPrefix,
  type NpyHeader,
  type NpyHeaderOptions,
} from './npy-header.js';
import { planNpyWrite, type WriteNpyOptions } from './write-npy.js';

type AnyStream = StreamAccess | AsyncStreamAccess;

/** Options of the stream readers. */
export interface ReadNpyStreamOptions extends NpyHeaderOptions, LongOperationOptions {
  /** Export the result read-only. Default false. */
  readonly readonly?: boolean;
}

function streamFailure(message: string, cause?: unknown): NpyError {
  return new NpyError('ERR_NPY_STREAM', message, cause === undefined ? {} : { cause });
}

/** Progress and the signal are checked for every 16 MiB moved (LongOperationOptions). */
const CHUNK = 16 * 2 ** 20;
type Report = (bytesDone: number) => void;
const noReport: Report = () => undefined;

async function readExactly(stream: AnyStream, target: Uint8Array, report: Report = noReport): Promise<number> {
  let done = 0;
  report(0);
  while (done < target.length) {
    const count = await stream.readInto(target.subarray(done, done + Math.min(CHUNK, target.length - done)));
    if (count === 0) break;
    done += count;
    report(done);
  }
  return done;
}

/**
 * Reads a `.npy` header from the stream's position and leaves the position at the first data byte.
 * At most the header's own bytes are read (its length is checked against `maxHeaderSize` first).
 *
 * @example
 * ```ts
 * import { MemoryStream } from '@interop/stream';
 * import { readNpyHeaderFromStream, writeNpy } from '@interop/npy';
 * const stream = new MemoryStream(writeNpy(new Uint16Array([1, 2])));
 * const header = await readNpyHeaderFromStream(stream);
 * console.log(header.descr, stream.tell()); // "<u2" 128
 * ```
 * @throws {NpyError} the codes of `parseNpyHeader`; `ERR_NPY_STREAM` when the stream fails.
 */
export async function readNpyHeaderFromStream(stream: AnyStream, options: NpyHeaderOptions = {}): Promise<NpyHeader> {
  const maxHeaderSize = options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE;
  const head = new Uint8Array(NPY_PREFIX_LENGTH + 4);
  let got = await readExactly(stream, head.subarray(0, NPY_PREFIX_LENGTH));
  const prefix = readNpyPrefix(head.subarray(0, got));
  got += await readExactly(stream, head.subarray(NPY_PREFIX_LENGTH, NPY_PREFIX_LENGTH + prefix.lengthFieldSize));
  const withLength = readNpyPrefix(head.subarray(0, got));
  if (withLength.headerLength === null) return parseNpyHeader(head.subarray(0, got), options);
  checkHeaderLength(withLength.version, withLength.headerLength, maxHeaderSize);
  const whole = new Uint8Array(got + withLength.headerLength);
  whole.set(head.subarray(0, got));
  const more = await readExactly(stream, whole.subarray(got));
  return parseNpyHeader(whole.subarray(0, got + more), options);
}

/** @internal Refuses a destination that cannot hold the file's data as it is laid out (also used by loadNpy's `into`). */
export function checkDestination(info: BufferInfo, header: NpyHeader): void {
  const layout = resolveLayout(info);
  const mismatch = (why: string): never => {
    throw new NpyError(
      'ERR_NPY_DESTINATION_MISMATCH',
      `Cannot read the .npy data (shape (${header.shape.join(', ')}), dtype ${JSON.stringify(header.descr)}, ${header.nbytes} bytes) into this destination: ${why}.`,
    );
  };
  if (info.byteLength !== header.nbytes) mismatch(`it holds ${info.byteLength} bytes`);
  const flat = layout.ndim <= 1;
  const contiguous = header.fortranOrder
    ? isFContiguous(layout.shape, layout.strides, layout.itemsize)
    : isCContiguous(layout.shape, layout.strides, layout.itemsize);
  if (!flat && !contiguous) mismatch(`it is not ${header.fortranOrder ? 'Fortran' : 'C'}-contiguous as the file is`);
  if (!flat && (layout.shape.length !== header.shape.length || layout.shape.some((d, i) => d !== header.shape[i])))
    mismatch(`its shape is (${layout.shape.join(', ')})`);
  if (flat && !isCContiguous(layout.shape, layout.strides, layout.itemsize)) mismatch('it is strided');
  const raw = layout.itemsize === 1 && /^[@=<>!]?[Bbc]$/.test(layout.format);
  if (raw) return;
  if (layout.itemsize !== header.itemsize) mismatch(`its items are ${layout.itemsize} bytes, the file's ${header.itemsize}`);
  if (typeof header.descr !== 'string') return;
  let found: FormatType;
  try {
    found = parseFormat(layout.format).type;
  } catch {
    return mismatch(`its format ${JSON.stringify(layout.format)} is not a valid format`);
  }
  if (found.kind !== 'scalar') return mismatch(`its format ${layout.format} is structured`);
  const wanted = parseFormat(header.format).type as FormatType & { kind: 'scalar' };
  // The same values in the same byte order (datetimes are int64 in both formats).
  if (wanted.valueKind !== found.valueKind || (wanted.size > 1 && wanted.endianness !== found.endianness)) {
    mismatch(`its format ${JSON.stringify(layout.format)} would misread the file's ${header.descr} values`);
  }
}

/**
 * Reads the header from the stream, then `readInto`s the data straight into `destination` (any
 * writable exporter of exactly the data's size: same shape and order, or a flat run of bytes or
 * items), with no intermediate copy. Returns the header.
 *
 * @example
 * ```ts
 * import { MemoryStream } from '@interop/stream';
 * import { readNpyInto, writeNpy } from '@interop/npy';
 * const target = new Float32Array(3);
 * await readNpyInto(new MemoryStream(writeNpy(new Float32Array([1, 2, 3]))), target);
 * console.log(target); // Float32Array [1, 2, 3]
 * ```
 * @throws {NpyError} the codes of `readNpyHeaderFromStream`; `ERR_NPY_DESTINATION_MISMATCH`;
 * `ERR_NPY_DATA_TRUNCATED` when the stream ends early.
 * @throws {BufferError} `ERR_BUFFER_READONLY` when `destination` is read-only.
 */
export async function readNpyInto(stream: AnyStream, destination: unknown, options: NpyHeaderOptions & LongOperationOptions = {}): Promise<NpyHeader> {
  longOperation('readNpyInto', options, undefined);
  const header = await readNpyHeaderFromStream(stream, options);
  const info = getBuffer(destination, BufferFlags.STRIDED | BufferFlags.FORMAT);
  try {
    checkDestination(info, header);
    await readData(stream, new Uint8Array(info.buffer, info.byteOffset, header.nbytes), header, longOperation('readNpyInto', options, header.nbytes));
  } finally {
    releaseBuffer(info);
  }
  return header;
}

async function readData(stream: AnyStream, target: Uint8Array, header: NpyHeader, report: Report): Promise<void> {
  let got: number;
  try {
    got = await readExactly(stream, target, report);
  } catch (cause) {
    if (cause instanceof Error && (cause as { code?: unknown }).code === 'ERR_ABORTED') throw cause;
    throw streamFailure(`Reading the .npy data from the stream failed: ${(cause as Error).message}`, cause);
  }
  if (got < header.nbytes) {
    throw new NpyError(
      'ERR_NPY_DATA_TRUNCATED',
      `The .npy header promises ${header.nbytes} bytes of data but the stream ended after ${got}. The file was cut short.`,
      {
        details: { expected: header.nbytes, available: got },
      },
    );
  }
}

/**
 * Reads one `.npy` array from a stream into new memory (one allocation of exactly the data's
 * size; the data is read straight into it).
 *
 * @example
 * ```ts
 * import { MemoryStream } from '@interop/stream';
 * import { readNpyFromStream, writeNpy } from '@interop/npy';
 * const array = await readNpyFromStream(new MemoryStream(writeNpy(new Int16Array([5, 6]))));
 * console.log(array.shape, array.dtype); // [2] "<i2"
 * ```
 * `onProgress` reports the data bytes read (per 16 MiB) and `signal` stops the read with
 * `BufferError` `ERR_ABORTED`.
 * @throws {NpyError} the codes of `readNpyHeaderFromStream`; `ERR_NPY_DATA_TRUNCATED`.
 */
export async function readNpyFromStream(stream: AnyStream, options: ReadNpyStreamOptions = {}): Promise<NpyArray> {
  longOperation('readNpyFromStream', options, undefined);
  const header = await readNpyHeaderFromStream(stream, options);
  const data = new Uint8Array(allocateBuffer(header.nbytes));
  await readData(stream, data, header, longOperation('readNpyFromStream', options, header.nbytes));
  return new NpyArray({
    data,
    descr: header.descr,
    shape: header.shape,
    fortranOrder: header.fortranOrder,
    version: header.version,
    readonly: options.readonly === true,
  });
}

async function writeAll(stream: AnyStream, bytes: Uint8Array, report: Report = noReport, before = 0): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const count = await stream.write(bytes.subarray(done, done + Math.min(CHUNK, bytes.length - done)));
    if (!(count > 0)) throw streamFailure(`The stream accepted no more bytes after ${done} of ${bytes.length}.`);
    done += count;
    report(before + done);
  }
}

/**
 * Writes `source` as a `.npy` file at the stream's position: the header, then the data straight
 * from the source's memory when it is contiguous in the chosen order. Returns the bytes written.
 *
 * @example
 * ```ts
 * import { MemoryStream } from '@interop/stream';
 * import { writeNpyToStream } from '@interop/npy';
 * const stream = new MemoryStream();
 * console.log(await writeNpyToStream(stream, new Float64Array([1, 2]))); // 144
 * ```
 * `onProgress` reports the bytes written (per 16 MiB) and `signal` stops the write with
 * `BufferError` `ERR_ABORTED`; the stream belongs to the caller, so what was written stays in it.
 * @throws {NpyError} the codes of `writeNpy`; `ERR_NPY_STREAM` when the stream stops accepting bytes.
 */
export async function writeNpyToStream(stream: AnyStream, source: unknown, options: WriteNpyOptions & LongOperationOptions = {}): Promise<number> {
  longOperation('writeNpyToStream', options, undefined);
  const plan = planNpyWrite(source, options);
  try {
    const report = longOperation('writeNpyToStream', options, plan.header.length + plan.nbytes);
    report(0);
    await writeAll(stream, plan.header, report);
    if (plan.contiguous !== null) {
      await writeAll(stream, plan.contiguous, report, plan.header.length);
    } else {
      const data = new Uint8Array(allocateBuffer(plan.nbytes));
      plan.copyTo(data, 0);
      await writeAll(stream, data, report, plan.header.length);
    }
    return plan.header.length + plan.nbytes;
  } finally {
    plan.release();
  }
}
