import { BufferError, getBuffer, releaseBuffer } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { Column, PandasError, parseColumnType, formatColumnType } from '../src/index.js';

describe('parseColumnType', () => {
  it('reads pandas dtype strings', () => {
    expect(parseColumnType('Int64')).toEqual({ kind: 'int64' });
    expect(parseColumnType('datetime64[ns, Europe/Paris]')).toEqual({ kind: 'datetime', unit: 'ns', timezone: 'Europe/Paris' });
    expect(parseColumnType('timedelta64[ms]')).toEqual({ kind: 'timedelta', unit: 'ms' });
    expect(parseColumnType('str')).toEqual({ kind: 'string' });
    expect(parseColumnType('category')).toEqual({ kind: 'categorical', codes: 'int32', ordered: false });
  });
  it('prints what it parses', () => {
    for (const spec of ['bool', 'uint16', 'float16', 'str', 'category', 'datetime64[us]', 'datetime64[s, UTC]', 'timedelta64[ns]']) {
      expect(formatColumnType(parseColumnType(spec))).toBe(spec);
    }
  });
  it('refuses unknown types', () => {
    expectErrorCode(() => parseColumnType('complex128'), 'ERR_PANDAS_INVALID_TYPE', { family: PandasError });
    expectErrorCode(() => parseColumnType({ kind: 'datetime', unit: 'h' } as never), 'ERR_PANDAS_INVALID_TYPE', { family: PandasError });
  });
});

