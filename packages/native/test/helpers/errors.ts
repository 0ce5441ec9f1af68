import { expect } from 'vitest';
import { NativeError } from '../../src/index.js';

/** The code of the NativeError `action` throws (any other error fails the test); undefined when it throws nothing. */
export function nativeCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    expect(NativeError.isInstance(error)).toBe(true);
    return (error as NativeError).code;
  }
  return undefined;
}
