import { bufferErrorCodes, type BufferErrorCode } from './codes.js';
import { defineErrorFamily, type ErrorFamily } from './error-family.js';
import type { InteropError } from './interop-error.js';

/**
 * The error of the buffer protocol, as Python's `BufferError`: every failure of an export, a
 * view, a format string or a lock, with a stable `code` from `bufferErrorCodes` or
 * `sharedErrorCodes`.
 *
 * @example
 * ```ts
 * import { BufferError, ExportLock } from '@interop/core';
 * const lock = new ExportLock();
 * lock.acquire();
 * try { lock.assertUnlocked('resize'); } catch (error) {
 *   if (BufferError.isInstance(error)) console.log(error.code); // "ERR_BUFFER_EXPORTED"
 * }
 * ```
 */
export const BufferError: ErrorFamily<BufferErrorCode> = defineErrorFamily('BufferError', '@interop/core/BufferError', bufferErrorCodes);
/** An instance of {@link BufferError}. */
export type BufferError = InteropError<BufferErrorCode>;
