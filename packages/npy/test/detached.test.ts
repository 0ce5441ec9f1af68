import { BufferFlags, exportBuffer, getbuffer, releasebuffer, type BufferInfo } from '@interop/core';
import { expectDetachedEverywhere, loseMemory, resizableBuffer, type MemoryLoss, expectErrorCode } from '@interop/core/testing';
import { describe, expect, it } from 'vitest';
import { NpyArray, NpyError, readNpy, writeNpy } from '../src/index.js';

describe('NpyArray over memory taken away', () => {
  for (const loss of ['transfer', 'shrink'] as const satisfies readonly MemoryLoss[]) {
    it(`refuses exports and bytes after a ${loss}`, async () => {
      await expectDetachedEverywhere(
        () => {
          const file = writeNpy(new Float64Array([1, 2, 3]));
          const buffer = loss === 'shrink' ? resizableBuffer(file.length) : new ArrayBuffer(file.length);
          const bytes = new Uint8Array(buffer, 0, file.length);
          bytes.set(file);
          return { object: readNpy(bytes), lose: () => loseMemory(buffer, loss) };
        },
        {
          calls: { [getbuffer]: (array): unknown => array[getbuffer](BufferFlags.FULL_RO) },
          exempt: ['close', Symbol.dispose, releasebuffer],
          getters: { bytes: (array) => array.bytes },
        },
      );
    });
  }

  it('writeNpy of a readNpy array whose memory is gone is a typed error', () => {
    const bytes = writeNpy(new Int16Array([1, 2]));
    const array = readNpy(bytes);
    loseMemory(bytes.buffer, 'transfer');
    expectErrorCode(() => writeNpy(array), 'ERR_BUFFER_DETACHED');
    expect(array.closed).toBe(false);
    array.close();
  });
});

describe('writeNpy allocation failures', () => {
  it('an output larger than the engine can allocate is ERR_BUFFER_ALLOCATION_FAILED, not a RangeError', () => {
    // A broadcast (stride 0) view: 2^40 items over 8 bytes of memory, a valid layout.
    const memory = new ArrayBuffer(8);
    const broadcast = {
      [getbuffer]: (flags: number): BufferInfo =>
        exportBuffer(broadcast, { buffer: memory, byteOffset: 0, format: 'd', shape: [2 ** 40], strides: [0] }, flags),
      [releasebuffer]: (): void => {},
    };
    expectErrorCode(() => writeNpy(broadcast), 'ERR_BUFFER_ALLOCATION_FAILED', { family: NpyError });
    expect(new NpyArray({ descr: '<f8', shape: [1], data: new Uint8Array(8) }).nbytes).toBe(8);
  });
});
