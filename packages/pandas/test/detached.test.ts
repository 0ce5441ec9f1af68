import { BufferFlags, getbuffer, releasebuffer } from '@interop/core';
import { expectDetachedEverywhere, loseMemory, resizableBuffer, type MemoryLoss, expectErrorCode } from '@interop/core/testing';
import { describe, expect, it } from 'vitest';
import { Column, dataframe, DataFrameView, toRecords } from '../src/index.js';

const columnCalls: Record<string | symbol, (column: Column) => unknown> = {
  isValid: (column) => column.isValid(1),
  get: (column) => column.get(1),
  set: (column) => column.set(1, 5),
  slice: (column) => column.slice(1),
  toArray: (column) => column.toArray(),
  validityBytes: (column) => column.validityBytes(),
  validityBitmap: (column) => column.validityBitmap(),
  [Symbol.iterator]: (column) => column[Symbol.iterator](),
  [getbuffer]: (column): unknown => column[getbuffer](BufferFlags.FULL_RO),
};

function frameOver(loss: MemoryLoss): { frame: DataFrameView; lose: () => void } {
  const buffer = loss === 'shrink' ? resizableBuffer(24) : new ArrayBuffer(24);
  new Float64Array(buffer).set([1, 2, 3]);
  const a = Column.fromParts({ type: 'float64', values: new Float64Array(buffer, 0, 3) });
  const frame = DataFrameView.fromColumns({ a, b: Column.from(['x', 'y', 'z']) });
  return { frame, lose: () => loseMemory(buffer, loss) };
}

describe('Column and DataFrameView over memory taken away', () => {
  for (const loss of ['transfer', 'shrink'] as const satisfies readonly MemoryLoss[]) {
    it(`a numeric column (with nulls) refuses every method after a ${loss}`, async () => {
      await expectDetachedEverywhere(
        () => {
          const buffer = loss === 'shrink' ? resizableBuffer(24) : new ArrayBuffer(24);
          new Float64Array(buffer).set([1, 2, 3]);
          const column = Column.fromParts({ type: 'float64', values: new Float64Array(buffer, 0, 3), validity: { bitmap: Uint8Array.of(0b101), offset: 0 } });
          return { object: column, lose: () => loseMemory(buffer, loss) };
        },
        { calls: columnCalls, exempt: [releasebuffer, 'toDates', 'toISOStrings'] },
      );
    });

    it(`a datetime column refuses every method, toDates and toISOStrings included, after a ${loss}`, async () => {
      await expectDetachedEverywhere(
        () => {
          const buffer = loss === 'shrink' ? resizableBuffer(24) : new ArrayBuffer(24);
          new BigInt64Array(buffer).set([0n, 1_616_895_000_000_000_000n, 86_400_000_000_000n]);
          const column = Column.fromParts({ type: 'datetime64[ns]', values: new BigInt64Array(buffer, 0, 3) });
          return { object: column, lose: () => loseMemory(buffer, loss) };
        },
        {
          calls: { ...columnCalls, set: (column) => column.set(1, 5n), toDates: (column) => column.toDates(), toISOStrings: (column) => column.toISOStrings() },
          exempt: [releasebuffer],
        },
      );
    });

    it(`a string column refuses every method once its UTF-8 bytes are lost (${loss})`, async () => {
      await expectDetachedEverywhere(
        () => {
          const text = new TextEncoder().encode('abcdef');
          const buffer = loss === 'shrink' ? resizableBuffer(6) : new ArrayBuffer(6);
          new Uint8Array(buffer).set(text);
          const column = Column.fromParts({ type: 'string', values: new Uint8Array(buffer, 0, 6), offsets: Int32Array.of(0, 1, 3, 6) });
          return { object: column, lose: () => loseMemory(buffer, loss) };
        },
        { calls: { ...columnCalls, set: (column) => column.set(1, 'q') }, exempt: [releasebuffer, 'toDates', 'toISOStrings'] },
      );
    });

    it(`a frame answers row, rows, slice, toRecords and the interchange with ERR_BUFFER_DETACHED after a ${loss}`, async () => {
      await expectDetachedEverywhere(
        () => {
          const { frame, lose } = frameOver(loss);
          return { object: frame, lose };
        },
        {
          calls: {
            row: (frame) => frame.row(0),
            rows: (frame) => frame.rows(),
            slice: (frame) => frame.slice(1),
            indexValues: (frame) => DataFrameView.fromColumns({ b: frame.column('b') }, { index: { kind: 'column', column: frame.column('a') } }).indexValues(),
            indexColumn: (frame) =>
              DataFrameView.fromColumns({ b: frame.column('b') }, { index: { kind: 'column', column: frame.column('a') } })
                .indexColumn()
                .toArray(),
            [dataframe]: (frame) => frame[dataframe]().getColumnByName('a').getBuffers(),
          },
          // Names and column lookups describe the frame; they read no values.
          exempt: ['column', 'has', 'select'],
        },
      );
      const { frame, lose } = frameOver(loss);
      lose();
      expectErrorCode(() => toRecords(frame), 'ERR_BUFFER_DETACHED');
    });
  }
});

describe('allocation failures', () => {
  it('Column.allocate / DataFrameView.allocate of more rows than the engine can hold: ERR_BUFFER_ALLOCATION_FAILED, not RangeError', () => {
    expectErrorCode(() => Column.allocate('float64', 2 ** 40), 'ERR_BUFFER_ALLOCATION_FAILED');
    expectErrorCode(() => Column.allocate('string', 2 ** 40), 'ERR_BUFFER_ALLOCATION_FAILED');
    expectErrorCode(() => DataFrameView.allocate([1, 2 ** 40], ['a'], ['int8']), 'ERR_BUFFER_ALLOCATION_FAILED');
    expect(Column.allocate('int8', 3).length).toBe(3);
  });
});
