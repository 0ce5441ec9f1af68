import { releaseBuffer, type BufferInfo } from '@interop/core';

/**
 * A foreign array object that views an exporter's memory without a copy. It holds one export
 * until `release()` (or the end of a `using` scope): until then the exporter refuses to move or
 * free the memory the array reads.
 */
export interface Borrowed<T> {
  readonly array: T;
  /** Ends the export. Idempotent. */
  release(): void;
  [Symbol.dispose](): void;
}

export function borrowed<T>(array: T, info: BufferInfo): Borrowed<T> {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    releaseBuffer(info);
  };
  return { array, release, [Symbol.dispose]: release };
}
