import type { NativeErrorCode } from '../errors/codes.js';
import { NativeError } from '../errors/native-error.js';

/** Runs a call into the addon, turning its coded errors into `NativeError`s that say what to do. */
export function nativeCall<T>(operation: string, advice: Partial<Record<NativeErrorCode, string>>, call: () => T): T {
  try {
    return call();
  } catch (error) {
    const raw = error as { code?: unknown; errno?: unknown; syscall?: unknown; message?: unknown };
    const code: NativeErrorCode = NativeError.hasCode(raw.code) ? raw.code : 'ERR_NATIVE_SYSTEM';
    const hint = advice[code];
    const message = `${operation}: ${typeof raw.message === 'string' ? raw.message : String(error)}.${hint === undefined ? '' : ` ${hint}`}`;
    throw new NativeError(code, message, {
      cause: error,
      details: { operation, ...(typeof raw.errno === 'number' ? { errno: raw.errno } : {}), ...(typeof raw.syscall === 'string' ? { syscall: raw.syscall } : {}) },
    });
  }
}

/** Throws ERR_NATIVE_UNSUPPORTED_PLATFORM off POSIX systems. */
export function assertPosix(operation: string): void {
  if (process.platform === 'win32') {
    throw new NativeError('ERR_NATIVE_UNSUPPORTED_PLATFORM', `${operation} needs POSIX mmap/shm_open; Windows is not supported yet.`, { details: { operation } });
  }
}
