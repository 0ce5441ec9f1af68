import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { PandasError } from '../src/index.js';

describe('Parquet without parquet-wasm installed', () => {
  afterEach(() => {
    vi.doUnmock('parquet-wasm');
    vi.resetModules();
  });

  it('throws ERR_PANDAS_ADAPTER_UNAVAILABLE naming the package, and loads once it is there', async () => {
    vi.resetModules();
    vi.doMock('parquet-wasm', () => {
      throw new Error("Cannot find package 'parquet-wasm'");
    });
    const { DataFrameView, writeParquet } = await import('../src/index.js');
    const frame = DataFrameView.fromColumns({ a: [1, 2] });
    let message = '';
    await expectErrorCodeAsync(
      async () => {
        try {
          await writeParquet(frame);
        } catch (error) {
          message = (error as Error).message;
          throw error;
        }
      },
      'ERR_PANDAS_ADAPTER_UNAVAILABLE',
      { family: PandasError },
    );
    expect(message).toContain('parquet-wasm');
    // A failed load is not cached: installing the package later works without a restart.
    vi.doUnmock('parquet-wasm');
    expect((await writeParquet(frame)).byteLength).toBeGreaterThan(0);
  });
});
