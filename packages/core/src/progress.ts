import { BufferError } from './errors/buffer-error.js';

/** How far a long operation has come: bytes read, written or decoded so far, of how many. */
export interface Progress {
  /** The operation, e.g. `"loadNpy"` or `"saveNpz"`. */
  readonly operation: string;
  readonly bytesDone: number;
  /** The total when known in advance (file size, array size); `undefined` otherwise. */
  readonly bytesTotal: number | undefined;
}

/**
 * The options every long operation (loading or saving hundreds of MiB) accepts: progress reports
 * and cancellation, the way `fetch` and Node's `fs.promises` take an `AbortSignal`.
 */
export interface LongOperationOptions {
  /** Called as the operation advances (at least at the start and at the end, and per chunk). */
  readonly onProgress?: ((progress: Progress) => void) | undefined;
  /** Aborts the operation: it stops at the next chunk with `BufferError` `ERR_ABORTED` and keeps nothing half-done. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Validates the `onProgress` / `signal` options of a long operation and returns a reporter that
 * checks the signal and reports progress in one call (cheap when neither option is given).
 *
 * @example
 * ```ts
 * import { longOperation } from '@interop/core';
 * const step = longOperation('copyChunks', { onProgress: (p) => console.log(p.bytesDone, '/', p.bytesTotal) }, 8);
 * step(0);
 * step(8); // 8 / 8
 * ```
 * @throws {BufferError} `ERR_INVALID_ARGUMENT` for an `onProgress` that is not a function or a
 * `signal` that is not an AbortSignal; `ERR_ABORTED` (from the reporter, or at once when the
 * signal is already aborted).
 */
export function longOperation(operation: string, options: LongOperationOptions | undefined, bytesTotal: number | undefined): (bytesDone: number) => void {
  const onProgress = options?.onProgress;
  const signal = options?.signal;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new BufferError('ERR_INVALID_ARGUMENT', `${operation}: onProgress must be a function (progress) => void; received ${typeof onProgress}.`, {
      details: { operation },
    });
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: signal must be an AbortSignal (e.g. new AbortController().signal or AbortSignal.timeout(ms)); received ${describe(signal)}.`,
      { details: { operation } },
    );
  }
  throwIfAborted(signal, operation);
  if (onProgress === undefined && signal === undefined) return noop;
  return (bytesDone: number): void => {
    throwIfAborted(signal, operation);
    onProgress?.({ operation, bytesDone, bytesTotal });
  };
}

/**
 * Throws `BufferError` `ERR_ABORTED` (with the signal's reason as `cause`) when `signal` is aborted.
 *
 * @example
 * ```ts
 * import { throwIfAborted } from '@interop/core';
 * throwIfAborted(new AbortController().signal, 'loadNpy'); // not aborted: nothing happens
 * ```
 * @throws {BufferError} `ERR_ABORTED`.
 */
export function throwIfAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted === true) {
    const reason: unknown = signal.reason;
    const why =
      reason instanceof Error
        ? `${reason.name}: ${reason.message}`
        : reason === undefined
          ? 'no reason given'
          : typeof reason === 'string'
            ? reason
            : describe(reason);
    throw new BufferError('ERR_ABORTED', `${operation} was aborted by its AbortSignal (${why}); nothing half-done was kept.`, {
      cause: reason,
      details: { operation },
    });
  }
}

/** True when an error is the `ERR_ABORTED` of a long operation (from any copy of core). */
export function isAbortError(error: unknown): boolean {
  return BufferError.isInstance(error) && error.code === 'ERR_ABORTED';
}

function noop(): void {}

function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof AbortSignal !== 'undefined' && value instanceof AbortSignal;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as { constructor?: { name?: string } }).constructor?.name ?? 'an object';
}
