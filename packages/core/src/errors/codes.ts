/**
 * The codes every Interop error family can carry: the kinds of failure that cut across packages
 * (a bad argument, use after release or close, an index or shape that does not fit...). Each
 * package adds only its domain codes (see {@link defineErrorFamily}). Codes are part of semver:
 * a code is never renamed or reused for another failure. Mirrored in docs/errors.md.
 */
export const sharedErrorCodes = {
  ERR_INVALID_ARGUMENT: 'An argument or option has the wrong type or an out-of-domain value; the message names the argument and what it accepts.',
  ERR_BUFFER_RELEASED:
    'An object was used after release() or close(): a released BufferInfo or MemoryView, a closed stream or .npy file, a released image view, vector, native view or handle; or it was released twice.',
  ERR_BUFFER_EXPORTED:
    'An operation that could move, resize or free memory (or end a view others still use) was attempted while exports are held. Release every view first.',
  ERR_BUFFER_DETACHED: 'The ArrayBuffer behind an export or object has been detached (transferred or resized away).',
  ERR_BUFFER_NOT_CONTIGUOUS: 'A C-, Fortran- or any-contiguous layout was required of memory that is not laid out that way; copy it first.',
  ERR_BUFFER_MISALIGNED: 'A zero-copy view was requested over memory whose byte offset or strides are not multiples of the element size; copy instead.',
  ERR_BUFFER_OUT_OF_BOUNDS: 'A layout (offset, shape and strides) reaches outside its buffer or memory block.',
  ERR_BUFFER_INVALID_LAYOUT:
    'A layout is inconsistent: negative or non-integer shape entries, ndim/shape/strides length mismatch, itemsize disagreeing with format, overflowing size.',
  ERR_BUFFER_ALLOCATION_FAILED:
    'Fresh memory could not be allocated: the engine or the operating system refused the size, or a registered allocator failed and was registered without fallback. Use less memory at once (stream it, split it).',
  ERR_INDEX_OUT_OF_RANGE: 'An element, row, column, pixel index or slice bound is outside the dimension, region or length it addresses.',
  ERR_SHAPE_MISMATCH: 'Two layouts, operands or columns that must agree in shape, size or length do not.',
  ERR_FORMAT_UNSUPPORTED:
    'A valid format has no counterpart in the requested target (TypedArray, NumPy dtype, Arrow type, DLPack, a vnl element type) or operation.',
  ERR_VALUE_INVALID: 'A value does not fit the format, pixel type, element type or column it is written as (range, type, length, unknown category).',
  ERR_NOT_RESIZABLE:
    'An object over memory it does not own (a view, a borrowed vector or matrix, a stream over borrowed memory) was asked to resize or reallocate.',
  ERR_SIZE_LIMIT:
    'An input declares more than a safety limit allows (maxPixels, maxMemberSize / maxTotalSize, decompressed IPC or Parquet size): a guard against decompression bombs. Raise the limit to read it.',
  ERR_SHARED_INVALID_NAME:
    'A shared memory, shared file, shared array or shared frame name is not a plain name (1-200 letters, digits, "_", "-", "." starting with a letter, digit or "_"; never a path).',
  ERR_SHARED_EXISTS: 'A create call was given the name of a shared segment, file, array or frame that already exists.',
  ERR_SHARED_NOT_FOUND: 'An open, attach or unlink call named a shared segment, file, array or frame that does not exist (never created, or already unlinked).',
  ERR_SHARED_FAILED:
    'The operating system refused a shared-memory operation (no space in /dev/shm, permissions, a symbolic link); the NativeError is the cause.',
  ERR_ABORTED:
    "A long operation was stopped by its AbortSignal; nothing half-done was kept (a file being written is removed). The signal's reason is the error's cause.",
} as const;

/** A code any Interop error family can carry (see `sharedErrorCodes`). */
export type SharedErrorCode = keyof typeof sharedErrorCodes;

/**
 * The codes only a `BufferError` carries: failures of the protocol itself (requests, format
 * strings, casts, adapters). Shared codes (`sharedErrorCodes`) are valid for it too.
 */
export const bufferErrorCodes = {
  ERR_BUFFER_READONLY: 'A writable export was requested from, or a write attempted through, read-only memory.',
  ERR_BUFFER_FLAGS_UNSUPPORTED:
    'The request flags cannot be satisfied (e.g. FORMAT without ND, no STRIDES for a strided layout, no INDIRECT for an indirect one).',
  ERR_BUFFER_TOO_MANY_DIMENSIONS: 'More than 64 dimensions were requested or exported.',
  ERR_BUFFER_NOT_EXPORTER: 'The object does not support the buffer protocol and no registered adapter accepts it.',
  ERR_BUFFER_PROTOCOL_VERSION: 'The exporter declares a protocolVersion this copy of @interop/core does not speak.',
  ERR_BUFFER_ADAPTER: 'An adapter registration is invalid (missing test/getbuffer hooks, or already registered).',
  ERR_FORMAT_INVALID: 'A struct format string is malformed; the error names the position.',
  ERR_CAST_INVALID: 'A cast or reshape breaks the rules (non-contiguous source, size disagreement, unsupported formats).',
  ERR_CASTING_RULE:
    "A conversion between two formats is not allowed under the requested casting rule ('no', 'equiv', 'safe', 'same_kind'), as NumPy's can_cast; details name the rule and both formats.",
  ERR_BUFFER_TOO_LARGE:
    'An operation needs a TypedArray or DataView longer than the JavaScript engine allows (e.g. a byte view of more than 4 GiB in Node 20).',
  ERR_BUFFER_RELEASE_FAILED: "An exporter's releasebuffer threw a non-Interop error; the export is considered ended. The exporter's error is the cause.",
} as const;

/** A stable error code of `BufferError`: its own codes and the shared ones. */
export type BufferErrorCode = keyof typeof bufferErrorCodes | SharedErrorCode;
