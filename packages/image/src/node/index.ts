// The Node-only entry of @interop/image ("@interop/image/node"): image files by path.
export { readImageFile, writeImageFile, type ImageFileCodec, type ReadImageFileOptions, type WriteImageFileOptions } from './image-file.js';
