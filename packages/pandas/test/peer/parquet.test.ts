import { pythonPeer } from '@interop/config/python';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, DataFrameView, readParquet, readParquetBatches, writeParquet } from '../../src/index.js';
import { loadParquet, loadParquetDataset, loadParquetDatasetBatches, saveParquet, saveParquetDataset } from '../../src/node/index.js';
import { referenceFrame } from '../fixtures/frame.js';

const peer = pythonPeer(['numpy', 'pandas', 'pyarrow']);
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const prelude = `import sys, json\nsys.path.insert(0, ${JSON.stringify(fixtures)})\nimport numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq, pyarrow.dataset as ds\nfrom make_frame import make\nd = sys.argv[1]\n`;

function python(script: string, directory: string): string {
  if (!peer.ok) throw new Error('no python peer');
  return peer.run(prelude + script, [directory]).toString('utf8');
}

const readCodecs = ['snappy', 'gzip', 'zstd', 'brotli', 'lz4', 'none'] as const;

function expectSameFrame(actual: DataFrameView, expected: DataFrameView): void {
  expect(actual.columnNames).toEqual(expected.columnNames);
  for (const name of expected.columnNames) {
    expect({ name, dtype: actual.column(name).dtype }).toEqual({ name, dtype: expected.column(name).dtype });
    expect({ name, values: actual.column(name).toArray() }).toEqual({ name, values: expected.column(name).toArray() });
    const categories = expected.column(name).categories;
    if (categories !== null)
      expect({ name, categories: actual.column(name).categories?.toArray(), ordered: actual.column(name).type }).toEqual({
        name,
        categories: categories.toArray(),
        ordered: expected.column(name).type,
      });
  }
}

/** The reference frame with the ordered categorical's categories in first-appearance order (what a Parquet writer that re-encodes dictionaries keeps). */
function writableReference(): DataFrameView {
  const frame = referenceFrame();
  return DataFrameView.fromColumnList(
    frame.columnNames.map((name) =>
      name === 'cat'
        ? ([
            name,
            Column.fromParts({
              type: frame.column(name).type,
              values: Int8Array.of(0, 1, 0, 0),
              categories: Column.from(['x', 'y']),
              validityBytes: Uint8Array.of(1, 1, 0, 1),
            }),
          ] as const)
        : ([name, frame.column(name)] as const),
    ),
  );
}

