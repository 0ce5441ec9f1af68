import { defineErrorFamily, type ErrorFamily, type InteropError } from '@interop/core';
import { imageErrorCodes, type ImageErrorCode } from './codes.js';

/**
 * The error of `@interop/image`: a bad image type, geometry, index, axes order or view request,
 * with a stable `code` from `imageErrorCodes`.
 *
 * @example
 * ```ts
 * import { Image, ImageError } from '@interop/image';
 * try { new Image({ size: [2, 2], direction: [0, 0, 0, 0] }); } catch (error) {
 *   if (ImageError.isInstance(error)) console.log(error.code); // "ERR_IMAGE_GEOMETRY"
 * }
 * ```
 */
export const ImageError: ErrorFamily<ImageErrorCode> = defineErrorFamily('ImageError', '@interop/image/ImageError', imageErrorCodes);
/** An instance of {@link ImageError}. */
export type ImageError = InteropError<ImageErrorCode>;