describe('Column', () => {
  it('infers types from JavaScript values', () => {
    expect(Column.from([true, null]).dtype).toBe('boolean');
    expect(Column.from([true, false]).dtype).toBe('bool');
    expect(Column.from([1, 2.5]).dtype).toBe('float64');
    expect(Column.from([1n]).dtype).toBe('int64');
    expect(Column.from(['a']).dtype).toBe('str');
    expect(Column.from([new Date(0)]).dtype).toBe('datetime64[ms]');
    expectErrorCode(() => Column.from([1, 'a']), 'ERR_VALUE_INVALID', { family: PandasError });
  });

  it('wraps a TypedArray without copying', () => {
    const data = Float32Array.of(1, 2, 3);
    const column = Column.from(data);
    data[1] = 42;
    expect(column.get(1)).toBe(42);
    expect(column.values.buffer).toBe(data.buffer);
  });

  it('tracks nulls through a validity bitmap', () => {
    const column = Column.from([1, null, 3, null]);
    expect(column.nullCount).toBe(2);
    expect(column.toArray()).toEqual([1, null, 3, null]);
    column.set(1, 7);
    expect(column.nullCount).toBe(1);
    column.set(0, null);
    expect(column.toArray()).toEqual([null, 7, 3, null]);
    expect(Array.from(column.validityBytes() ?? [])).toEqual([0, 1, 1, 0]);
  });

  it('checks ranges when writing', () => {
    const column = Column.allocate('int8', 2);
    expectErrorCode(() => column.set(0, 128), 'ERR_VALUE_INVALID', { family: PandasError });
    expectErrorCode(() => column.set(0, 1.5), 'ERR_VALUE_INVALID', { family: PandasError });
    expectErrorCode(() => column.set(2, 1), 'ERR_INDEX_OUT_OF_RANGE', { family: PandasError });
    expectErrorCode(() => Column.allocate('uint64', 1).set(0, -1n), 'ERR_VALUE_INVALID', { family: PandasError });
    column.set(1, -128);
    expect(column.get(1)).toBe(-128);
  });

  it('rounds float16 to nearest and reads it back', () => {
    const column = Column.from([1, 0.1, 65504, 1e6, -0, Number.NaN], 'float16');
    expect(column.get(0)).toBe(1);
    expect(column.get(1)).toBeCloseTo(0.0999755859375, 12);
    expect(column.get(2)).toBe(65504);
    expect(column.get(3)).toBe(Infinity);
    expect(Object.is(column.get(4), -0)).toBe(true);
    expect(column.get(5)).toBeNaN();
  });

  it('stores strings as offsets and UTF-8 data, and rebuilds them on write', () => {
    const column = Column.from(['ab', 'é', null, '']);
    expect(column.offsets).toEqual(Int32Array.of(0, 2, 4, 4, 4));
    column.set(0, 'xyz');
    expect(column.toArray()).toEqual(['xyz', 'é', null, '']);
    column.set(2, 'back');
    expect(column.toArray()).toEqual(['xyz', 'é', 'back', '']);
  });

  it('refuses to reallocate string data while exported', () => {
    const column = Column.from(['a', 'b']);
    const info = getBuffer(column);
    expectErrorCode(() => column.set(0, 'longer'), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(column.get(0)).toBe('a');
    releaseBuffer(info);
    column.set(0, 'longer');
    expect(column.get(0)).toBe('longer');
  });

  it('builds categoricals with sorted categories, as pandas does', () => {
    const column = Column.from(['b', 'a', null, 'b'], 'category');
    expect(column.categories?.toArray()).toEqual(['a', 'b']);
    expect(column.values).toEqual(Int32Array.of(1, 0, -1, 1));
    expect(column.toArray()).toEqual(['b', 'a', null, 'b']);
    column.set(2, 'a');
    expect(column.get(2)).toBe('a');
    expectErrorCode(() => column.set(0, 'z'), 'ERR_VALUE_INVALID', { family: PandasError });
  });

  it('converts Dates to ticks of the unit', () => {
    const column = Column.from([new Date(1500), new Date(-1500)], 'datetime64[s]');
    expect(column.toArray()).toEqual([1n, -2n]);
    expect(Column.from([new Date(2)], 'datetime64[ns]').get(0)).toBe(2_000_000n);
  });

  it('imports bool columns bit-packed or as bytes', () => {
    const packed = Column.fromParts({ type: 'bool', values: Uint8Array.of(0b1010_0101), bitPacked: true, bitOffset: 2, length: 4 });
    expect(packed.toArray()).toEqual([true, false, false, true]);
    const bytes = Column.fromParts({ type: 'bool', values: Uint8Array.of(1, 0, 1) });
    expect(bytes.toArray()).toEqual([true, false, true]);
  });

  it('slices without copying, validity included', () => {
    const column = Column.from([1, null, 3, 4, null, 6, 7, 8, 9, null]);
    const part = column.slice(3, -1);
    expect(part.toArray()).toEqual([4, null, 6, 7, 8, 9]);
    expect(part.values.buffer).toBe(column.values.buffer);
    expect(part.nullCount).toBe(1);
    const strings = Column.from(['a', 'bb', 'ccc']).slice(1);
    expect(strings.toArray()).toEqual(['bb', 'ccc']);
    expect(Column.from([1, 2]).slice(5, 9).length).toBe(0);
  });

  it('validates the buffers it wraps', () => {
    expectErrorCode(() => Column.fromParts({ type: 'int32', values: Float32Array.of(1) }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    expectErrorCode(() => Column.fromParts({ type: 'int32', values: Int32Array.of(1), length: 2 }), 'ERR_SHAPE_MISMATCH', { family: PandasError });
    expectErrorCode(() => Column.fromParts({ type: 'string', values: new Uint8Array(2), offsets: Int32Array.of(0, 3) }), 'ERR_SHAPE_MISMATCH', {
      family: PandasError,
    });
    expectErrorCode(
      () => Column.fromParts({ type: 'int32', values: Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), validity: Uint8Array.of(1) }),
      'ERR_SHAPE_MISMATCH',
      { family: PandasError },
    );
    expectErrorCode(() => Column.fromParts({ type: 'category', values: Int32Array.of(0) }), 'ERR_INVALID_ARGUMENT', { family: PandasError });
  });
});
