import { defineErrorFamily, type ErrorFamily, type InteropError } from '@interop/core';
import { vnlErrorCodes, type VnlErrorCode } from './codes.js';

/**
 * The error of `@interop/vnl`: bad sizes, indices, element types and array layouts, each with a
 * stable `code` from `vnlErrorCodes`. Protocol failures (a held export) stay `BufferError`s.
 *
 * @example
 * ```ts
 * import { VnlError, VnlVector } from '@interop/vnl';
 * try { new VnlVector('float64', 3).get(5); } catch (error) {
 *   if (VnlError.isInstance(error)) console.log(error.code); // "ERR_INDEX_OUT_OF_RANGE"
 * }
 * ```
 */
export const VnlError: ErrorFamily<VnlErrorCode> = defineErrorFamily('VnlError', '@interop/vnl/VnlError', vnlErrorCodes);
/** An instance of {@link VnlError}. */
export type VnlError = InteropError<VnlErrorCode>;
