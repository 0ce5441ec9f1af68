import { describe, expect, it } from 'vitest';
import { BufferError, defineErrorFamily, InteropError, sharedErrorCodes, translateErrors, type ErrorFamily, type SharedErrorCode } from '../src/index.js';
import { expectErrorCode } from '../src/testing/index.js';

const ringCodes = { ERR_RING_EMPTY: 'The ring is empty.' } as const;
type RingCode = keyof typeof ringCodes | SharedErrorCode;
const RingError: ErrorFamily<RingCode> = defineErrorFamily('RingError', '@test/ring/RingError', ringCodes);
const DiskError = defineErrorFamily('DiskError', '@test/disk/DiskError', { ERR_DISK_FULL: 'The disk is full.' });

describe('defineErrorFamily', () => {
  it('makes a class: name, instanceof, InteropError, code and details, codes and hasCode', () => {
    const error = new RingError('ERR_RING_EMPTY', 'empty', { details: { operation: 'pop' } });
    expect(RingError.name).toBe('RingError');
    expect(error.name).toBe('RingError');
    expect(error).toBeInstanceOf(RingError);
    expect(error).toBeInstanceOf(InteropError);
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.details.operation]).toEqual(['ERR_RING_EMPTY', 'pop']);
    expect(RingError.codes).toEqual(ringCodes);
    expect(Object.isFrozen(RingError.codes)).toBe(true);
    expect(RingError.hasCode('ERR_RING_EMPTY')).toBe(true);
    for (const shared of Object.keys(sharedErrorCodes)) expect(RingError.hasCode(shared)).toBe(true);
    for (const other of ['ERR_DISK_FULL', 'ERR_BUFFER_READONLY', 'constructor', 'toString', 42, null]) expect(RingError.hasCode(other)).toBe(false);
  });

  it('recognises errors of another copy of the family by brand, and only those', () => {
    const again = defineErrorFamily('RingError', '@test/ring/RingError', ringCodes);
    const error = new again('ERR_INVALID_ARGUMENT', 'from another copy');
    expect(RingError.isInstance(error)).toBe(true);
    expect(error instanceof RingError).toBe(false);
    expect(DiskError.isInstance(error)).toBe(false);
    expect(BufferError.isInstance(error)).toBe(false);
    expect(InteropError.isInstance(error)).toBe(true);
    expect(RingError.isInstance(new Error('plain'))).toBe(false);
    expect(RingError.isInstance(null)).toBe(false);
  });
});

describe('translateErrors', () => {
  const options = {
    from: '@test/disk/DiskError',
    operation: 'save',
    codes: { ERR_DISK_FULL: 'ERR_RING_EMPTY' as const },
    fallback: 'ERR_INVALID_ARGUMENT' as const,
  };

  it('keeps a shared code, maps a listed one, and keeps the original as cause with its code in details', () => {
    const shared = new DiskError('ERR_BUFFER_RELEASED', 'closed');
    const error = expectErrorCode(
      () =>
        translateErrors(
          RingError,
          () => {
            throw shared;
          },
          options,
        ),
      'ERR_BUFFER_RELEASED',
      { family: RingError },
    );
    expect(error.cause).toBe(shared);
    expect(error.details).toMatchObject({ operation: 'save', sourceCode: 'ERR_BUFFER_RELEASED' });
    expectErrorCode(
      () =>
        translateErrors(
          RingError,
          () => {
            throw new DiskError('ERR_DISK_FULL', 'full');
          },
          options,
        ),
      'ERR_RING_EMPTY',
      { family: RingError },
    );
  });

  it('uses the fallback for an unlisted code, never a property of Object.prototype', () => {
    const odd = new DiskError('constructor' as never, 'odd code');
    expectErrorCode(
      () =>
        translateErrors(
          RingError,
          () => {
            throw odd;
          },
          options,
        ),
      'ERR_INVALID_ARGUMENT',
      { family: RingError },
    );
  });

  it('passes other errors through untouched, and returns the value of a call that succeeds', () => {
    const buffer = new BufferError('ERR_BUFFER_EXPORTED', 'held');
    expect(() =>
      translateErrors(
        RingError,
        () => {
          throw buffer;
        },
        options,
      ),
    ).toThrow(buffer);
    const plain = new TypeError('plain');
    expect(() =>
      translateErrors(
        RingError,
        () => {
          throw plain;
        },
        options,
      ),
    ).toThrow(plain);
    expect(translateErrors(RingError, () => 7, options)).toBe(7);
  });
});
