import { Column } from '../column.js';
import { DataFrameView, type FrameIndexInput } from '../data-frame-view.js';

type Indexable = { readonly length: number; [index: number]: number | bigint };

/** The rows `rows` of a column, copied into a new column of the same type (categories shared). */
export function gatherColumn(column: Column, rows: Int32Array): Column {
  const validity = column.validityBytes();
  const validityBytes = validity === null ? undefined : gatherTyped(validity, rows);
  const type = column.type;
  if (type.kind === 'string') {
    const strings = new Array<string | null>(rows.length);
    for (let index = 0; index < rows.length; index++) strings[index] = column.get(rows[index] as number) as string | null;
    return Column.from(strings, type);
  }
  const values = gatherTyped(column.values as unknown as Indexable & ArrayBufferView, rows);
  return Column.fromParts({
    type,
    values,
    length: rows.length,
    ...(validityBytes === undefined ? {} : { validityBytes: validityBytes }),
    ...(column.categories === null ? {} : { categories: column.categories }),
  });
}

function gatherTyped<Values extends Indexable & ArrayBufferView>(values: Values, rows: Int32Array): Values {
  const Constructor = values.constructor as new (length: number) => Values;
  const out = new Constructor(rows.length);
  for (let index = 0; index < rows.length; index++) out[index] = values[rows[index] as number] as number;
  return out;
}

/** The rows `rows` of a frame, its index gathered along (a RangeIndex becomes the gathered labels). */
export function gatherFrame(frame: DataFrameView, rows: Int32Array, names: readonly string[]): DataFrameView {
  const columns = names.map((name) => [name, gatherColumn(frame.column(name), rows)] as const);
  const index = frame.index;
  let input: FrameIndexInput;
  if (index.kind === 'column') input = { kind: 'column', column: gatherColumn(index.column, rows), name: index.name };
  else {
    const contiguous = rows.every((row, position) => position === 0 || row === (rows[position - 1] as number) + 1);
    input = contiguous
      ? { kind: 'range', start: index.start + index.step * (rows[0] ?? 0), step: index.step, name: index.name }
      : { kind: 'range', start: 0, step: 1, name: index.name };
  }
  return DataFrameView.fromColumnList(columns, { index: input, metadata: frame.metadata });
}
