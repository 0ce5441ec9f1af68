import { type BufferInfo, exportBuffer, ExportLock, getBuffer, getbuffer, MemoryView, releaseBuffer, releasebuffer } from '@interop/core';
import { describeExporter, expectErrorCode } from '@interop/core/testing';
import { NpyArray, readNpy, writeNpy } from '@interop/npy';
import { describe, expect, it } from 'vitest';
import { Column, DataFrameView, fromRecords, RecordArray, toRecords, PandasError } from '../src/index.js';

describe('toRecords / fromRecords', () => {
  it('packs columns into a structured dtype and back', () => {
    const frame = DataFrameView.fromColumns({
      a: Int16Array.of(1, -2),
      s: ['x', 'yé'],
      c: Column.from(['p', 'q'], 'category'),
      t: Column.from([5n, null], 'datetime64[ms]'),
    });
    const records = toRecords(frame, { index: true });
    expect(records.dtype).toEqual([
      ['index', '<i8'],
      ['a', '<i2'],
      ['s', '<U2'],
      ['c', '<U1'],
      ['t', '<M8[ms]'],
    ]);
    expect(records).toBeInstanceOf(RecordArray);
    expect(records.format).toBe('T{<q:index:h:a:2w:s:w:c:q:t:}');
    const back = fromRecords(readNpy(writeNpy(records, { descr: records.dtype })));
    expect(back.row(1)).toEqual({ index: 1n, a: -2, s: 'yé', c: 'q', t: null });
    // Straight through the protocol: the datetime unit comes from the RecordArray's dtype.
    expect(fromRecords(records).row(1)).toEqual({ index: 1n, a: -2, s: 'yé', c: 'q', t: null });
    expect(fromRecords(records).column('t').dtype).toBe('datetime64[ms]');
    // Without a dtype, an int64 field stays int64 unless the caller names its unit.
    const view = MemoryView.from(records);
    expect(fromRecords(view).column('t').dtype).toBe('int64');
    expect(fromRecords(view, { datetimes: [{ path: ['t'], kind: 'datetime', unit: 'ms', count: 1 }] }).row(0).t).toBe(5n);
    view.release();
  });

  it('reads any exporter of named records, either byte order, with padding and a stride', () => {
    const bytes = new Uint8Array(2 * 12);
    const data = new DataView(bytes.buffer);
    data.setInt32(0, 7, false);
    data.setFloat32(4, 1.5, true);
    data.setInt32(12, -9, false);
    data.setFloat32(16, 2.5, true);
    bytes.set(new TextEncoder().encode('ab'), 8);
    const lock = new ExportLock();
    // A plain exporter (no NumPy class involved): big-endian int, little-endian float, bytes, padding.
    const exporter = {
      [getbuffer]: (flags: number): BufferInfo =>
        exportBuffer(exporter, { buffer: bytes.buffer, byteOffset: 0, format: 'T{>i:x:<f:y:2s:z:2x}', itemsize: 12, shape: [2] }, flags, lock),
      [releasebuffer]: (): void => lock.release(),
    };
    const frame = fromRecords(exporter);
    expect(frame.columnNames).toEqual(['x', 'y', 'z']);
    expect(frame.row(0)).toEqual({ x: 7, y: 1.5, z: 'ab' });
    expect(frame.row(1)).toEqual({ x: -9, y: 2.5, z: '' });
    expect(lock.exports).toBe(0);
    // Every other record, through a strided MemoryView.
    const strided = MemoryView.from(exporter).slice([0, 2, 2]);
    expect(fromRecords(strided).row(0)).toEqual({ x: 7, y: 1.5, z: 'ab' });
    strided.release();
  });

  it('refuses what records cannot hold and arrays that are not records', () => {
    expectErrorCode(() => toRecords(DataFrameView.fromColumns({ s: ['a', null] })), 'ERR_PANDAS_RECORDS_INVALID', { family: PandasError });
    expectErrorCode(() => toRecords(DataFrameView.fromColumns({ b: [true, null] })), 'ERR_PANDAS_RECORDS_INVALID', { family: PandasError });
    expectErrorCode(() => fromRecords(readNpy(writeNpy(Float64Array.of(1, 2)))), 'ERR_PANDAS_RECORDS_INVALID', { family: PandasError });
    expectErrorCode(() => fromRecords({}), 'ERR_PANDAS_RECORDS_INVALID', { family: PandasError });
    const complex = new NpyArray({ data: new Uint8Array(16), descr: [['z', '<c16']], shape: [1] });
    expectErrorCode(() => fromRecords(complex), 'ERR_PANDAS_UNSUPPORTED_TYPE', { family: PandasError });
    const nested = new NpyArray({
      data: new Uint8Array(8),
      descr: [
        [
          'x',
          [
            ['p', '<i4'],
            ['q', '<i4'],
          ],
        ],
      ],
      shape: [1],
    });
    expectErrorCode(() => fromRecords(nested), 'ERR_PANDAS_UNSUPPORTED_TYPE', { family: PandasError });
    expectErrorCode(() => fromRecords(Float64Array.of(1)), 'ERR_PANDAS_RECORDS_INVALID', { family: PandasError });
    expectErrorCode(() => toRecords(DataFrameView.fromColumns({ 'a:b': [1] })), 'ERR_PANDAS_RECORDS_INVALID', { family: PandasError });
  });
});

describeExporter('RecordArray', () => ({
  exporter: toRecords(DataFrameView.fromColumns({ a: Int32Array.of(1, 2, 3), b: [0.5, 1.5, 2.5] })),
  expected: { format: 'T{<i:a:d:b:}', shape: [3], readonly: false },
}));

describe('RecordArray', () => {
  it('exports its bytes zero-copy with the struct format', () => {
    const records = toRecords(DataFrameView.fromColumns({ a: Int32Array.of(1, 2) }));
    const info = getBuffer(records);
    expect(info.buffer).toBe(records.bytes.buffer);
    expect([info.format, info.itemsize, info.shape]).toEqual(['T{<i:a:}', 4, [2]]);
    expect(records.exports).toBe(1);
    releaseBuffer(info);
    expect(records.exports).toBe(0);
  });
});
