import { describe, expect, it } from 'vitest';
import { recordAllocations } from '@interop/core/testing';
import { planDecodeArena } from '../src/internal/decode-arena.js';
import type { CompressedBuffer } from '../src/internal/ipc-bounds.js';

const refuse = (total: number): never => {
  throw new Error(`over the limit: ${total}`);
};

describe('planDecodeArena', () => {
  it('reserves one slot for two buffers of a crafted file that point at the same bytes (no slot is left unwritten)', () => {
    const record = recordAllocations();
    const source = new Uint8Array(64);
    const shared: Omit<CompressedBuffer, 'index'> = { position: 8, compressed: 16, declared: 24, codec: 'lz4' };
    const arena = planDecodeArena(
      source,
      [
        { ...shared, index: 0 },
        { ...shared, index: 1 },
        { position: 32, compressed: 8, declared: 8, codec: 'lz4', index: 2 },
      ],
      1 << 20,
      refuse,
      () => true,
    );
    expect(arena).not.toBeNull();
    // Two distinct places, 24 + 8 bytes: the repeated position got no slot of its own.
    expect(record.requests).toEqual([32]);
    const first = arena!.take(source.subarray(8, 24), 24);
    expect(first?.bytes.byteLength).toBe(24);
    expect(arena!.take(source.subarray(8, 24), 24)).toBeUndefined();
  });

  it('still counts every buffer against the limit, repeated ones included', () => {
    const source = new Uint8Array(64);
    const shared: Omit<CompressedBuffer, 'index'> = { position: 8, compressed: 16, declared: 600, codec: 'lz4' };
    expect(() =>
      planDecodeArena(
        source,
        [
          { ...shared, index: 0 },
          { ...shared, index: 1 },
        ],
        1000,
        refuse,
        () => true,
      ),
    ).toThrow('over the limit: 1200');
  });
});
