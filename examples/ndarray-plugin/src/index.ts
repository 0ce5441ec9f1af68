// interop-ndarray-plugin: what a third-party exporter plugin looks like.
import { registerExporter } from '@interop/core';
import { scijsNdarrayAdapter } from './scijs.js';
import { stdlibNdarrayAdapter } from './stdlib.js';

export type { Borrowed } from './borrowed.js';
export { isScijsNdarray, scijsNdarrayAdapter, toScijsNdarray, type ScijsNdarrayLike } from './scijs.js';
export { isStdlibNdarray, stdlibNdarrayAdapter, toStdlibNdarray, type StdlibNdarrayLike } from './stdlib.js';

/**
 * Registers the scijs and stdlib adapters with `@interop/core`; returns a function that removes them.
 *
 * @example
 * ```ts no-run
 * const unregister = registerNdarrayAdapters();
 * ```
 */
export function registerNdarrayAdapters(): () => void {
  const removeScijs = registerExporter(scijsNdarrayAdapter);
  const removeStdlib = registerExporter(stdlibNdarrayAdapter);
  return () => {
    removeStdlib();
    removeScijs();
  };
}
