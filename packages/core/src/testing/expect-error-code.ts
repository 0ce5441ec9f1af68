import { expect } from 'vitest';
import { InteropError } from '../errors/interop-error.js';

/** What `expectErrorCode` can additionally require of the error: its family (class). */
export interface ExpectErrorCodeOptions {
  /** The error family, e.g. `NpyError` or `BufferError` (anything with a static `isInstance`). */
  readonly family?: { readonly name: string; isInstance(value: unknown): boolean };
  /** What was called, for the failure message (default "the call"). */
  readonly what?: string;
}

/**
 * Asserts (vitest) that `action` throws an Interop error (from any package, any copy of it) with
 * `code`, optionally of one family, and returns it for further checks. Failures say what was
 * thrown instead. For promises, use {@link expectErrorCodeAsync}.
 *
 * @example
 * ```ts no-run
 * import { expectErrorCode } from '@interop/core/testing';
 * import { NpyError, readNpy } from '@interop/npy';
 * const error = expectErrorCode(() => readNpy(new Uint8Array(3)), 'ERR_NPY_BAD_MAGIC', { family: NpyError });
 * ```
 */
export function expectErrorCode(action: () => unknown, code: string, options: ExpectErrorCodeOptions = {}): InteropError {
  let thrown: unknown;
  let threw = false;
  try {
    action();
  } catch (error) {
    thrown = error;
    threw = true;
  }
  return checkThrown(threw, thrown, code, options);
}

/**
 * `expectErrorCode` for an operation that returns a promise: awaits it and asserts it rejects with
 * an Interop error of `code`.
 *
 * @example
 * ```ts no-run
 * await expectErrorCodeAsync(() => stream.readInto(view), 'ERR_BUFFER_RELEASED');
 * ```
 */
export async function expectErrorCodeAsync(action: () => Promise<unknown>, code: string, options: ExpectErrorCodeOptions = {}): Promise<InteropError> {
  let thrown: unknown;
  let threw = false;
  try {
    await action();
  } catch (error) {
    thrown = error;
    threw = true;
  }
  return checkThrown(threw, thrown, code, options);
}

function checkThrown(threw: boolean, thrown: unknown, code: string, options: ExpectErrorCodeOptions): InteropError {
  const what = options.what ?? 'the call';
  const wanted = `${options.family?.name ?? 'an Interop error'} ${code}`;
  if (!threw) expect.fail(`expected ${what} to throw ${wanted}, but it returned normally`);
  if (!InteropError.isInstance(thrown)) {
    expect.fail(
      `expected ${what} to throw ${wanted}, but it threw ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : `a non-error value (${String(thrown)})`}`,
    );
  }
  if (options.family !== undefined && !options.family.isInstance(thrown))
    expect.fail(`expected ${what} to throw ${wanted}, but it threw ${thrown.name} ${thrown.code}: ${thrown.message}`);
  if (thrown.code !== code) expect.fail(`expected ${what} to throw ${wanted}, but it threw ${thrown.name} ${thrown.code}: ${thrown.message}`);
  return thrown;
}
