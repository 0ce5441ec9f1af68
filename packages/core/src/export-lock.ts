import { BufferError } from './errors/buffer-error.js';
import { liveExportSites } from './export-sites.js';
import { isExportTracing } from './leaks.js';
import { describeObject } from './layout.js';

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
  /** The exporter this lock guards, learnt from the first `acquire(owner)`: named in lock errors. */
  #owner: object | undefined;

  /**
   * @param owner The exporter this lock guards (optional: `exportBuffer` passes it on each export).
   *   Lock errors name it, and with tracing on list where each live export was taken.
   */
  constructor(owner?: object) {
    this.#owner = owner;
  }

  /** Number of live exports. */
  get exports(): number {
    return this.#exports;
  }

  /** True while at least one export is live. */
  get locked(): boolean {
    return this.#exports > 0;
  }

  /** Counts one export (called by `exportBuffer` when a request succeeds, with the exporter). */
  acquire(owner?: object): void {
    if (owner !== undefined) this.#owner ??= owner;
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
      const owner = this.#owner;
      const what = owner === undefined ? "this object's memory" : `the memory of ${describeObject(owner)}`;
      const sites = owner === undefined ? [] : liveExportSites(owner);
      const held = count === 1 ? '1 export is' : `${count} exports are`;
      const holders =
        sites.length > 0
          ? ` The live export${sites.length === 1 ? ' was' : 's were'} taken at:\n${sites.map((site, index) => `  [${index + 1}]\n${indent(site)}`).join('\n')}\n`
          : isExportTracing()
            ? ' (They were taken by code that does not record call sites, e.g. a raw exporter hook.)'
            : ' Set INTEROP_TRACE_EXPORTS=1 (or call setExportTracing(true)) to see where each export was taken.';
      throw new BufferError(
        'ERR_BUFFER_EXPORTED',
        `Cannot ${operation}: ${held} still held on ${what}.${holders} Release those views first (view.release(), releaseBuffer(info), image.release(), or declare them with \`using\` after this object so they end before it), then call ${operation}. Raised while leaving a \`using\` scope, this is SuppressedError.error and the scope's own error is SuppressedError.suppressed.`,
        {
          details: {
            operation,
            liveExports: count,
            ...(owner === undefined ? {} : { exporter: describeObject(owner) }),
            ...(sites.length > 0 ? { sites } : {}),
          },
        },
      );
    }
  }
}

function indent(site: string): string {
  return site
    .split('\n')
    .map((line) => `    ${line.trim()}`)
    .join('\n');
}
