import type { BufferErrorCode } from './codes.js';
import { brandError, hasErrorBrand, InteropError, type InteropErrorOptions } from './interop-error.js';

const bufferErrorBrand = Symbol.for('@interop/core/BufferError');

/**
 * The error of the buffer protocol, as Python's `BufferError`: every failure of an export, a
 * view, a format string or a lock, with a stable `code` from `bufferErrorCodes`.
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
export class BufferError extends InteropError<BufferErrorCode> {
  constructor(code: BufferErrorCode, message: string, options: InteropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'BufferError';
    brandError(this, bufferErrorBrand);
  }

  /** True for a `BufferError` thrown by any copy of `@interop/core`. */
  static override isInstance(error: unknown): error is BufferError {
    return hasErrorBrand(error, bufferErrorBrand);
  }
}
