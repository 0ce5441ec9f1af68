import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { fromPolars, toPolars } from '../src/node/polars.js';
import { referenceFrame } from './fixtures/frame.js';
import { PandasError } from '../src/index.js';

describe('nodejs-polars adapter', () => {
  it('reads a polars DataFrame, string views and nulls included', () => {
    const frame = fromPolars(pl.DataFrame({ a: [1, 2, null], s: ['x', null, 'z'], b: [true, false, null] }));
    expect(frame.columns.map((column) => column.dtype)).toEqual(['float64', 'str', 'boolean']);
    expect(frame.row(1)).toEqual({ a: 2, s: null, b: false });
  });

  it('writes every column type polars can hold and reads it back', () => {
    const names = ['b', 'i8', 'u64', 'i64n', 'f32', 's', 'cat', 'dt', 'dttz'];
    const frame = referenceFrame().select(names);
    const polars = toPolars(frame);
    expect(polars.shape).toEqual({ height: 4, width: names.length });
    const back = fromPolars(polars);
    for (const name of names) expect({ name, values: back.column(name).toArray() }).toEqual({ name, values: frame.column(name).toArray() });
  });

  it('refuses objects that are not polars frames', () => {
    expectErrorCode(() => fromPolars({} as never), 'ERR_PANDAS_ADAPTER_UNAVAILABLE', { family: PandasError });
  });
});
