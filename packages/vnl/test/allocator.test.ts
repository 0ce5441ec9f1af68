import { afterEach, describe, expect, it } from 'vitest';
import { registerAllocator, registeredAllocator, resetAllocator } from '@interop/core';
import { VnlMatrix, VnlVector } from '../src/index.js';

const before = registeredAllocator();
afterEach(() => {
  if (before === null) resetAllocator();
  else registerAllocator(before.allocator, { threshold: before.threshold, fallback: before.fallback });
});

describe('the allocation seam in @interop/vnl', () => {
  it('new storage, clones and copyOut come from the seam', () => {
    const given = new Set<ArrayBuffer>();
    const allocate = (byteLength: number): ArrayBuffer => {
      const buffer = new ArrayBuffer(byteLength);
      given.add(buffer);
      return buffer;
    };
    registerAllocator({ name: 'recording', allocate }, { threshold: 0 });
    const vector = VnlVector.from('float64', [1, 2, 3]);
    const clone = vector.clone();
    const out = vector.copyOut();
    expect(given.has(out.buffer as ArrayBuffer)).toBe(true);
    expect(Array.from(out)).toEqual([1, 2, 3]);
    expect(clone.toArray()).toEqual([1, 2, 3]);
    const matrix = new VnlMatrix('float64', 2, 2);
    const copy = matrix.clone().copyOut();
    expect(given.has(copy.buffer as ArrayBuffer)).toBe(true);
    expect(given.size).toBeGreaterThanOrEqual(5);
  });
});
