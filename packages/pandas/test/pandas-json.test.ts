import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { Column, DataFrameView, readPandasJSON, writePandasJSON, PandasError } from '../src/index.js';

const table = (fields: unknown[], data: unknown[], extra = ''): string =>
  `{"schema":{"fields":${JSON.stringify(fields)}${extra}},"data":${JSON.stringify(data)}}`;

describe('readPandasJSON / writePandasJSON', () => {
  it('keeps 64-bit integers exact where JSON.parse would round', () => {
    const text =
      '{"schema":{"fields":[{"name":"a","type":"integer"},{"name":"u","type":"integer"}]},"data":[{"a":9007199254740993,"u":18446744073709551615},{"a":-9223372036854775808,"u":1}]}';
    const frame = readPandasJSON(text);
    expect(frame.column('a').toArray()).toEqual([9007199254740993n, -9223372036854775808n]);
    expect(frame.column('u').dtype).toBe('uint64');
    expect(writePandasJSON(frame, { index: false })).toContain('"a":9007199254740993');
  });

  it('writes the schema pandas writes', () => {
    const frame = DataFrameView.fromColumns({
      n: Column.from([1, null], 'int8'),
      t: Column.from([1500n, null], 'timedelta64[ms]'),
      z: Column.from([0n, 1n], 'datetime64[s, UTC]'),
    });
    const parsed = JSON.parse(writePandasJSON(frame)) as { schema: { fields: unknown[]; primaryKey: string[] }; data: Record<string, unknown>[] };
    expect(parsed.schema.fields).toEqual([
      { name: 'index', type: 'integer' },
      { name: 'n', type: 'integer', extDtype: 'Int8' },
      { name: 't', type: 'duration' },
      { name: 'z', type: 'datetime', tz: 'UTC' },
    ]);
    expect(parsed.schema.primaryKey).toEqual(['index']);
    expect(parsed.data[0]).toEqual({ index: 0, n: 1, t: 'P0DT0H0M1.5S', z: '1970-01-01T00:00:00.000Z' });
    expect(readPandasJSON(writePandasJSON(frame)).column('t').toArray()).toEqual([1_500_000_000n, null]);
  });

  it('refuses non-JSON, other orients, unknown field types and values outside enums', () => {
    expectErrorCode(() => readPandasJSON('{'), 'ERR_PANDAS_JSON_INVALID', { family: PandasError });
    expectErrorCode(() => readPandasJSON('[{"a":1}]'), 'ERR_PANDAS_JSON_INVALID', { family: PandasError });
    expectErrorCode(() => readPandasJSON('{"columns":["a"],"index":[0],"data":[[1]]}'), 'ERR_PANDAS_JSON_INVALID', { family: PandasError });
    expectErrorCode(() => readPandasJSON(table([{ name: 'a' }], [])), 'ERR_PANDAS_JSON_INVALID', { family: PandasError });
    expectErrorCode(() => readPandasJSON(table([{ name: 'a', type: 'integer' }], [5])), 'ERR_PANDAS_JSON_INVALID', { family: PandasError });
    expectErrorCode(() => readPandasJSON(table([{ name: 'a', type: 'geopoint' }], [])), 'ERR_PANDAS_UNSUPPORTED_TYPE', { family: PandasError });
    expectErrorCode(() => readPandasJSON(table([{ name: 'a', type: 'any', constraints: { enum: ['x'] } }], [{ a: 'y' }])), 'ERR_VALUE_INVALID', {
      family: PandasError,
    });
    expectErrorCode(() => readPandasJSON(table([{ name: 'a', type: 'datetime' }], [{ a: 'yesterday' }])), 'ERR_VALUE_INVALID', { family: PandasError });
    expectErrorCode(() => readPandasJSON(table([{ name: 'a', type: 'boolean' }], [{ a: 1 }])), 'ERR_VALUE_INVALID', { family: PandasError });
    expectErrorCode(() => readPandasJSON(42 as never), 'ERR_PANDAS_JSON_INVALID', { family: PandasError });
  });
});
