// The public API of @interop/npy (browser-safe: no Node built-ins). Node file helpers: '@interop/npy/node'.
export { NpyError } from './errors/npy-error.js';
export { npyErrorCodes, type NpyErrorCode } from './errors/codes.js';
export type { ByteSource } from './internal/bytes.js';
export { NpyArray, type NpyArrayInit } from './npy-array.js';
export { DEFAULT_MAX_HEADER_SIZE, parseNpyHeader, type NpyHeader, type NpyHeaderOptions, type NpyVersion } from './npy-header.js';
export { readNpy, type ReadNpyOptions } from './read-npy.js';
export { writeNpy, type WriteNpyOptions } from './write-npy.js';
export { NpzFile, readNpz, writeNpz, type NpzMemberInfo, type ReadNpzOptions, type WriteNpzOptions } from './npz.js';
export { fromArrayInterface, toArrayInterface, type ArrayInterface } from './array-interface.js';
export { readNpyFromStream, readNpyHeaderFromStream, readNpyInto, writeNpyToStream, type ReadNpyStreamOptions } from './npy-stream.js';
