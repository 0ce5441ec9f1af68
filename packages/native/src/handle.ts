import { NativeError } from './errors/native-error.js';
import { loadAddon } from './load-addon.js';

/**
 * True when `value` is a native handle (a `std::shared_ptr<T>` wrapped by `interop::wrap_shared`
 * in interop/handle.hpp).
 *
 * @example
 * ```ts
 * import { isNativeHandle } from '@interop/native';
 * console.log(isNativeHandle({})); // false
 * ```
 */
export function isNativeHandle(value: unknown): boolean {
  return typeof value === 'object' && value !== null && loadAddon().isHandle(value);
}

function box(value: unknown, operation: string): { typeName: string; released: boolean } {
  if (!isNativeHandle(value)) {
    throw new NativeError('ERR_NATIVE_NOT_A_HANDLE', `${operation}: the value is not a native handle made by interop::wrap_shared.`, {
      details: { operation },
    });
  }
  return loadAddon().handleInfo(value);
}

/**
 * The C++ type name a native handle was created with.
 *
 * @example
 * ```ts no-run
 * handleTypeName(sampleAddon.wrapImage(image)); // "Image"
 * ```
 * @throws {NativeError} `ERR_NATIVE_NOT_A_HANDLE`.
 */
export function handleTypeName(handle: unknown): string {
  return box(handle, 'handleTypeName').typeName;
}

/**
 * True once `releaseHandle(handle)` was called.
 *
 * @example
 * ```ts no-run
 * isHandleReleased(handle); // false
 * ```
 * @throws {NativeError} `ERR_NATIVE_NOT_A_HANDLE`.
 */
export function isHandleReleased(handle: unknown): boolean {
  return box(handle, 'isHandleReleased').released;
}

/**
 * Drops the reference a native handle holds now, instead of when it is garbage-collected.
 * Native code unwrapping it afterwards gets `ERR_BUFFER_RELEASED`. Idempotent.
 *
 * @example
 * ```ts no-run
 * releaseHandle(handle);
 * ```
 * @throws {NativeError} `ERR_NATIVE_NOT_A_HANDLE`.
 */
export function releaseHandle(handle: unknown): void {
  box(handle, 'releaseHandle');
  loadAddon().releaseHandle(handle);
}
