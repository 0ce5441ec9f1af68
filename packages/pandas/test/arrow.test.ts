import { makeData, makeVector, RecordBatch, Schema, Field, Struct, Table, List, Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { Column, DataFrameView, fromArrowTable, readArrowIPC, toArrowTable, writeArrowIPC, PandasError } from '../src/index.js';
import { referenceFrame } from './fixtures/frame.js';

describe('fromArrowTable / toArrowTable', () => {
  it('shares fixed-width and string buffers both ways', () => {
    const table = new Table({ x: makeVector(Float64Array.of(1, 2, 3)), s: vectorFromArray(['a', 'bb', null], new Utf8()) });
    const frame = fromArrowTable(table);
    const x = table.getChild('x')?.data[0]?.values as Float64Array;
    expect(frame.column('x').values.buffer).toBe(x.buffer);
    expect(frame.column('s').values.buffer).toBe((table.getChild('s')?.data[0]?.values as Uint8Array).buffer);
    expect(frame.column('s').toArray()).toEqual(['a', 'bb', null]);
    const back = toArrowTable(frame);
    expect((back.getChild('x')?.data[0]?.values as Float64Array).buffer).toBe(x.buffer);
    frame.column('x').set(0, 42);
    expect(table.getChild('x')?.get(0)).toBe(42);
  });

  it('keeps mid-byte validity offsets of slices (no copy) and Arrow reads them right', () => {
    const frame = referenceFrame().slice(1, 4);
    const table = toArrowTable(frame);
    expect(table.numRows).toBe(3);
    expect([...(table.getChild('f64') ?? [])]).toEqual([null, 1e300, -2.5]);
    expect([...(table.getChild('s') ?? [])]).toEqual([null, 'ccc', 'ünï']);
    expect(table.getChild('i64n')?.get(0)).toBeNull();
    expect(fromArrowTable(table).column('cat').toArray()).toEqual(['y', null, 'x']);
  });

  it('concatenates chunked columns, unifying differing dictionaries', () => {
    const first = fromArrowTable(toArrowTable(DataFrameView.fromColumns({ n: Int32Array.of(1, 2), c: Column.from(['a', 'b'], 'category') })));
    const second = fromArrowTable(toArrowTable(DataFrameView.fromColumns({ n: Int32Array.of(3), c: Column.from(['z'], 'category') })));
    const a = toArrowTable(first);
    const b = toArrowTable(second);
    const chunked = new Table(a.schema, [...a.batches, ...b.batches.map((batch) => new RecordBatch(a.schema, batch.data))]);
    expect(chunked.batches.length).toBe(2);
    const frame = fromArrowTable(chunked);
    expect(frame.column('n').toArray()).toEqual([1, 2, 3]);
    expect(frame.column('c').toArray()).toEqual(['a', 'b', 'z']);
  });

  it('names unsupported Arrow types', () => {
    const list = makeVector(
      makeData({
        type: new List(new Field('item', new Int32())),
        length: 0,
        nullCount: 0,
        valueOffsets: new Int32Array(1),
        child: makeData({ type: new Int32(), length: 0 }),
      }),
    );
    const schema = new Schema([new Field('l', list.type, true)]);
    const table = new Table(schema, [
      new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children: [list.data[0]!] })),
    ]);
    expectErrorCode(() => fromArrowTable(table), 'ERR_PANDAS_UNSUPPORTED_TYPE', { family: PandasError });
    expectErrorCode(() => fromArrowTable({} as Table), 'ERR_INVALID_ARGUMENT', { family: PandasError });
  });

  it('writes pandas metadata with nullable dtypes and the index', () => {
    const frame = DataFrameView.fromColumns({ id: ['p', 'q'], n: Column.from([1n, null], 'int64'), f: Float64Array.of(1, 2) }, { index: 'id' });
    const metadata = JSON.parse(toArrowTable(frame).schema.metadata.get('pandas') ?? '{}') as {
      index_columns: unknown[];
      columns: { name: string | null; numpy_type: string }[];
    };
    expect(metadata.index_columns).toEqual(['id']);
    expect(metadata.columns.map((column) => [column.name, column.numpy_type])).toEqual([
      ['n', 'Int64'],
      ['f', 'float64'],
      ['id', 'str'],
    ]);
    expect(toArrowTable(frame, { pandasMetadata: false }).schema.metadata.has('pandas')).toBe(false);
    const back = fromArrowTable(toArrowTable(frame));
    expect(back.index.kind).toBe('column');
    expect(back.indexValues()).toEqual(['p', 'q']);
  });

  it('round-trips every column type through Arrow', () => {
    const frame = referenceFrame();
    const back = fromArrowTable(toArrowTable(frame));
    for (const name of frame.columnNames) expect(back.column(name).toArray()).toEqual(frame.column(name).toArray());
  });
});

describe('readArrowIPC / writeArrowIPC', () => {
  it('reads what it writes, file and stream, compressed or not', () => {
    const frame = referenceFrame();
    for (const format of ['file', 'stream'] as const) {
      for (const compression of [null, 'lz4'] as const) {
        const back = readArrowIPC(writeArrowIPC(frame, { format, compression }).slice().buffer);
        expect(back.columnNames).toEqual(frame.columnNames);
        for (const name of frame.columnNames) expect(back.column(name).toArray()).toEqual(frame.column(name).toArray());
      }
    }
  });

  it('refuses bad options and corrupt bytes', () => {
    const frame = DataFrameView.fromColumns({ a: [1] });
    expectErrorCode(() => writeArrowIPC(frame, { compression: 'gzip' as never }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    expectErrorCode(() => writeArrowIPC(frame, { format: 'feather' as never }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    expectErrorCode(() => readArrowIPC(new TextEncoder().encode('not arrow at all')), 'ERR_PANDAS_IPC_INVALID', { family: PandasError });
    expectErrorCode(() => readArrowIPC('x' as never), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    const bytes = writeArrowIPC(frame);
    expectErrorCode(() => readArrowIPC(bytes.subarray(0, bytes.length - 20)), 'ERR_PANDAS_IPC_INVALID', { family: PandasError });
  });

  it('wraps uncompressed single-batch columns in place', () => {
    const bytes = writeArrowIPC(DataFrameView.fromColumns({ x: Float64Array.of(1, 2, 3) }));
    expect(readArrowIPC(bytes).column('x').values.buffer).toBe(bytes.buffer);
  });
});
