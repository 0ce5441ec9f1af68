import { BufferError } from '@interop/core';
import { PandasError } from '../src/index.js';

/** The code of the PandasError or BufferError `fn` throws (rethrows anything else). */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (PandasError.isInstance(error) || BufferError.isInstance(error)) return error.code;
    throw error;
  }
  return undefined;
}
