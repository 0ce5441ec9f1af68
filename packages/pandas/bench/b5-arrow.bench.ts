// B5: Arrow table -> DataFrameView -> Arrow table is O(1) per column (zero-copy), against
// apache-arrow's tableFromArrays fed copies of the columns; reading a 1M-row Feather file against
// fs.readFileSync of the same file, with pandas' read_feather in the same run for context.
import { formatTime, measure, reportBenchmarks } from '@interop/config/bench';
import { pythonPeer } from '@interop/config/python';
import { type Table, tableFromArrays } from 'apache-arrow';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrowTable, readArrowIPC, toArrowTable, writeArrowIPC } from '../src/index.js';

const columnsOf = (rows: number): Record<string, Float64Array | Float32Array | Int32Array | BigInt64Array> => {
  const out: Record<string, Float64Array | Float32Array | Int32Array | BigInt64Array> = {};
  for (let column = 0; column < 10; column++) {
    const kind = column % 4;
    const values = kind === 0 || kind === 1 ? new Float64Array(rows) : kind === 2 ? new Int32Array(rows) : new BigInt64Array(rows);
    for (let row = 0; row < rows; row++) {
      if (values instanceof BigInt64Array) values[row] = BigInt(row * column);
      else values[row] = row * 0.5 + column;
    }
    out[`c${column}`] = values;
  }
  return out;
};

function roundTrip(table: Table): Table {
  return toArrowTable(fromArrowTable(table));
}

function copyPath(table: Table): Table {
  // What a library without zero-copy does: copy each column out, rebuild with tableFromArrays.
  const copies: Record<string, Float64Array | Float32Array | Int32Array | BigInt64Array> = {};
  for (const field of table.schema.fields) copies[field.name] = (table.getChild(field.name)?.toArray() as Float64Array).slice();
  return tableFromArrays(copies);
}

const rows: Record<string, string>[] = [];
const row = (name: string, time: number, baselineName: string, baseline: number, goal: string, met: string): void => {
  rows.push({ name, time: formatTime(time), baseline: `${baselineName}: ${formatTime(baseline)}`, ratio: `${(time / baseline).toFixed(3)}x`, goal, met });
};

const million = tableFromArrays(columnsOf(1_000_000));
const small = tableFromArrays(columnsOf(10_000));
// Check the round trip shares memory before timing it.
const back = roundTrip(million);
for (const name of ['c0', 'c2', 'c3']) {
  const before = million.getChild(name)?.data[0]?.values as Float64Array;
  const after = back.getChild(name)?.data[0]?.values as Float64Array;
  if (after.buffer !== before.buffer || after.byteOffset !== before.byteOffset) throw new Error(`the round trip copied ${name}`);
}

const trip1m = await measure(() => roundTrip(million), { minTimeMs: 1000, batch: 20 });
const trip10k = await measure(() => roundTrip(small), { minTimeMs: 1000, batch: 20 });
const copy1m = await measure(() => copyPath(million), { minTimeMs: 2000, warmup: 2 });
row(
  '1M x 10 Arrow -> DataFrameView -> Arrow',
  trip1m.median,
  'tableFromArrays of column copies',
  copy1m.median,
  '< 1 ms, O(1) per column',
  trip1m.median < 1e6 ? 'yes' : 'no',
);
row(
  'same, 10K rows (row-count independence)',
  trip10k.median,
  '1M-row round trip',
  trip1m.median,
  'ratio ~1',
  Math.abs(trip10k.median / trip1m.median - 1) < 0.5 ? 'yes' : 'no',
);

