import { fileURLToPath } from 'node:url';

/**
 * The directory holding interop/buffer.h, interop/buffer.hpp, interop/handle.hpp and
 * interop/layout.h, for a third-party addon's `include_dirs` (from binding.gyp use
 * `require('@interop/native/include').include_dir`).
 *
 * @example
 * ```ts
 * import { includeDir } from '@interop/native';
 * console.log(includeDir.endsWith('include')); // true
 * ```
 */
export const includeDir: string = fileURLToPath(new URL('../include', import.meta.url));
