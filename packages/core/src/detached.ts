import { BufferError } from './errors/buffer-error.js';

/**
 * Throws `ERR_BUFFER_DETACHED` unless memory that must span `needed` bytes still does: the one
 * check every object of every `@interop/*` package makes at the entry of its methods, so that a
 * transferred (`structuredClone(x, { transfer })`, `postMessage`), detached or shrunk
 * (`ArrayBuffer.prototype.resize`) buffer gives a typed error instead of `undefined`, `NaN`, 0
 * or an engine `TypeError`.
 *
 * The caller passes what its memory spans now, read by itself (`data.byteLength` of its
 * TypedArray, or `buffer.byteLength` of its ArrayBuffer), and what it needs: the byte length the
 * TypedArray had when the object was made, or `byteOffset` + the extent of its layout. A detached
 * buffer, and a fixed-length TypedArray whose resizable buffer shrank below it, report 0; a
 * length-tracking TypedArray reports less. The check is one comparison (the failure is built out
 * of line), cheap enough for per-element methods such as `get`.
 *
 * Read `byteLength`, not `length`: Node 20's V8 (11.3) answers a stale `length` for a detached
 * TypedArray in optimised code that has seen TypedArrays over both resizable and ordinary
 * buffers (found by this package's fuzzing; `byteLength` stays right).
 *
 * Limit: JavaScript gives no signal when a resizable ArrayBuffer shrinks, so a shrink followed
 * by a regrow with no access in between cannot be seen by any check; the bytes come back zeroed.
 * Do not resize a buffer while objects built over it are in use.
 *
 * @example
 * ```ts
 * import { assertAttached } from '@interop/core';
 * const data = new Float64Array(4);
 * assertAttached(data.byteLength, 32, 'Float64Array', 'get'); // passes
 * structuredClone(data.buffer, { transfer: [data.buffer] });
 * // assertAttached(data.byteLength, 32, 'Float64Array', 'get') now throws BufferError ERR_BUFFER_DETACHED
 * ```
 * @throws {BufferError} `ERR_BUFFER_DETACHED` when `available < needed`.
 */
export function assertAttached(available: number, needed: number, owner: string, operation: string): void {
  if (available < needed) throw detachedMemoryError(available, needed, owner, operation);
}

/**
 * The error `assertAttached` throws, for callers that test the condition themselves (several
 * arrays at once, or a loop over segments).
 *
 * @example
 * ```ts
 * import { detachedMemoryError } from '@interop/core';
 * const error = detachedMemoryError(0, 64, 'VnlVector', 'sum');
 * error.code; // "ERR_BUFFER_DETACHED"
 * ```
 */
export function detachedMemoryError(available: number, needed: number, owner: string, operation: string): BufferError {
  const found =
    available === 0
      ? 'its buffer was transferred, detached or shrunk away'
      : `its buffer shrank (it now spans ${available} of the ${needed} bytes this object needs)`;
  return new BufferError(
    'ERR_BUFFER_DETACHED',
    `Cannot ${operation}: the memory of this ${owner} is gone: ${found}. Build the object again from the memory's new owner (or copy the data before transferring it).`,
    { details: { operation, owner, available, needed } },
  );
}
