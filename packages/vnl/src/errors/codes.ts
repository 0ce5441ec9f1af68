/**
 * Every code a `VnlError` can carry, with the one-line meaning documented in docs/errors.md.
 * Codes are part of semver: a code is never renamed or reused for another failure.
 */
export const vnlErrorCodes = {
  ERR_VNL_INVALID_TYPE: 'An element type name is not one of the numeric types a VnlVector or VnlMatrix can hold.',
  ERR_VNL_INVALID_SIZE: 'A size, row count or column count is not a non-negative safe integer.',
  ERR_VNL_INDEX_OUT_OF_RANGE: 'An element, row or column index is outside the vector or matrix.',
  ERR_VNL_INVALID_VALUE: 'A value does not fit the element type (a bigint for a float, a number for a 64-bit integer, a malformed complex pair).',
  ERR_VNL_SIZE_MISMATCH: 'Two operands (or a source and a destination) that must agree in size or shape do not.',
  ERR_VNL_TYPE_MISMATCH: 'Two operands, or an array and a requested element type, have different element types.',
  ERR_VNL_FORMAT_UNSUPPORTED: 'An array has a format with no vnl element type (bool, float16, records, bytes, long double).',
  ERR_VNL_DIMENSION_MISMATCH: 'An array has the wrong number of dimensions for the function (1 for vectors, 2 for matrices).',
  ERR_VNL_LAYOUT_UNSUPPORTED: 'A zero-copy view was asked of an array that is not C-contiguous, native-endian and aligned; copy it instead.',
  ERR_VNL_REFERENCE_FIXED: 'A vector or matrix that borrows another object\'s memory was asked to resize.',
  ERR_VNL_RELEASED: 'A vector or matrix that borrowed another object\'s memory was used after release().',
  ERR_VNL_EMPTY: 'A reduction that needs at least one element (min, max, mean) was asked of an empty vector or matrix.',
} as const;

/** A stable error code of `VnlError`. */
export type VnlErrorCode = keyof typeof vnlErrorCodes;
