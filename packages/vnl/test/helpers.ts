import { expect } from 'vitest';
import { BufferError } from '@interop/core';
import { VnlError, type VnlErrorCode } from '../src/index.js';

/** Asserts that `fn` throws a VnlError with `code`. */
export function expectVnlError(fn: () => unknown, code: VnlErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(VnlError.isInstance(thrown), `expected VnlError ${code}, got ${String(thrown)}`).toBe(true);
  expect((thrown as VnlError).code).toBe(code);
}

/** Asserts that `fn` throws a BufferError with `code`. */
export function expectBufferError(fn: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(BufferError.isInstance(thrown), `expected BufferError ${code}, got ${String(thrown)}`).toBe(true);
  expect((thrown as BufferError).code).toBe(code);
}
