import type { SharedErrorCode } from '@interop/core';

/**
 * Every code a `StreamError` can carry, with the one-line meaning documented in docs/errors.md.
 * Codes are part of semver: a code is never renamed or reused for another failure. Failures of
 * the buffer protocol itself (a read-only or non-contiguous target, live exports) are core's
 * `BufferError` codes.
 */
export const streamErrorCodes = {
  ERR_STREAM_NOT_READABLE: 'A read was attempted on a stream opened without read access (Python: io.UnsupportedOperation).',
  ERR_STREAM_NOT_WRITABLE: 'A write or truncate was attempted on a read-only stream (Python: io.UnsupportedOperation).',
  ERR_STREAM_NOT_SEEKABLE: 'seek, size or truncate was attempted on a stream that cannot move its position (a pipe, a WHATWG or Node source).',
  ERR_STREAM_SEEK_OUT_OF_RANGE: 'A seek would put the position before byte 0, or past the end of a stream that cannot grow.',
  ERR_STREAM_NO_SPACE: 'A write found no room: the end of a fixed-size stream was reached, or memory for a growing stream could not be allocated.',
  ERR_STREAM_IO: 'The operating system refused a file operation; `details.systemCode` holds the errno name (ENOENT, EACCES, EISDIR...).',
} as const;

/** A stable error code of `StreamError`: its own codes and the shared ones (`sharedErrorCodes` of @interop/core). */
export type StreamErrorCode = keyof typeof streamErrorCodes | SharedErrorCode;
