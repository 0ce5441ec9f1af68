import { getbuffer, releasebuffer, type BufferInfo } from '@interop/core';

/**
 * Installs the buffer-protocol hooks on a class prototype. Classes declare the hooks in a merged
 * interface instead of as computed methods because `isolatedDeclarations` cannot emit a class
 * member named by an imported symbol; the runtime shape is the same (non-enumerable methods).
 */
export function installExporterHooks<T>(prototype: T, hooks: { readonly getbuffer: (this: T, flags: number) => BufferInfo; readonly releasebuffer: (this: T, info: BufferInfo) => void }): void {
  Object.defineProperty(prototype, getbuffer, { value: hooks.getbuffer, writable: true, configurable: true });
  Object.defineProperty(prototype, releasebuffer, { value: hooks.releasebuffer, writable: true, configurable: true });
}
