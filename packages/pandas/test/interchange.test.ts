import { getBuffer, releaseBuffer } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { Column, DataFrameView, dataframe, fromInterchange, type InterchangeColumn, type InterchangeDataFrame, PandasError } from '../src/index.js';
import { referenceFrame } from './fixtures/frame.js';

describe('dataframe interchange protocol', () => {
  it('is offered under Symbol.for("__dataframe__") with Arrow format strings', () => {
    const exchange = (referenceFrame() as unknown as Record<symbol, () => InterchangeDataFrame>)[Symbol.for('__dataframe__')]!.call(referenceFrame());
    expect(exchange.numRows()).toBe(4);
    expect(exchange.numColumns()).toBe(21);
    const formats = Object.fromEntries([...exchange.columnNames()].map((name) => [name, exchange.getColumnByName(name).dtype.format]));
    expect(formats).toMatchObject({ b: 'b', i8: 'c', u64: 'L', f16: 'e', f64: 'g', s: 'u', cat: 'c', dt: 'tsn:', dttz: 'tsu:Europe/Paris', td: 'tDs' });
    const s = exchange.getColumnByName('s');
    expect(s.describeNull).toEqual(['bitmask', 0]);
    expect(s.nullCount).toBe(1);
    const buffers = s.getBuffers();
    expect(buffers.offsets?.[1].format).toBe('i');
    const info = getBuffer(buffers.data[0]);
    expect(info.byteLength).toBe(buffers.data[0].bufsize);
    releaseBuffer(info);
    expect(exchange.getColumnByName('cat').describeCategorical?.isOrdered).toBe(true);
    expect(exchange.getColumnByName('b').describeCategorical).toBeNull();
  });

  it('splits into chunks and selects columns', () => {
    const exchange = referenceFrame()[dataframe]();
    const chunks = [...exchange.getChunks(3)];
    expect(chunks.map((chunk) => chunk.numRows())).toEqual([2, 2, 0]);
    expect([...exchange.selectColumnsByName(['s', 'b']).columnNames()]).toEqual(['s', 'b']);
    expect([...exchange.selectColumns([2]).columnNames()]).toEqual(['i8']);
    expectErrorCode(() => exchange.getColumn(99), 'ERR_PANDAS_COLUMN_NOT_FOUND', { family: PandasError });
    expectErrorCode(() => [...exchange.getChunks(0)], 'ERR_INVALID_ARGUMENT', { family: PandasError });
  });

  it('round-trips through fromInterchange, slices and chunks included', () => {
    const frame = referenceFrame().slice(1);
    const back = fromInterchange(frame);
    for (const name of frame.columnNames) expect(back.column(name).toArray()).toEqual(frame.column(name).toArray());
    // A producer handing out each column in two chunks: fromInterchange concatenates them.
    const exchange = frame[dataframe]();
    const producer = {
      columnNames: () => exchange.columnNames(),
      numRows: () => exchange.numRows(),
      metadata: {},
      getColumnByName: (name: string) => ({ getChunks: () => exchange.getColumnByName(name).getChunks(2) }),
    };
    const joined = fromInterchange(producer);
    for (const name of frame.columnNames) expect({ name, values: joined.column(name).toArray() }).toEqual({ name, values: frame.column(name).toArray() });
  });

  it('consumes a foreign producer with byte masks, inverted bit masks and sentinels', () => {
    const bytes = (view: ArrayBufferView) => ({
      bufsize: view.byteLength,
      bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
      device: 'cpu' as const,
    });
    const column = (
      dtype: InterchangeColumn['dtype'],
      data: ArrayBufferView,
      describeNull: InterchangeColumn['describeNull'],
      validity: ArrayBufferView | null,
      extra: Partial<InterchangeColumn> = {},
    ): InterchangeColumn =>
      ({
        size: () => 3,
        offset: 0,
        dtype,
        describeCategorical: null,
        describeNull,
        nullCount: null,
        metadata: {},
        numChunks: () => 1,
        getChunks: function* (this: InterchangeColumn) {
          yield this;
        },
        getBuffers: () => ({
          data: [bytes(data), dtype],
          validity: validity === null ? null : [bytes(validity), { kind: 'bool', bitWidth: 8, format: 'b', endianness: '=' }],
          offsets: null,
        }),
        ...extra,
      }) as unknown as InterchangeColumn;
    const columns: Record<string, InterchangeColumn> = {
      bytemask: column({ kind: 'float', bitWidth: 64, format: 'g', endianness: '=' }, Float64Array.of(1, 2, 3), ['bytemask', 1], Uint8Array.of(0, 1, 0)),
      inverted: column({ kind: 'int', bitWidth: 32, format: 'i', endianness: '=' }, Int32Array.of(4, 5, 6), ['bitmask', 1], Uint8Array.of(0b100)),
      packed: column({ kind: 'bool', bitWidth: 1, format: 'b', endianness: '=' }, Uint8Array.of(0b101), ['non-nullable', null], null),
    };
    const producer = {
      [dataframe]: () => ({ columnNames: () => Object.keys(columns), getColumnByName: (name: string) => columns[name]!, numRows: () => 3, metadata: {} }),
    };
    const frame = fromInterchange(producer);
    expect(frame.column('bytemask').toArray()).toEqual([1, null, 3]);
    expect(frame.column('inverted').toArray()).toEqual([4, 5, null]);
    expect(frame.column('packed').toArray()).toEqual([true, false, true]);
  });

  it('refuses objects that do not offer the protocol, and unknown dtypes', () => {
    expectErrorCode(() => fromInterchange({}), 'ERR_PANDAS_INTERCHANGE_INVALID', { family: PandasError });
    expectErrorCode(() => fromInterchange(null), 'ERR_PANDAS_INTERCHANGE_INVALID', { family: PandasError });
    const weird = DataFrameView.fromColumns({ a: Column.from([1]) })[dataframe]();
    const column = weird.getColumnByName('a');
    const broken = {
      ...weird,
      columnNames: () => ['a'],
      numRows: () => 1,
      getColumnByName: () => ({
        ...column,
        size: () => 1,
        offset: 0,
        describeNull: column.describeNull,
        getChunks: () => [
          {
            ...column,
            size: () => 1,
            offset: 0,
            describeNull: column.describeNull,
            dtype: { kind: 'float', bitWidth: 128, format: 'z', endianness: '=' },
            getBuffers: () => column.getBuffers(),
          },
        ],
      }),
    };
    expectErrorCode(() => fromInterchange(broken), 'ERR_PANDAS_UNSUPPORTED_TYPE', { family: PandasError });
  });
});
