import { parquetMetadata } from 'hyparquet';
import * as wasm from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { Column, DataFrameView, readParquet, readParquetBatches, writeParquet, PandasError } from '../src/index.js';
import { referenceFrame } from './fixtures/frame.js';

async function collect(iterable: AsyncIterable<DataFrameView>): Promise<DataFrameView[]> {
  const out: DataFrameView[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function expectSameFrame(actual: DataFrameView, expected: DataFrameView): void {
  expect(actual.columnNames).toEqual(expected.columnNames);
  for (const name of expected.columnNames) {
    expect({ name, dtype: actual.column(name).dtype }).toEqual({ name, dtype: expected.column(name).dtype });
    expect({ name, values: actual.column(name).toArray() }).toEqual({ name, values: expected.column(name).toArray() });
    const categories = expected.column(name).categories;
    if (categories !== null) expect({ name, categories: actual.column(name).categories?.toArray() }).toEqual({ name, categories: categories.toArray() });
  }
}

/** The reference frame with its ordered categorical's categories in first-appearance order (see the docs). */
function writableReference(): DataFrameView {
  const frame = referenceFrame();
  const columns = frame.columnNames
    .map((name) => [name, frame.column(name)] as const)
    .map(([name, column]) =>
      name === 'cat'
        ? ([
            name,
            Column.fromParts({
              type: column.type,
              values: Int8Array.of(0, 1, 0, 0),
              categories: Column.from(['x', 'y']),
              validityBytes: Uint8Array.of(1, 1, 0, 1),
            }),
          ] as const)
        : ([name, column] as const),
    );
  return DataFrameView.fromColumnList(columns);
}

function bits64(values: Float64Array): bigint[] {
  return Array.from(new BigUint64Array(values.buffer, values.byteOffset, values.length));
}

describe('writeParquet / readParquet', () => {
  for (const compression of ['snappy', 'zstd', null] as const) {
    it(`round-trips every column type exactly (${compression ?? 'uncompressed'})`, async () => {
      const frame = writableReference();
      const bytes = await writeParquet(frame, { compression });
      const codecs = parquetMetadata(bytes).row_groups[0]?.columns.map((chunk) => chunk.meta_data?.codec);
      expect(new Set(codecs)).toEqual(new Set([compression === null ? 'UNCOMPRESSED' : compression.toUpperCase()]));
      expectSameFrame(await readParquet(bytes), frame);
    });
  }

  it('keeps float bit patterns: NaN payloads, -0.0, +-infinity', async () => {
    const values = new Float64Array(6);
    const raw = new BigUint64Array(values.buffer);
    raw[0] = 0x7ff8000000000000n; // the canonical quiet NaN
    raw[1] = 0x7ff4000000000001n; // a NaN with a payload
    raw[2] = 0xfff8000000000000n; // a negative NaN
    values[3] = -0;
    values[4] = Number.POSITIVE_INFINITY;
    values[5] = Number.NEGATIVE_INFINITY;
    const f32 = Float32Array.of(Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, -1.5);
    for (const compression of ['snappy', null] as const) {
      const back = await readParquet(await writeParquet(DataFrameView.fromColumns({ f: values, g: f32 }), { compression }));
      expect(bits64(back.column('f').values as Float64Array)).toEqual(bits64(values));
      expect(Array.from(new Uint32Array((back.column('g').values as Float32Array).slice().buffer))).toEqual(Array.from(new Uint32Array(f32.buffer)));
      expect(back.column('f').nullCount).toBe(0);
    }
  });

  it('keeps uint64 up to 2^64-1 and int64 extremes', async () => {
    const frame = DataFrameView.fromColumns({ u: BigUint64Array.of(0n, 2n ** 63n, 2n ** 64n - 1n), i: BigInt64Array.of(-(2n ** 63n), 0n, 2n ** 63n - 1n) });
    const back = await readParquet(await writeParquet(frame));
    expect(back.column('u').toArray()).toEqual([0n, 2n ** 63n, 2n ** 64n - 1n]);
    expect(back.column('i').toArray()).toEqual([-(2n ** 63n), 0n, 2n ** 63n - 1n]);
    expect(back.column('u').dtype).toBe('uint64');
  });

  it('keeps a column index and its name, and a RangeIndex', async () => {
    const indexed = DataFrameView.fromColumns({ k: ['a', 'b', 'c'], v: Float64Array.of(1, 2, 3) }, { index: 'k' });
    const back = await readParquet(await writeParquet(indexed));
    expect(back.index.kind).toBe('column');
    expect(back.index.name).toBe('k');
    expect(back.indexValues()).toEqual(['a', 'b', 'c']);
    // A column selection brings the index along, as pd.read_parquet(columns=...) does.
    const selected = await readParquet(await writeParquet(indexed), { columns: ['v'] });
    expect(selected.columnNames).toEqual(['v']);
    expect(selected.indexValues()).toEqual(['a', 'b', 'c']);
    const ranged = DataFrameView.fromColumns({ v: Float64Array.of(1, 2) }, { index: { kind: 'range', start: 10, step: 5, name: 'r' } });
    expect((await readParquet(await writeParquet(ranged))).index).toEqual({ kind: 'range', start: 10, step: 5, name: 'r' });
  });

  it('writes several row groups and reads a selection of columns and row groups', async () => {
    const n = 10;
    const frame = DataFrameView.fromColumns({
      a: Float64Array.from({ length: n }, (_, i) => i),
      b: Int32Array.from({ length: n }, (_, i) => -i),
      s: Array.from({ length: n }, (_, i) => `s${i}`),
    });
    const bytes = await writeParquet(frame, { rowGroupSize: 4 });
    expect(parquetMetadata(bytes).row_groups.map((group) => Number(group.num_rows))).toEqual([4, 4, 2]);
    const some = await readParquet(bytes, { columns: ['s', 'a'], rowGroups: [1, 2] });
    expect(some.columnNames).toEqual(['s', 'a']);
    expect(some.column('a').toArray()).toEqual([4, 5, 6, 7, 8, 9]);
    expect(some.index).toEqual({ kind: 'range', start: 4, step: 1, name: null });
    const gap = await readParquet(bytes, { rowGroups: [2, 0] });
    expect(gap.column('b').toArray()).toEqual([-8, -9, -0, -1, -2, -3].map((value) => value || 0));
    expect(gap.indexValues().map(Number)).toEqual([8, 9, 0, 1, 2, 3]);
  });

  it('iterates row group by row group, and by batches, with a continuing index', async () => {
    const frame = DataFrameView.fromColumns({ a: Float64Array.from({ length: 10 }, (_, i) => i) });
    const bytes = await writeParquet(frame, { rowGroupSize: 4 });
    const groups = await collect(readParquetBatches(bytes));
    expect(groups.map((group) => group.numRows)).toEqual([4, 4, 2]);
    expect(groups.map((group) => group.index)).toEqual([0, 4, 8].map((start) => ({ kind: 'range', start, step: 1, name: null })));
    const batches = await collect(readParquetBatches(bytes, { batchSize: 3, rowGroups: [1, 2] }));
    expect(batches.map((batch) => batch.column('a').toArray())).toEqual([[4, 5, 6], [7], [8, 9]]);
    expect(batches.map((batch) => (batch.index as { start: number }).start)).toEqual([4, 7, 8]);
  });

  it('frees what it decodes: WebAssembly memory does not grow over repeated reads', async () => {
    const bytes = await writeParquet(
      DataFrameView.fromColumns({ a: Float64Array.from({ length: 200_000 }, (_, i) => i), s: Array.from({ length: 200_000 }, (_, i) => `s${i % 100}`) }),
      { rowGroupSize: 50_000 },
    );
    const round = async (): Promise<void> => {
      await readParquet(bytes);
      for await (const batch of readParquetBatches(bytes, { batchSize: 20_000 })) expect(batch.numRows).toBeLessThanOrEqual(20_000);
    };
    await round();
    const after = wasm.wasmMemory().buffer.byteLength;
    for (let index = 0; index < 15; index++) await round();
    expect(wasm.wasmMemory().buffer.byteLength).toBe(after);
  });

  it('reads an empty frame', async () => {
    const back = await readParquet(await writeParquet(DataFrameView.fromColumns({ a: new Float64Array(0), s: Column.from([], 'string') })));
    expect(back.shape).toEqual([0, 2]);
    expect(back.column('s').dtype).toBe('str');
  });

  it('rejects bad arguments with typed errors', async () => {
    const bytes = await writeParquet(DataFrameView.fromColumns({ a: [1, 2] }));
    await expectErrorCodeAsync(() => readParquet(bytes, { columns: ['nope'] }), 'ERR_PANDAS_COLUMN_NOT_FOUND', { family: PandasError });
    await expectErrorCodeAsync(() => readParquet(bytes, { rowGroups: [1] }), 'ERR_INDEX_OUT_OF_RANGE', { family: PandasError });
    await expectErrorCodeAsync(() => readParquet(bytes, { rowGroups: [-1] }), 'ERR_INDEX_OUT_OF_RANGE', { family: PandasError });
    await expectErrorCodeAsync(() => readParquet(bytes, { maxDecompressedBytes: -1 }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    await expectErrorCodeAsync(() => readParquet('x' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    await expectErrorCodeAsync(() => collect(readParquetBatches(bytes, { batchSize: 0 })), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    const frame = DataFrameView.fromColumns({ a: [1] });
    await expectErrorCodeAsync(() => writeParquet(frame, { compression: 'gzip' as never }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    await expectErrorCodeAsync(() => writeParquet(frame, { rowGroupSize: 0 }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    await expectErrorCodeAsync(() => writeParquet({} as DataFrameView), 'ERR_INVALID_ARGUMENT', { family: PandasError });
  });

  it('applies maxDecompressedBytes to the declared page sizes and decoded rows', async () => {
    const frame = DataFrameView.fromColumns({ a: new Float64Array(10_000) });
    const bytes = await writeParquet(frame);
    await expectErrorCodeAsync(() => readParquet(bytes, { maxDecompressedBytes: 50_000 }), 'ERR_SIZE_LIMIT', { family: PandasError });
    expect((await readParquet(bytes, { maxDecompressedBytes: 200_000 })).numRows).toBe(10_000);
    expect((await readParquet(bytes, { maxDecompressedBytes: Number.POSITIVE_INFINITY })).numRows).toBe(10_000);
  });
});
