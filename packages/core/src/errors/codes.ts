/**
 * Every code a `BufferError` can carry, with the one-line meaning documented in docs/errors.md.
 * Codes are part of semver: a code is never renamed or reused for another failure.
 */
export const bufferErrorCodes = {
  ERR_BUFFER_EXPORTED:
    'An operation that could move, resize or free memory (or end a view others still use) was attempted while exports are held. Release every view first.',
  ERR_BUFFER_RELEASED: 'A released BufferInfo or MemoryView was used, or released a second time.',
  ERR_BUFFER_READONLY: 'A writable export was requested from, or a write attempted through, read-only memory.',
  ERR_BUFFER_NOT_CONTIGUOUS: 'A C-, Fortran- or any-contiguous export was requested from memory that is not laid out that way.',
  ERR_BUFFER_FLAGS_UNSUPPORTED:
    'The request flags cannot be satisfied (e.g. FORMAT without ND, no STRIDES for a strided layout, no INDIRECT for an indirect one).',
  ERR_BUFFER_OUT_OF_BOUNDS: 'A layout (offset, shape and strides) reaches outside its buffer.',
  ERR_BUFFER_INVALID_LAYOUT:
    'A layout is inconsistent: negative or non-integer shape entries, ndim/shape/strides length mismatch, itemsize disagreeing with format, overflowing size.',
  ERR_BUFFER_TOO_MANY_DIMENSIONS: 'More than 64 dimensions were requested or exported.',
  ERR_BUFFER_DETACHED: 'The ArrayBuffer behind an export has been detached (transferred or resized away).',
  ERR_BUFFER_NOT_EXPORTER: 'The object does not support the buffer protocol and no registered adapter accepts it.',
  ERR_BUFFER_PROTOCOL_VERSION: 'The exporter declares a protocolVersion this copy of @interop/core does not speak.',
  ERR_BUFFER_ADAPTER: 'An adapter registration is invalid (missing test/getbuffer hooks, or already registered).',
  ERR_FORMAT_INVALID: 'A struct format string is malformed; the error names the position.',
  ERR_FORMAT_UNSUPPORTED: 'A valid format has no counterpart in the requested target (TypedArray, NumPy, Arrow, DLPack) or operation.',
  ERR_INDEX_OUT_OF_RANGE: 'An element index or slice bound is outside the dimension it addresses.',
  ERR_VALUE_INVALID: 'A value does not fit the format it is written as (range, type, length).',
  ERR_SHAPE_MISMATCH: 'Two layouts that must agree in shape or size do not.',
  ERR_CAST_INVALID: 'A cast or reshape breaks the rules (non-contiguous source, size disagreement, unsupported formats).',
  ERR_CASTING_RULE:
    "A conversion between two formats is not allowed under the requested casting rule ('no', 'equiv', 'safe', 'same_kind'), as NumPy's can_cast; details name the rule and both formats.",
  ERR_INVALID_ARGUMENT: 'An argument has the wrong type or an out-of-domain value.',
  ERR_ABORTED: "A long operation was stopped by its AbortSignal; nothing half-done was kept (a file being written is removed). The signal's reason is the error's cause.",
  ERR_BUFFER_ALLOCATION_FAILED:
    'Fresh memory could not be allocated: new ArrayBuffer ran out of memory, or a registered allocator failed and was registered without fallback.',
  ERR_BUFFER_MISALIGNED: 'A zero-copy TypedArray was requested over memory whose byte offset or strides are not multiples of the element size; copy instead.',
  ERR_BUFFER_TOO_LARGE: 'An operation needs a TypedArray or DataView longer than the JavaScript engine allows (e.g. a byte view of more than 4 GiB in Node 20).',
  ERR_BUFFER_RELEASE_FAILED: "An exporter's releasebuffer threw a non-Interop error; the export is considered ended. The exporter's error is the cause.",
} as const;

/** A stable error code of `BufferError`. */
export type BufferErrorCode = keyof typeof bufferErrorCodes;
