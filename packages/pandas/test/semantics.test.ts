import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { Column, DataFrameView, readArrowIPC, readPandasJSON, writeArrowIPC, writePandasJSON, PandasError } from '../src/index.js';
import { civilFromDays, daysFromCivil } from '../src/internal/datetime.js';

const table = (rows: string): string =>
  `{"schema":{"fields":[{"name":"index","type":"integer"},{"name":"t","type":"datetime"}],"primaryKey":["index"]},"data":[${rows}]}`;

describe('Column.dtype names pandas dtypes', () => {
  it('names nullable integer and bool columns as pandas extension dtypes', () => {
    expect(Column.from([1n, null]).dtype).toBe('Int64');
    expect(Column.from([1, null], 'uint8').dtype).toBe('UInt8');
    expect(Column.from([1, 2], 'uint8').dtype).toBe('uint8');
    expect(Column.from([true, null]).dtype).toBe('boolean');
    expect(Column.from([1.5, null]).dtype).toBe('float64');
    expect(Column.from(['a', null]).dtype).toBe('str');
  });

  it('keeps an extension dtype it was given, also without nulls, through slices and Arrow', () => {
    const frame = DataFrameView.fromColumns({ i: [1n, 2n], f: [1.5, null], b: [true, false] }, { types: { i: 'Int64', f: 'Float64', b: 'boolean' } });
    expect(frame.columns.map((column) => column.dtype)).toEqual(['Int64', 'Float64', 'boolean']);
    expect(frame.column('i').slice(1).dtype).toBe('Int64');
    expect(Column.from(BigInt64Array.of(1n), 'Int64').dtype).toBe('Int64');
    const back = readArrowIPC(writeArrowIPC(frame));
    expect(back.columns.map((column) => column.dtype)).toEqual(['Int64', 'Float64', 'boolean']);
    expect(back.column('i').type).toEqual({ kind: 'int64' });
  });
});

describe('missing values with pandas semantics', () => {
  it('reads NaN where pandas shows NaN, null where it shows NA or NaT', () => {
    expect(Column.from([1.5, null]).toArray()).toEqual([1.5, null]);
    expect(Column.from([1.5, null]).toArray({ missing: 'pandas' })).toEqual([1.5, Number.NaN]);
    expect(Column.from([1.5, null], 'Float64').get(1, { missing: 'pandas' })).toBeNull();
    expect(Column.from([1n, null]).get(1, { missing: 'pandas' })).toBeNull();
    expect(Column.from([true, null]).get(1, { missing: 'pandas' })).toBeNull();
    expect(Column.from(['a', null]).get(1, { missing: 'pandas' })).toBeNaN();
    expect(Column.from(['a', null], 'category').get(1, { missing: 'pandas' })).toBeNaN();
    expect(Column.from([1n, null], 'datetime64[ns]').get(1, { missing: 'pandas' })).toBeNull();
    expect(Column.from([1.5, 2]).get(1, { missing: 'pandas' })).toBe(2);
  });
});

describe('DataFrameView.indexValues', () => {
  it('gives what indexColumn().toArray() gives: bigints for a RangeIndex and an int64 index alike', () => {
    const ranged = DataFrameView.fromColumns({ a: [1, 2, 3] }, { index: { kind: 'range', start: 5, step: 2 } });
    expect(ranged.indexValues()).toEqual([5n, 7n, 9n]);
    expect(ranged.indexColumn().dtype).toBe('int64');
    const keyed = DataFrameView.fromColumns({ a: [1, 2], k: [10n, 20n] }, { index: 'k' });
    expect(keyed.indexValues()).toEqual([10n, 20n]);
    expect(keyed.indexValues()).toEqual(keyed.indexColumn().toArray());
  });
});

