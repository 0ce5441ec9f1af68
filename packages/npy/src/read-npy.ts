import { allocateBuffer } from '@interop/core';
import { NpyError } from './errors/npy-error.js';
import { toBytes, type ByteSource } from './internal/bytes.js';
import { NpyArray, type NpyArrayInit } from './npy-array.js';
import { parseNpyHeader, type NpyHeader, type NpyHeaderOptions } from './npy-header.js';

/** Options of `readNpy`. */
export interface ReadNpyOptions extends NpyHeaderOptions {
  /** Export the array read-only. Default false (writes go to the input bytes, as with np.frombuffer on a bytearray). */
  readonly readonly?: boolean;
  /** Always copy the data, even when a zero-copy view is possible. Default false. */
  readonly copy?: boolean;
}

/**
 * Reads a `.npy` file from memory. The result is a zero-copy view of `source` when the data is
 * aligned for its dtype (always, for files NumPy writes into aligned memory); otherwise the data
 * is copied once and `copied` is true. Parsing is O(1) in the size of the data.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from '@interop/npy';
 * const array = readNpy(writeNpy(new Int32Array([1, 2, 3])));
 * console.log(array.dtype, array.shape, array.format, array.copied); // "<i4" [3] "<i" false
 * ```
 * @throws {NpyError} every header code of `parseNpyHeader`, and `ERR_NPY_DATA_TRUNCATED` when
 * the data is shorter than the header promises; `ERR_INVALID_ARGUMENT` for a non-byte source.
 */
export function readNpy(source: ByteSource, options: ReadNpyOptions = {}): NpyArray {
  const bytes = toBytes(source, 'readNpy');
  const header = parseNpyHeader(bytes, options);
  return arrayFromHeader(bytes, header, options);
}

/** @internal Builds the NpyArray for a parsed header over the whole file's bytes. */
export function arrayFromHeader(bytes: Uint8Array, header: NpyHeader, options: ReadNpyOptions & { onClose?: () => void } = {}): NpyArray {
  return new NpyArray(initFromHeader(bytes, header, options));
}

/** @internal The NpyArray init for a parsed header over the whole file's bytes (copying only when misaligned or asked). */
export function initFromHeader(bytes: Uint8Array, header: NpyHeader, options: ReadNpyOptions & { onClose?: () => void } = {}): NpyArrayInit {
  const available = bytes.length - header.dataOffset;
  if (available < header.nbytes) {
    throw new NpyError(
      'ERR_NPY_DATA_TRUNCATED',
      `The .npy header promises ${header.nbytes} bytes of data (shape (${header.shape.join(', ')}), ${header.itemsize}-byte items) but only ${available} follow. The file was cut short; obtain a complete copy.`,
      { details: { expected: header.nbytes, available } },
    );
  }
  let data = bytes.subarray(header.dataOffset, header.dataOffset + header.nbytes);
  const aligned = (bytes.byteOffset + header.dataOffset) % header.alignment === 0;
  const copied = !aligned || options.copy === true;
  if (copied) {
    // Fresh memory from the allocation seam (a Buffer's slice() would not copy).
    const copy = new Uint8Array(allocateBuffer(data.length));
    copy.set(data);
    data = copy;
  }
  return {
    data,
    descr: header.descr,
    shape: header.shape,
    fortranOrder: header.fortranOrder,
    readonly: options.readonly === true,
    version: header.version,
    copied,
    ...(options.onClose === undefined ? {} : { onClose: options.onClose }),
  };
}
