import { NpyArray, readNpy, writeNpy } from '@interop/npy';
import { describe, expect, it } from 'vitest';
import { Column, DataFrameView, fromRecords, toRecords } from '../src/index.js';
import { codeOf } from './helpers.js';

describe('toRecords / fromRecords', () => {
  it('packs columns into a structured dtype and back', () => {
    const frame = DataFrameView.fromColumns({ a: Int16Array.of(1, -2), s: ['x', 'yé'], c: Column.from(['p', 'q'], 'category'), t: Column.from([5n, null], 'datetime64[ms]') });
    const records = toRecords(frame, { index: true });
    expect(records.dtype).toEqual([
      ['index', '<i8'],
      ['a', '<i2'],
      ['s', '<U2'],
      ['c', '<U1'],
      ['t', '<M8[ms]'],
    ]);
    const back = fromRecords(readNpy(writeNpy(records)));
    expect(back.row(1)).toEqual({ index: 1n, a: -2, s: 'yé', c: 'q', t: null });
  });

  it('refuses what records cannot hold and arrays that are not records', () => {
    expect(codeOf(() => toRecords(DataFrameView.fromColumns({ s: ['a', null] })))).toBe('ERR_PANDAS_RECORDS_INVALID');
    expect(codeOf(() => toRecords(DataFrameView.fromColumns({ b: [true, null] })))).toBe('ERR_PANDAS_RECORDS_INVALID');
    expect(codeOf(() => fromRecords(readNpy(writeNpy(Float64Array.of(1, 2)))))).toBe('ERR_PANDAS_RECORDS_INVALID');
    expect(codeOf(() => fromRecords({} as never))).toBe('ERR_PANDAS_RECORDS_INVALID');
    const complex = new NpyArray({ data: new Uint8Array(16), descr: [['z', '<c16']], shape: [1] });
    expect(codeOf(() => fromRecords(complex))).toBe('ERR_PANDAS_UNSUPPORTED_TYPE');
    const bigEndian = new NpyArray({ data: new Uint8Array(8), descr: [['x', '>i4'], ['y', '<i4']], shape: [1] });
    expect(codeOf(() => fromRecords(bigEndian))).toBe('ERR_PANDAS_UNSUPPORTED_TYPE');
  });
});
