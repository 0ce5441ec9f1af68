import { defineErrorFamily, type ErrorFamily, type InteropError } from '@interop/core';
import { nativeErrorCodes, type NativeErrorCode } from './codes.js';

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
export const NativeError: ErrorFamily<NativeErrorCode> = defineErrorFamily('NativeError', '@interop/native/NativeError', nativeErrorCodes);
/** An instance of {@link NativeError}. */
export type NativeError = InteropError<NativeErrorCode>;
