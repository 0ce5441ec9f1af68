import { onTestFinished } from 'vitest';
import { registerAllocator, registeredAllocator, resetAllocator } from '../allocator.js';
import { BufferFlags } from '../flags.js';
import { getBuffer, releaseBuffer } from '../protocol.js';

/** What `recordAllocations` saw: every request to the allocation seam during the test. */
export interface AllocationRecord {
  /** The byte lengths asked of the seam, in order. */
  readonly requests: readonly number[];
  /** The buffers the seam handed out. */
  readonly given: ReadonlySet<ArrayBuffer>;
  /**
   * True when `memory` lives in a buffer the seam handed out: an `ArrayBuffer`, a typed array or
   * `DataView` over one, or an exporter (one export is taken to see its buffer, then released).
   */
  holds(memory: unknown): boolean;
}

/**
 * Registers an allocator that serves every request of the allocation seam (threshold 0) with a
 * fresh `ArrayBuffer` and records it, for the rest of the current vitest test; the registration in
 * force before comes back when the test finishes. What a package asserts to prove that its fresh
 * memory (copies, loads, clones, growth) comes from `allocateBuffer`.
 *
 * @example
 * ```ts no-run
 * import { it, expect } from 'vitest';
 * import { MemoryView } from '@interop/core';
 * import { recordAllocations } from '@interop/core/testing';
 * it('MemoryView.copy takes its memory from the seam', () => {
 *   const record = recordAllocations();
 *   const copy = MemoryView.copy(MemoryView.from(new Float64Array(4)));
 *   expect(record.holds(copy)).toBe(true);
 *   copy.release();
 * });
 * ```
 */
export function recordAllocations(): AllocationRecord {
  const before = registeredAllocator();
  onTestFinished(() => {
    if (before === null) resetAllocator();
    else registerAllocator(before.allocator, { threshold: before.threshold, fallback: before.fallback });
  });
  const requests: number[] = [];
  const given = new Set<ArrayBuffer>();
  registerAllocator(
    {
      name: 'recording',
      allocate(byteLength) {
        requests.push(byteLength);
        const buffer = new ArrayBuffer(byteLength);
        given.add(buffer);
        return buffer;
      },
    },
    { threshold: 0 },
  );
  return {
    requests,
    given,
    holds(memory) {
      if (memory instanceof ArrayBuffer) return given.has(memory);
      if (ArrayBuffer.isView(memory)) return memory.buffer instanceof ArrayBuffer && given.has(memory.buffer);
      const info = getBuffer(memory, BufferFlags.FULL_RO);
      try {
        return info.buffer instanceof ArrayBuffer && given.has(info.buffer);
      } finally {
        releaseBuffer(info);
      }
    },
  };
}
