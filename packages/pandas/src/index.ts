// The public API of @interop/pandas. Everything exported here is covered by semver.
export { PandasError } from './errors/pandas-error.js';
export { pandasErrorCodes, type PandasErrorCode } from './errors/codes.js';
export {
  formatColumnType,
  isIntegerTypeName,
  isNumericTypeName,
  parseColumnType,
  sameColumnType,
  type ColumnKind,
  type ColumnType,
  type ColumnTypeSpec,
  type FloatTypeName,
  type IntegerTypeName,
  type NumericTypeName,
  type TimeUnit,
} from './column-type.js';
export { Column, type ColumnParts, type ColumnValue, type ColumnValues, type Validity } from './column.js';
export { DataFrameView, type ColumnInput, type FrameIndex, type FrameIndexInput, type FrameOptions } from './data-frame-view.js';
export {
  dataframe,
  type InterchangeBuffer,
  type InterchangeCategoricalDescription,
  type InterchangeColumn,
  type InterchangeColumnBuffers,
  type InterchangeDataFrame,
  type InterchangeDtype,
  type InterchangeDtypeKind,
  type InterchangeNullKind,
  type InterchangeOptions,
  type InterchangeSource,
  type InterchangeTypedBuffer,
} from './interchange-types.js';
export { fromInterchange } from './interchange.js';
export { fromArrowTable, toArrowTable, type FromArrowOptions, type ToArrowOptions } from './arrow.js';
export { readArrowIPC, writeArrowIPC, type ReadArrowIPCOptions, type WriteArrowIPCOptions } from './arrow-ipc.js';
export { readParquet, readParquetBatches, writeParquet, type ReadParquetBatchesOptions, type ReadParquetOptions, type WriteParquetOptions } from './parquet.js';
export { readPandasJSON, writePandasJSON, type WritePandasJSONOptions } from './pandas-json.js';
export { fromRecords, toRecords, type ToRecordsOptions } from './records.js';
// Codecs, datetimes and pandas value semantics (issues 15 §4 and 18 §2).
export { codecImplementations, loadZstdEncoder, useNativeCodecs, type CodecImplementations } from './codecs.js';
export { RecordArray } from './record-array.js';
export type { FromRecordsOptions } from './records.js';
export type { DateOptions, ValueOptions } from './column.js';
