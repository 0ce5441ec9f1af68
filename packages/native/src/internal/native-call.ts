import { InteropError } from '@interop/core';
import type { NativeErrorCode } from '../errors/codes.js';
import { NativeError } from '../errors/native-error.js';

// Facts the addon attaches to its errors, copied into `details` when present.
const addonFacts = ['errno', 'syscall', 'range', 'written', 'consumed', 'libraryError'] as const;

/** Runs a call into the addon, turning its coded errors into `NativeError`s that say what to do. */
export function nativeCall<T>(operation: string, advice: Partial<Record<NativeErrorCode, string>>, call: () => T, details: Record<string, unknown> = {}): T {
  try {
    return call();
  } catch (error) {
    // Already typed (core's detached error, a NativeError from a nested call): passed on as is.
    if (InteropError.isInstance(error)) throw error;
    const raw = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
    const code: NativeErrorCode = NativeError.hasCode(raw.code) ? raw.code : 'ERR_NATIVE_SYSTEM';
    const hint = advice[code];
    const message = `${operation}: ${typeof raw.message === 'string' ? raw.message : String(error)}.${hint === undefined ? '' : ` ${hint}`}`;
    const facts: Record<string, unknown> = { operation, ...details };
    for (const key of addonFacts) if (raw[key] !== undefined) facts[key] = raw[key];
    throw new NativeError(code, message, { cause: error, details: facts });
  }
}

/** Throws ERR_NATIVE_UNSUPPORTED_PLATFORM off POSIX systems. */
export function assertPosix(operation: string): void {
  if (process.platform === 'win32') {
    throw new NativeError('ERR_NATIVE_UNSUPPORTED_PLATFORM', `${operation} needs POSIX mmap/shm_open; Windows is not supported yet.`, {
      details: { operation },
    });
  }
}
