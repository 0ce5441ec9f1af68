import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { DataFrameView, PandasError } from '@interop/pandas';
import { fromArquero, toArquero } from '@interop/pandas/arquero';
import { expectErrorCode } from '@interop/core/testing';

describe('arquero adapter', () => {
  it('reads an arquero table with numbers, strings, booleans and nulls', () => {
    const frame = fromArquero(aq.table({ a: [1.5, 2, -3], b: ['x', null, 'zz'], c: [true, false, true] }));
    expect(frame.columnNames).toEqual(['a', 'b', 'c']);
    expect(frame.column('a').toArray()).toEqual([1.5, 2, -3]);
    expect(frame.column('b').toArray()).toEqual(['x', null, 'zz']);
    expect(frame.column('c').toArray()).toEqual([true, false, true]);
  });
  it('round-trips a frame through arquero', () => {
    const frame = DataFrameView.fromColumns({ id: new Int32Array([3, 1, 2]), score: new Float64Array([0.5, 0.25, 1]) });
    const table = toArquero(frame).orderby('id');
    expect(Array.from(table.array('id') as ArrayLike<number>)).toEqual([1, 2, 3]);
    const back = fromArquero(table);
    expect(back.column('score').toArray()).toEqual([0.25, 1, 0.5]);
  });
  it('refuses something that is not an arquero table', () => {
    expectErrorCode(() => fromArquero({} as never), 'ERR_PANDAS_ADAPTER_UNAVAILABLE', { family: PandasError });
  });
});
