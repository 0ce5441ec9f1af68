// The public API of @interop/vnl. Everything exported here is covered by semver.
export { VnlError } from './errors/vnl-error.js';
export { vnlErrorCodes, type VnlErrorCode } from './errors/codes.js';
export {
  isVnlElementType,
  vnlElementTypeFromFormat,
  vnlElementTypes,
  vnlFormat,
  type VnlComplex,
  type VnlData,
  type VnlElementType,
  type VnlElementTypeMap,
  type VnlInput,
  type VnlValue,
} from './element-type.js';
export { VnlVector, VnlVectorRef } from './vnl-vector.js';
export { VnlMatrix, VnlMatrixRef } from './vnl-matrix.js';
export { vnlMatrixFromArray, vnlMatrixViewFromArray, vnlVectorFromArray, vnlVectorViewFromArray } from './vnl-from-array.js';
export {
  arrayFromVnlMatrix,
  arrayFromVnlVector,
  arrayViewFromVnlMatrix,
  arrayViewFromVnlVector,
  transposedArrayViewFromVnlMatrix,
  type VnlArray,
} from './array-from-vnl.js';
