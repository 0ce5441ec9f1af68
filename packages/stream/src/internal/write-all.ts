import { releaseBuffer } from '@interop/core';
import { StreamError } from '../errors/stream-error.js';
import type { AsyncStreamAccess, StreamAccess } from '../stream-access.js';
import { acquireSource, checkReportedCount } from './checks.js';

/**
 * Writes every byte of `source`, repeating partial writes (as Python's BufferedWriter does over a
 * raw stream). The source stays exported until the last byte is written.
 */
export async function writeAll(stream: StreamAccess | AsyncStreamAccess, source: unknown, operation: string): Promise<number> {
  const held = acquireSource(source, operation);
  try {
    const bytes = held.bytes;
    let done = 0;
    while (done < bytes.length) {
      const count = checkReportedCount(await stream.write(done === 0 ? bytes : bytes.subarray(done)), bytes.length - done, operation);
      if (count === 0) {
        throw new StreamError('ERR_STREAM_NO_SPACE', `${operation}: the stream accepted no bytes after ${done} of ${bytes.length}. It is full or stalled.`, {
          details: { operation, written: done, size: bytes.length },
        });
      }
      done += count;
    }
    return done;
  } finally {
    releaseBuffer(held.info);
  }
}
