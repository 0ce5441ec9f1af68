/**
 * The one seam through which every package of Interop gets fresh memory (copies, loads, clones,
 * stream growth). By default it is `new ArrayBuffer`. An allocator registered here (the huge-page
 * allocator of `@interop/native`, or your own) serves every request of at least `threshold`
 * bytes; smaller requests always take `new ArrayBuffer`, as NumPy only marks allocations of
 * 4 MiB or more for huge pages.
 *
 * The registration lives on `globalThis` under a `Symbol.for` key, so that two copies of
 * `@interop/core` in one process (version skew) share one allocator. It is per realm and per
 * thread: a worker starts with the default.
 */
import { BufferError } from './errors/buffer-error.js';

/**
 * A source of fresh memory. `allocate(byteLength)` must return a new, zero-filled, fixed-length
 * `ArrayBuffer` of exactly `byteLength` bytes that nothing else references, or throw. Its result
 * is checked (an ArrayBuffer, not a SharedArrayBuffer, not resizable, not detached, the size
 * asked for); zero-filling is the allocator's promise and is not re-checked. When `options`
 * says `zeroFill: false`, the caller overwrites every byte before anything reads it, and the
 * allocator may return recycled memory without zeroing it again (an allocator that ignores the
 * option is correct).
 *
 * @example
 * ```ts
 * import { registerAllocator, resetAllocator, type BufferAllocator } from '@interop/core';
 * const counting: BufferAllocator = { name: 'counting', allocate: (n) => new ArrayBuffer(n) };
 * registerAllocator(counting, { threshold: 0 });
 * resetAllocator();
 * ```
 */
export interface BufferAllocator {
  /** A short name used in warnings and errors, e.g. `'huge-page'`. */
  readonly name: string;
  /** Returns fresh memory of exactly `byteLength` bytes (zero-filled unless `options.zeroFill` is false), or throws. */
  allocate(byteLength: number, options?: AllocateOptions): ArrayBuffer;
}

/** Options of `allocateBuffer`, passed on to the registered allocator. */
export interface AllocateOptions {
  /**
   * Default true: the memory is zero-filled. `false` promises that the caller writes every byte
   * before anything reads it (a file read into it, a decompressor's output), so an allocator that
   * recycles freed memory (the huge-page allocator of `@interop/native`) may hand it back without
   * zeroing it again, as `np.empty` does. Requests served by `new ArrayBuffer` are zero-filled anyway.
   */
  readonly zeroFill?: boolean;
}

const noZeroFill: AllocateOptions = Object.freeze({ zeroFill: false });

/** Options of `registerAllocator`. */
export interface RegisterAllocatorOptions {
  /** Requests smaller than this many bytes take `new ArrayBuffer`. Default 4 MiB (NumPy's). */
  readonly threshold?: number;
  /**
   * When the allocator throws or returns something unusable: `true` (default) serves the request
   * with `new ArrayBuffer` and emits one process warning per registration; `false` throws
   * `BufferError` `ERR_BUFFER_ALLOCATION_FAILED`.
   */
  readonly fallback?: boolean;
}

/** The allocator in force and its settings, as `registeredAllocator()` reports it. */
export interface AllocatorRegistration {
  readonly allocator: BufferAllocator;
  readonly threshold: number;
  readonly fallback: boolean;
}

/** NumPy's threshold for huge-page allocations (4 MiB). */
export const DEFAULT_ALLOCATOR_THRESHOLD: number = 4 * 1024 * 1024;

interface AllocatorSlot {
  registration: AllocatorRegistration | null;
  warned: boolean;
  /** Set while the allocator runs: an allocator that itself calls allocateBuffer gets the default. */
  busy: boolean;
}

const slotKey = Symbol.for('@interop/core/allocator');
const slot: AllocatorSlot = ((globalThis as Record<symbol, AllocatorSlot | undefined>)[slotKey] ??= { registration: null, warned: false, busy: false });

// The engine's own accessors: they answer only for real ArrayBuffers (of any realm) and throw for
// anything else, whatever an object claims through its own properties or Symbol.toStringTag.
// eslint-disable-next-line @typescript-eslint/unbound-method -- only ever invoked with .call(value)
const byteLengthGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get! as (this: unknown) => number;
// eslint-disable-next-line @typescript-eslint/unbound-method -- only ever invoked with .call(value); absent before ES2024
const resizableGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get as ((this: unknown) => boolean) | undefined;

const MIB = 1024 * 1024;
const describeSize = (n: number): string => (n >= MIB ? `${n} bytes (${(n / MIB).toFixed(1)} MiB)` : `${n} bytes`);