describe('datetimes as Dates and ISO strings', () => {
  it('applies the unit and refuses what a Date cannot hold', () => {
    const ms = Column.from([1_600_000_000_000n, null], 'datetime64[ms]');
    expect(ms.toDates()).toEqual([new Date(1_600_000_000_000), null]);
    const seconds = Column.from([86_400n], 'datetime64[s]');
    expect(seconds.toDates()[0]?.toISOString()).toBe('1970-01-02T00:00:00.000Z');
    const ns = Column.from([1_000_001n, -1n], 'datetime64[ns]');
    expectErrorCode(() => ns.toDates(), 'ERR_PANDAS_DATETIME_RANGE', { family: PandasError });
    expect(ns.toDates({ precision: 'floor' }).map((date) => date?.getTime())).toEqual([1, -1]);
    const far = Column.from([10n ** 17n], 'datetime64[s]');
    expectErrorCode(() => far.toDates({ precision: 'floor' }), 'ERR_PANDAS_DATETIME_RANGE', { family: PandasError });
    expectErrorCode(() => Column.from([1]).toDates(), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    expectErrorCode(() => ns.toDates({ precision: 'round' as never }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
  });

  it('writes ISO strings as pandas isoformat does, exact to the nanosecond, in the column time zone', () => {
    expect(Column.from([0n, 1n, 1000n, 1_500_000_000n, -1n, null], 'datetime64[ns]').toISOStrings()).toEqual([
      '1970-01-01T00:00:00',
      '1970-01-01T00:00:00.000000001',
      '1970-01-01T00:00:00.000001',
      '1970-01-01T00:00:01.500000',
      '1969-12-31T23:59:59.999999999',
      null,
    ]);
    // 2021-03-28 01:30 UTC is after the switch to summer time in Paris (+02:00); 00:30 UTC before it.
    const paris = Column.from([1_616_895_000n, 1_616_891_400n], 'datetime64[s, Europe/Paris]');
    expect(paris.toISOStrings()).toEqual(['2021-03-28T03:30:00+02:00', '2021-03-28T01:30:00+01:00']);
    expect(Column.from([0n], 'datetime64[ms, +05:30]').toISOStrings()).toEqual(['1970-01-01T05:30:00+05:30']);
    expect(Column.from([0n], 'datetime64[ms, UTC]').toISOStrings()).toEqual(['1970-01-01T00:00:00+00:00']);
    expect(Column.from([253_402_300_800n], 'datetime64[s]').toISOStrings()).toEqual(['+010000-01-01T00:00:00']);
    expectErrorCode(() => Column.from([0n], 'datetime64[s, Mars/Olympus]').toISOStrings(), 'ERR_PANDAS_INVALID_TYPE', { family: PandasError });
  });

  it('converts civil dates exactly both ways', () => {
    for (const days of [-719_468n, -1n, 0n, 59n, 11_016n, 2_932_896n, 10n ** 12n]) {
      const { year, month, day } = civilFromDays(days);
      expect(daysFromCivil(year, month, day)).toBe(days);
    }
    expect(civilFromDays(11_016n)).toEqual({ year: 2000n, month: 2, day: 29 });
  });
});

describe('readPandasJSON', () => {
  it('reads the bytes of a file (Uint8Array, Buffer, ArrayBuffer, with a BOM)', () => {
    const text = writePandasJSON(DataFrameView.fromColumns({ a: [1.5, 2] }));
    const bytes = new TextEncoder().encode(text);
    for (const input of [bytes, Buffer.from(text), bytes.buffer, new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])]) {
      expect(readPandasJSON(input).column('a').toArray()).toEqual([1.5, 2]);
    }
    expectErrorCode(() => readPandasJSON(Uint8Array.of(0x7b, 0xff, 0x7d)), 'ERR_PANDAS_JSON_INVALID', { family: PandasError });
    expectErrorCode(() => readPandasJSON(42 as never), 'ERR_PANDAS_JSON_INVALID', { family: PandasError });
  });

  it('refuses impossible dates and years no datetime64 holds, with a typed error', () => {
    for (const value of [
      '"2020-13-45T99:00"',
      '"2020-02-30T00:00"',
      '"2021-02-29"',
      '"2020-01-01T24:00"',
      '"2020-01-01T00:60"',
      '"2020-01-01T00:00+25:00"',
      '"99999999999-01-01T00:00:00"',
      '"-99999999999-01-01"',
    ]) {
      expectErrorCode(() => readPandasJSON(table(`{"index":0,"t":${value}}`)), 'ERR_VALUE_INVALID', {
        family: PandasError,
        what: `readPandasJSON of the date ${value}`,
      });
    }
    expect(readPandasJSON(table('{"index":0,"t":"2020-02-29T23:59:59.123456789Z"}')).column('t').toISOStrings()).toEqual(['2020-02-29T23:59:59.123456789']);
    // Beyond the nanosecond range, milliseconds (as before), far years included.
    const far = readPandasJSON(table('{"index":0,"t":"+100000-01-01T00:00:00"}')).column('t');
    expect(far.dtype).toBe('datetime64[ms]');
    expect(far.toISOStrings()).toEqual(['+100000-01-01T00:00:00']);
  });
});
