import { defineErrorFamily, type ErrorFamily, type InteropError } from '@interop/core';
import { pandasErrorCodes, type PandasErrorCode } from './codes.js';

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
 *   if (PandasError.isInstance(error)) console.log(error.code); // "ERR_SHAPE_MISMATCH"
 * }
 * ```
 */
export const PandasError: ErrorFamily<PandasErrorCode> = defineErrorFamily('PandasError', '@interop/pandas/PandasError', pandasErrorCodes);
/** An instance of {@link PandasError}. */
export type PandasError = InteropError<PandasErrorCode>;
