// The one place core allocates memory for data (copies, conversions): an engine refusal
// (RangeError "Array buffer allocation failed", or a length over the engine's limit) becomes a
// typed BufferError instead of escaping as a plain RangeError.
import { BufferError } from '../errors/buffer-error.js';

/**
 * A new zero-filled ArrayBuffer of `byteLength` bytes.
 *
 * @throws {BufferError} `ERR_BUFFER_ALLOCATION` when the size is not a safe integer >= 0 or the engine cannot allocate it.
 */
export function allocateBytes(byteLength: number, operation: string): ArrayBuffer {
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
    throw new BufferError('ERR_BUFFER_ALLOCATION', `${operation} needs ${String(byteLength)} bytes, which is not a size memory can have. Work on a smaller slice.`, {
      details: { operation, byteLength },
    });
  }
  try {
    return new ArrayBuffer(byteLength);
  } catch (cause) {
    throw new BufferError(
      'ERR_BUFFER_ALLOCATION',
      `${operation} could not allocate ${byteLength} bytes: ${(cause as Error).message ?? String(cause)}. Free memory, work on a smaller slice, or raise the engine's memory limit.`,
      { cause, details: { operation, byteLength } },
    );
  }
}

/**
 * Runs `body`, turning an engine RangeError (a TypedArray or DataView longer than the engine
 * allows over a very large buffer, an allocation refused) into a typed BufferError.
 *
 * @throws {BufferError} `ERR_BUFFER_TOO_LARGE`, and whatever `body` throws otherwise.
 */
export function withinEngineLimits<T>(operation: string, body: () => T): T {
  try {
    return body();
  } catch (cause) {
    if (cause instanceof RangeError) {
      throw new BufferError('ERR_BUFFER_TOO_LARGE', `${operation} needs a JavaScript view larger than this engine allows (${cause.message}). Work on a smaller slice of the memory.`, {
        cause,
        details: { operation },
      });
    }
    throw cause;
  }
}
