import { join } from 'node:path';
import { describe, it, vi } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { loadNpy } from '../src/node/index.js';
import { fixturesDir } from './helpers.js';
import { NpyError } from '../src/index.js';

// An @interop/native that fails to load (not installed, or its addon does not match this Node).
vi.mock('@interop/native', () => {
  throw new Error('Cannot find module @interop/native');
});

describe('loadNpy with mmap when @interop/native cannot map', () => {
  it('says so with ERR_NPY_MMAP_UNAVAILABLE', async () => {
    await expectErrorCodeAsync(() => loadNpy(join(fixturesDir, 'f4_le.npy'), { mmap: true }), 'ERR_NPY_MMAP_UNAVAILABLE', { family: NpyError });
  });
});
