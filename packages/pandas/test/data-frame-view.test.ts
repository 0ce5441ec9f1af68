import { type BufferInfo, getBuffer, getbuffer, releaseBuffer, releasebuffer } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { Column, DataFrameView, PandasError } from '../src/index.js';

describe('DataFrameView', () => {
  it('allocates as IOLink does: [columns, rows], names, types', () => {
    const frame = DataFrameView.allocate([2, 5], ['name', 'age'], ['string', 'int64']);
    expect(frame.shape).toEqual([5, 2]);
    expect(frame.columnNames).toEqual(['name', 'age']);
    expect(frame.column('name').toArray()).toEqual(['', '', '', '', '']);
    frame.column('age').set(0, 42n);
    frame.column('name').set(0, 'Ada');
    expect(frame.row(0)).toEqual({ name: 'Ada', age: 42n });
    expectErrorCode(() => DataFrameView.allocate([2, 5], ['a'], ['int8', 'int8']), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    expectErrorCode(() => DataFrameView.allocate([1, -1], ['a'], ['int8']), 'ERR_INVALID_ARGUMENT', { family: PandasError });
  });

  it('builds from named columns of any kind', () => {
    const frame = DataFrameView.fromColumns(
      { a: Int32Array.of(1, 2), b: ['x', null], c: Column.from([true, false]), d: [1, 2] },
      { types: { b: 'category', d: 'uint8' } },
    );
    expect(frame.columns.map((column) => column.dtype)).toEqual(['int32', 'category', 'bool', 'uint8']);
    expect([...frame.rows()]).toEqual([
      { a: 1, b: 'x', c: true, d: 1 },
      { a: 2, b: null, c: false, d: 2 },
    ]);
  });

  it('copies other buffer exporters and releases them', () => {
    const source = Column.from(Float64Array.of(1, 2, 3));
    // A plain object speaking the protocol by delegation, as a foreign exporter would.
    const foreign = { [getbuffer]: (flags: number) => source[getbuffer](flags), [releasebuffer]: (info: BufferInfo) => source[releasebuffer](info) };
    const frame = DataFrameView.fromColumns({ x: foreign });
    expect(frame.column('x').toArray()).toEqual([1, 2, 3]);
    expect(source.exports).toBe(0);
  });

  it('refuses unequal lengths, duplicate names and unknown columns', () => {
    expectErrorCode(() => DataFrameView.fromColumns({ a: [1, 2], b: [1] }), 'ERR_SHAPE_MISMATCH', { family: PandasError });
    expectErrorCode(
      () =>
        DataFrameView.fromColumns([
          ['a', [1]],
          ['a', [2]],
        ]),
      'ERR_PANDAS_DUPLICATE_NAME',
      { family: PandasError },
    );
    expectErrorCode(() => DataFrameView.fromColumns({ a: [1] }).column('b'), 'ERR_PANDAS_COLUMN_NOT_FOUND', { family: PandasError });
    expectErrorCode(() => DataFrameView.fromColumns({ a: [1] }).select(['a', 'a']), 'ERR_PANDAS_DUPLICATE_NAME', { family: PandasError });
    expectErrorCode(() => DataFrameView.fromColumns({ a: 5 as never }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    expectErrorCode(() => DataFrameView.fromColumns({ a: [1] }).row(1), 'ERR_INDEX_OUT_OF_RANGE', { family: PandasError });
  });

  it('selects and slices without copying', () => {
    const frame = DataFrameView.fromColumns({ a: Float64Array.of(1, 2, 3, 4), b: ['w', 'x', 'y', 'z'] });
    const part = frame.select(['b', 'a']).slice(1, 3);
    expect(part.columnNames).toEqual(['b', 'a']);
    expect(part.shape).toEqual([2, 2]);
    expect(part.column('a').values.buffer).toBe(frame.column('a').values.buffer);
    expect(part.indexValues()).toEqual([1n, 2n]);
    expect(part.row(1)).toEqual({ b: 'y', a: 3 });
  });

  it('moves a column into the index, or takes a range', () => {
    const frame = DataFrameView.fromColumns({ id: ['p', 'q'], v: [1, 2] }, { index: 'id' });
    expect(frame.columnNames).toEqual(['v']);
    expect(frame.indexValues()).toEqual(['p', 'q']);
    const ranged = DataFrameView.fromColumns({ v: [1, 2, 3] }, { index: { kind: 'range', start: 10, step: -2 } });
    expect(ranged.slice(1).indexValues()).toEqual([8n, 6n]);
    expectErrorCode(() => DataFrameView.fromColumns({ v: [1] }, { index: 'nope' }), 'ERR_PANDAS_COLUMN_NOT_FOUND', { family: PandasError });
    expectErrorCode(() => DataFrameView.fromColumns({ v: [1] }, { index: { kind: 'column', column: [1, 2] } }), 'ERR_SHAPE_MISMATCH', { family: PandasError });
  });

  it('exports each column through the buffer protocol', () => {
    const frame = DataFrameView.fromColumns({ a: Int16Array.of(5, 6) });
    const info = getBuffer(frame.column('a'));
    expect(info.format).toBe('h');
    expect(new Int16Array(info.buffer, info.byteOffset, 2)).toEqual(Int16Array.of(5, 6));
    releaseBuffer(info);
  });
});
