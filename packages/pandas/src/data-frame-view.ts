import { BufferFlags, getBuffer, isExporter, releaseBuffer, supportsBuffer } from '@interop/core';
import { clampRange, Column, type ColumnValue, describe } from './column.js';
import { type ColumnTypeSpec, parseColumnType } from './column-type.js';
import { PandasError } from './errors/pandas-error.js';
import { type InterchangeDataFrame, type InterchangeOptions, dataframe } from './interchange-types.js';
import { frameToInterchange } from './internal/interchange-export.js';
import { valuesConstructor } from './internal/typed.js';

/** The row labels of a frame: a range (pandas' RangeIndex) or a column of labels. */
export type FrameIndex =
  | { readonly kind: 'range'; readonly start: number; readonly step: number; readonly name: string | null }
  | { readonly kind: 'column'; readonly column: Column; readonly name: string | null };

/** How an index is given to a frame factory: a column name to move into the index, or an index. */
export type FrameIndexInput =
  | string
  | { readonly kind: 'range'; readonly start?: number; readonly step?: number; readonly name?: string | null }
  | { readonly kind: 'column'; readonly column: Column | ArrayLike<unknown>; readonly name?: string | null };

/** A column as `fromColumns` accepts it: a Column, a TypedArray (zero-copy), a JS array, or any buffer exporter (copied). */
export type ColumnInput = Column | ArrayLike<unknown> | Iterable<unknown> | object;

/** Options of the frame factories. */
export interface FrameOptions {
  /** Row labels; default a range 0..rows-1. */
  readonly index?: FrameIndexInput;
  /** Column types for JS arrays (pandas dtype strings or `{ kind }` objects), by column name. */
  readonly types?: Readonly<Record<string, ColumnTypeSpec>>;
  /** Free-form key/value metadata carried to Arrow schemas (and back). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * A table of named, typed columns of equal length, each column an exporter of its values
 * buffer, with an optional index: the JavaScript side of a pandas `DataFrame`.
 *
 * @example
 * ```ts
 * import { DataFrameView } from '@interop/pandas';
 * const frame = DataFrameView.fromColumns({ name: ['Ada', 'Alan'], age: Int32Array.of(36, 41) });
 * console.log(frame.shape, frame.row(1)); // [2, 2] { name: 'Alan', age: 41 }
 * ```
 */
export class DataFrameView {
  readonly #names: readonly string[];
  readonly #columns: ReadonlyMap<string, Column>;
  readonly #rows: number;
  readonly #index: FrameIndex;
  readonly #metadata: Readonly<Record<string, string>>;

  private constructor(
    names: readonly string[],
    columns: ReadonlyMap<string, Column>,
    rows: number,
    index: FrameIndex,
    metadata: Readonly<Record<string, string>>,
  ) {
    this.#names = names;
    this.#columns = columns;
    this.#rows = rows;
    this.#index = index;
    this.#metadata = metadata;
  }

  /**
   * Builds a frame from named columns, checking names and lengths; nothing is returned on failure.
   *
   * @example
   * ```ts
   * import { DataFrameView } from '@interop/pandas';
   * const frame = DataFrameView.fromColumns(
   *   { city: ['Oslo', null], temperature: Float64Array.of(3.5, -1) },
   *   { types: { city: 'category' } },
   * );
   * console.log(frame.column('city').dtype); // "category"
   * ```
   * @throws {PandasError} `ERR_SHAPE_MISMATCH`, `ERR_PANDAS_DUPLICATE_NAME`, `ERR_PANDAS_INVALID_TYPE`, `ERR_VALUE_INVALID`, `ERR_INVALID_ARGUMENT`, `ERR_PANDAS_COLUMN_NOT_FOUND` (index column).
   */
  static fromColumns(columns: Readonly<Record<string, ColumnInput>> | Iterable<readonly [string, ColumnInput]>, options: FrameOptions = {}): DataFrameView {
    const entries: (readonly [string, ColumnInput])[] = isEntryIterable(columns) ? Array.from(columns) : Object.entries(columns);
    const built = entries.map(([name, input]) => [name, toColumn(name, input, options.types?.[name])] as const);
    return DataFrameView.fromColumnList(built, options);
  }

