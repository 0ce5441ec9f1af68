// Soak: exports and releases (and some leaks) for a fixed time; afterwards every lock is back to
// zero and heap and external memory return to their baseline.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { BufferFlags, ExportLock, exportBuffer, getBuffer, getbuffer, releaseBuffer, releasebuffer, type BufferInfo } from '@interop/core';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const seconds = Number(process.env.INTEROP_SOAK_SECONDS ?? 3);

class Block {
  readonly lock = new ExportLock();
  readonly data = new Float64Array(1024);
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, format: 'd', shape: [32, 32] }, flags, this.lock);
  }
  [releasebuffer](): void {
    this.lock.release();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
  }
}

describe('soak', () => {
  it(
    `runs exports and releases for ${seconds} s and returns to baseline`,
    async () => {
      const blocks = Array.from({ length: 16 }, () => new Block());
      await settle();
      const baseline = process.memoryUsage();
      const deadline = performance.now() + seconds * 1000;
      let exports = 0;
      let leaked = 0;
      while (performance.now() < deadline) {
        for (let i = 0; i < 1000; i++) {
          const block = blocks[i & 15]!;
          const info = getBuffer(block, i % 3 === 0 ? BufferFlags.FULL_RO : BufferFlags.STRIDED);
          exports++;
          if (i % 997 === 0) leaked++;
          else releaseBuffer(info);
        }
        // Yield so that end-of-task leak registration and finalizers run, as in an application.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await settle();
      await settle();
      const after = process.memoryUsage();
      expect(exports).toBeGreaterThan(10_000);
      process.stdout.write(
        `soak: ${exports} exports in ${seconds} s, ${leaked} leaked and recovered; heap +${((after.heapUsed - baseline.heapUsed) / 2 ** 20).toFixed(2)} MiB, external +${((after.external - baseline.external) / 2 ** 20).toFixed(2)} MiB\n`,
      );
      expect(leaked).toBeGreaterThan(0);
      expect(blocks.every((block) => block.lock.exports === 0)).toBe(true);
      expect(after.heapUsed - baseline.heapUsed).toBeLessThan(8 * 2 ** 20);
      expect(after.external - baseline.external).toBeLessThan(2 * 2 ** 20);
    },
    60_000 + seconds * 1000,
  );
});
