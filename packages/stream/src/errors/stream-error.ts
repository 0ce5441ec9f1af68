import { defineErrorFamily, type ErrorFamily, type InteropError } from '@interop/core';
import { streamErrorCodes, type StreamErrorCode } from './codes.js';

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
 *   if (StreamError.isInstance(error)) console.log(error.code); // "ERR_BUFFER_RELEASED"
 * }
 * ```
 */
export const StreamError: ErrorFamily<StreamErrorCode> = defineErrorFamily('StreamError', '@interop/stream/StreamError', streamErrorCodes);
/** An instance of {@link StreamError}. */
export type StreamError = InteropError<StreamErrorCode>;
