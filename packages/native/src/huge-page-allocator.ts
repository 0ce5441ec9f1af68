import { DEFAULT_ALLOCATOR_THRESHOLD, registerAllocator, registeredAllocator, type AllocateOptions, type BufferAllocator } from '@interop/core';
import { NativeError } from './errors/native-error.js';
import { nativeCall } from './internal/native-call.js';
import { loadAddon, type NativeAddon } from './load-addon.js';

/** Counters of the huge-page allocator, over every thread of the process. */
export interface HugePageStats {
  /** Regions handed out since the process started. */
  readonly allocations: number;
  /** Regions whose last ArrayBuffer V8 has collected (each exactly once). */
  readonly frees: number;
  /** Regions handed out and not yet freed. */
  readonly live: number;
  /** Bytes mapped for the live regions (rounded up to 2 MiB, or to the page below 2 MiB). */
  readonly liveBytes: number;
  /** Allocations served from the cache of freed regions. */
  readonly cacheHits: number;
  /** Regions the kernel accepted `madvise(MADV_HUGEPAGE)` for. */
  readonly advised: number;
  /** Freed regions kept for reuse, and their bytes. */
  readonly cached: number;
  readonly cachedBytes: number;
  readonly cacheMaxEntries: number;
  readonly cacheMaxBytes: number;
  /** Milliseconds a freed region may wait in the cache before it is unmapped. */
  readonly cacheMaxAgeMs: number;
  /** True where the platform has `MADV_HUGEPAGE` (Linux). */
  readonly madvise: boolean;
}

interface HugePageAddon extends NativeAddon {
  hugeAlloc(byteLength: number, shared: boolean, zeroFill: boolean): ArrayBuffer | SharedArrayBuffer;
  hugeStats(): Omit<HugePageStats, 'madvise'> & { madvise: number };
  hugeCache(entries: number, bytes: number, maxAgeMs: number): void;
}

const addon = (): HugePageAddon => loadAddon() as HugePageAddon;

function checkLength(byteLength: number, operation: string): void {
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
    throw new NativeError('ERR_NATIVE_INVALID_SIZE', `${operation}(byteLength) needs a non-negative safe integer; received ${String(byteLength)}.`, {
      details: { operation },
    });
  }
}

const advice = { ERR_BUFFER_ALLOCATION_FAILED: 'Free memory (release views, drop references to large buffers) or allocate less.' };

