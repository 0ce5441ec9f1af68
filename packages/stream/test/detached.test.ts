import { BufferFlags, getBuffer, getbuffer, releaseBuffer, releasebuffer } from '@interop/core';
import { expectDetachedEverywhere, loseMemory, resizableBuffer, type MemoryLoss, expectErrorCode } from '@interop/core/testing';
import { describe, expect, it } from 'vitest';
import { BufferStream, MemoryStream } from '../src/index.js';

type SyncStream = BufferStream | MemoryStream;

const streamCalls: Record<string | symbol, (stream: SyncStream) => unknown> = {
  read: (stream) => stream.read(2),
  readInto: (stream) => stream.readInto(new Uint8Array(2)),
  readAll: (stream) => stream.readAll(),
  write: (stream) => stream.write(new Uint8Array([1])),
  seek: (stream) => stream.seek(1),
  tell: (stream) => stream.tell(),
  truncate: (stream) => stream.truncate(8),
  flush: (stream) => stream.flush(),
  chunks: (stream) => stream.chunks(2),
  [Symbol.iterator]: (stream) => stream[Symbol.iterator](),
  [Symbol.asyncIterator]: (stream) => stream[Symbol.asyncIterator](),
  [getbuffer]: (stream): unknown => stream[getbuffer](BufferFlags.SIMPLE),
};
// The protected hooks of the shared base are runtime-visible; the public methods above reach them.
const hooks = ['readBytes', 'writeBytes', 'remainingHint', 'currentSize', 'currentPosition', 'seekTo', 'truncateTo', 'flushBytes', 'closeResource'];
const exempt = [...hooks, 'close', Symbol.dispose, releasebuffer];

describe('streams over memory taken away', () => {
  for (const loss of ['transfer', 'shrink'] as const satisfies readonly MemoryLoss[]) {
    it(`a BufferStream refuses every method after a ${loss} (read no longer reports end of stream)`, async () => {
      await expectDetachedEverywhere(
        () => {
          const buffer = loss === 'shrink' ? resizableBuffer(8) : new ArrayBuffer(8);
          new Uint8Array(buffer).set([1, 2, 3, 4, 5, 6, 7, 8]);
          return { object: new BufferStream(new Uint8Array(buffer, 0, 8)), lose: () => loseMemory(buffer, loss) };
        },
        { calls: streamCalls, exempt, getters: { size: (stream) => stream.size } },
      );
    });
  }

  it('a MemoryStream whose storage was transferred through an export refuses every method', async () => {
    await expectDetachedEverywhere(
      () => {
        const stream = new MemoryStream(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
        return {
          object: stream,
          lose: () => {
            const info = getBuffer(stream, BufferFlags.SIMPLE);
            releaseBuffer(info);
            loseMemory(info.buffer, 'transfer');
          },
        };
      },
      { calls: { ...streamCalls, getValue: (stream) => stream.getValue() }, exempt, getters: { size: (stream) => stream.size } },
    );
  });

  it('close still works and releases the export after the memory is gone', () => {
    const buffer = new ArrayBuffer(8);
    const source = new Uint8Array(buffer);
    const stream = new BufferStream(source);
    loseMemory(buffer, 'transfer');
    expectErrorCode(() => stream.read(1), 'ERR_BUFFER_DETACHED');
    stream.close();
    expect(stream.closed).toBe(true);
  });
});
