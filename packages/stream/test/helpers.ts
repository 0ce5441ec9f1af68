import { expect } from 'vitest';
import { StreamError, type StreamErrorCode } from '@interop/stream';

/** Runs `fn`, expecting a StreamError with `code`; returns it. */
export function expectStreamError(fn: () => unknown, code: StreamErrorCode): StreamError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(StreamError.isInstance(thrown), `expected StreamError ${code}, got ${String(thrown)}`).toBe(true);
  expect((thrown as StreamError).code).toBe(code);
  return thrown as StreamError;
}

/** Awaits `promise`, expecting a StreamError with `code`. */
export async function expectStreamRejection(promise: Promise<unknown>, code: StreamErrorCode): Promise<void> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(StreamError.isInstance(thrown), `expected StreamError ${code}, got ${String(thrown)}`).toBe(true);
  expect((thrown as StreamError).code).toBe(code);
}

// The kit's assertion serves every package's tests.
export { expectBufferError } from '@interop/core/testing';

export const bytes = (...values: number[]): Uint8Array<ArrayBuffer> => new Uint8Array(values);
export const text = (value: string): Uint8Array<ArrayBuffer> => new Uint8Array(new TextEncoder().encode(value));
