/**
 * Every code a `PandasError` can carry, with the one-line meaning documented in docs/errors.md.
 * Codes are part of semver: a code is never renamed or reused for another failure.
 */
export const pandasErrorCodes = {
  ERR_PANDAS_LENGTH_MISMATCH: 'Columns of one frame (or a column and its buffers) have different lengths.',
  ERR_PANDAS_DUPLICATE_NAME: 'Two columns of one frame have the same name.',
  ERR_PANDAS_COLUMN_NOT_FOUND: 'A column name (or position) does not exist in the frame.',
  ERR_PANDAS_INVALID_TYPE: 'A column type specification is not one DataFrameView understands (see the type mapping table).',
  ERR_PANDAS_UNSUPPORTED_TYPE: 'An Arrow, interchange or NumPy type has no DataFrameView counterpart; the error names the type.',
  ERR_PANDAS_INVALID_VALUE: 'A value does not fit the column it is written to (type, range, unknown category).',
  ERR_PANDAS_INDEX_OUT_OF_RANGE: 'A row index or slice bound is outside the frame or column.',
  ERR_PANDAS_ALLOCATION_FAILED: 'The JavaScript engine refused to allocate the memory a column needs (too large for this process); use fewer rows.',
  ERR_PANDAS_INVALID_ARGUMENT: 'An argument has the wrong type or an out-of-domain value.',
  ERR_PANDAS_IPC_INVALID: 'Bytes given as an Arrow IPC file or stream could not be read; the cause is the Arrow reader error.',
  ERR_PANDAS_IPC_SIZE_LIMIT: 'Compressed Arrow IPC buffers declare (or would need) more decompressed bytes than maxDecompressedBytes allows (decompression bomb protection).',
  ERR_PANDAS_CODEC_UNSUPPORTED: 'A compression codec is not available for the requested direction (ZSTD writing needs the native or WebAssembly encoder).',
  ERR_PANDAS_SHARED_INVALID_NAME: 'A shared frame name is not a plain name (1-200 letters, digits, "_", "-", "." starting with a letter, digit or "_"; never a path).',
  ERR_PANDAS_SHARED_EXISTS: 'createSharedFrame was given the name of a shared frame that already exists.',
  ERR_PANDAS_SHARED_NOT_FOUND: 'openSharedFrame or unlink named a shared frame that does not exist (never created, or already unlinked).',
  ERR_PANDAS_SHARED_FAILED: 'The operating system refused a shared-frame operation (no space in /dev/shm, permissions, a symbolic link); the NativeError is the cause.',
  ERR_PANDAS_JSON_INVALID: 'Text given as pandas orient="table" JSON is not JSON, or not a table with a schema and data.',
  ERR_PANDAS_INTERCHANGE_INVALID: 'An object offered as a dataframe interchange object does not follow the protocol.',
  ERR_PANDAS_RECORDS_INVALID: 'A structured (record) array cannot be turned into a frame, or a frame into records.',
  ERR_PANDAS_OUT_OF_MEMORY: 'A buffer for decompressed or concatenated data could not be allocated (the engine refused the size).',
  ERR_PANDAS_DATETIME_RANGE: 'A datetime cannot be converted without losing information (outside what a JavaScript Date holds, or not a valid calendar date).',
  ERR_PANDAS_PARQUET_INVALID: 'Bytes given as a Parquet file (or a file of a Parquet dataset) could not be read: bad framing, metadata or pages; the cause is the reader error.',
  ERR_PANDAS_PARQUET_SIZE_LIMIT: 'A Parquet file declares (or its pages would decompress to) more bytes than maxDecompressedBytes allows (decompression bomb protection).',
  ERR_PANDAS_ADAPTER_UNAVAILABLE: 'An optional adapter was used without its peer dependency, or given an object of the wrong kind.',
} as const;

/** A stable error code of `PandasError`. */
export type PandasErrorCode = keyof typeof pandasErrorCodes;
