// The public API of @interop/core. Everything exported here is covered by semver.
export { BufferError } from './errors/buffer-error.js';
export { bufferErrorCodes, sharedErrorCodes, type BufferErrorCode, type SharedErrorCode } from './errors/codes.js';
export { defineErrorFamily, translateErrors, type ErrorFamily, type TranslateErrorsOptions } from './errors/error-family.js';
export { brandError, hasErrorBrand, InteropError, type ErrorDetails, type InteropErrorOptions } from './errors/interop-error.js';
export { BufferFlags, describeFlags, hasFlag, MAX_NDIM, type BufferFlagName } from './flags.js';
export { getbuffer, PROTOCOL_VERSION, releasebuffer } from './symbols.js';
export type { BufferInfo, BufferSegment, BufferSource, Exporter } from './buffer-info.js';
export { ExportLock } from './export-lock.js';
export {
  allocateBuffer,
  DEFAULT_ALLOCATOR_THRESHOLD,
  installNativeAllocatorIfPresent,
  registerAllocator,
  registeredAllocator,
  resetAllocator,
  type AllocateOptions,
  type AllocatorRegistration,
  type BufferAllocator,
  type RegisterAllocatorOptions,
} from './allocator.js';
export { exportBuffer, type ExportLayout } from './export-buffer.js';
export { loadOptionalPeer, type LoadOptionalPeerOptions } from './optional-peer.js';
export { assertAttached, detachedMemoryError } from './detached.js';
export {
  cStrides,
  describeObject,
  fStrides,
  isCContiguous,
  isDetached,
  isFContiguous,
  layoutExtent,
  resolveLayout,
  shapeSize,
  validateBufferInfo,
  type Layout,
} from './layout.js';
export {
  getBuffer,
  isExporter,
  isReleased,
  registerExporter,
  registeredExporters,
  releaseBuffer,
  supportsBuffer,
  unregisterExporter,
  type ExporterAdapter,
} from './protocol.js';
export { isExportTracing, resetLeakReports, setExportTracing } from './leaks.js';
export { isAbortError, longOperation, throwIfAborted, type LongOperationOptions, type Progress } from './progress.js';
export { formatItemsize, MAX_STRUCT_DEPTH, NATIVE_ENDIANNESS, parseFormat } from './format/parse.js';
export type { ByteOrderChar, Endianness, FormatField, FormatType, ParsedFormat, ScalarFormat, ScalarKind, StructFormat } from './format/types.js';
export { formatToString } from './format/format-to-string.js';
export {
  formatForTypedArray,
  typedArrayForFormat,
  typedArrayMapping,
  type AnyTypedArray,
  type TypedArrayConstructor,
  type TypedArrayMapping,
} from './format/typed-array-format.js';
export {
  formatFromNumpyDtype,
  numpyDtypeFromFormat,
  type NumpyDatetimeField,
  type NumpyDatetimeUnit,
  type NumpyDescr,
  type NumpyDescrField,
  type NumpyDtypeOptions,
  type NumpyFieldName,
  type NumpyFieldTitle,
  type NumpyFormat,
} from './format/numpy-dtype.js';
export { arrowFormatFromFormat, formatFromArrowFormat, type ArrowFormatOptions } from './format/arrow-format.js';
export { dlpackDtypeFromFormat, DlpackTypeCode, formatFromDlpackDtype, type DlpackDtype } from './format/dlpack-dtype.js';
export {
  MemoryView,
  type CopyIntoOptions,
  type MemoryOrder,
  type MemoryViewCopyOptions,
  type MemoryViewIndex,
  type MemoryViewTypedArray,
  type ReshapeOptions,
} from './memory-view/memory-view.js';
export type { MemoryViewRecord, MemoryViewScalar, MemoryViewValue } from './memory-view/codec.js';
export { itemAccessor, type ItemAccessor } from './memory-view/item-accessor.js';
export type { SliceSpec } from './memory-view/slice.js';
export { halfToNumber, numberToHalf } from './memory-view/float16.js';
// Conversion with NumPy's casting rules (astype), last-axis reinterpretation (view) and value types.
export { canCast, type Casting } from './copy/casting.js';
export { copyItems, type CopyItemsOptions, type StridedItems } from './copy/copy-items.js';
export type { Rounding } from './copy/convert.js';
export type { AstypeOptions, ConvertOptions } from './memory-view/memory-view.js';
export type { FormatValue, MemoryViewInput, MemoryViewList, MemoryViewTypedArrayOf, SourceValue } from './memory-view/value-types.js';
