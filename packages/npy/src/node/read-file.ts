// Positional reads straight into memory the caller (or the allocation seam of @interop/core) owns:
// no intermediate Buffer, no read-whole-file-then-view.
import { fstatSync, readSync } from 'node:fs';
import { allocateBuffer } from '@interop/core';
import { NpyError } from '../errors/npy-error.js';
import {
  checkHeaderLength,
  DEFAULT_MAX_HEADER_SIZE,
  NPY_PREFIX_LENGTH,
  parseNpyHeader,
  readNpyPrefix,
  type NpyHeader,
  type NpyHeaderOptions,
} from '../npy-header.js';

// Node refuses single reads over 2 GiB - 1.
const MAX_READ = 0x7fff0000;

/** Reads into `target` from `position` until it is full or the file ends; returns the bytes read. */
export function readFully(fd: number, target: Uint8Array, position: number): number {
  let done = 0;
  while (done < target.length) {
    const count = readSync(fd, target, done, Math.min(target.length - done, MAX_READ), position + done);
    if (count === 0) break;
    done += count;
  }
  return done;
}

/** Reads and parses the `.npy` header at the start of `fd` (at most the header's own bytes). */
export function readHeaderSync(fd: number, options: NpyHeaderOptions): NpyHeader {
  const maxHeaderSize = options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE;
  const head = new Uint8Array(NPY_PREFIX_LENGTH + 4);
  let got = readFully(fd, head.subarray(0, NPY_PREFIX_LENGTH), 0);
  const prefix = readNpyPrefix(head.subarray(0, got));
  got += readFully(fd, head.subarray(NPY_PREFIX_LENGTH, NPY_PREFIX_LENGTH + prefix.lengthFieldSize), got);
  const withLength = readNpyPrefix(head.subarray(0, got));
  if (withLength.headerLength === null) return parseNpyHeader(head.subarray(0, got), options);
  if (Number.isSafeInteger(maxHeaderSize) && maxHeaderSize >= 0) checkHeaderLength(withLength.version, withLength.headerLength, maxHeaderSize);
  const whole = new Uint8Array(got + withLength.headerLength);
  whole.set(head.subarray(0, got));
  const more = readFully(fd, whole.subarray(got), got);
  return parseNpyHeader(whole.subarray(0, got + more), options);
}

/** Throws ERR_NPY_DATA_TRUNCATED when fewer than `header.nbytes` bytes were read. */
export function checkDataRead(header: NpyHeader, got: number): void {
  if (got < header.nbytes) {
    throw new NpyError(
      'ERR_NPY_DATA_TRUNCATED',
      `The .npy header promises ${header.nbytes} bytes of data (shape (${header.shape.join(', ')}), ${header.itemsize}-byte items) but only ${got} follow. The file was cut short; obtain a complete copy.`,
      { details: { expected: header.nbytes, available: got } },
    );
  }
}

/** The whole file, read once into memory from the allocation seam. */
export function readWholeFile(fd: number): Uint8Array {
  const size = fstatSync(fd).size;
  const bytes = new Uint8Array(allocateBuffer(size));
  const got = readFully(fd, bytes, 0);
  // The file shrank while it was read: only what was read is the file.
  return got === size ? bytes : bytes.subarray(0, got);
}
