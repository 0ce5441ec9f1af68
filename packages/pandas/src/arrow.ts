import {
  Bool,
  type Data,
  type DataType,
  Dictionary,
  Duration,
  Field,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  LargeUtf8,
  makeData,
  makeVector,
  RecordBatch,
  Precision,
  Schema,
  Struct,
  Table,
  Timestamp,
  TimeUnit as ArrowTimeUnit,
  Type,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  type Vector,
} from 'apache-arrow';
import { Column, type Validity } from './column.js';
import type { ColumnType, IntegerTypeName, TimeUnit } from './column-type.js';
import { DataFrameView, type FrameIndexInput } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';
import { packBytes } from './internal/bits.js';
import { concatColumns } from './internal/concat.js';
import { applyDtypeHints, buildPandasMetadata, type PandasMetadata, readPandasMetadata } from './internal/pandas-metadata.js';

/** Options of `toArrowTable` / `writeArrowIPC`. */
export interface ToArrowOptions {
  /** Write pandas' schema metadata (dtypes, index) so pandas reads the frame back identically; default true. */
  readonly pandasMetadata?: boolean;
}

/** Options of `fromArrowTable` / `readArrowIPC`. */
export interface FromArrowOptions {
  /** Apply pandas' schema metadata when present (index columns); default true. */
  readonly pandasMetadata?: boolean;
}

const arrowUnits: Record<TimeUnit, ArrowTimeUnit> = {
  s: ArrowTimeUnit.SECOND,
  ms: ArrowTimeUnit.MILLISECOND,
  us: ArrowTimeUnit.MICROSECOND,
  ns: ArrowTimeUnit.NANOSECOND,
};
const fromArrowUnits: Record<number, TimeUnit> = {
  [ArrowTimeUnit.SECOND]: 's',
  [ArrowTimeUnit.MILLISECOND]: 'ms',
  [ArrowTimeUnit.MICROSECOND]: 'us',
  [ArrowTimeUnit.NANOSECOND]: 'ns',
};

/**
 * Wraps an Apache Arrow `Table` as a `DataFrameView`. Fixed-width and string columns share the
 * table's memory when each column is one chunk; multi-chunk columns are concatenated (one copy);
 * bool columns are unpacked to one byte per row. pandas metadata restores the index.
 *
 * @example
 * ```ts
 * import { tableFromArrays } from 'apache-arrow';
 * import { fromArrowTable } from '@interop/pandas';
 * const frame = fromArrowTable(tableFromArrays({ x: Float64Array.of(1, 2) }));
 * console.log(frame.column('x').values); // Float64Array [1, 2] (the table's memory)
 * ```
 * @throws {PandasError} `ERR_PANDAS_UNSUPPORTED_TYPE` naming the Arrow type of a column with no counterpart; `ERR_PANDAS_DUPLICATE_NAME`; `ERR_INVALID_ARGUMENT` (not a Table).
 */
export function fromArrowTable(table: Table, options: FromArrowOptions = {}): DataFrameView {
  if (!(table instanceof Table) && !(typeof table === 'object' && table !== null && 'schema' in table && 'batches' in table)) {
    throw new PandasError('ERR_INVALID_ARGUMENT', 'fromArrowTable expects an apache-arrow Table.', { details: { operation: 'fromArrowTable' } });
  }
  const fields = table.schema.fields;
  const columns: (readonly [string, Column])[] = [];
  for (let position = 0; position < fields.length; position++) {
    const field = fields[position] as Field;
    const vector = table.getChildAt(position);
    const chunks = vector === null ? [] : vector.data.map((data) => dataToColumn(data as Data, field.name));
    const column = chunks.length === 0 ? Column.allocate(typeOfField(field), 0) : concatColumns(chunks, field.name);
    columns.push([field.name, column]);
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of table.schema.metadata) metadata[key] = value;
  const pandas = options.pandasMetadata === false ? null : readPandasMetadata(metadata['pandas']);
  if (pandas !== null) applyDtypeHints(pandas, columns);
  const split = splitIndex(columns, pandas);
  return DataFrameView.fromColumnList(split.columns, split.index === undefined ? { metadata } : { index: split.index, metadata });
}

/**
 * Presents a `DataFrameView` as an Apache Arrow `Table` sharing the frame's memory for
 * fixed-width and string columns (bool columns are packed to bits). pandas schema metadata is
 * added so `pyarrow`'s `to_pandas()` restores dtypes (nullable integers, categories, index).
 *
 * @example
 * ```ts
 * import { DataFrameView, toArrowTable } from '@interop/pandas';
 * const table = toArrowTable(DataFrameView.fromColumns({ x: Float64Array.of(1, 2) }));
 * console.log(table.getChild('x')?.toArray()); // Float64Array [1, 2]
 * ```
 */
