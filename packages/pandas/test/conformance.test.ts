import { describeExporter } from '@interop/core/testing';
import { Column, DataFrameView, dataframe, fromArrowTable, readArrowIPC, toArrowTable, writeArrowIPC } from '../src/index.js';

// Every column type exports its values buffer; the kit drives each through every flag combination.
const cases: readonly (readonly [string, () => Column, string, number])[] = [
  ['bool', () => Column.from([true, null, false]), '?', 3],
  ['int8', () => Column.from(Int8Array.of(1, -2, 3)), 'b', 3],
  ['uint8', () => Column.from(Uint8Array.of(1, 2)), 'B', 2],
  ['int16', () => Column.from([1, 2], 'int16'), 'h', 2],
  ['uint16', () => Column.from([1, 2], 'uint16'), 'H', 2],
  ['int32', () => Column.from(Int32Array.of(1, 2, 3, 4)), 'i', 4],
  ['uint32', () => Column.from([7], 'uint32'), 'I', 1],
  ['int64', () => Column.from([1n, null, 3n]), 'q', 3],
  ['uint64', () => Column.from([1n, 2n], 'uint64'), 'Q', 2],
  ['float16', () => Column.from([0.5, 1], 'float16'), 'e', 2],
  ['float32', () => Column.from(Float32Array.of(1, 2)), 'f', 2],
  ['float64', () => Column.from([1.5, null]), 'd', 2],
  ['datetime', () => Column.from([new Date(0), null], 'datetime64[ns, UTC]'), 'q', 2],
  ['timedelta', () => Column.from([5n], 'timedelta64[s]'), 'q', 1],
  ['categorical', () => Column.from(['b', 'a', null], 'category'), 'i', 3],
  ['sliced float64', () => Column.from(Float64Array.of(1, 2, 3, 4)).slice(1, 3), 'd', 2],
];

for (const [name, make, format, items] of cases) {
  describeExporter(`Column<${name}>`, () => ({ exporter: make(), expected: { format, shape: [items], readonly: false } }));
}

describeExporter('Column<string>', () => ({
  exporter: Column.from(['ab', 'c', null, 'déf']),
  mutations: { set: (column: Column) => column.set(0, 'a longer value') },
  expected: { format: 'B', shape: [7], readonly: false },
}));

describeExporter('Column read from Feather (shares the file bytes)', () => {
  const bytes = writeArrowIPC(DataFrameView.fromColumns({ x: Float64Array.of(1, 2, 3) }));
  return { exporter: readArrowIPC(bytes).column('x'), expected: { format: 'd', shape: [3] } };
});

describeExporter('Column from an Arrow table (shares the table memory)', () => {
  const table = toArrowTable(DataFrameView.fromColumns({ s: ['x', 'yy'] }));
  return { exporter: fromArrowTable(table).column('s'), expected: { format: 'B', shape: [3] } };
});

describeExporter('interchange data buffer', () => {
  const exchange = DataFrameView.fromColumns({ a: Int32Array.of(1, 2, 3) })[dataframe]();
  return { exporter: exchange.getColumnByName('a').getBuffers().data[0], expected: { format: 'B', shape: [12] } };
});
