import { brandError, hasErrorBrand, InteropError, type InteropErrorOptions } from '@interop/core';
import type { VnlErrorCode } from './codes.js';

const vnlErrorBrand = Symbol.for('@interop/vnl/VnlError');

/**
 * The error of `@interop/vnl`: bad sizes, indices, element types and array layouts, each with a
 * stable `code` from `vnlErrorCodes`. Protocol failures (a held export) stay `BufferError`s.
 *
 * @example
 * ```ts
 * import { VnlError, VnlVector } from '@interop/vnl';
 * try { new VnlVector('float64', 3).get(5); } catch (error) {
 *   if (VnlError.isInstance(error)) console.log(error.code); // "ERR_VNL_INDEX_OUT_OF_RANGE"
 * }
 * ```
 */
export class VnlError extends InteropError<VnlErrorCode> {
  constructor(code: VnlErrorCode, message: string, options: InteropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'VnlError';
    brandError(this, vnlErrorBrand);
  }

  /** True for a `VnlError` thrown by any copy of `@interop/vnl`. */
  static override isInstance(error: unknown): error is VnlError {
    return hasErrorBrand(error, vnlErrorBrand);
  }
}
