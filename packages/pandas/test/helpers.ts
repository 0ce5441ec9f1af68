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

/** The code of the PandasError the promise rejects with (rethrows anything else). */
export async function asyncCodeOf(promise: Promise<unknown> | (() => Promise<unknown>)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (PandasError.isInstance(error)) return error.code;
    throw error;
  }
  return undefined;
}
