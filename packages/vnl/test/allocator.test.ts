import { describe, expect, it } from 'vitest';
import { recordAllocations } from '@interop/core/testing';
import { VnlMatrix, VnlVector } from '../src/index.js';

describe('the allocation seam in @interop/vnl', () => {
  it('new storage, clones and copyOut come from the seam', () => {
    const record = recordAllocations();
    const vector = VnlVector.from('float64', [1, 2, 3]);
    const clone = vector.clone();
    const out = vector.copyOut();
    expect(record.holds(out)).toBe(true);
    expect(Array.from(out)).toEqual([1, 2, 3]);
    expect(clone.toArray()).toEqual([1, 2, 3]);
    const matrix = new VnlMatrix('float64', 2, 2);
    const copy = matrix.clone().copyOut();
    expect(record.holds(copy)).toBe(true);
    expect(record.given.size).toBeGreaterThanOrEqual(5);
  });
});
