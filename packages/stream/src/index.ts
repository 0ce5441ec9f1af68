// The public API of @interop/stream (browser-safe). Node-only streams live in "@interop/stream/node".
export { StreamError } from './errors/stream-error.js';
export { streamErrorCodes, type StreamErrorCode } from './errors/codes.js';
export { DEFAULT_CHUNK_SIZE, SEEK_CUR, SEEK_END, SEEK_SET, type AsyncStreamAccess, type StreamAccess, type Whence } from './stream-access.js';
export { MemoryStream, type MemoryStreamOptions } from './memory-stream.js';
export { BufferStream, type BufferStreamOptions } from './buffer-stream.js';
export { toRawIO, type RawIO } from './raw-io.js';
export { fromReadableStream, toReadableStream, toWritableStream, type ToReadableStreamOptions, type ToWritableStreamOptions } from './web-streams.js';
