import { brandError, hasErrorBrand, InteropError, type InteropErrorOptions } from '@interop/core';
import type { NativeErrorCode } from './codes.js';

const nativeErrorBrand = Symbol.for('@interop/native/NativeError');

/**
 * The error of `@interop/native`: loading the addon, crossing the C boundary, mapping files and
 * shared memory, native handles; with a stable `code` from `nativeErrorCodes`.
 *
 * @example
 * ```ts
 * import { mapFile, NativeError } from '@interop/native';
 * try { mapFile('/no/such/file', { mode: 'r' }); } catch (error) {
 *   if (NativeError.isInstance(error)) console.log(error.code); // "ERR_NATIVE_FILE_NOT_FOUND"
 * }
 * ```
 */
export class NativeError extends InteropError<NativeErrorCode> {
  constructor(code: NativeErrorCode, message: string, options: InteropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'NativeError';
    brandError(this, nativeErrorBrand);
  }

  /** True for a `NativeError` thrown by any copy of `@interop/native`. */
  static override isInstance(error: unknown): error is NativeError {
    return hasErrorBrand(error, nativeErrorBrand);
  }
}
