import { BufferError } from './errors/buffer-error.js';

/**
 * Counts the live exports of one exporter and refuses operations that could move or free its
 * memory while any are held, as CPython refuses to resize a `bytearray` with live views.
 *
 * @example
 * ```ts
 * import { ExportLock } from '@interop/core';
 * const lock = new ExportLock();
 * lock.acquire();
 * lock.assertUnlocked('resize'); // throws BufferError ERR_BUFFER_EXPORTED
 * ```
 */
export class ExportLock {
  #exports = 0;

  /** Number of live exports. */
  get exports(): number {
    return this.#exports;
  }

  /** True while at least one export is live. */
  get locked(): boolean {
    return this.#exports > 0;
  }

  /** Counts one export (called by `exportBuffer` when a request succeeds). */
  acquire(): void {
    this.#exports++;
  }

  /**
   * Ends one export. Consumers never call this directly: `releaseBuffer` / `MemoryView.release`
   * reach it through the exporter's `releasebuffer` hook, exactly once per export.
   *
   * @throws {BufferError} `ERR_BUFFER_RELEASED` when no export is live (an unbalanced release).
   */
  release(): void {
    if (this.#exports === 0) {
      throw new BufferError('ERR_BUFFER_RELEASED', 'releasebuffer was called with no live export on this object. Release each export exactly once.', {
        details: { operation: 'releasebuffer', liveExports: 0 },
      });
    }
    this.#exports--;
  }

  /**
   * Throws unless no export is live. Call it first in every operation that could resize,
   * reallocate, transfer or free the memory. Size-preserving writes need no check.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` naming `operation` and the live export count.
   */
  assertUnlocked(operation: string): void {
    if (this.#exports > 0) {
      const count = this.#exports;
      throw new BufferError(
        'ERR_BUFFER_EXPORTED',
        `Cannot ${operation}: ${count} export${count === 1 ? ' is' : 's are'} still held on this object's memory. Release every view (view.release() or \`using\`) before calling ${operation}.`,
        { details: { operation, liveExports: count } },
      );
    }
  }
}