function zeroFillOf(options: AllocateOptions | undefined, operation: string): boolean {
  const zeroFill: unknown = options?.zeroFill;
  if (zeroFill !== undefined && typeof zeroFill !== 'boolean') {
    throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: zeroFill must be true or false; received ${zeroFill === null ? 'null' : typeof zeroFill}.`, {
      details: { operation },
    });
  }
  return zeroFill !== false;
}

/**
 * Fresh zero-filled memory as an `ArrayBuffer`, mapped 2 MiB-aligned and marked
 * `madvise(MADV_HUGEPAGE)` (for 2 MiB and more), handed to JavaScript without a copy. The memory
 * is released exactly once, when V8 collects the last ArrayBuffer (or transferred copy) using it:
 * unmapped, or kept for reuse in the cache of freed regions (see `setHugePageCache`). With
 * `{ zeroFill: false }` a recycled region is handed out with the bytes its previous owner left
 * (the caller promises to overwrite every byte before reading any); fresh regions are always zero.
 *
 * @example
 * ```ts
 * import { allocateHugePages } from '@interop/native';
 * const data = new Float32Array(allocateHugePages(64 << 20));
 * data.fill(1);
 * ```
 * @throws {NativeError} `ERR_NATIVE_INVALID_SIZE`, `ERR_INVALID_ARGUMENT` (a `zeroFill` that is not a boolean), `ERR_BUFFER_ALLOCATION_FAILED`,
 * `ERR_NATIVE_SYSTEM`, and the addon-loading codes.
 */
export function allocateHugePages(byteLength: number, options?: AllocateOptions): ArrayBuffer {
  checkLength(byteLength, 'allocateHugePages');
  const zeroFill = zeroFillOf(options, 'allocateHugePages');
  if (byteLength === 0) return new ArrayBuffer(0);
  return nativeCall('allocateHugePages', advice, () => addon().hugeAlloc(byteLength, false, zeroFill)) as ArrayBuffer;
}

/**
 * As `allocateHugePages`, but a `SharedArrayBuffer` (for memory shared between workers).
 *
 * @example
 * ```ts
 * import { allocateSharedHugePages } from '@interop/native';
 * const shared = new Int32Array(allocateSharedHugePages(4 << 20));
 * Atomics.store(shared, 0, 1);
 * ```
 * @throws {NativeError} as `allocateHugePages`.
 */
export function allocateSharedHugePages(byteLength: number, options?: AllocateOptions): SharedArrayBuffer {
  checkLength(byteLength, 'allocateSharedHugePages');
  const zeroFill = zeroFillOf(options, 'allocateSharedHugePages');
  if (byteLength === 0) return new SharedArrayBuffer(0);
  return nativeCall('allocateSharedHugePages', advice, () => addon().hugeAlloc(byteLength, true, zeroFill)) as SharedArrayBuffer;
}

/**
 * The huge-page allocator as a `BufferAllocator` for `registerAllocator` of `@interop/core`.
 *
 * @example
 * ```ts
 * import { registerAllocator, resetAllocator } from '@interop/core';
 * import { hugePageAllocator } from '@interop/native';
 * registerAllocator(hugePageAllocator);
 * resetAllocator();
 * ```
 */
export const hugePageAllocator: BufferAllocator = Object.freeze({
  name: 'huge-page',
  allocate: (byteLength: number, options?: AllocateOptions) => allocateHugePages(byteLength, options),
});

/**
 * The allocator's counters (every thread of the process).
 *
 * @example
 * ```ts
 * import { hugePageStats } from '@interop/native';
 * console.log(hugePageStats().live);
 * ```
 */
export function hugePageStats(): HugePageStats {
  const raw = addon().hugeStats();
  return { ...raw, madvise: raw.madvise === 1 };
}

/** Bounds of the cache of freed regions (`setHugePageCache`). */
export interface HugePageCacheOptions {
  /** Freed regions kept for reuse; 0 turns the cache off. Default 4. */
  readonly entries: number;
  /** Bytes the cache may hold. Default 512 MiB. */
  readonly bytes?: number;
  /** Milliseconds a freed region may wait for reuse before it is unmapped (checked at the next allocation or free). Default 5000. */
  readonly maxAgeMs?: number;
}

/** The cache bounds in force when the process starts. */
export const DEFAULT_HUGE_PAGE_CACHE: Required<HugePageCacheOptions> = Object.freeze({ entries: 4, bytes: 2 ** 29, maxAgeMs: 5000 });

/**
 * Sets the bounds of the cache of freed regions: up to `entries` regions (at most `bytes` in
 * total, each for at most `maxAgeMs`) stay mapped after V8 frees them, for an allocation of about
 * their size (the smallest that fits, wasting at most a quarter of it). A reused region is zeroed
 * again, unless the request said `zeroFill: false`. On by default (4 regions, 512 MiB, 5 s): on
 * the virtual machines measured in docs/benchmarks.md, memory handed back to the kernel soon costs
 * first-touch page faults again, which a reused region does not. Lowering the bounds unmaps what
 * no longer fits; `{ entries: 0 }` turns the cache off.
 *
 * @example
 * ```ts
 * import { DEFAULT_HUGE_PAGE_CACHE, setHugePageCache } from '@interop/native';
 * setHugePageCache({ entries: 0 }); // off: every freed region is unmapped at once
 * setHugePageCache(DEFAULT_HUGE_PAGE_CACHE);
 * ```
 * @throws {NativeError} `ERR_INVALID_ARGUMENT` (bounds that are not non-negative safe integers).
 */
export function setHugePageCache(options: HugePageCacheOptions): void {
  const entries = options.entries;
  const bytes = options.bytes ?? DEFAULT_HUGE_PAGE_CACHE.bytes;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_HUGE_PAGE_CACHE.maxAgeMs;
  if (![entries, bytes, maxAgeMs].every((value) => Number.isSafeInteger(value) && value >= 0) || maxAgeMs > 2 ** 40) {
    throw new NativeError(
      'ERR_INVALID_ARGUMENT',
      `setHugePageCache needs non-negative safe integers; received entries ${String(entries)}, bytes ${String(bytes)}, maxAgeMs ${String(maxAgeMs)}.`,
      {
        details: { operation: 'setHugePageCache' },
      },
    );
  }
  addon().hugeCache(entries, bytes, maxAgeMs);
}

/** Options of `installNativeAllocator`. */
export interface InstallNativeAllocatorOptions {
  /** Requests below this many bytes keep `new ArrayBuffer`. Default `$INTEROP_ALLOCATOR_THRESHOLD`, else 4 MiB. */
  readonly threshold?: number;
  /** Install even when `INTEROP_ALLOCATOR=default` or another allocator is registered. Default false. */
  readonly force?: boolean;
}

function readThreshold(): number {
  const raw = process.env['INTEROP_ALLOCATOR_THRESHOLD'];
  if (raw === undefined || raw === '') return DEFAULT_ALLOCATOR_THRESHOLD;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new NativeError('ERR_INVALID_ARGUMENT', `INTEROP_ALLOCATOR_THRESHOLD must be a non-negative integer (bytes); it is ${JSON.stringify(raw)}.`, {
      details: { operation: 'installNativeAllocator' },
    });
  }
  return value;
}

/**
 * Registers `hugePageAllocator` with `@interop/core` for this thread, unless the environment
 * variable `INTEROP_ALLOCATOR` is `default` (the opt-out), another allocator is already registered
 * (yours wins), or the addon cannot be loaded. Returns whether the huge-page allocator is in force
 * afterwards. The Node entry points of `@interop/npy` and `@interop/stream` call it when they are
 * imported; call `resetAllocator()` of `@interop/core` to undo it.
 *
 * @example
 * ```ts
 * import { installNativeAllocator } from '@interop/native';
 * console.log(installNativeAllocator()); // true on Linux with the addon built
 * ```
 * @throws {NativeError} `ERR_INVALID_ARGUMENT` (a malformed `INTEROP_ALLOCATOR_THRESHOLD`).
 */
export function installNativeAllocator(options: InstallNativeAllocatorOptions = {}): boolean {
  const force = options.force === true;
  const choice = process.env['INTEROP_ALLOCATOR'];
  if (!force && choice === 'default') return false;
  const current = registeredAllocator();
  if (current !== null && !force) return current.allocator.name === hugePageAllocator.name;
  const threshold = options.threshold ?? readThreshold();
  try {
    addon();
  } catch {
    return false;
  }
  registerAllocator(hugePageAllocator, { threshold });
  return true;
}
