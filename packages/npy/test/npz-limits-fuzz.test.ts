// Hostile .npz archives aimed at the expansion limit and the name checks: every size field of the
// central directory and local headers forged, names swapped, members duplicated. Invariants: only
// typed errors escape, and reading never allocates more than the default limit allows (checked
// through the process's ArrayBuffer memory). `pnpm fuzz` runs the long mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InteropError } from '@interop/core';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import { readNpz, writeNpz } from '../src/index.js';

const archives = [
  writeNpz({ a: new Float64Array(64).fill(1), 'a.npy': new Int8Array(3) }, { compress: true }),
  writeNpz({ x: new Uint8Array(100), y: new Int32Array([1, 2, 3]) }),
];

function signatures(bytes: Uint8Array, signature: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === signature) found.push(i);
  return found;
}

describe('.npz expansion limit and names under hostile archives', () => {
  it('forged sizes and names give typed errors and never allocate past the limit', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(
        fc.nat(archives.length - 1),
        fc.array(
          fc.record({
            header: fc.constantFrom(0x02014b50, 0x04034b50),
            which: fc.nat(3),
            field: fc.constantFrom(18, 22, 20, 24),
            value: fc.oneof(fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 30, 300 * 2 ** 20), fc.nat()),
          }),
          { maxLength: 3 },
        ),
        fc.array(fc.record({ position: fc.nat(4000), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 2 }),
        (index, forgeries, edits) => {
          const bytes = archives[index]!.slice();
          const view = new DataView(bytes.buffer);
          for (const forgery of forgeries) {
            const at = signatures(bytes, forgery.header)[forgery.which];
            if (at === undefined) continue;
            // Central directory: compressed size at +20, size at +24; local header: +18, +22.
            const field = forgery.header === 0x02014b50 ? (forgery.field < 20 ? forgery.field + 2 : forgery.field) : forgery.field - 2;
            if (at + field + 4 <= bytes.length) view.setUint32(at + field, forgery.value >>> 0, true);
          }
          for (const edit of edits) if (edit.position < bytes.length) bytes[edit.position] = edit.value;
          const before = process.memoryUsage().arrayBuffers;
          try {
            const npz = readNpz(bytes);
            for (const member of npz.members) npz.getBytes(member.name);
          } catch (error) {
            expect(InteropError.isInstance(error), String(error)).toBe(true);
          }
          // The default limit for these small archives is the 256 MiB floor.
          expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 ** 28 + 2 ** 20);
        },
      ),
      fuzzOptions(300),
    );
  });
});
