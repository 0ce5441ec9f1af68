import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Column,
  type ColumnValue,
  DataFrameView,
  fromArrowTable,
  fromInterchange,
  fromRecords,
  readArrowIPC,
  readPandasJSON,
  toArrowTable,
  toRecords,
  writeArrowIPC,
  writePandasJSON,
} from '../src/index.js';

// Random frames of every column type, with nulls, then sliced at a random (often mid-byte) offset.
const valueOf: Record<string, fc.Arbitrary<unknown>> = {
  bool: fc.boolean(),
  int8: fc.integer({ min: -128, max: 127 }),
  uint8: fc.integer({ min: 0, max: 255 }),
  int16: fc.integer({ min: -32768, max: 32767 }),
  uint16: fc.integer({ min: 0, max: 65535 }),
  int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  uint32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  int64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  uint64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  float16: fc.double({ min: -65504, max: 65504, noNaN: true }),
  float32: fc.float(),
  float64: fc.double(),
  string: fc.string({ unit: 'grapheme', maxLength: 6 }),
  category: fc.constantFrom('a', 'b', 'cé', ''),
  'datetime64[ns, UTC]': fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
  'datetime64[ms]': fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
  'timedelta64[us]': fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
};
const allTypes = Object.keys(valueOf);

function frameOf(types: readonly string[]): fc.Arbitrary<DataFrameView> {
  return fc.integer({ min: 0, max: 40 }).chain((rows) =>
    fc
      .tuple(
        ...types.map((type) => fc.array(fc.option(valueOf[type] as fc.Arbitrary<unknown>, { nil: null, freq: 4 }), { minLength: rows, maxLength: rows })),
        fc.integer({ min: 0, max: rows }),
        fc.integer({ min: 0, max: rows }),
      )
      .map((parts) => {
        const columns = types.map((type, position) => [`c${position}`, Column.from(parts[position] as unknown[], type)] as const);
        const [a, b] = [parts[types.length] as number, parts[types.length + 1] as number];
        return DataFrameView.fromColumnList(columns).slice(Math.min(a, b), Math.max(a, b));
      }),
  );
}

const anyFrame = fc.array(fc.constantFrom(...allTypes), { minLength: 1, maxLength: 6 }).chain(frameOf);

function snapshot(frame: DataFrameView): { names: readonly string[]; dtypes: string[]; values: ColumnValue[][] } {
  return { names: frame.columnNames, dtypes: frame.columns.map((column) => column.dtype), values: frame.columns.map((column) => column.toArray()) };
}

const runs = { numRuns: 150 };

describe('round trips of random frames', () => {
  it('survive Arrow tables', () => {
    fc.assert(
      fc.property(anyFrame, (frame) => {
        expect(snapshot(fromArrowTable(toArrowTable(frame)))).toEqual(snapshot(frame));
      }),
      runs,
    );
  });

  it('survive IPC files and streams, compressed or not', () => {
    fc.assert(
      fc.property(anyFrame, fc.constantFrom('file' as const, 'stream' as const), fc.constantFrom('lz4' as const, null), (frame, format, compression) => {
        expect(snapshot(readArrowIPC(writeArrowIPC(frame, { format, compression })))).toEqual(snapshot(frame));
      }),
      runs,
    );
  });

  it('survive the interchange protocol', () => {
    fc.assert(
      fc.property(anyFrame, (frame) => {
        expect(snapshot(fromInterchange(frame))).toEqual(snapshot(frame));
      }),
      runs,
    );
  });

  it('survive pandas table JSON within its precision (ms datetimes, NaN as null)', () => {
    const jsonTypes = ['bool', 'int64', 'uint16', 'float64', 'string', 'category', 'datetime64[ms]'];
    const frames = fc.array(fc.constantFrom(...jsonTypes), { minLength: 1, maxLength: 5 }).chain(frameOf);
    fc.assert(
      fc.property(frames, (frame) => {
        const back = readPandasJSON(writePandasJSON(frame));
        expect(back.columnNames).toEqual(frame.columnNames);
        for (const name of frame.columnNames) {
          const column = frame.column(name);
          const expected = column.toArray().map((value) => {
            if (typeof value === 'number' && !Number.isFinite(value)) return null;
            // Like pandas, integers without nulls come back as int64; with nulls their extDtype is kept.
            if (column.type.kind === 'uint16' && column.nullCount === 0 && typeof value === 'number') return BigInt(value);
            if (column.type.kind === 'datetime' && typeof value === 'bigint') return back.column(name).dtype === 'datetime64[ms]' ? value : value * 1_000_000n;
            return value;
          });
          expect(back.column(name).toArray()).toEqual(expected);
        }
      }),
      runs,
    );
  });

  it('survive record arrays for the types records can hold', () => {
    const recordTypes = ['int8', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'timedelta64[us]', 'datetime64[ms]'];
    const frames = fc.array(fc.constantFrom(...recordTypes), { minLength: 1, maxLength: 5 }).chain(frameOf);
    fc.assert(
      fc.property(frames, (frame) => {
        const back = fromRecords(toRecords(frame));
        for (const name of frame.columnNames) {
          const column = frame.column(name);
          const kind = column.type.kind;
          const values = back.column(name).toArray();
          if (column.nullCount > 0 && kind !== 'datetime' && kind !== 'timedelta' && kind !== 'float32' && kind !== 'float64') {
            // Integer columns with nulls become float64 with NaN, as pandas' to_records does.
            expect(values).toEqual(column.toArray().map((value) => (value === null ? Number.NaN : Number(value))));
          } else {
            expect(values).toEqual(column.toArray().map((value) => (value === null && (kind === 'float32' || kind === 'float64') ? Number.NaN : value)));
          }
        }
      }),
      runs,
    );
  });
});
