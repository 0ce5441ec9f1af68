import { brandError, hasErrorBrand, InteropError, type InteropErrorOptions } from '@interop/core';
import type { StreamErrorCode } from './codes.js';

const streamErrorBrand = Symbol.for('@interop/stream/StreamError');

/**
 * The error of `@interop/stream`: bad sizes, offsets and modes, use after close, operations a
 * stream does not support, with a stable `code` from `streamErrorCodes`.
 *
 * @example
 * ```ts
 * import { MemoryStream, StreamError } from '@interop/stream';
 * const stream = new MemoryStream();
 * stream.close();
 * try { stream.read(1); } catch (error) {
 *   if (StreamError.isInstance(error)) console.log(error.code); // "ERR_STREAM_CLOSED"
 * }
 * ```
 */
export class StreamError extends InteropError<StreamErrorCode> {
  constructor(code: StreamErrorCode, message: string, options: InteropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'StreamError';
    brandError(this, streamErrorBrand);
  }

  /** True for a `StreamError` thrown by any copy of `@interop/stream`. */
  static override isInstance(error: unknown): error is StreamError {
    return hasErrorBrand(error, streamErrorBrand);
  }
}
