import { allocateBuffer, type AllocateOptions } from '@interop/core';
import { PandasError } from '../errors/pandas-error.js';

// The one place @interop/pandas allocates fresh memory for data it produces (decompressed
// buffers, concatenated columns, Parquet file ranges): through core's allocation seam, so large
// buffers get the registered (huge-page) allocator like every other package's.

/**
 * A zero-filled `Uint8Array` of `byteLength` bytes in a fresh `ArrayBuffer` (8-byte aligned, so
 * any TypedArray can view it in place). With `{ zeroFill: false }` the caller promises to write
 * every byte before anything reads it (the allocator may then recycle memory without zeroing it).
 *
 * @throws {PandasError} `ERR_BUFFER_ALLOCATION_FAILED` when the engine cannot allocate it.
 */
export function allocateBytes(byteLength: number, operation = 'allocate', options?: AllocateOptions): Uint8Array {
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
    throw new PandasError('ERR_INVALID_ARGUMENT', `${operation}: cannot allocate ${String(byteLength)} bytes; a size must be a non-negative integer.`, {
      details: { operation },
    });
  }
  try {
    return new Uint8Array(allocateBuffer(byteLength, options));
  } catch (error) {
    throw new PandasError(
      'ERR_BUFFER_ALLOCATION_FAILED',
      `${operation}: allocating ${byteLength} bytes failed (${error instanceof Error ? error.message : String(error)}); free memory, read fewer columns or rows, or raise Node's heap limits.`,
      {
        cause: error,
        details: { operation, byteLength },
      },
    );
  }
}

/** A TypedArray of `length` elements of `Constructor`'s type, backed by `allocateBytes`. */
export function allocateArray<Values extends ArrayBufferView>(
  Constructor: { new (buffer: ArrayBuffer, byteOffset: number, length: number): Values; readonly BYTES_PER_ELEMENT: number },
  length: number,
  operation: string,
): Values {
  const bytes = allocateBytes(length * Constructor.BYTES_PER_ELEMENT, operation);
  return new Constructor(bytes.buffer as ArrayBuffer, 0, length);
}