/** Why `value` is not a usable result for a request of `byteLength` bytes, or null when it is. */
function problemWith(value: unknown, byteLength: number): string | null {
  let length: number;
  try {
    length = byteLengthGetter.call(value);
  } catch {
    return `it returned ${value === null ? 'null' : typeof value === 'object' ? Object.prototype.toString.call(value) : typeof value}, not an ArrayBuffer`;
  }
  if (resizableGetter !== undefined && resizableGetter.call(value)) return 'it returned a resizable ArrayBuffer';
  if (length !== byteLength) return `it returned an ArrayBuffer of ${length} bytes${length === 0 ? ' (detached or empty)' : ''}`;
  return null;
}

function defaultAllocate(byteLength: number, reason: string): ArrayBuffer {
  try {
    return new ArrayBuffer(byteLength);
  } catch (cause) {
    throw new BufferError(
      'ERR_BUFFER_ALLOCATION_FAILED',
      `Allocating ${describeSize(byteLength)} of fresh memory with new ArrayBuffer${reason} failed: ${(cause as Error).message}. Free memory (release views, drop references) or work on smaller pieces.`,
      { cause, details: { operation: 'allocate', byteLength, allocator: 'default' } },
    );
  }
}

function warnOnce(registration: AllocatorRegistration, problem: string): void {
  if (slot.warned || slot.registration !== registration) return;
  slot.warned = true;
  const message = `The allocator "${registration.allocator.name}" registered with @interop/core failed (${problem}); new ArrayBuffer serves its requests instead. Fix the allocator, call resetAllocator(), or register it with { fallback: false } to get an error.`;
  const processObject = (globalThis as { process?: { emitWarning?: (message: string, options: { type: string; code: string }) => void } }).process;
  processObject?.emitWarning?.(message, { type: 'InteropAllocatorWarning', code: 'INTEROP_ALLOCATOR_FALLBACK' });
}

/**
 * Fresh, zero-filled memory of `byteLength` bytes: from the registered allocator when the
 * request reaches its threshold, otherwise `new ArrayBuffer`. The result is always a complete
 * ArrayBuffer of the requested size (never a partial or shared one). With `{ zeroFill: false }`
 * (the caller overwrites every byte before reading any) the allocator may skip zeroing memory it
 * recycles; nothing else changes.
 *
 * @example
 * ```ts
 * import { allocateBuffer } from '@interop/core';
 * const bytes = new Uint8Array(allocateBuffer(16));
 * console.log(bytes.length); // 16
 * const scratch = new Uint8Array(allocateBuffer(16, { zeroFill: false }));
 * scratch.fill(7); // every byte written before any is read
 * ```
 * @throws {BufferError} `ERR_INVALID_ARGUMENT` (not a non-negative safe integer, a `zeroFill` that is not a boolean),
 * `ERR_BUFFER_ALLOCATION_FAILED` (out of memory, or a registered allocator failed and fallback is off).
 */