  /**
   * Allocates a frame of zeroed columns, as IOLink's `DataFrameViewFactory.allocate`: the shape
   * is `[columns, rows]` (IOLink's order), with one name and one type per column.
   *
   * @example
   * ```ts
   * import { DataFrameView } from '@interop/pandas';
   * const frame = DataFrameView.allocate([2, 5], ['name', 'age'], ['string', 'int64']);
   * frame.column('age').set(0, 42n);
   * console.log(frame.shape); // [5, 2] (pandas order: rows, columns)
   * ```
   * @throws {PandasError} `ERR_INVALID_ARGUMENT` (shape/names/types disagree), `ERR_PANDAS_DUPLICATE_NAME`, `ERR_PANDAS_INVALID_TYPE`.
   */
  static allocate(shape: readonly [number, number], names: readonly string[], types: readonly ColumnTypeSpec[]): DataFrameView {
    const [count, rows] = shape;
    if (!Number.isSafeInteger(count) || count < 0 || !Number.isSafeInteger(rows) || rows < 0) {
      throw new PandasError(
        'ERR_INVALID_ARGUMENT',
        `allocate: shape must be [columns, rows] of non-negative integers; received [${String(count)}, ${String(rows)}].`,
        { details: { operation: 'allocate' } },
      );
    }
    if (names.length !== count || types.length !== count) {
      throw new PandasError(
        'ERR_INVALID_ARGUMENT',
        `allocate: shape asks for ${count} columns but ${names.length} names and ${types.length} types were given; give one name and one type per column.`,
        {
          details: { operation: 'allocate' },
        },
      );
    }
    return DataFrameView.fromColumnList(
      names.map((name, position) => [name, Column.allocate(types[position] as ColumnTypeSpec, rows)] as const),
      {},
    );
  }

  /**
   * Builds a frame from Column objects, the common path of every importer.
   *
   * @example
   * ```ts
   * import { Column, DataFrameView } from '@interop/pandas';
   * const frame = DataFrameView.fromColumnList([['x', Column.from([1, 2])]]);
   * ```
   * @throws {PandasError} `ERR_SHAPE_MISMATCH`, `ERR_PANDAS_DUPLICATE_NAME`, `ERR_PANDAS_COLUMN_NOT_FOUND`, `ERR_INVALID_ARGUMENT`.
   */
  static fromColumnList(columns: readonly (readonly [string, Column])[], options: Omit<FrameOptions, 'types'> = {}): DataFrameView {
    const names: string[] = [];
    const map = new Map<string, Column>();
    let rows: number | undefined;
    for (const [name, column] of columns) {
      if (typeof name !== 'string')
        throw new PandasError('ERR_INVALID_ARGUMENT', `Column names must be strings; received ${describe(name)}.`, { details: { operation: 'fromColumns' } });
      if (!(column instanceof Column))
        throw new PandasError('ERR_INVALID_ARGUMENT', `Column "${name}" is ${describe(column)}, not a Column.`, {
          details: { operation: 'fromColumns', column: name },
        });
      if (map.has(name))
        throw new PandasError('ERR_PANDAS_DUPLICATE_NAME', `Two columns are named "${name}"; rename one (pandas readers would drop or mangle it).`, {
          details: { operation: 'fromColumns', column: name },
        });
      if (rows !== undefined && column.length !== rows) {
        throw new PandasError(
          'ERR_SHAPE_MISMATCH',
          `Column "${name}" has ${column.length} rows but "${names[0] ?? ''}" has ${rows}; every column of a frame must have the same length.`,
          {
            details: { operation: 'fromColumns', column: name, expected: rows, found: column.length },
          },
        );
      }
      rows = column.length;
      names.push(name);
      map.set(name, column);
    }
    let index: FrameIndex = { kind: 'range', start: 0, step: 1, name: null };
    const input = options.index;
    if (typeof input === 'string') {
      const column = map.get(input);
      if (column === undefined) throw notFound(input, names);
      map.delete(input);
      names.splice(names.indexOf(input), 1);
      index = { kind: 'column', column, name: input };
    } else if (input?.kind === 'range') {
      const start = input.start ?? 0;
      const step = input.step ?? 1;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(step) || step === 0)
        throw new PandasError('ERR_INVALID_ARGUMENT', `A range index needs integer start and a non-zero integer step; received ${start}, ${step}.`, {
          details: { operation: 'fromColumns' },
        });
      index = { kind: 'range', start, step, name: input.name ?? null };
    } else if (input?.kind === 'column') {
      const column = input.column instanceof Column ? input.column : Column.from(input.column);
      if (rows !== undefined && column.length !== rows) {
        throw new PandasError('ERR_SHAPE_MISMATCH', `The index has ${column.length} labels but the columns have ${rows} rows.`, {
          details: { operation: 'fromColumns', expected: rows, found: column.length },
        });
      }
      rows ??= column.length;
      index = { kind: 'column', column, name: input.name ?? null };
    }
    return new DataFrameView(names, map, rows ?? 0, index, { ...(options.metadata ?? {}) });
  }

