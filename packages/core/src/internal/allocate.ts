// Engine limits on views: a TypedArray or DataView longer than the engine allows becomes a typed
// BufferError instead of escaping as a plain RangeError. (Fresh memory itself comes from the
// allocation seam, allocator.ts, whose failures are ERR_BUFFER_ALLOCATION_FAILED.)
import { BufferError } from '../errors/buffer-error.js';

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
      throw new BufferError(
        'ERR_BUFFER_TOO_LARGE',
        `${operation} needs a JavaScript view larger than this engine allows (${cause.message}). Work on a smaller slice of the memory.`,
        {
          cause,
          details: { operation },
        },
      );
    }
    throw cause;
  }
}
