// loadParquet / saveParquet and loadFeather / saveFeather take onProgress and an AbortSignal (issue 20, "Long operations"): an
// aborted save leaves no half-written file and the earlier file untouched.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorCodeAsync, expectErrorCode } from '@interop/core/testing';
import { BufferError, type Progress } from '@interop/core';
import { DataFrameView } from '@interop/pandas';
import { loadFeather, loadParquet, loadParquetDataset, readFeather, saveFeather, saveParquet, saveParquetDataset, writeFeather } from '@interop/pandas/node';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interop-pandas-long-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const frame = (): DataFrameView =>
  DataFrameView.fromColumns({ x: Float64Array.from({ length: 50_000 }, (_, i) => i * 0.5), n: Int32Array.from({ length: 50_000 }, (_, i) => i) });

describe('saveParquet / loadParquet as long operations', () => {
  it('report progress while writing and reading, with the same frame back', async () => {
    const path = join(dir, 'a.parquet');
    const saved: Progress[] = [];
    await saveParquet(path, frame(), { onProgress: (progress) => saved.push(progress) });
    const size = readFileSync(path).length;
    expect(saved.at(-1)).toEqual({ operation: 'saveParquet', bytesDone: size, bytesTotal: size });
    const loaded: Progress[] = [];
    const back = await loadParquet(path, { onProgress: (progress) => loaded.push(progress) });
    expect(loaded.at(-1)).toEqual({ operation: 'loadParquet', bytesDone: size, bytesTotal: size });
    expect(back.column('n').get(49_999)).toBe(49_999);
  });

  it('leave no half-written file when aborted, and the earlier file untouched', async () => {
    const path = join(dir, 'a.parquet');
    writeFileSync(path, 'earlier');
    await expectErrorCodeAsync(() => saveParquet(path, frame(), { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
    const controller = new AbortController();
    await expectErrorCodeAsync(
      () => saveParquet(path, frame(), { signal: controller.signal, onProgress: ({ bytesDone }) => bytesDone > 0 && controller.abort() }),
      'ERR_ABORTED',
      { family: BufferError },
    );
    expect(readFileSync(path, 'utf8')).toBe('earlier');
    expect(readdirSync(dir)).toEqual(['a.parquet']);
  });

  it('stop a load whose signal aborts', async () => {
    const path = join(dir, 'a.parquet');
    await saveParquet(path, frame());
    await expectErrorCodeAsync(() => loadParquet(path, { signal: AbortSignal.abort(new Error('user cancelled')) }), 'ERR_ABORTED', { family: BufferError });
  });
});

describe('saveFeather / loadFeather as long operations', () => {
  it('write what readFeather reads and read what writeFeather wrote, reporting progress both ways', async () => {
    const path = join(dir, 'a.feather');
    const saved: Progress[] = [];
    await saveFeather(path, frame(), { compression: 'lz4', onProgress: (progress) => saved.push(progress) });
    const size = readFileSync(path).length;
    expect(saved.at(-1)).toEqual({ operation: 'saveFeather', bytesDone: size, bytesTotal: size });
    expect(readFeather(path).column('n').get(49_999)).toBe(49_999);
    const plain = join(dir, 'plain.feather');
    writeFeather(plain, frame(), { compression: 'lz4' });
    const loaded: Progress[] = [];
    const back = await loadFeather(plain, { onProgress: (progress) => loaded.push(progress) });
    expect(loaded.at(-1)!.bytesDone).toBe(readFileSync(plain).length);
    expect(back.column('x').get(3)).toBe(1.5);
  });

  it('leave no half-written file when aborted, stop an aborted load, and name a missing file', async () => {
    const path = join(dir, 'a.feather');
    writeFileSync(path, 'earlier');
    await expectErrorCodeAsync(() => saveFeather(path, frame(), { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
    expect(readFileSync(path, 'utf8')).toBe('earlier');
    expect(readdirSync(dir)).toEqual(['a.feather']);
    writeFeather(path, frame());
    await expectErrorCodeAsync(() => loadFeather(path, { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
    await expectErrorCodeAsync(() => loadFeather(join(dir, 'missing.feather')), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => readFeather(join(dir, 'missing.feather')), 'ERR_INVALID_ARGUMENT');
  });
});

describe('saveParquetDataset / loadParquetDataset as long operations', () => {
  const partitioned = (): DataFrameView =>
    DataFrameView.fromColumns({ part: Int32Array.from({ length: 300 }, (_, i) => i % 3), x: Float64Array.from({ length: 300 }, (_, i) => i) });
  const files = (root: string): string[] =>
    readdirSync(root, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.parquet'));

  it('report cumulative progress over the files, and read the dataset back', async () => {
    const root = join(dir, 'dataset');
    const saved: number[] = [];
    const paths = await saveParquetDataset(root, partitioned(), { partitionBy: ['part'], onProgress: ({ bytesDone }) => saved.push(bytesDone) });
    expect(paths).toHaveLength(3);
    const total = paths.reduce((sum, path) => sum + readFileSync(path).length, 0);
    expect(saved.at(-1)).toBe(total);
    const read: number[] = [];
    const frame = await loadParquetDataset(root, { onProgress: ({ bytesDone }) => read.push(bytesDone) });
    expect(read.at(-1)).toBe(total);
    expect(frame.numRows).toBe(300);
  });

  it('remove what it wrote when aborted half-way', async () => {
    const root = join(dir, 'dataset');
    const controller = new AbortController();
    await expectErrorCodeAsync(
      () =>
        saveParquetDataset(root, partitioned(), {
          partitionBy: ['part'],
          signal: controller.signal,
          onProgress: ({ bytesDone }) => bytesDone > 0 && controller.abort(),
        }),
      'ERR_ABORTED',
      { family: BufferError },
    );
    expect(files(root)).toEqual([]);
    await saveParquetDataset(root, partitioned(), { partitionBy: ['part'] });
    await expectErrorCodeAsync(() => loadParquetDataset(root, { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
  });
});
