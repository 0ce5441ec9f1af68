import { brandError, hasErrorBrand, InteropError, type InteropErrorOptions } from '@interop/core';
import type { ImageErrorCode } from './codes.js';

const imageErrorBrand = Symbol.for('@interop/image/ImageError');

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
export class ImageError extends InteropError<ImageErrorCode> {
  constructor(code: ImageErrorCode, message: string, options: InteropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ImageError';
    brandError(this, imageErrorBrand);
  }

  /** True for an `ImageError` thrown by any copy of `@interop/image`. */
  static override isInstance(error: unknown): error is ImageError {
    return hasErrorBrand(error, imageErrorBrand);
  }
}
