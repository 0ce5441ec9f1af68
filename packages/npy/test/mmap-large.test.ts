// A memory-mapped .npy larger than 4 GiB (issue 16, finding 4): the mapping itself works (through
// @interop/native), and an NpyArray, whose data is one Uint8Array, refuses what the engine cannot
// view with a typed error instead of a RangeError or an abort. The file is sparse: nothing near
// 4 GiB is written or read.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpyError } from '../src/index.js';
import { loadNpy } from '../src/node/index.js';

function sparseNpy(path: string, items: number): void {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${items},), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const bytes = new Uint8Array(10 + header.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, bytes);
    ftruncateSync(fd, bytes.length + items);
  } finally {
    closeSync(fd);
  }
}

describe('loadNpy(path, { mmap }) over 4 GiB', () => {
  it('ends with a typed error (not a RangeError, not an abort) when the engine cannot view the array as one Uint8Array', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'interop-npy-big-'));
    try {
      const path = join(dir, 'big.npy');
      sparseNpy(path, 2 ** 32 + 4096);
      let caught: unknown;
      let loaded: { close(): void } | undefined;
      try {
        loaded = await loadNpy(path, { mmap: true });
      } catch (error) {
        caught = error;
      }
      if (loaded !== undefined) {
        // An engine that can view it: the load worked, as it should.
        loaded.close();
      } else {
        expect(NpyError.isInstance(caught)).toBe(true);
        expect((caught as NpyError).code).toBe('ERR_NPY_SIZE_OVERFLOW');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
