import { describe, it, vi } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { DataFrameView, PandasError } from '../src/index.js';
import { createSharedFrame, openSharedFrame } from '../src/node/index.js';

// An @interop/native that fails to load (not installed, or its addon does not match this Node).
vi.mock('@interop/native', () => {
  throw new Error('Cannot find module @interop/native');
});

describe('shared frames when @interop/native cannot be loaded', () => {
  it('say so with ERR_PANDAS_ADAPTER_UNAVAILABLE', async () => {
    for (const action of [() => createSharedFrame('x', DataFrameView.fromColumns({ a: [1] })), () => openSharedFrame('x')]) {
      await expectErrorCodeAsync(action, 'ERR_PANDAS_ADAPTER_UNAVAILABLE', { family: PandasError });
    }
  });
});
