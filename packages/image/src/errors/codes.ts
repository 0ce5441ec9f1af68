import type { SharedErrorCode } from '@interop/core';

/**
 * Every code an `ImageError` can carry, with the one-line meaning documented in docs/errors.md.
 * Codes are part of semver: a code is never renamed or reused for another failure.
 * Protocol failures (a held export refusing `allocate`, a read-only buffer) keep core's
 * `BufferError` codes.
 */
export const imageErrorCodes = {
  ERR_IMAGE_COMPONENT_TYPE: 'A component type (or the format of an array) has no image counterpart, or disagrees with the one requested.',
  ERR_IMAGE_PIXEL_TYPE: 'A pixel type is unknown, or its number of components disagrees with the data.',
  ERR_IMAGE_DIMENSION: 'A size, index, point, spacing, origin or direction has the wrong number of entries, or the dimension is out of range.',
  ERR_IMAGE_GEOMETRY: 'Spacing, origin or direction values are invalid (non-finite, zero spacing, singular direction).',
  ERR_IMAGE_NOT_ALLOCATED: 'The pixel buffer was used before allocate() (or after the region changed).',
  ERR_IMAGE_BYTE_ORDER:
    'A zero-copy view was asked of an array whose byte order is not native (a big-endian array on a little-endian machine); copy it with imageFromArray() to swap.',
  ERR_IMAGE_OPTIONS_CONFLICT: 'Options that exclude each other were given together (isVector and ttype).',
  ERR_IMAGE_AXES_INVALID: 'An axes list repeats an axis, has the wrong length, or names no known axes interpretation.',
  ERR_IMAGE_AXES_UNKNOWN: 'An explicit axis order was asked of a view whose axes interpretation is UNKNOWN.',
  ERR_IMAGE_DATA_TYPE: 'An IOLink data type is unknown, or does not fit the array or interpretation.',
  ERR_IMAGE_FRAMES_MISMATCH: 'The frames of a MultiImageView disagree in shape, data type or layout.',
  ERR_IMAGE_FILE_FORMAT:
    'An image file format is unknown, could not be told from the name or bytes, or cannot hold this image type (such as float pixels as PNG).',
  ERR_IMAGE_CODEC_MISSING:
    'The optional package that reads or writes this file format (sharp, @itk-wasm/image-io) is not installed; the message names what to install.',
  ERR_IMAGE_CODEC_FAILED:
    'A codec could not decode or encode an image: corrupt or truncated bytes, an unreadable file, or a result that does not describe its own pixels.',
} as const;

/** A stable error code of `ImageError`: its own codes and the shared ones (`sharedErrorCodes` of @interop/core). */
export type ImageErrorCode = keyof typeof imageErrorCodes | SharedErrorCode;
