import type { SharedErrorCode } from '@interop/core';

/**
 * Every code a `PandasError` can carry, with the one-line meaning documented in docs/errors.md.
 * Codes are part of semver: a code is never renamed or reused for another failure.
 */
export const pandasErrorCodes = {
  ERR_PANDAS_DUPLICATE_NAME: 'Two columns of one frame have the same name.',
  ERR_PANDAS_COLUMN_NOT_FOUND: 'A column name (or position) does not exist in the frame.',
  ERR_PANDAS_INVALID_TYPE: 'A column type specification is not one DataFrameView understands (see the type mapping table).',
  ERR_PANDAS_UNSUPPORTED_TYPE: 'An Arrow, interchange or NumPy type has no DataFrameView counterpart; the error names the type.',
  ERR_PANDAS_IPC_INVALID: 'Bytes given as an Arrow IPC file or stream could not be read; the cause is the Arrow reader error.',
  ERR_PANDAS_CODEC_UNSUPPORTED: 'A compression codec is not available for the requested direction (ZSTD writing needs the native or WebAssembly encoder).',
  ERR_PANDAS_JSON_INVALID: 'Text given as pandas orient="table" JSON is not JSON, or not a table with a schema and data.',
  ERR_PANDAS_INTERCHANGE_INVALID: 'An object offered as a dataframe interchange object does not follow the protocol.',
  ERR_PANDAS_RECORDS_INVALID: 'A structured (record) array cannot be turned into a frame, or a frame into records.',
  ERR_PANDAS_DATETIME_RANGE: 'A datetime cannot be converted without losing information (outside what a JavaScript Date holds, or not a valid calendar date).',
  ERR_PANDAS_PARQUET_INVALID:
    'Bytes given as a Parquet file (or a file of a Parquet dataset) could not be read: bad framing, metadata or pages; the cause is the reader error.',
  ERR_PANDAS_ADAPTER_UNAVAILABLE: 'An optional adapter was used without its peer dependency, or given an object of the wrong kind.',
} as const;

/** A stable error code of `PandasError`: its own codes and the shared ones (`sharedErrorCodes` of @interop/core). */
export type PandasErrorCode = keyof typeof pandasErrorCodes | SharedErrorCode;
