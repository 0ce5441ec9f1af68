import type { SharedErrorCode } from '@interop/core';

/**
 * Every code a `NativeError` can carry, with the one-line meaning documented in docs/errors.md.
 * Codes are part of semver: a code is never renamed or reused for another failure. Protocol
 * failures (a live export refusing `close()`, a read-only request...) keep core's `BufferError` codes.
 */
export const nativeErrorCodes = {
  ERR_NATIVE_ADDON_NOT_FOUND: 'The compiled addon (interop_native.node) is in none of the locations tried; build it with the command in the message.',
  ERR_NATIVE_ADDON_ABI_MISMATCH: 'The compiled addon was built for another Node.js ABI or Node-API version than the running Node; rebuild it.',
  ERR_NATIVE_ADDON_LOAD_FAILED: 'The compiled addon exists but could not be loaded (corrupt file, wrong platform, missing library).',
  ERR_NATIVE_NO_BRIDGE: 'A native addon used interop/buffer.h before @interop/native was imported in this JavaScript realm, or with another bridge version.',
  ERR_NATIVE_NAPI: 'A Node-API call failed inside interop/buffer.h.',
  ERR_NATIVE_INVALID_MODE: 'mapFile was given a mode other than "r", "r+" or "c".',
  ERR_NATIVE_INVALID_SIZE: 'A shared memory size is not a positive safe integer, or an attached segment has size 0.',
  ERR_NATIVE_FILE_NOT_FOUND: 'The file to map does not exist.',
  ERR_NATIVE_NOT_A_FILE: 'The path to map is a directory or another non-regular file.',
  ERR_NATIVE_EMPTY_FILE: 'The file to map is empty; a mapping needs at least one byte.',
  ERR_NATIVE_PERMISSION_DENIED: 'The operating system refused access (file mode, read-only file system, shared memory permissions).',
  ERR_NATIVE_NO_SPACE: 'The shared directory (/dev/shm: memory) has less free space than the file asked for.',
  ERR_NATIVE_SYSTEM: 'Another operating-system call failed; details.errno and details.syscall say which.',
  ERR_NATIVE_NOT_A_HANDLE: 'The value is not a native handle made by interop::wrap_shared.',
  ERR_NATIVE_HANDLE_TYPE: 'A native handle was unwrapped as another C++ type than it holds (its type tag differs).',
  ERR_NATIVE_TOO_LARGE:
    'A mapping or shared memory segment is larger than the address space, the file system or V8 (2^53 - 1 bytes) allows; nothing was left behind.',
  ERR_NATIVE_UNPINNABLE: "A C borrow could not keep the memory alive (the addon that pins V8 backing stores is not loaded); build @interop/native's addon.",
  ERR_NATIVE_CODEC_UNAVAILABLE:
    'The system compression library a decoder needs (liblz4 for LZ4, libzstd for ZSTD) could not be opened, lacks a function, or is too old; codecLibrary() says why.',
  ERR_NATIVE_CORRUPT_DATA: 'Compressed bytes are not valid frames of their codec: corrupt, truncated, or failing a checksum or content-size check.',
  ERR_NATIVE_DESTINATION_TOO_SMALL: 'Compressed bytes decompress to more than the destination holds; nothing was written past its end.',
  ERR_NATIVE_UNSUPPORTED_PLATFORM: 'The operation needs POSIX (mmap, shm_open) and this platform does not provide it.',
} as const;

/** A stable error code of `NativeError`: its own codes and the shared ones (`sharedErrorCodes` of @interop/core). */
export type NativeErrorCode = keyof typeof nativeErrorCodes | SharedErrorCode;
