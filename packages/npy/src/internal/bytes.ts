import { NpyError } from '../errors/npy-error.js';

/** Any memory `readNpy` / `readNpz` accept. */
export type ByteSource = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** A Uint8Array over `source` without copying. */
export function toBytes(source: ByteSource, what: string): Uint8Array {
  // A plain Uint8Array even for Node Buffers, whose slice() does not copy.
  if (source instanceof Uint8Array && source.constructor === Uint8Array) return source;
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) return new Uint8Array(source);
  throw new NpyError(
    'ERR_INVALID_ARGUMENT',
    `${what} expects a Uint8Array, another ArrayBufferView, an ArrayBuffer or a SharedArrayBuffer; received ${source === null ? 'null' : typeof source}.`,
  );
}
