// The IOLink entry of @interop/image ("@interop/image/iolink"): IOLink's image views and its NumPy
// interoperability (NumpyInterop), in IOLink's words. ITK's Image and what both models share
// (files, display, ImageError, component types) are in the main entry, "@interop/image".
export { AxesInterpretation, ImageAxis, interpretationAxes, interpretationOfAxes, isAxesInterpretation } from './image-axis.js';
export { DataTypeId, dataTypeInfo, dataTypeOf, type DataTypeInfo } from './data-type.js';
export { ImageView, type ImageViewProperties, type ImageViewValue } from './image-view.js';
export { fromArray, fromArrayWithAxes, toArray, toArrayWithAxes } from './view-array.js';
export { MultiImageView } from './multi-image-view.js';