describe.skipIf(!peer.ok)(`peer: Parquet with pandas and pyarrow${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  let directory = '';
  const file = (name: string): string => join(directory, name);

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'interop-parquet-'));
    python(
      `df = make()
for codec in ${JSON.stringify(readCodecs)}:
    df.to_parquet(f'{d}/{codec}.parquet', compression=None if codec == 'none' else codec)
pq.write_table(pa.Table.from_pandas(df), f'{d}/groups.parquet', row_group_size=1, use_dictionary=True)
pq.write_table(pa.Table.from_pandas(df), f'{d}/plain-v2.parquet', use_dictionary=False, data_page_version='2.0', compression='zstd')
df.set_index('s').to_parquet(f'{d}/indexed.parquet')
df.iloc[1:3].to_parquet(f'{d}/sliced.parquet')
big = pd.DataFrame({'k': np.arange(10) % 3, 'name': [f'n{i % 4}' for i in range(10)], 'x': np.arange(10, dtype='float64')})
ds.write_dataset(pa.Table.from_pandas(big, preserve_index=False), f'{d}/pyarrow-dataset', format='parquet', partitioning=['k', 'name'], partitioning_flavor='hive')
`,
      directory,
    );
  }, 120_000);

  afterAll(() => {
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });

  for (const codec of readCodecs) {
    it(`reads pandas' to_parquet(compression=${codec}) exactly: every column type, nulls, categories, time zones, index`, async () => {
      const frame = await readParquet(readFileSync(file(`${codec}.parquet`)), { source: codec });
      expectSameFrame(frame, referenceFrame());
      expect(frame.index).toEqual({ kind: 'range', start: 0, step: 1, name: null });
    });
  }

  it('reads one-row row groups with dictionary pages, and plain version 2 data pages', async () => {
    expectSameFrame(await loadParquet(file('groups.parquet')), referenceFrame());
    // Without dictionary pages the categories are rebuilt in order of first appearance, as pandas does too.
    expectSameFrame(await loadParquet(file('plain-v2.parquet')), writableReference());
    expect(python(`print(pd.read_parquet(f'{d}/plain-v2.parquet')['cat'].cat.categories.tolist())`, directory).trim()).toBe("['x', 'y']");
    const batches: DataFrameView[] = [];
    for await (const batch of readParquetBatches(readFileSync(file('groups.parquet')), { columns: ['i64n', 'cat'] })) batches.push(batch);
    expect(batches.map((batch) => batch.column('i64n').get(0))).toEqual([1n, null, 2n ** 53n + 1n, -5n]);
    expect(batches.map((batch) => batch.index)).toEqual([0, 1, 2, 3].map((start) => ({ kind: 'range', start, step: 1, name: null })));
    const two = await loadParquet(file('groups.parquet'), { rowGroups: [3, 1], columns: ['u64'] });
    expect(two.column('u64').toArray()).toEqual([2n ** 64n - 1n, 1n]);
    expect(two.indexValues().map(Number)).toEqual([3, 1]);
  });

  it("reads pandas' index (a named string index, and a sliced RangeIndex)", async () => {
    const indexed = await loadParquet(file('indexed.parquet'));
    expect(indexed.index.name).toBe('s');
    expect(indexed.indexValues()).toEqual(['a', null, 'ccc', 'ünï']);
    expect(indexed.has('s')).toBe(false);
    expect((await loadParquet(file('sliced.parquet'))).index).toEqual({ kind: 'range', start: 1, step: 1, name: null });
  });

  for (const compression of ['snappy', 'zstd', null] as const) {
    it(`writes what pd.read_parquet reads back with df.equals and identical dtypes (${compression ?? 'uncompressed'})`, async () => {
      const name = `ours-${compression ?? 'none'}.parquet`;
      await saveParquet(file(name), writableReference(), { compression });
      const indexed = `ours-indexed-${compression ?? 'none'}.parquet`;
      await saveParquet(file(indexed), writableReference().select(['i64', 'f64', 'dt']), { compression });
      const report = JSON.parse(
        python(
          `expected = make()
expected['cat'] = expected['cat'].cat.reorder_categories(['x', 'y'])
got = pd.read_parquet(f'{d}/${name}')
codecs = {pq.ParquetFile(f'{d}/${name}').metadata.row_group(0).column(i).compression for i in range(got.shape[1])}
print(json.dumps({'equals': bool(got.equals(expected)), 'dtypes': got.dtypes.astype(str).tolist() == expected.dtypes.astype(str).tolist(), 'index': got.index.equals(expected.index), 'codecs': sorted(codecs), 'u64': str(got['u64'].iloc[3]), 'nan': bool(np.isnan(got['f64'].iloc[1]) or pd.isna(got['f64'].iloc[1])), 'cat': [str(got['cat'].cat.ordered), got['cat'].cat.categories.tolist()], 'tz': str(got['dttz'].dtype)}))`,
          directory,
        ),
      ) as Record<string, unknown>;
      expect(report).toEqual({
        equals: true,
        dtypes: true,
        index: true,
        codecs: [compression === null ? 'UNCOMPRESSED' : compression.toUpperCase()],
        u64: '18446744073709551615',
        nan: true,
        cat: ['True', ['x', 'y']],
        tz: 'datetime64[us, Europe/Paris]',
      });
    });
  }

  it('writes a frame with a named string index that pandas restores', async () => {
    const frame = DataFrameView.fromColumns({ key: ['a', 'b', null], v: Float64Array.of(1, Number.NaN, -0) }, { index: 'key' });
    await saveParquet(file('ours-key.parquet'), frame);
    const out = python(
      `got = pd.read_parquet(f'{d}/ours-key.parquet')
print(json.dumps({'name': got.index.name, 'index': [None if pd.isna(v) else v for v in got.index], 'neg0': bool(np.signbit(got['v'].iloc[2])), 'nan': bool(np.isnan(got['v'].iloc[1]))}))`,
      directory,
    );
    expect(JSON.parse(out)).toEqual({ name: 'key', index: ['a', 'b', null], neg0: true, nan: true });
  });

  it('reads a hive-partitioned dataset written by pyarrow.dataset, whole and batch by batch', async () => {
    const frame = await loadParquetDataset(file('pyarrow-dataset'));
    expect(frame.columnNames).toEqual(['x', 'k', 'name']);
    const rows = Array.from({ length: frame.numRows }, (_, row) => [frame.column('x').get(row), frame.column('k').get(row), frame.column('name').get(row)]);
    const expected = Array.from({ length: 10 }, (_, i) => [i, BigInt(i % 3), `n${i % 4}`]);
    const sort = (list: unknown[][]): unknown[][] => [...list].sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(sort(rows)).toEqual(sort(expected));
    expect(frame.column('k').dtype).toBe('category');
    let count = 0;
    for await (const batch of loadParquetDatasetBatches(file('pyarrow-dataset'), { columns: ['name', 'x'] })) {
      expect(batch.columnNames).toEqual(['name', 'x']);
      count += batch.numRows;
    }
    expect(count).toBe(10);
  });

  it('writes a hive-partitioned dataset that pyarrow.dataset and pd.read_parquet read', async () => {
    const frame = DataFrameView.fromColumns({
      year: Int32Array.of(2024, 2025, 2024, 2025, 2024),
      city: ['Paris', 'São Paulo', 'a/b=c', null, 'Paris'],
      x: Float64Array.of(1, 2, 3, 4, 5),
      s: ['p', 'q', null, 'r', 's'],
    });
    const written = await saveParquetDataset(file('ours-dataset'), frame, { partitionBy: ['year', 'city'] });
    expect(written).toHaveLength(4); // (2024, Paris) holds two rows
    const out = python(
      `t = ds.dataset(f'{d}/ours-dataset', format='parquet', partitioning='hive').to_table()
rows = sorted(zip(t.column('x').to_pylist(), [str(v) for v in t.column('year').to_pylist()], t.column('city').to_pylist(), t.column('s').to_pylist()))
df = pd.read_parquet(f'{d}/ours-dataset', filters=[('year', '=', 2024)])  # pyarrow cannot unify a null partition's dictionary
print(json.dumps({'rows': rows, 'pandas': sorted(df['x'].tolist()), 'columns': df.columns.tolist()}))`,
      directory,
    );
    expect(JSON.parse(out)).toEqual({
      rows: [
        [1, '2024', 'Paris', 'p'],
        [2, '2025', 'São Paulo', 'q'],
        [3, '2024', 'a/b=c', null],
        [4, '2025', null, 'r'],
        [5, '2024', 'Paris', 's'],
      ],
      pandas: [1, 3, 5],
      columns: ['x', 's', 'year', 'city'],
    });
    const back = await loadParquetDataset(file('ours-dataset'));
    const rows = Array.from({ length: back.numRows }, (_, row) => [back.column('x').get(row), back.column('year').get(row), back.column('city').get(row)]);
    expect([...rows].sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [1, 2024n, 'Paris'],
      [2, 2025n, 'São Paulo'],
      [3, 2024n, 'a/b=c'],
      [4, 2025n, null],
      [5, 2024n, 'Paris'],
    ]);
    // Partition pruning: only the matching files are read.
    const pruned = await loadParquetDataset(file('ours-dataset'), { partitions: { year: [2025], city: [null, 'Lima'] }, columns: ['x', 'city'] });
    expect(pruned.column('x').toArray()).toEqual([4]);
    expect(pruned.column('city').toArray()).toEqual([null]);
    const none = await loadParquetDataset(file('ours-dataset'), { partitions: { year: [1999] } });
    expect(none.shape).toEqual([0, 4]);
    expect(none.columnNames).toEqual(['x', 's', 'year', 'city']);
  });

  it('writes several row groups that pyarrow sees, with dictionary-encoded string pages', async () => {
    const n = 5000;
    const frame = DataFrameView.fromColumns({ s: Array.from({ length: n }, (_, i) => `v${i % 7}`), x: Float64Array.from({ length: n }, (_, i) => i) });
    writeFileSync(file('ours-groups.parquet'), await writeParquet(frame, { rowGroupSize: 2000 }));
    const out = python(
      `f = pq.ParquetFile(f'{d}/ours-groups.parquet')
print(json.dumps({'groups': f.metadata.num_row_groups, 'dict': 'RLE_DICTIONARY' in f.metadata.row_group(0).column(0).encodings, 'sum': float(pd.read_parquet(f'{d}/ours-groups.parquet')['x'].sum())}))`,
      directory,
    );
    expect(JSON.parse(out)).toEqual({ groups: 3, dict: true, sum: (n * (n - 1)) / 2 });
  });
});
