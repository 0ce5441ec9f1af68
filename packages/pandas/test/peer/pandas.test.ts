import { pythonPeer } from '@interop/config/python';
import { readNpy, writeNpy } from '@interop/npy';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { type DataFrameView, fromRecords, PandasError, readArrowIPC, readPandasJSON, toRecords, writeArrowIPC, writePandasJSON } from '../../src/index.js';
import { recordColumns, referenceFrame } from '../fixtures/frame.js';

const peer = pythonPeer(['numpy', 'pandas', 'pyarrow']);
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const prelude = `import sys, io, json\nsys.path.insert(0, ${JSON.stringify(fixtures)})\nimport numpy as np, pandas as pd, pyarrow as pa, pyarrow.feather as feather\nfrom make_frame import make\nd = sys.argv[1]\n`;

function python(script: string, directory: string): string {
  if (!peer.ok) throw new Error('no python peer');
  return peer.run(prelude + script, [directory]).toString('utf8');
}

/** Compares dtype and values of every column (NaN-aware) and the column order. */
function expectSameFrame(actual: DataFrameView, expected: DataFrameView): void {
  expect(actual.columnNames).toEqual(expected.columnNames);
  for (const name of expected.columnNames) {
    expect({ name, dtype: actual.column(name).dtype }).toEqual({ name, dtype: expected.column(name).dtype });
    expect({ name, values: actual.column(name).toArray() }).toEqual({ name, values: expected.column(name).toArray() });
  }
}

