import type { BufferInfo, Exporter } from '@interop/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { PandasError } from '../src/index.js';
import {
  Column,
  type ColumnType,
  type ColumnValue,
  DataFrameView,
  dataframe,
  type InterchangeDataFrame,
  type PandasErrorCode,
  parseColumnType,
  readArrowIPC,
  type RecordArray,
  toRecords,
  writeArrowIPC,
} from '../src/index.js';

describe('public types', () => {
  it('columns are exporters with typed values', () => {
    expectTypeOf<Column>().toMatchTypeOf<Exporter>();
    expectTypeOf(Column.from([1]).get(0)).toEqualTypeOf<ColumnValue>();
    expectTypeOf(Column.from([1]).offsets).toEqualTypeOf<Int32Array | BigInt64Array | null>();
    expectTypeOf(parseColumnType('int8')).toEqualTypeOf<ColumnType>();
    expectTypeOf<Extract<ColumnType, { kind: 'datetime' }>['timezone']>().toEqualTypeOf<string | null>();
  });

  it('frames expose pandas-shaped accessors and the interchange symbol', () => {
    const frame = DataFrameView.fromColumns({ a: [1] });
    expectTypeOf(frame.shape).toEqualTypeOf<[number, number]>();
    expectTypeOf(frame.columnNames).toEqualTypeOf<readonly string[]>();
    expectTypeOf(frame[dataframe]()).toEqualTypeOf<InterchangeDataFrame>();
    expectTypeOf(frame.row(0)).toEqualTypeOf<Record<string, ColumnValue>>();
    expectTypeOf(readArrowIPC(writeArrowIPC(frame))).toEqualTypeOf<DataFrameView>();
  });

  it('errors carry a code of the table', () => {
    expectTypeOf<PandasError['code']>().toEqualTypeOf<PandasErrorCode>();
    expectTypeOf<'ERR_INVALID_ARGUMENT'>().toMatchTypeOf<PandasErrorCode>();
    // @ts-expect-error: a BufferError-only code is not a code of the table
    const bad: PandasErrorCode = 'ERR_BUFFER_READONLY';
    void bad;
    expectTypeOf<BufferInfo>().not.toBeAny();
  });
  it('types the pandas-semantics API', () => {
    expectTypeOf(toRecords).returns.toEqualTypeOf<RecordArray>();
    expectTypeOf<RecordArray>().toMatchTypeOf<Exporter>();
    expectTypeOf<Column['toDates']>().returns.toEqualTypeOf<(Date | null)[]>();
    expectTypeOf<Column['toISOStrings']>().returns.toEqualTypeOf<(string | null)[]>();
    expectTypeOf<Column['get']>().parameter(1).toEqualTypeOf<{ readonly missing?: 'null' | 'pandas' } | undefined>();
    expectTypeOf<DataFrameView['indexColumn']>().returns.toEqualTypeOf<Column>();
  });
});