  /** The column names, in order. */
  get columnNames(): readonly string[] {
    return this.#names;
  }

  /** `[rows, columns]`, as pandas' `DataFrame.shape` (not counting the index). */
  get shape(): [number, number] {
    return [this.#rows, this.#names.length];
  }

  /** Number of rows. */
  get numRows(): number {
    return this.#rows;
  }

  /** Number of columns (not counting the index). */
  get numColumns(): number {
    return this.#names.length;
  }

  /** The row labels. */
  get index(): FrameIndex {
    return this.#index;
  }

  /** Key/value metadata (Arrow schema metadata; the `pandas` key holds pandas' own when read from pandas). */
  get metadata(): Readonly<Record<string, string>> {
    return this.#metadata;
  }

  /** Every column, in order. */
  get columns(): readonly Column[] {
    return this.#names.map((name) => this.#columns.get(name) as Column);
  }

  /**
   * The column called `name`.
   *
   * @example
   * ```ts
   * import { DataFrameView } from '@interop/pandas';
   * DataFrameView.fromColumns({ a: [1, 2] }).column('a').toArray(); // [1, 2]
   * ```
   * @throws {PandasError} `ERR_PANDAS_COLUMN_NOT_FOUND`.
   */
  column(name: string): Column {
    const column = this.#columns.get(name);
    if (column === undefined) throw notFound(name, this.#names);
    return column;
  }

  /** True when a column called `name` exists. */
  has(name: string): boolean {
    return this.#columns.has(name);
  }

  /**
   * A frame with only the named columns, in the given order (columns are shared, not copied).
   *
   * @example
   * ```ts
   * import { DataFrameView } from '@interop/pandas';
   * DataFrameView.fromColumns({ a: [1], b: [2], c: [3] }).select(['c', 'a']).columnNames; // ["c", "a"]
   * ```
   * @throws {PandasError} `ERR_PANDAS_COLUMN_NOT_FOUND`, `ERR_PANDAS_DUPLICATE_NAME`.
   */
  select(names: readonly string[]): DataFrameView {
    const picked = names.map((name) => [name, this.column(name)] as const);
    const frame = DataFrameView.fromColumnList(picked, { metadata: this.#metadata });
    return new DataFrameView(frame.#names, frame.#columns, this.#rows, this.#index, this.#metadata);
  }

  /**
   * Rows `start` (inclusive) to `end` (exclusive) as a frame sharing this frame's memory (no
   * copy); negative bounds count from the end. The index is sliced along.
   *
   * @example
   * ```ts
   * import { DataFrameView } from '@interop/pandas';
   * const frame = DataFrameView.fromColumns({ a: Float64Array.of(1, 2, 3) });
   * frame.slice(1).index; // { kind: 'range', start: 1, step: 1, name: null }
   * ```
   * @throws {PandasError} `ERR_INVALID_ARGUMENT` (non-integer bounds).
   */
  slice(start = 0, end: number = this.#rows): DataFrameView {
    const [from, to] = clampRange(start, end, this.#rows);
    const columns = new Map<string, Column>();
    for (const name of this.#names) columns.set(name, (this.#columns.get(name) as Column).slice(from, to));
    const index = this.#index;
    const sliced: FrameIndex =
      index.kind === 'range' ? { ...index, start: index.start + from * index.step } : { ...index, column: index.column.slice(from, to) };
    return new DataFrameView(this.#names, columns, to - from, sliced, this.#metadata);
  }

  /**
   * Row `position` as an object keyed by column name (a convenience, not the fast path).
   *
   * @example
   * ```ts
   * import { DataFrameView } from '@interop/pandas';
   * DataFrameView.fromColumns({ a: [1, 2], b: ['x', 'y'] }).row(0); // { a: 1, b: 'x' }
   * ```
   * @throws {PandasError} `ERR_INDEX_OUT_OF_RANGE`.
   */
  row(position: number): Record<string, ColumnValue> {
    if (!Number.isInteger(position) || position < 0 || position >= this.#rows) {
      throw new PandasError(
        'ERR_INDEX_OUT_OF_RANGE',
        `Row ${String(position)} was asked of a frame of ${this.#rows} rows; use an integer in 0..${this.#rows - 1}.`,
        { details: { operation: 'row', index: position } },
      );
    }
    const out: Record<string, ColumnValue> = {};
    for (const name of this.#names) out[name] = (this.#columns.get(name) as Column).get(position);
    return out;
  }

  /**
   * The row labels as a column: the index column itself, or a RangeIndex as the int64 column
   * pandas makes of it (`df.index.dtype` is int64).
   *
   * @example
   * ```ts
   * import { DataFrameView } from '@interop/pandas';
   * DataFrameView.fromColumns({ a: [1, 2] }).indexColumn().dtype; // "int64"
   * ```
   */
  indexColumn(): Column {
    const index = this.#index;
    if (index.kind === 'column') return index.column;
    const values = new BigInt64Array(this.#rows);
    for (let position = 0; position < this.#rows; position++) values[position] = BigInt(index.start + position * index.step);
    return Column.fromParts({ type: 'int64', values });
  }

  /**
   * The row labels as values, by one rule: exactly what `indexColumn().toArray()` gives, i.e. the
   * values `Column.get` returns for the index's dtype. A RangeIndex is int64 in pandas, so its
   * labels are bigints, like those of any int64 index; string labels are strings, datetime
   * labels are ticks (see `Column.toDates`).
   *
   * @example
   * ```ts
   * import { DataFrameView } from '@interop/pandas';
   * DataFrameView.fromColumns({ a: [1, 2] }).indexValues(); // [0n, 1n]
   * DataFrameView.fromColumns({ a: [1, 2], k: ['x', 'y'] }, { index: 'k' }).indexValues(); // ["x", "y"]
   * ```
   */
  indexValues(): ColumnValue[] {
    return this.indexColumn().toArray();
  }

  /** Iterates over rows as objects (see `row`). */
  *rows(): IterableIterator<Record<string, ColumnValue>> {
    for (let position = 0; position < this.#rows; position++) yield this.row(position);
  }

  /**
   * The dataframe interchange object (the JS counterpart of Python's `__dataframe__`).
   *
   * @example
   * ```ts
   * import { DataFrameView, dataframe } from '@interop/pandas';
   * const exchange = DataFrameView.fromColumns({ a: [1, 2] })[dataframe]();
   * exchange.getColumnByName('a').dtype.format; // "g"
   * ```
   */
  [dataframe](options: InterchangeOptions = {}): InterchangeDataFrame {
    return frameToInterchange(this, options);
  }
}

function toColumn(name: string, input: ColumnInput, type: ColumnTypeSpec | undefined): Column {
  if (input instanceof Column) {
    if (type !== undefined && parseColumnType(type).kind !== input.type.kind) {
      throw new PandasError('ERR_PANDAS_INVALID_TYPE', `Column "${name}" is ${input.dtype} but the type ${JSON.stringify(type)} was asked; convert it first.`, {
        details: { operation: 'fromColumns', column: name },
      });
    }
    return input;
  }
  if (ArrayBuffer.isView(input) && !(input instanceof DataView)) return Column.from(input as unknown as ArrayLike<unknown>, type);
  if (Array.isArray(input)) return Column.from(input, type);
  if (input !== null && typeof input === 'object' && (isExporter(input) || supportsBuffer(input))) return fromExporter(name, input, type);
  if (input !== null && typeof input === 'object' && Symbol.iterator in input) return Column.from(input as Iterable<unknown>, type);
  throw new PandasError('ERR_INVALID_ARGUMENT', `Column "${name}" is ${describe(input)}; give a Column, a TypedArray, an array or a buffer exporter.`, {
    details: { operation: 'fromColumns', column: name },
  });
}

const formatTypes: Record<string, string> = {
  '?': 'bool',
  b: 'int8',
  B: 'uint8',
  h: 'int16',
  H: 'uint16',
  i: 'int32',
  I: 'uint32',
  l: 'int32',
  L: 'uint32',
  q: 'int64',
  Q: 'uint64',
  e: 'float16',
  f: 'float32',
  d: 'float64',
};

// An exporter's memory may be resized once its export ends, so its values are copied into
// memory the column owns, and the export is released before returning.
function fromExporter(name: string, input: object, type: ColumnTypeSpec | undefined): Column {
  const info = getBuffer(input, BufferFlags.RECORDS_RO);
  try {
    const format = (info.format ?? 'B').replace(/^[@=<]/, '');
    const kind = formatTypes[format];
    if (kind === undefined || (info.format?.startsWith('>') ?? false) || (info.format?.startsWith('!') ?? false)) {
      throw new PandasError(
        'ERR_PANDAS_UNSUPPORTED_TYPE',
        `Column "${name}" exports format "${info.format ?? 'B'}", which has no column type; export a little-endian bool, integer or float format.`,
        {
          details: { operation: 'fromColumns', column: name, format: info.format },
        },
      );
    }
    const shape = info.shape ?? [info.byteLength / info.itemsize];
    if (shape.length !== 1)
      throw new PandasError('ERR_INVALID_ARGUMENT', `Column "${name}" exports ${shape.length} dimensions; a column is 1-dimensional.`, {
        details: { operation: 'fromColumns', column: name },
      });
    const length = shape[0] ?? 0;
    const stride = info.strides?.[0] ?? info.itemsize;
    const bytes = new Uint8Array(length * info.itemsize);
    const source = new Uint8Array(info.buffer, 0, info.buffer.byteLength);
    for (let row = 0; row < length; row++) {
      const start = info.byteOffset + row * stride;
      bytes.set(source.subarray(start, start + info.itemsize), row * info.itemsize);
    }
    const Constructor = valuesConstructor(parseColumnType(kind));
    const column = Column.fromParts({ type: kind, values: new Constructor(bytes.buffer, 0, length) });
    if (type !== undefined && parseColumnType(type).kind !== column.type.kind) {
      throw new PandasError('ERR_PANDAS_INVALID_TYPE', `Column "${name}" exports ${column.dtype} values but the type ${JSON.stringify(type)} was asked.`, {
        details: { operation: 'fromColumns', column: name },
      });
    }
    return column;
  } finally {
    releaseBuffer(info);
  }
}

function isEntryIterable(value: unknown): value is Iterable<readonly [string, ColumnInput]> {
  return typeof value === 'object' && value !== null && (value instanceof Map || Array.isArray(value));
}

function notFound(name: string, names: readonly string[]): PandasError {
  const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')}, ...` : names.join(', ');
  return new PandasError('ERR_PANDAS_COLUMN_NOT_FOUND', `No column named "${name}"; the frame has ${names.length} columns (${shown}).`, {
    details: { operation: 'column', column: name },
  });
}
