// The public API of @interop/image: ITK's vocabulary (Image, imageFromArray / arrayViewFromImage,
// itk-wasm) and what it shares with the IOLink entry (files, display, ImageData, component types,
// ImageError). IOLink's ImageView, MultiImageView, fromArray / toArray, DataTypeId and axes are in
// "@interop/image/iolink"; file paths in "@interop/image/node". Everything exported is covered by semver.
export { imageErrorCodes, type ImageErrorCode } from './errors/codes.js';
export { ImageError } from './errors/image-error.js';
export {
  assertComponentType,
  componentArray,
  componentFormat,
  componentItemsize,
  componentTypeFromFormat,
  componentTypes,
  isComponentType,
  type ComponentArray,
  type ComponentType,
  type FormatComponents,
} from './component-type.js';
export { isPixelType, pixelTypeComponents, pixelTypes, resolveComponents, type PixelType } from './pixel-type.js';
export { Image, type ArrayGeometry, type ImageOptions, type ImageRegion, type ImageType, type PixelValue } from './image.js';
export {
  arrayFromImage,
  arrayViewFromImage,
  imageFromArray,
  imageViewFromArray,
  type ArrayFromImageOptions,
  type ImageFromArrayOptions,
  type ImageTypeRequest,
} from './image-array.js';
export { dictFromImage, imageFromDict, type ImageDict, type ImageFromDictOptions } from './image-dict.js';
export {
  fromItkWasm,
  toItkWasm,
  type ItkWasmComponentType,
  type ItkWasmImage,
  type ItkWasmMetadata,
  type ItkWasmPixelType,
  type ItkWasmTypedArray,
} from './itk-wasm.js';
export { imageDataFromImage, imageFromImageData, releaseImageData, type ImageDataLike } from './image-data.js';
export { toRGBA, type ColorMapName, type ColorStops, type DisplayOptions } from './display.js';
export { readImage, writeImage, type ImageCodec, type ImageRasterFormat, type ReadImageOptions, type WriteImageOptions } from './image-file.js';
