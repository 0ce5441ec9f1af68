import { describe, expect, it } from 'vitest';
import { allocateBuffer, MemoryView, registeredAllocator } from '../src/index.js';
import { recordAllocations } from '../src/testing/index.js';

// What was registered when the file started (the huge-page allocator in the INTEROP_ALLOCATOR=huge-page run).
const atStart = registeredAllocator();

describe('recordAllocations', () => {
  it('records every request of the seam, from the first byte on, and tells whose memory is whose', () => {
    const record = recordAllocations();
    expect(registeredAllocator()).toMatchObject({ threshold: 0 });
    const buffer = allocateBuffer(3);
    using source = MemoryView.from(new Float64Array([1, 2]));
    using copy = MemoryView.copy(source);
    expect(record.requests).toEqual([3, 16]);
    expect(record.given.size).toBe(2);
    expect(record.holds(buffer)).toBe(true);
    expect(record.holds(new Uint8Array(buffer, 1))).toBe(true);
    expect(record.holds(copy)).toBe(true);
    expect(record.holds(new ArrayBuffer(3))).toBe(false);
    expect(record.holds(new Float64Array(2))).toBe(false);
    using other = MemoryView.from(new Float64Array(2));
    expect(record.holds(other)).toBe(false);
  });

  it('gives the registration in force before back when the test finishes', () => {
    // The same allocator with the same settings (registered again: registerAllocator wraps what it
    // is given in a snapshot of its own, so the records are not identical objects).
    const settings = (registration: ReturnType<typeof registeredAllocator>) =>
      registration === null ? null : { name: registration.allocator.name, threshold: registration.threshold, fallback: registration.fallback };
    expect(settings(registeredAllocator())).toEqual(settings(atStart));
  });
});
