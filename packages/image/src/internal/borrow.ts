import { BufferError, BufferFlags, getBuffer, type BufferInfo } from '@interop/core';

/** Takes a writable strided export of `obj` when it allows one, else a read-only one. */
export function borrowArray(obj: unknown, flags: number = BufferFlags.RECORDS): BufferInfo {
  try {
    return getBuffer(obj, flags | BufferFlags.WRITABLE);
  } catch (error) {
    if (BufferError.isInstance(error) && error.code === 'ERR_BUFFER_READONLY') return getBuffer(obj, flags & ~BufferFlags.WRITABLE);
    throw error;
  }
}
