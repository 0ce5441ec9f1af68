/**
 * Leak detection for exports: an export whose holder is garbage-collected without release is
 * released by a FinalizationRegistry and reported once per site with a process warning (the
 * analogue of Python's ResourceWarning), so a forgotten view cannot lock an exporter forever.
 *
 * Registering every export with a FinalizationRegistry costs ~10x an export itself in V8, so
 * holders are queued and only those still unreleased at the end of the current task (or after
 * 1024 newer exports) are registered. A view released in the task that took it never touches
 * the registry; a leaked view is registered before it could be collected. Exports with nothing
 * to release (plain TypedArrays and other built-ins) are not watched unless call sites are traced.
 */

/**
 * Release state shared between a holder and the registry; it must not reference the holder.
 * Everything here is computed lazily: building a description costs more than an export.
 */
export interface LeakState {
  released: boolean;
  /** Releases the export (called at most once: by its holder, or by the registry when the holder is collected). */
  release(): void;
  /** What was exported, for the warning (computed only when a leak is reported). */
  describe(): string;
  /** Where the export was taken, when tracing is on. */
  readonly site: string | undefined;
  /**
   * What reports are grouped by: the site when traced, else the exporter's kind. Never the
   * description, which names sizes: one leaking call site with varying sizes is one report.
   */
  key(): string;
}

/** A holder of an export (what the registry watches): it must say whether it was released. */
export interface LeakHolder {
  readonly released: boolean;
}

const PENDING_LIMIT = 1024;
let tracing = readTracingDefault();
const warnedSites = new Set<string>();
// A fixed-capacity queue of (holder, state) pairs: indexed stores stay on the fast path where
// Array#push does not.
const pendingHolders: (LeakHolder | undefined)[] = new Array<LeakHolder | undefined>(PENDING_LIMIT).fill(undefined);
const pendingStates: (LeakState | undefined)[] = new Array<LeakState | undefined>(PENDING_LIMIT).fill(undefined);
let pendingCount = 0;
let flushScheduled = false;

// The callback must never throw: an exception escaping a FinalizationRegistry callback ends the
// process. An exporter whose releasebuffer throws is reported as a warning instead.
const registry = new FinalizationRegistry<LeakState>((state) => {
  if (state.released) return;
  state.released = true;
  let failed = false;
  let failure: unknown;
  try {
    state.release();
  } catch (error) {
    failed = true;
    failure = error;
  }
  try {
    reportLeak(state, failed, failure);
  } catch {
    // reporting is best effort: never let a warning take the process down
  }
});

function readTracingDefault(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.INTEROP_TRACE_EXPORTS === '1';
}

/**
 * Turns recording of the call site of every export on or off (default: the environment variable
 * `INTEROP_TRACE_EXPORTS=1`). Leak warnings then name where each leaked export was taken.
 * Recording a stack costs a few microseconds per export.
 *
 * @example
 * ```ts
 * import { setExportTracing } from '@interop/core';
 * setExportTracing(true);
 * ```
 */
export function setExportTracing(enabled: boolean): void {
  tracing = enabled;
}

/** True when call sites of exports are recorded (see {@link setExportTracing}). */
export function isExportTracing(): boolean {
  return tracing;
}

/** Captures the current call site when tracing is on. */
export function captureSite(): string | undefined {
  if (!tracing) return undefined;
  const stack = new Error('export taken here').stack ?? '';
  // Drop the message line and the frames inside @interop/core itself.
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !/[\\/]core[\\/](src|dist)[\\/]/.test(line))
    .slice(0, 8)
    .join('\n');
}

/**
 * Watches `holder`: if it is collected unreleased, `state` (which must not reference the holder)
 * releases its export and it is reported. The holder marks `state.released` when it releases.
 */
export function trackExport(holder: LeakHolder, state: LeakState): void {
  // Flush before queueing, so that the newest holder (about to be used, likely released soon)
  // is never the one registered.
  if (pendingCount === PENDING_LIMIT) flushPending();
  pendingHolders[pendingCount] = holder;
  pendingStates[pendingCount++] = state;
  if (!flushScheduled) {
    flushScheduled = true;
    queueMicrotask(flushTask);
  }
}

function flushTask(): void {
  flushScheduled = false;
  flushPending();
}

function flushPending(): void {
  const count = pendingCount;
  pendingCount = 0;
  for (let i = 0; i < count; i++) {
    const holder = pendingHolders[i]!;
    const state = pendingStates[i]!;
    pendingHolders[i] = undefined;
    pendingStates[i] = undefined;
    if (!holder.released) registry.register(holder, state);
  }
}

function reportLeak(state: LeakState, releaseFailed: boolean, failure: unknown): void {
  const key = state.key();
  const failureKey = `${key}\u0000release-failed`;
  const reportLeakHere = !warnedSites.has(key);
  const reportFailureHere = releaseFailed && !warnedSites.has(failureKey);
  if (!reportLeakHere && !reportFailureHere) return;
  const description = state.describe();
  const where =
    state.site !== undefined
      ? `It was taken at:\n${state.site}`
      : 'Set INTEROP_TRACE_EXPORTS=1 (or call setExportTracing(true)) to record where exports are taken.';
  const processObject = (globalThis as { process?: { emitWarning?: (message: string, options: { type: string; code: string }) => void } }).process;
  if (reportLeakHere) {
    warnedSites.add(key);
    const message = `An export of ${description} was garbage-collected without release(); it has been released now. Release views explicitly (view.release(), releaseBuffer(info) or \`using\`). ${where}`;
    processObject?.emitWarning?.(message, { type: 'InteropLeakWarning', code: 'INTEROP_LEAKED_EXPORT' });
  }
  if (reportFailureHere) {
    warnedSites.add(failureKey);
    const reason = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    const message = `Releasing a leaked export of ${description} failed: its exporter's releasebuffer threw (${reason}). The export is considered ended; the exporter's own count may be wrong. ${where}`;
    processObject?.emitWarning?.(message, { type: 'InteropLeakWarning', code: 'INTEROP_RELEASE_FAILED' });
  }
}

/** Forgets which sites were already reported (for tests of the once-per-site rule). */
export function resetLeakReports(): void {
  warnedSites.clear();
}
