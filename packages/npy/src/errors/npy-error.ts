import { defineErrorFamily, type ErrorFamily, type InteropError } from '@interop/core';
import { npyErrorCodes, type NpyErrorCode } from './codes.js';

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
export const NpyError: ErrorFamily<NpyErrorCode> = defineErrorFamily('NpyError', '@interop/npy/NpyError', npyErrorCodes);
/** An instance of {@link NpyError}. */
export type NpyError = InteropError<NpyErrorCode>;
