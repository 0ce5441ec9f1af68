import { brandError, hasErrorBrand, InteropError, type InteropErrorOptions } from '@interop/core';
import type { PandasErrorCode } from './codes.js';

const pandasErrorBrand = Symbol.for('@interop/pandas/PandasError');

/**
 * The error of `@interop/pandas`: every failure to build, convert, read or write a frame, with a
 * stable `code` from `pandasErrorCodes`. No partially built frame is ever returned with it.
 *
 * @example
 * ```ts
 * import { DataFrameView, PandasError } from '@interop/pandas';
 * try {
 *   DataFrameView.fromColumns({ a: [1, 2], b: [1] });
 * } catch (error) {
 *   if (PandasError.isInstance(error)) console.log(error.code); // "ERR_PANDAS_LENGTH_MISMATCH"
 * }
 * ```
 */
export class PandasError extends InteropError<PandasErrorCode> {
  constructor(code: PandasErrorCode, message: string, options: InteropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'PandasError';
    brandError(this, pandasErrorBrand);
  }

  /** True for a `PandasError` thrown by any copy of `@interop/pandas`. */
  static override isInstance(error: unknown): error is PandasError {
    return hasErrorBrand(error, pandasErrorBrand);
  }
}