export function allocateBuffer(byteLength: number, options: AllocateOptions = {}): ArrayBuffer {
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      `allocateBuffer(byteLength) needs a non-negative safe integer; received ${String(byteLength)}. Pass a byte count.`,
      {
        details: { operation: 'allocate' },
      },
    );
  }
  const requested: unknown = (options as AllocateOptions | null | undefined)?.zeroFill;
  if (requested !== undefined && typeof requested !== 'boolean') {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      `allocateBuffer's zeroFill option must be true or false; received ${requested === null ? 'null' : typeof requested}.`,
      { details: { operation: 'allocate' } },
    );
  }
  const zeroFill = requested !== false;
  const registration = slot.registration;
  if (registration === null || byteLength < registration.threshold || byteLength === 0 || slot.busy) return defaultAllocate(byteLength, '');
  let problem: string;
  let cause: unknown;
  slot.busy = true;
  try {
    // The option is passed only when it changes something, so allocators see what they always saw.
    const result = zeroFill ? registration.allocator.allocate(byteLength) : registration.allocator.allocate(byteLength, noZeroFill);
    const found = problemWith(result, byteLength);
    if (found === null) return result;
    problem = found;
  } catch (error) {
    cause = error;
    problem = `it threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  } finally {
    slot.busy = false;
  }
  if (!registration.fallback) {
    throw new BufferError(
      'ERR_BUFFER_ALLOCATION_FAILED',
      `The allocator "${registration.allocator.name}" could not provide ${describeSize(byteLength)}: ${problem}. Free memory, fix the allocator, or register it with { fallback: true } (or call resetAllocator()) to use new ArrayBuffer.`,
      { cause, details: { operation: 'allocate', byteLength, allocator: registration.allocator.name } },
    );
  }
  warnOnce(registration, problem);
  return defaultAllocate(byteLength, ` (after the allocator "${registration.allocator.name}" failed: ${problem})`);
}

/**
 * Makes `allocator` the source of every fresh buffer of at least `threshold` bytes (default
 * 4 MiB) in this thread, replacing any allocator registered before.
 *
 * @example
 * ```ts
 * import { registerAllocator, resetAllocator } from '@interop/core';
 * registerAllocator({ name: 'plain', allocate: (n) => new ArrayBuffer(n) }, { threshold: 1 << 20 });
 * resetAllocator();
 * ```
 * @throws {BufferError} `ERR_INVALID_ARGUMENT` (no `allocate` function, a threshold that is not a
 * non-negative safe integer, a non-boolean `fallback`).
 */
export function registerAllocator(allocator: BufferAllocator, options: RegisterAllocatorOptions = {}): void {
  const allocate = typeof allocator === 'object' && allocator !== null ? (allocator as { allocate?: unknown }).allocate : undefined;
  if (typeof allocate !== 'function') {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      `registerAllocator(allocator) needs an object with an allocate(byteLength) method; received ${allocator === null ? 'null' : typeof allocator}.`,
      {
        details: { operation: 'registerAllocator' },
      },
    );
  }
  const threshold = options.threshold ?? DEFAULT_ALLOCATOR_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw new BufferError('ERR_INVALID_ARGUMENT', `registerAllocator's threshold must be a non-negative safe integer (bytes); received ${String(threshold)}.`, {
      details: { operation: 'registerAllocator' },
    });
  }
  const fallback = options.fallback ?? true;
  if (typeof fallback !== 'boolean') {
    throw new BufferError('ERR_INVALID_ARGUMENT', `registerAllocator's fallback must be true or false; received ${String(fallback)}.`, {
      details: { operation: 'registerAllocator' },
    });
  }
  const rawName = (allocator as { name?: unknown }).name;
  const name = typeof rawName === 'string' && rawName !== '' ? rawName : 'anonymous';
  // Snapshot: later changes to the caller's object do not change the registration.
  const snapshot: BufferAllocator = Object.freeze({
    name,
    allocate: (byteLength: number, allocateOptions?: AllocateOptions): ArrayBuffer =>
      Reflect.apply(allocate, allocator, allocateOptions === undefined ? [byteLength] : [byteLength, allocateOptions]) as ArrayBuffer,
  });
  slot.registration = Object.freeze({ allocator: snapshot, threshold, fallback });
  slot.warned = false;
}

/**
 * Goes back to `new ArrayBuffer` for every request (undoes `registerAllocator`).
 *
 * @example
 * ```ts
 * import { resetAllocator } from '@interop/core';
 * resetAllocator();
 * ```
 */
export function resetAllocator(): void {
  slot.registration = null;
  slot.warned = false;
}

/**
 * The allocator registered in this thread with its threshold, or null for the default.
 *
 * @example
 * ```ts
 * import { registeredAllocator } from '@interop/core';
 * console.log(registeredAllocator()?.allocator.name ?? 'default');
 * ```
 */
export function registeredAllocator(): AllocatorRegistration | null {
  return slot.registration;
}

/**
 * Registers the huge-page allocator of `@interop/native` when that package can be loaded (an
 * optional peer of the packages whose Node entry points call this), unless the environment says
 * `INTEROP_ALLOCATOR=default`. Never fails: without the package or its addon nothing changes.
 * `load` imports the package from the caller's own module (`() => import('@interop/native')`),
 * because an optional peer resolves from the package that declares it, not from core. This is what
 * `@interop/npy/node`, `@interop/stream/node` and `@interop/pandas/node` do when they are imported;
 * a library with its own Node entry point can do the same.
 *
 * @example
 * ```ts no-run
 * import { installNativeAllocatorIfPresent } from '@interop/core';
 * const specifier = '@interop/native'; // a variable: bundlers and type checkers leave it alone
 * console.log(await installNativeAllocatorIfPresent(() => import(specifier))); // true where it is installed
 * ```
 */
export async function installNativeAllocatorIfPresent(load: () => Promise<unknown>): Promise<boolean> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.['INTEROP_ALLOCATOR'] === 'default') return false;
  try {
    const native = (await load()) as { installNativeAllocator?: () => boolean } | null;
    return typeof native?.installNativeAllocator === 'function' ? native.installNativeAllocator() : false;
  } catch {
    return false;
  }
}
