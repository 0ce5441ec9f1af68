// expectErrorCode: the one assertion for "this throws Interop error X", for tests and plugin authors.
import { describe, expect, it } from 'vitest';
import { BufferError, InteropError } from '@interop/core';
import { expectErrorCode, expectErrorCodeAsync } from '@interop/core/testing';

class OtherError extends InteropError<'ERR_OTHER'> {
  static override isInstance(value: unknown): value is OtherError {
    return value instanceof OtherError;
  }
}

const failureOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no failure';
};

describe('expectErrorCode', () => {
  it('returns the error when the code (and family) match', () => {
    const error = expectErrorCode(
      () => {
        throw new BufferError('ERR_BUFFER_RELEASED', 'gone');
      },
      'ERR_BUFFER_RELEASED',
      { family: BufferError },
    );
    expect(error.code).toBe('ERR_BUFFER_RELEASED');
  });

  it('fails, saying what happened instead, for no throw, a plain error, another code or another family', () => {
    expect(failureOf(() => expectErrorCode(() => 1, 'ERR_X', { what: 'resize()' }))).toContain(
      'expected resize() to throw an Interop error ERR_X, but it returned normally',
    );
    expect(
      failureOf(() =>
        expectErrorCode(() => {
          throw new RangeError('bad');
        }, 'ERR_X'),
      ),
    ).toContain('but it threw RangeError: bad');
    expect(
      failureOf(() =>
        expectErrorCode(() => {
          throw new BufferError('ERR_BUFFER_DETACHED', 'gone');
        }, 'ERR_BUFFER_RELEASED'),
      ),
    ).toContain('but it threw BufferError ERR_BUFFER_DETACHED');
    expect(
      failureOf(() =>
        expectErrorCode(
          () => {
            throw new OtherError('ERR_OTHER', 'x');
          },
          'ERR_OTHER',
          { family: BufferError },
        ),
      ),
    ).toContain('expected the call to throw BufferError ERR_OTHER');
  });

  it('awaits promises', async () => {
    const error = await expectErrorCodeAsync(() => Promise.reject(new BufferError('ERR_BUFFER_READONLY', 'ro')), 'ERR_BUFFER_READONLY');
    expect(error.code).toBe('ERR_BUFFER_READONLY');
    await expect(expectErrorCodeAsync(() => Promise.resolve(1), 'ERR_X')).rejects.toThrow('returned normally');
  });
});