export function toArrowTable(frame: DataFrameView, options: ToArrowOptions = {}): Table {
  const fields: Field[] = [];
  const vectors: Record<string, Vector> = {};
  const entries: [string, Column][] = frame.columnNames.map((name) => [name, frame.column(name)]);
  const index = frame.index;
  let indexField: string | null = null;
  if (index.kind === 'column') {
    indexField = index.name !== null && !frame.has(index.name) ? index.name : '__index_level_0__';
    entries.push([indexField, index.column]);
  }
  for (const [name, column] of entries) {
    const data = columnToData(column);
    fields.push(new Field(name, data.type, true));
    vectors[name] = makeVector(data);
  }
  const metadata = new Map<string, string>(Object.entries(frame.metadata));
  if (options.pandasMetadata !== false) metadata.set('pandas', JSON.stringify(buildPandasMetadata(frame, indexField)));
  else metadata.delete('pandas');
  const schema = new Schema(fields, metadata);
  const children = fields.map((field) => (vectors[field.name] as Vector).data[0] as Data);
  const struct = makeData({ type: new Struct(fields), length: frame.numRows, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** Converts one Arrow `Data` chunk to a column (zero-copy for fixed-width and strings). */
export function dataToColumn(data: Data, name: string): Column {
  const type: DataType = data.type;
  const validity: Validity | null =
    data.nullCount > 0 && data.nullBitmap !== undefined && data.nullBitmap.length > 0 ? { bitmap: data.nullBitmap, offset: data.offset } : null;
  const length = data.length;
  switch (type.typeId) {
    case Type.Bool:
      return Column.fromParts({ type: 'bool', values: data.values as Uint8Array, bitPacked: true, bitOffset: data.offset, length, validity });
    case Type.Int: {
      const { bitWidth, isSigned } = type as Int8;
      return Column.fromParts({ type: `${isSigned ? 'int' : 'uint'}${bitWidth}`, values: data.values as ArrayBufferView, length, validity });
    }
    case Type.Float: {
      const precision = (type as Float64).precision;
      return Column.fromParts({
        type: precision === Precision.HALF ? 'float16' : precision === Precision.SINGLE ? 'float32' : 'float64',
        values: data.values as ArrayBufferView,
        length,
        validity,
      });
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      // A zero-length array may come without its one offset (Arrow JS's empty tables, arrow-rs).
      return Column.fromParts({
        type: 'string',
        values: data.values as Uint8Array,
        offsets:
          length === 0 && (data.valueOffsets as Int32Array | BigInt64Array).length === 0
            ? new Int32Array(1)
            : (data.valueOffsets as Int32Array | BigInt64Array),
        length,
        validity,
      });
    case Type.Utf8View: {
      // String views (polars' default) have no offsets buffer: rebuild offsets + data (a copy).
      const vector = makeVector(data);
      const strings: (string | null)[] = new Array<string | null>(length);
      for (let index = 0; index < length; index++) strings[index] = vector.isValid(index) ? (vector.get(index) as string) : null;
      return Column.from(strings, 'string');
    }
    case Type.Timestamp: {
      const timestamp = type as Timestamp;
      return Column.fromParts({
        type: { kind: 'datetime', unit: fromArrowUnits[timestamp.unit] ?? 'ns', timezone: timestamp.timezone ?? null },
        values: data.values as BigInt64Array,
        length,
        validity,
      });
    }
    case Type.Duration:
      return Column.fromParts({
        type: { kind: 'timedelta', unit: fromArrowUnits[(type as Duration).unit] ?? 'ns' },
        values: data.values as BigInt64Array,
        length,
        validity,
      });
    case Type.Dictionary: {
      const dictionary = type as Dictionary;
      const indices = dictionary.indices;
      const codes = `${indices.isSigned ? 'int' : 'uint'}${indices.bitWidth}` as IntegerTypeName;
      const source = data.dictionary;
      if (source === undefined) throw unsupported(name, type, 'the dictionary is missing');
      const categoryChunks = source.data.map((chunk) => dataToColumn(chunk as Data, `${name} (categories)`));
      const categories =
        categoryChunks.length === 0
          ? Column.allocate(typeOfArrow(dictionary.dictionary as DataType, name), 0)
          : concatColumns(categoryChunks, `${name} (categories)`);
      return Column.fromParts({
        type: { kind: 'categorical', codes, ordered: dictionary.isOrdered },
        values: data.values as ArrayBufferView,
        length,
        validity,
        categories,
      });
    }
    default:
      throw unsupported(name, type);
  }
}

/** Converts a column to one Arrow `Data` chunk sharing its memory (bool: packed copy). */
export function columnToData(column: Column): Data {
  const type = column.type;
  const arrowType = arrowTypeOf(type, column);
  const length = column.length;
  const nullCount = column.nullCount;
  let validity = column.validity;
  if (type.kind === 'bool') {
    const bitmap = nullCount > 0 ? column.validityBitmap() : null;
    return makeData({
      type: arrowType as Bool,
      length,
      nullCount,
      data: packBytes(column.values as Uint8Array),
      ...(bitmap === null ? {} : { nullBitmap: bitmap }),
    });
  }
  if (nullCount === 0) validity = null;
  const nulls = validity === null ? { offset: 0 } : { offset: validity.offset, nullBitmap: validity.bitmap };
  if (type.kind === 'string') {
    return makeData({ type: arrowType as Utf8, length, nullCount, data: column.values as Uint8Array, valueOffsets: column.offsets as Int32Array, ...nulls });
  }
  if (type.kind === 'categorical') {
    const categories = columnToData(column.categories as Column);
    return makeData({ type: arrowType as Dictionary, length, nullCount, data: arrowCodes(column) as Int32Array, dictionary: makeVector(categories), ...nulls });
  }
  return makeData({ type: arrowType as Int32, length, nullCount, data: column.values as Int32Array, ...nulls });
}

function arrowTypeOf(type: ColumnType, column: Column | null): DataType {
  switch (type.kind) {
    case 'bool':
      return new Bool();
    case 'int8':
      return new Int8();
    case 'int16':
      return new Int16();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'uint8':
      return new Uint8();
    case 'uint16':
      return new Uint16();
    case 'uint32':
      return new Uint32();
    case 'uint64':
      return new Uint64();
    case 'float16':
      return new Float16();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'string':
      return column?.offsets instanceof BigInt64Array ? new LargeUtf8() : new Utf8();
    case 'datetime':
      return new Timestamp(arrowUnits[type.unit], type.timezone);
    case 'timedelta':
      return new Duration(arrowUnits[type.unit]);
    case 'categorical': {
      const categories = column?.categories ?? null;
      const valueType = categories === null ? new Utf8() : arrowTypeOf(categories.type, categories);
      const indices = arrowTypeOf({ kind: type.codes }, null) as Int32;
      return new Dictionary(valueType, indices, null, type.ordered);
    }
  }
}

function typeOfField(field: Field): ColumnType {
  return typeOfArrow(field.type as DataType, field.name);
}

function typeOfArrow(type: DataType, name: string): ColumnType {
  // Reuse the Data path on an empty chunk so both agree on every mapping.
  return dataToColumn(makeData({ type: type as Int32, length: 0 } as never) as Data, name).type;
}

function unsupported(name: string, type: DataType, reason?: string): PandasError {
  return new PandasError(
    'ERR_PANDAS_UNSUPPORTED_TYPE',
    `Column "${name}" has Arrow type ${describeArrowType(type)}${reason === undefined ? '' : ` (${reason})`}, which has no DataFrameView column type; cast it in Arrow first (e.g. to utf8, int64, timestamp or a dictionary of strings).`,
    { details: { operation: 'fromArrowTable', column: name, arrowType: describeArrowType(type) } },
  );
}

function splitIndex(
  columns: readonly (readonly [string, Column])[],
  pandas: PandasMetadata | null,
): { columns: (readonly [string, Column])[]; index?: FrameIndexInput } {
  const all = [...columns];
  const first = pandas?.index_columns[0];
  // A MultiIndex (several index columns) stays as ordinary columns: DataFrameView has one index.
  if (pandas === null || first === undefined || pandas.index_columns.length > 1) return { columns: all };
  if (typeof first === 'string') {
    const found = all.find(([name]) => name === first);
    if (found === undefined) return { columns: all };
    const entry = pandas.columns.find((column) => column.field_name === first);
    const label = typeof entry?.name === 'string' ? entry.name : null;
    return { columns: all.filter(([name]) => name !== first), index: { kind: 'column', column: found[1], name: label } };
  }
  return { columns: all, index: { kind: 'range', start: first.start, step: first.step, name: typeof first.name === 'string' ? first.name : null } };
}

function describeArrowType(type: DataType): string {
  const text = (type as { toString(): string }).toString();
  return text === '[object Object]' ? `type id ${String(type.typeId)}` : text;
}

// pandas marks a missing category with code -1; Arrow leaves null slots undefined but strict
// readers (polars) still require every key to be a valid index. Null slots holding a negative
// code are rewritten to 0 in a copy; without them the codes are shared as they are.
function arrowCodes(column: Column): Column['values'] {
  const codes = column.values;
  if (column.nullCount === 0) return codes;
  let negative = false;
  for (let index = 0; index < codes.length && !negative; index++) negative = (codes[index] as number | bigint) < 0;
  if (!negative) return codes;
  const copy = codes.slice();
  for (let index = 0; index < copy.length; index++) {
    if ((copy[index] as number | bigint) < 0) copy[index] = typeof copy[index] === 'bigint' ? 0n : 0;
  }
  return copy;
}
