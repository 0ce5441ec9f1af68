/**
 * The exporter hook: `exporter[getbuffer](flags)` returns a `BufferInfo` and counts one export.
 * Created with `Symbol.for` so every copy of `@interop/core` in a process speaks one protocol.
 *
 * @example
 * ```ts
 * import { getbuffer, releasebuffer } from '@interop/core';
 * const exporter = { [getbuffer]: (flags: number) => ..., [releasebuffer]: (info) => ... };
 * ```
 */
export const getbuffer: unique symbol = Symbol.for('interop.getbuffer');

/** The release hook: `exporter[releasebuffer](info)` ends the export `info` came from. */
export const releasebuffer: unique symbol = Symbol.for('interop.releasebuffer');

/** The protocol version this copy of `@interop/core` speaks. */
export const PROTOCOL_VERSION = 1;