const directory = mkdtempSync(join(tmpdir(), 'interop-pandas-bench-'));
const peer = pythonPeer(['numpy', 'pandas', 'pyarrow']);
let pandasNote = 'pandas not available: read_feather not measured';
try {
  const single = join(directory, 'single.feather');
  const chunked = join(directory, 'pandas-default.feather');
  let pandasTimes: { single: number; chunked: number } | null = null;
  if (peer.ok) {
    // pandas writes the files; it also times its own read_feather (median of 7) in the same run.
    const output = peer
      .run(
        `import sys, time, numpy as np, pandas as pd
n = 1_000_000
df = pd.DataFrame({f'c{i}': (np.arange(n) * 0.5 + i if i % 4 < 2 else (np.arange(n, dtype='int32') if i % 4 == 2 else np.arange(n, dtype='int64') * i)) for i in range(10)})
df.to_feather(sys.argv[1], compression='uncompressed', chunksize=n)
df.to_feather(sys.argv[2])
def median(path):
    times = []
    for _ in range(7):
        t = time.perf_counter(); pd.read_feather(path); times.append(time.perf_counter() - t)
    return sorted(times)[3]
print(median(sys.argv[1]), median(sys.argv[2]))`,
        [single, chunked],
      )
      .toString()
      .trim()
      .split(/\s+/)
      .map(Number);
    pandasTimes = { single: (output[0] ?? Number.NaN) * 1e9, chunked: (output[1] ?? Number.NaN) * 1e9 };
  } else {
    writeFileSync(single, writeArrowIPC(fromArrowTable(million)));
    writeFileSync(chunked, writeArrowIPC(fromArrowTable(million), { compression: 'lz4' }));
  }
  const size = statSync(single).size;
  // The baseline is measured before and after (mean of the two medians) so that drift of the
  // page cache or the heap over the run does not favour either side.
  const fileBefore = await measure(() => readFileSync(single), { minTimeMs: 2000, warmup: 3 });
  const readSingle = await measure(() => readArrowIPC(readFileSync(single)), { minTimeMs: 3000, warmup: 3 });
  const fileAfter = await measure(() => readFileSync(single), { minTimeMs: 2000, warmup: 3 });
  const fileSingle = { median: (fileBefore.median + fileAfter.median) / 2 };
  row(
    `read 1M-row Feather, uncompressed, 1 batch (${(size / 2 ** 20).toFixed(0)} MiB)`,
    readSingle.median,
    `fs.readFileSync (${formatTime(fileBefore.median)} before, ${formatTime(fileAfter.median)} after)`,
    fileSingle.median,
    '<= 1.1x',
    readSingle.median <= fileSingle.median * 1.1 ? 'yes' : 'no',
  );
  const readChunked = await measure(() => readArrowIPC(readFileSync(chunked)), { minTimeMs: 3000, warmup: 2 });
  const fileChunked = await measure(() => readFileSync(chunked), { minTimeMs: 2000, warmup: 2 });
  row(
    `read 1M-row Feather as ${peer.ok ? 'pandas writes it (LZ4, 64K-row batches)' : 'LZ4'}`,
    readChunked.median,
    'fs.readFileSync',
    fileChunked.median,
    'context (decompression + concatenation)',
    '-',
  );
  if (pandasTimes !== null) {
    row('pandas read_feather, uncompressed 1 batch (Python, same run)', pandasTimes.single, 'our readArrowIPC', readSingle.median, 'context', '-');
    row('pandas read_feather, pandas default LZ4 (Python, same run)', pandasTimes.chunked, 'our readArrowIPC', readChunked.median, 'context', '-');
    pandasNote = 'pandas read_feather timed by Python in the same run (median of 7, includes building the DataFrame).';
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const table = [
  '| case | time (median) | baseline | ratio | goal | met? |',
  '|---|---|---|---|---|---|',
  ...rows.map((entry) => `| ${entry['name']} | ${entry['time']} | ${entry['baseline']} | ${entry['ratio']} | ${entry['goal']} | ${entry['met']} |`),
].join('\n');

reportBenchmarks(
  'pandas',
  `## @interop/pandas — B5: Arrow tables and Feather

${table}

The round trip wraps each Arrow column as a DataFrameView column and back without touching the
values (checked before timing: the output shares the input's buffers); its cost is per column, so
10K and 1M rows take the same time. The copy-path baseline copies each column and calls
apache-arrow's \`tableFromArrays\`. Reading Feather: \`readArrowIPC(fs.readFileSync(path))\` against
\`fs.readFileSync(path)\` alone; the uncompressed single-batch file is wrapped in place, while the
file pandas writes by default (LZ4, 64K-row record batches) is decompressed (lz4js) and each
column concatenated once. ${pandasNote}

Reproduce: \`flock /tmp/interop-bench.lock pnpm bench pandas\``,
);
