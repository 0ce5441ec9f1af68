import type { SharedErrorCode } from '@interop/core';

/**
 * Every code a `VnlError` can carry, with the one-line meaning documented in docs/errors.md.
 * Codes are part of semver: a code is never renamed or reused for another failure.
 */
export const vnlErrorCodes = {
  ERR_VNL_INVALID_TYPE: 'An element type name is not one of the numeric types a VnlVector or VnlMatrix can hold.',
  ERR_VNL_INVALID_SIZE: 'A size, row count or column count is not a non-negative safe integer.',
  ERR_VNL_TYPE_MISMATCH: 'Two operands, or an array and a requested element type, have different element types.',
  ERR_VNL_DIMENSION_MISMATCH: 'An array has the wrong number of dimensions for the function (1 for vectors, 2 for matrices).',
  ERR_VNL_LAYOUT_UNSUPPORTED: 'A zero-copy view was asked of an array that is not C-contiguous, native-endian and aligned; copy it instead.',
  ERR_VNL_EMPTY: 'A reduction that needs at least one element (min, max, mean) was asked of an empty vector or matrix.',
} as const;

/** A stable error code of `VnlError`: its own codes and the shared ones (`sharedErrorCodes` of @interop/core). */
export type VnlErrorCode = keyof typeof vnlErrorCodes | SharedErrorCode;
