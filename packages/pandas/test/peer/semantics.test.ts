import { pythonPeer } from '@interop/config/python';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { type ColumnValue, type DataFrameView, readArrowIPC, readPandasJSON, writeArrowIPC, PandasError } from '../../src/index.js';

// Peer tests of the pandas-facing semantics: dtype names, NaN vs NA, datetimes with units and
// time zones, JSON read from bytes. pandas is the reference for each.
const peer = pythonPeer(['numpy', 'pandas', 'pyarrow']);
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const prelude = `import sys, json, datetime
sys.path.insert(0, ${JSON.stringify(fixtures)})
import numpy as np, pandas as pd
from make_frame import make
d = sys.argv[1]
def missing(series):
    out = []
    for value in series.astype(object):
        if value is pd.NA or value is pd.NaT: out.append('NA')
        elif isinstance(value, float) and np.isnan(value): out.append('NaN')
        else: out.append(None)
    return out
def describe(df):
    return {'dtypes': {c: str(t) for c, t in df.dtypes.items()}, 'missing': {c: missing(df[c]) for c in df.columns}}
`;

function python(script: string, directory: string): string {
  if (!peer.ok) throw new Error('no python peer');
  return peer.run(prelude + script, [directory]).toString('utf8');
}

function describeOurs(frame: DataFrameView): { dtypes: Record<string, string>; missing: Record<string, (string | null)[]> } {
  const dtypes: Record<string, string> = {};
  const missing: Record<string, (string | null)[]> = {};
  for (const name of frame.columnNames) {
    const column = frame.column(name);
    dtypes[name] = column.dtype;
    missing[name] = column
      .toArray({ missing: 'pandas' })
      .map((value: ColumnValue) => (value === null ? 'NA' : typeof value === 'number' && Number.isNaN(value) ? 'NaN' : null));
  }
  return { dtypes, missing };
}

describe.skipIf(!peer.ok)(`peer: pandas semantics${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  let directory = '';
  const file = (name: string): string => join(directory, name);

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'interop-pandas-semantics-'));
  });
  afterAll(() => {
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });

  it('names every column dtype as pandas does and shows missing values as pandas does (NaN, NA, NaT), both ways', () => {
    const expected = JSON.parse(
      python(
        `df = make()
df['fl'] = pd.array([1.5, None, 2.5, -0.0], dtype='Float64')
df['st'] = pd.array(['a', None, 'c', 'd'], dtype='string')
df['i64x'] = pd.array([1, 2, 3, 4], dtype='Int64')
df['bx'] = pd.array([True, False, True, True], dtype='boolean')
df['fnan'] = [1.0, np.nan, np.nan, 2.0]
df.to_feather(f'{d}/pandas.feather')
print(json.dumps(describe(pd.read_feather(f'{d}/pandas.feather'))))`,
        directory,
      ),
    ) as ReturnType<typeof describeOurs>;
    const frame = readArrowIPC(readFileSync(file('pandas.feather')));
    expect(describeOurs(frame)).toEqual(expected);
    // What we write, pandas reads with the dtypes we name (and the same missing values).
    writeFileSync(file('ours.feather'), writeArrowIPC(frame));
    const back = JSON.parse(python(`print(json.dumps(describe(pd.read_feather(f'{d}/ours.feather'))))`, directory)) as ReturnType<typeof describeOurs>;
    expect(back).toEqual(expected);
  });

  it('gives the ISO strings of Timestamp.isoformat() and the Dates of its milliseconds, for every unit and time zone', () => {
    const expected = JSON.parse(
      python(
        `values = ['2021-03-28 00:30:00', '2021-03-28 01:30:00.123456', '2021-10-31 00:59:59.999', None, '1969-12-31 23:59:59.5', '2000-02-29 12:00:00.000001']
df = pd.DataFrame({
  'ns': pd.to_datetime(values + ['1970-01-01'], format='ISO8601').as_unit('ns') + pd.to_timedelta([1, 0, 7, 0, 999, 0, 3], unit='ns'),
  'us_paris': pd.to_datetime(values + ['2021-06-01'], format='ISO8601').tz_localize('UTC').tz_convert('Europe/Paris').as_unit('us'),
  'ms_ny': pd.to_datetime(values + ['2021-06-01'], format='ISO8601').tz_localize('UTC').tz_convert('America/New_York').as_unit('ms').floor('ms'),
  's_utc': pd.to_datetime(values + ['2021-06-01'], format='ISO8601').tz_localize('UTC').as_unit('s').floor('s'),
  'ms_fixed': pd.to_datetime(values + ['2021-06-01'], format='ISO8601').tz_localize('UTC').tz_convert(datetime.timezone(datetime.timedelta(hours=5, minutes=30))).as_unit('ms').floor('ms'),
})
df.to_feather(f'{d}/times.feather')
def iso(series): return [None if pd.isna(t) else t.isoformat() for t in series]
def ms(series): return [None if pd.isna(t) else int((t if t.tzinfo is None else t.tz_convert('UTC').tz_localize(None)).as_unit('ns').floor('ms').value // 10**6) for t in series]
print(json.dumps({'dtypes': {c: str(t) for c, t in df.dtypes.items()}, 'iso': {c: iso(df[c]) for c in df.columns}, 'ms': {c: ms(df[c]) for c in df.columns}}))`,
        directory,
      ),
    ) as { dtypes: Record<string, string>; iso: Record<string, (string | null)[]>; ms: Record<string, (number | null)[]> };
    const frame = readArrowIPC(readFileSync(file('times.feather')));
    for (const name of frame.columnNames) {
      const column = frame.column(name);
      expect({ name, dtype: column.dtype }).toEqual({ name, dtype: expected.dtypes[name] });
      expect({ name, iso: column.toISOStrings() }).toEqual({ name, iso: expected.iso[name] });
      expect({ name, ms: column.toDates({ precision: 'floor' }).map((date) => date?.getTime() ?? null) }).toEqual({ name, ms: expected.ms[name] });
    }
    // Sub-millisecond values are refused without precision: 'floor'; whole milliseconds are not.
    expectErrorCode(() => frame.column('ns').toDates(), 'ERR_PANDAS_DATETIME_RANGE', { family: PandasError });
    expect(
      frame
        .column('ms_ny')
        .toDates()
        .map((date) => date?.getTime() ?? null),
    ).toEqual(expected.ms['ms_ny']);
  });

  it('reads the bytes of pandas orient="table" JSON with the extension dtypes pandas wrote', () => {
    const expected = JSON.parse(
      python(
        `df = pd.DataFrame({'i': pd.array([1, None, 3], dtype='Int64'), 'b': pd.array([True, None, False], dtype='boolean'), 's': pd.array(['x', None, 'ü'], dtype='string'), 'f': [1.5, np.nan, 2.0]})
df.to_json(f'{d}/table.json', orient='table')
back = pd.read_json(f'{d}/table.json', orient='table')
print(json.dumps(describe(back)))`,
        directory,
      ),
    ) as ReturnType<typeof describeOurs>;
    const frame = readPandasJSON(readFileSync(file('table.json')));
    expect(describeOurs(frame)).toEqual(expected);
    expect(frame.column('s').toArray()).toEqual(['x', null, 'ü']);
  });
});
