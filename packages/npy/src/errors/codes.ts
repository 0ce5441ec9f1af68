import type { SharedErrorCode } from '@interop/core';

/**
 * Every code an `NpyError` can carry, with its one-line meaning (mirrored in docs/errors.md).
 * Codes are part of semver: a code is never renamed or reused for another failure.
 */
export const npyErrorCodes = {
  ERR_NPY_BAD_MAGIC: 'The bytes do not start with the .npy magic string "\\x93NUMPY".',
  ERR_NPY_UNSUPPORTED_VERSION: 'The .npy format version is not 1.0, 2.0 or 3.0.',
  ERR_NPY_TRUNCATED: 'The file ends inside the magic string, the header length field or the header (its length field points beyond the file).',
  ERR_NPY_HEADER_TOO_LARGE: 'The header is longer than maxHeaderSize (10000 characters unless raised), as NumPy refuses by default.',
  ERR_NPY_HEADER_ENCODING: 'The header bytes are not valid text in the encoding of their version (latin-1, or UTF-8 for 3.0).',
  ERR_NPY_HEADER_SYNTAX: 'The header is not a Python literal (names, calls, operators and malformed tokens are refused; nothing is evaluated).',
  ERR_NPY_HEADER_NOT_DICT: 'The header is a Python literal but not a dictionary.',
  ERR_NPY_HEADER_KEYS: "The header dictionary does not have exactly the keys 'descr', 'fortran_order' and 'shape'.",
  ERR_NPY_BAD_SHAPE: "The header's shape is not a tuple of non-negative integers of at most 64 dimensions.",
  ERR_NPY_BAD_FORTRAN_ORDER: "The header's fortran_order is not True or False.",
  ERR_NPY_BAD_DESCR: "The header's descr is not a valid NumPy dtype description.",
  ERR_NPY_OBJECT_DTYPE: 'The array holds Python objects (pickle); they are never unpickled. Save the array with a non-object dtype.',
  ERR_NPY_UNSUPPORTED_DTYPE: 'The dtype is valid NumPy but has no PEP 3118 counterpart this package can expose (or write).',
  ERR_NPY_SIZE_OVERFLOW: 'The product of the shape times the itemsize exceeds what can be addressed (checked exactly).',
  ERR_NPY_DATA_TRUNCATED: 'The data after the header is shorter than the header promises.',
  ERR_NPY_DESTINATION_MISMATCH: 'A destination exporter given to readNpyInto is read-only, not contiguous, or of another size or layout than the file.',
  ERR_NPY_MMAP_UNAVAILABLE: 'mmap was requested but @interop/native is not installed, failed to load or has no mapFile.',
  ERR_NPY_SHARED_MISALIGNED: 'A shared .npy file has its data at an offset not aligned for its dtype, so it cannot be shared without a copy.',
  ERR_NPY_STREAM: 'A stream ended early or failed while reading or writing .npy data.',
  ERR_NPZ_CORRUPT: 'The .npz (zip) archive is malformed: no end record, a central directory or local header out of range or inconsistent.',
  ERR_NPZ_UNSUPPORTED: 'The .npz member uses a zip feature outside NumPy archives (encryption, a method other than STORED or DEFLATE, multiple disks).',
  ERR_NPZ_CRC_MISMATCH: "A member's decompressed bytes do not match the CRC-32 recorded in the archive.",
  ERR_NPZ_MEMBER_NOT_FOUND: 'No member of that name (with or without ".npy") is in the archive.',
  ERR_ARRAY_INTERFACE_INVALID: 'An __array_interface__ dictionary is malformed or does not fit the buffer it is paired with.',
} as const;

/** A stable error code of `NpyError`: its own codes and the shared ones (`sharedErrorCodes` of @interop/core). */
export type NpyErrorCode = keyof typeof npyErrorCodes | SharedErrorCode;
