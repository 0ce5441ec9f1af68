// The Node-only API of @interop/stream ("@interop/stream/node"): files and Node streams.
export { AsyncFileStream, FileStream, type FileMode, type FileStreamOptions } from './file-stream.js';
export { fromNodeReadable, toNodeReadable, toNodeWritable, type ToNodeReadableOptions, type ToNodeWritableOptions } from './node-streams.js';
// Side effect: registers @interop/native's huge-page allocator when installed (see native-allocator.ts).
import './native-allocator.js';
