import { brandError, hasErrorBrand, InteropError, type InteropErrorOptions } from '@interop/core';
import type { NpyErrorCode } from './codes.js';

const npyErrorBrand = Symbol.for('@interop/npy/NpyError');

/**
 * The error of `@interop/npy`: every refusal of a malformed or unsupported `.npy` / `.npz` file,
 * array interface or option, with a stable `code` from `npyErrorCodes`.
 *
 * @example
 * ```ts
 * import { NpyError, readNpy } from '@interop/npy';
 * try { readNpy(new Uint8Array([1, 2, 3])); } catch (error) {
 *   if (NpyError.isInstance(error)) console.log(error.code); // "ERR_NPY_BAD_MAGIC"
 * }
 * ```
 */
export class NpyError extends InteropError<NpyErrorCode> {
  constructor(code: NpyErrorCode, message: string, options: InteropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'NpyError';
    brandError(this, npyErrorBrand);
  }

  /** True for an `NpyError` thrown by any copy of `@interop/npy`. */
  static override isInstance(error: unknown): error is NpyError {
    return hasErrorBrand(error, npyErrorBrand);
  }
}