describe.skipIf(!peer.ok)(`peer: pandas and pyarrow${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  let directory = '';
  const file = (name: string): string => join(directory, name);

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'interop-pandas-'));
    python(
      `df = make()
df.to_feather(f'{d}/default.feather')
df.to_feather(f'{d}/plain.feather', compression='uncompressed')
df.to_feather(f'{d}/zstd.feather', compression='zstd')
df.to_feather(f'{d}/chunked.feather', chunksize=3)
table = pa.Table.from_pandas(df)
with pa.ipc.new_stream(f'{d}/plain.arrows', table.schema) as writer: writer.write_table(table)
with pa.ipc.new_stream(f'{d}/zstd.arrows', table.schema, options=pa.ipc.IpcWriteOptions(compression='zstd')) as writer: writer.write_table(table, max_chunksize=2)
df.to_json(f'{d}/table.json', orient='table')
np.save(f'{d}/records.npy', df[${JSON.stringify(recordColumns)}].to_records(index=False))
df.set_index('s').to_feather(f'{d}/indexed.feather')
pd.DataFrame({'l': [[1, 2], [3]], 'd': pd.Series([1, 2]).astype('int64')}).to_feather(f'{d}/list.feather')
pd.DataFrame({'day': pa.array([1, 2], pa.date32()).to_pandas(types_mapper=pd.ArrowDtype)}).to_feather(f'{d}/date.feather')
`,
      directory,
    );
  });

  afterAll(() => {
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });

  for (const [name, description] of [
    ['default.feather', 'Feather with pandas default LZ4 compression'],
    ['plain.feather', 'uncompressed Feather'],
    ['zstd.feather', 'ZSTD-compressed Feather'],
    ['chunked.feather', 'Feather of several record batches'],
    ['plain.arrows', 'an IPC stream'],
    ['zstd.arrows', 'a ZSTD-compressed IPC stream of several batches'],
  ] as const) {
    it(`reads ${description} with every column type, nulls, time zones and categories`, () => {
      const frame = readArrowIPC(readFileSync(file(name)), { source: name });
      expectSameFrame(frame, referenceFrame());
      expect(frame.index).toEqual({ kind: 'range', start: 0, step: 1, name: null });
    });
  }

  it('shares the file bytes for numeric and string columns of an uncompressed single-batch file', () => {
    const bytes = readFileSync(file('plain.feather'));
    const frame = readArrowIPC(bytes);
    expect(frame.column('f64').values.buffer).toBe(bytes.buffer);
    expect(frame.column('s').values.buffer).toBe(bytes.buffer);
    expect(frame.column('i64').values.buffer).toBe(bytes.buffer);
  });

  it('reads a non-range index written by pandas', () => {
    const frame = readArrowIPC(readFileSync(file('indexed.feather')));
    expect(frame.index.kind).toBe('column');
    expect(frame.index.name).toBe('s');
    expect(frame.indexValues()).toEqual(['a', null, 'ccc', 'ünï']);
    expect(frame.has('s')).toBe(false);
  });

  for (const [format, compression] of [
    ['file', null],
    ['file', 'lz4'],
    ['stream', null],
    ['stream', 'lz4'],
  ] as const) {
    it(`writes an IPC ${format}${compression === null ? '' : ` (${compression})`} that pandas reads with identical dtypes and values`, () => {
      // Both a frame built in JavaScript (no pandas metadata to copy) and one read from pandas.
      writeFileSync(file('ours-js.arrow'), writeArrowIPC(referenceFrame(), { format, compression }));
      writeFileSync(file('ours-read.arrow'), writeArrowIPC(readArrowIPC(readFileSync(file('default.feather'))), { format, compression }));
      const output = python(
        `reader = (lambda p: pa.ipc.open_file(p).read_pandas()) if ${format === 'file' ? 'True' : 'False'} else (lambda p: pa.ipc.open_stream(p).read_pandas())
for name in ['ours-js.arrow', 'ours-read.arrow']:
    got = reader(f'{d}/{name}')
    pd.testing.assert_frame_equal(got, make(), check_exact=True)
${format === 'file' ? "pd.testing.assert_frame_equal(pd.read_feather(f'{d}/ours-js.arrow'), make(), check_exact=True)\n" : ''}print('ok')`,
        directory,
      );
      expect(output.trim()).toBe('ok');
    });
  }

  it('writes a column index that pandas restores', () => {
    const indexed = readArrowIPC(readFileSync(file('indexed.feather')));
    writeFileSync(file('ours-indexed.feather'), writeArrowIPC(indexed));
    const output = python(
      `pd.testing.assert_frame_equal(pd.read_feather(f'{d}/ours-indexed.feather'), make().set_index('s'), check_exact=True)\nprint('ok')`,
      directory,
    );
    expect(output.trim()).toBe('ok');
  });

  it('reads pandas orient="table" JSON, durations and exact 64-bit integers included', () => {
    const frame = readPandasJSON(readFileSync(file('table.json'), 'utf8'));
    const reference = referenceFrame();
    expect(frame.column('i64n').toArray()).toEqual(reference.column('i64n').toArray());
    expect(frame.column('u64').toArray()).toEqual(reference.column('u64').toArray());
    expect(frame.column('u64').dtype).toBe('uint64');
    expect(frame.column('td').toArray()).toEqual([1_000_000_000n, null, 3_000_000_000n, -4_000_000_000n]);
    expect(frame.column('cat').categories?.toArray()).toEqual(['y', 'x']);
    expect(frame.column('cat').toArray()).toEqual(['x', 'y', null, 'x']);
    expect(frame.column('dttz').dtype).toBe('datetime64[ns, Europe/Paris]');
    expect(frame.column('dttz').toArray()).toEqual([1577833200000000000n, 1590962400000000000n, null, 951778800000000000n]);
    expect(frame.column('s').toArray()).toEqual(['a', null, 'ccc', 'ünï']);
    expect(frame.column('bn').toArray()).toEqual([true, null, false, true]);
    expect(frame.indexValues()).toEqual([0n, 1n, 2n, 3n]);
  });

  it('writes orient="table" JSON that pandas reads as it reads its own', () => {
    // pandas cannot read durations back from table JSON (its own limitation), so td is left out.
    const columns = referenceFrame().columnNames.filter((name) => name !== 'td');
    writeFileSync(file('ours.json'), writePandasJSON(referenceFrame().select(columns)));
    writeFileSync(file('ours-read.json'), writePandasJSON(readPandasJSON(readFileSync(file('table.json'), 'utf8')).select(columns)));
    const output = python(
      `own = pd.read_json(io.StringIO(make().drop(columns=['td']).to_json(orient='table')), orient='table')
for name in ['ours.json', 'ours-read.json']:
    got = pd.read_json(f'{d}/{name}', orient='table')
    pd.testing.assert_frame_equal(got, own, check_exact=True)
print('ok')`,
      directory,
    );
    expect(output.trim()).toBe('ok');
  });

  it('reads records saved by np.save(df.to_records()) and writes records pd.DataFrame(np.load()) reads', () => {
    const frame = fromRecords(readNpy(readFileSync(file('records.npy'))));
    const expected = referenceFrame().select(recordColumns);
    expect(frame.columnNames).toEqual(recordColumns);
    for (const name of recordColumns) {
      const values = expected
        .column(name)
        .toArray()
        .map((value) => (value === null && ['f32', 'f64'].includes(name) ? Number.NaN : value));
      expect({ name, values: frame.column(name).toArray() }).toEqual({ name, values });
    }
    const records = toRecords(expected);
    writeFileSync(file('ours.npy'), writeNpy(records, { descr: records.dtype }));
    const strings = toRecords(referenceFrame().select(['i64n', 'catu', 'dttz']));
    writeFileSync(file('ours-strings.npy'), writeNpy(strings, { descr: strings.dtype }));
    const output = python(
      `cols = ${JSON.stringify(recordColumns)}
pd.testing.assert_frame_equal(pd.DataFrame(np.load(f'{d}/ours.npy')), pd.DataFrame(np.load(f'{d}/records.npy')), check_exact=True)
got = pd.DataFrame(np.load(f'{d}/ours-strings.npy'))
assert got['i64n'].dtype == np.float64 and np.isnan(got['i64n'][1]) and got['i64n'][2] == 2.0**53, got['i64n']
assert list(got['catu']) == ['p', 'q', 'p', 'p'], got['catu']
assert str(got['dttz'].dtype) == 'datetime64[us]' and pd.isna(got['dttz'][2])
assert got['dttz'][0] == pd.Timestamp('2019-12-31 23:00')
print('ok')`,
      directory,
    );
    expect(output.trim()).toBe('ok');
  });

  it('names unsupported Arrow types in the error', () => {
    for (const [name, arrowType] of [
      ['list.feather', 'List'],
      ['date.feather', 'Date'],
    ] as const) {
      const error = expectErrorCode(() => readArrowIPC(readFileSync(file(name))), 'ERR_PANDAS_UNSUPPORTED_TYPE', { family: PandasError });
      expect(String(error.details['arrowType'])).toContain(arrowType);
    }
  });

  it('wraps a corrupt or truncated file with its name', () => {
    const bytes = readFileSync(file('plain.feather'));
    for (const broken of [
      bytes.subarray(0, bytes.length >> 1),
      bytes.subarray(0, 12),
      Uint8Array.from(bytes).fill(0x7f, bytes.length - 10, bytes.length - 6),
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1, 2, 3),
    ]) {
      const error = expectErrorCode(() => readArrowIPC(broken, { source: 'plain.feather' }), 'ERR_PANDAS_IPC_INVALID', { family: PandasError });
      expect(error.details['source']).toBe('plain.feather');
    }
  });
});
