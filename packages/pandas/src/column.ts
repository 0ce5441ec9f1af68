import { assertAttached, type BufferInfo, exportBuffer, type Exporter, ExportLock, getbuffer, halfToNumber, numberToHalf, releasebuffer } from '@interop/core';
import { type ColumnType, type ColumnTypeSpec, formatColumnType, parseColumnType, type TimeUnit } from './column-type.js';
import { PandasError } from './errors/pandas-error.js';
import { copyBits, countUnset, getBit, paddedBytes, setBit, unpackBits } from './internal/bits.js';
import { type DatePrecision, ticksToDate, ticksToIso } from './internal/datetime.js';
import { hintPandasDtype, missingIsNA, pandasDtypeHint, pandasDtypeName } from './internal/dtype-hints.js';
import { type ColumnValues, storageName, typedArrayStorage, valuesConstructor, valuesFormat } from './internal/typed.js';

export type { ColumnValues } from './internal/typed.js';

/** A validity bitmap in Arrow's layout: row `i` is valid when bit `offset + i` is set (LSB first). */
export interface Validity {
  readonly bitmap: Uint8Array;
  readonly offset: number;
}

/** One value of a column as JavaScript sees it (`null` for a missing value). */
export type ColumnValue = boolean | number | bigint | string | null;

/** Options of `Column.get` and `Column.toArray`. */
export interface ValueOptions {
  /**
   * What a missing value reads as. `"null"` (default): `null` in every column. `"pandas"`: what
   * pandas shows for the column's `dtype`: `NaN` for NumPy-backed float columns (`float64`...),
   * `str` and `category` columns; `null` (pandas' `pd.NA`, `NaT`) for the nullable extension
   * dtypes (`Int64`, `boolean`, `Float64`, `string`) and datetimes / timedeltas.
   */
  readonly missing?: 'null' | 'pandas';
}

/** Options of `Column.toDates`. */
export interface DateOptions {
  /**
   * `"exact"` (default): a value finer than a millisecond (a Date's resolution) is an error.
   * `"floor"`: such values are rounded toward the past, knowingly.
   */
  readonly precision?: DatePrecision;
}

/** The buffers of a column, as `Column.fromParts` takes them (zero-copy). */
export interface ColumnParts {
  readonly type: ColumnTypeSpec;
  /**
   * The values buffer: numbers for numeric types (raw uint16 bits for float16, BigInt64Array for
   * 64-bit integers, datetimes and timedeltas), UTF-8 bytes for strings, integer codes for
   * categoricals, one byte per row (0 or 1) for bool, or a bitmap for bool with `bitPacked`.
   */
  readonly values: ArrayBufferView;
  /** Row count; defaults to the number of values (of offsets minus one for strings). */
  readonly length?: number;
  /** For strings: `length + 1` offsets into `values` (Int32Array, or BigInt64Array for large strings). */
  readonly offsets?: Int32Array | BigInt64Array;
  /** Validity as an Arrow bitmap (a bare Uint8Array means bit offset 0); absent means no nulls. */
  readonly validity?: Validity | Uint8Array | null;
  /** Validity as one byte per row (non-zero = valid), pandas' mask convention inverted. */
  readonly validityBytes?: Uint8Array;
  /** For categoricals: the categories, indexed by the codes. */
  readonly categories?: Column;
  /** For bool: `values` is a bitmap (bit `bitOffset + i`) rather than one byte per row; it is unpacked. */
  readonly bitPacked?: boolean;
  readonly bitOffset?: number;
}

// Type specs that name a pandas extension dtype: the column's `dtype` keeps that name.
const extensionSpec = /^(U?Int(8|16|32|64)|Float(32|64)|boolean)$/;
const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();
const unitsPerMillisecond: Record<TimeUnit, bigint> = { s: 0n, ms: 1n, us: 1000n, ns: 1_000_000n };

/**
 * One typed column of a `DataFrameView`: a values buffer (exported through the buffer protocol),
 * an optional validity bitmap, offsets for strings and categories for categoricals.
 *
 * @example
 * ```ts
 * import { Column } from '@interop/pandas';
 * import { getBuffer, releaseBuffer } from '@interop/core';
 * const column = Column.from([1.5, null, 3]);
 * console.log(column.get(1), column.nullCount); // null 1
 * const info = getBuffer(column);               // format "d", shape [3], zero-copy
 * releaseBuffer(info);
 * ```
 */
export class Column implements Exporter {
  readonly #lock = new ExportLock();
  #type: ColumnType;
  #length: number;
  #values: ColumnValues;
  #offsets: Int32Array | BigInt64Array | null;
  #validity: Validity | null;
  #nullCount: number | undefined;
  #categories: Column | null;

  private constructor(
    type: ColumnType,
    length: number,
    values: ColumnValues,
    offsets: Int32Array | BigInt64Array | null,
    validity: Validity | null,
    categories: Column | null,
    nullCount?: number,
  ) {
    this.#type = type;
    this.#length = length;
    this.#values = values;
    this.#offsets = offsets;
    this.#validity = validity;
    this.#categories = categories;
    this.#nullCount = validity === null ? 0 : nullCount;
  }

  /**
   * Wraps existing buffers as a column without copying them (bool bitmaps are unpacked to bytes).
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * const text = new TextEncoder().encode('abcd');
   * const column = Column.fromParts({ type: 'string', values: text, offsets: Int32Array.of(0, 1, 4) });
   * console.log(column.get(1)); // "bcd"
   * ```
   * @throws {PandasError} `ERR_PANDAS_INVALID_TYPE`, `ERR_SHAPE_MISMATCH` (buffers shorter than the length), `ERR_INVALID_ARGUMENT` (wrong buffer class).
   */
  static fromParts(parts: ColumnParts): Column {
    const type = parseColumnType(parts.type);
    const source = parts.values;
    if (!ArrayBuffer.isView(source)) throw invalidArgument('fromParts', `values must be a TypedArray or DataView; received ${describe(source)}`);
    let values: ColumnValues;
    let length: number;
    let offsets: Int32Array | BigInt64Array | null = null;
    if (type.kind === 'string') {
      const rawOffsets = parts.offsets;
      if (!(rawOffsets instanceof Int32Array || rawOffsets instanceof BigInt64Array))
        throw invalidArgument('fromParts', 'a string column needs offsets as an Int32Array or BigInt64Array of length + 1 entries');
      length = parts.length ?? rawOffsets.length - 1;
      if (!Number.isInteger(length) || length < 0 || rawOffsets.length < length + 1)
        throw lengthMismatch(`offsets hold ${rawOffsets.length} entries but ${length} rows need ${length + 1}`);
      offsets = rawOffsets.subarray(0, length + 1);
      values = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
      const first = Number(offsets[0] ?? 0);
      const last = Number(offsets[length] ?? 0);
      if (first < 0 || last < first || last > values.length)
        throw lengthMismatch(`string offsets span ${first}..${last} but the data holds ${values.length} bytes`);
    } else if (type.kind === 'bool' && parts.bitPacked === true) {
      const bitmap = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
      const bitOffset = parts.bitOffset ?? 0;
      length = parts.length ?? bitmap.length * 8 - bitOffset;
      if (!Number.isInteger(length) || length < 0 || bitOffset + length > bitmap.length * 8)
        throw lengthMismatch(`a bit-packed bool buffer of ${bitmap.length} bytes cannot hold ${length} rows from bit ${bitOffset}`);
      values = unpackBits(bitmap, bitOffset, length);
    } else {
      const Constructor = valuesConstructor(type);
      const compatible = source instanceof Constructor || source instanceof DataView || (type.kind === 'bool' && source instanceof Uint8ClampedArray);
      if (!compatible)
        throw invalidArgument('fromParts', `a ${formatColumnType(type)} column stores its values in a ${Constructor.name}; received ${describe(source)}`);
      const available = Math.floor(source.byteLength / Constructor.BYTES_PER_ELEMENT);
      length = parts.length ?? available;
      if (!Number.isInteger(length) || length < 0 || length > available)
        throw lengthMismatch(`the values buffer holds ${available} items but ${length} rows were declared`);
      if (source.byteOffset % Constructor.BYTES_PER_ELEMENT !== 0)
        throw invalidArgument(
          'fromParts',
          `the values buffer starts at byte ${source.byteOffset}, not aligned to ${Constructor.BYTES_PER_ELEMENT} bytes; copy it first`,
        );
      values = new Constructor(source.buffer, source.byteOffset, length);
    }
    let categories: Column | null = null;
    if (type.kind === 'categorical') {
      if (!(parts.categories instanceof Column)) throw invalidArgument('fromParts', 'a categorical column needs its categories as a Column');
      if (parts.categories.nullCount > 0)
        throw new PandasError('ERR_VALUE_INVALID', 'Categories must not contain nulls (pandas forbids it); drop the null category.', {
          details: { operation: 'fromParts' },
        });
      categories = parts.categories;
    }
    const validity = normalizeValidity(parts.validity ?? null, parts.validityBytes, length);
    const column = new Column(type, length, values, offsets, validity, categories);
    if (typeof parts.type === 'string' && extensionSpec.test(parts.type)) hintPandasDtype(column, type, parts.type);
    return column;
  }

  /**
   * Builds a column from JavaScript values (a copy). The type is inferred when absent: booleans
   * -> bool, numbers -> float64, bigints -> int64, strings -> string, Dates -> datetime64[ms];
   * `null`/`undefined` are missing values. A TypedArray is wrapped without copying.
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from(['b', 'a', 'b'], 'category').categories?.toArray(); // ["a", "b"]
   * ```
   * @throws {PandasError} `ERR_PANDAS_INVALID_TYPE`, `ERR_VALUE_INVALID` (a value that does not fit the type).
   */
  static from(values: ArrayLike<unknown> | Iterable<unknown>, type?: ColumnTypeSpec): Column {
    if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
      const storage = typedArrayStorage(values);
      if (storage !== undefined && (type === undefined || parseColumnType(type).kind === storage)) return Column.fromParts({ type: type ?? storage, values });
      if (type !== undefined && storage !== undefined) {
        const parsed = parseColumnType(type);
        if (storageName(parsed) === storage && parsed.kind !== 'categorical' && parsed.kind !== 'string') return Column.fromParts({ type: parsed, values });
      }
    }
    const items = Array.from(values as Iterable<unknown>);
    const resolved = type === undefined ? inferType(items) : parseColumnType(type);
    const column = buildColumn(resolved, items);
    if (typeof type === 'string' && extensionSpec.test(type)) hintPandasDtype(column, resolved, type);
    return column;
  }

  /**
   * A column of `length` rows with every value zero (false, empty string, epoch) and no nulls.
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.allocate('int32', 4).toArray(); // [0, 0, 0, 0]
   * ```
   * @throws {PandasError} `ERR_PANDAS_INVALID_TYPE`, `ERR_INVALID_ARGUMENT` (negative length), `ERR_BUFFER_ALLOCATION_FAILED` (more rows than the engine can allocate).
   */
  static allocate(type: ColumnTypeSpec, length: number): Column {
    const parsed = parseColumnType(type);
    if (!Number.isSafeInteger(length) || length < 0) throw invalidArgument('allocate', `length must be a non-negative integer; received ${String(length)}`);
    try {
      return Column.#allocate(parsed, length);
    } catch (cause) {
      // V8 throws a plain RangeError for lengths it cannot allocate.
      if (!(cause instanceof RangeError)) throw cause;
      throw new PandasError(
        'ERR_BUFFER_ALLOCATION_FAILED',
        `Column.allocate: ${length} rows of ${formatColumnType(parsed)} need more memory than the JavaScript engine could allocate; use fewer rows.`,
        {
          cause,
          details: { operation: 'allocate', length },
        },
      );
    }
  }

  static #allocate(parsed: ColumnType, length: number): Column {
    if (parsed.kind === 'string') return new Column(parsed, length, new Uint8Array(0), new Int32Array(length + 1), null, null);
    const values = new (valuesConstructor(parsed))(length);
    const categories = parsed.kind === 'categorical' ? Column.from([], 'string') : null;
    if (parsed.kind === 'categorical') {
      // No categories yet: every row starts missing, as pandas does for an empty Categorical.
      const bitmap = new Uint8Array(paddedBytes(length));
      return new Column(parsed, length, values, null, { bitmap, offset: 0 }, categories, length);
    }
    return new Column(parsed, length, values, null, null, categories);
  }

  /** The column's type. */
  get type(): ColumnType {
    return this.#type;
  }

  /**
   * The pandas dtype name of the column, as pandas names the column it builds from it (what
   * `pd.read_feather` of `writeArrowIPC` gives): `"Int64"` / `"UInt8"`... for integer columns with
   * missing values, `"boolean"` for bool columns with missing values, `"Float64"` and `"string"`
   * for columns that came as those extension dtypes (pandas metadata, JSON `extDtype`, or the type
   * given as `"Float64"` / `"string"` / `"Int64"`); otherwise `"int64"`, `"bool"`, `"float64"`,
   * `"str"`, `"category"`, `"datetime64[ns, UTC]"`... The storage type is `type`
   * (`formatColumnType(column.type)`).
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from([1n, null]).dtype; // "Int64"
   * Column.from([1n, 2n]).dtype; // "int64"
   * Column.from([1.5, null], 'Float64').dtype; // "Float64"
   * ```
   */
  get dtype(): string {
    return pandasDtypeName(this.#type, this.#validity !== null && this.nullCount > 0, pandasDtypeHint(this));
  }

  /** Number of rows. */
  get length(): number {
    return this.#length;
  }

  /** The values buffer (zero-copy): what the column exports through the buffer protocol. */
  get values(): ColumnValues {
    this.#attached('read values of');
    return this.#values;
  }

  /** For string columns: the `length + 1` offsets into `values`; otherwise null. */
  get offsets(): Int32Array | BigInt64Array | null {
    this.#attached('read offsets of');
    return this.#offsets;
  }

  /** The validity bitmap (bit set = valid), or null when the column has no nulls. */
  get validity(): Validity | null {
    this.#attached('read validity of');
    return this.#validity;
  }

  /** For categorical columns: the categories the codes index; otherwise null. */
  get categories(): Column | null {
    return this.#categories;
  }

  /** Number of missing values. */
  get nullCount(): number {
    if (this.#nullCount === undefined) {
      const validity = this.#validity;
      this.#nullCount = validity === null ? 0 : countUnset(validity.bitmap, validity.offset, this.#length);
    }
    return this.#nullCount;
  }

  /** Live exports of this column's values buffer. */
  get exports(): number {
    return this.#lock.exports;
  }

  /**
   * True unless row `index` is missing.
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from([1, null]).isValid(1); // false
   * ```
   * @throws {PandasError} `ERR_INDEX_OUT_OF_RANGE`.
   */
  isValid(index: number): boolean {
    this.#checkIndex(index, 'isValid');
    const validity = this.#validity;
    return validity === null || getBit(validity.bitmap, validity.offset, index);
  }

  /**
   * The value of row `index`: boolean, number, bigint (64-bit integers and datetime/timedelta
   * ticks; see `toDates` / `toISOStrings`), string, the category value for categoricals, or null
   * when missing (or, with `{ missing: 'pandas' }`, what pandas shows: see `ValueOptions`).
   * pyarrow stores pandas' NaN in a float column as null, so a float NaN written by pandas
   * reads as null by default and as NaN with `{ missing: 'pandas' }`.
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from([10n, 20n]).get(1); // 20n
   * ```
   * @throws {PandasError} `ERR_INDEX_OUT_OF_RANGE`.
   */
  get(index: number, options?: ValueOptions): ColumnValue {
    this.#checkIndex(index, 'get');
    const validity = this.#validity;
    if (validity !== null && !getBit(validity.bitmap, validity.offset, index)) return options?.missing === 'pandas' ? this.#pandasMissing() : null;
    return this.#rawGet(index);
  }

  #pandasMissing(): null | number {
    return missingIsNA(this.dtype) || this.#type.kind === 'datetime' || this.#type.kind === 'timedelta' ? null : Number.NaN;
  }

  #rawGet(index: number): ColumnValue {
    const type = this.#type;
    const values = this.#values;
    switch (type.kind) {
      case 'bool':
        return values[index] !== 0;
      case 'float16':
        return halfToNumber(values[index] as number);
      case 'string': {
        const offsets = this.#offsets as Int32Array | BigInt64Array;
        return decoder.decode(values.subarray(Number(offsets[index]), Number(offsets[index + 1])));
      }
      case 'categorical': {
        const code = Number(values[index]);
        const categories = this.#categories as Column;
        if (code < 0) return null;
        if (code >= categories.length) {
          throw new PandasError(
            'ERR_VALUE_INVALID',
            `Row ${index} holds category code ${code} but the column has ${categories.length} categories; the codes buffer is corrupt.`,
            { details: { operation: 'get', index } },
          );
        }
        return categories.get(code);
      }
      default:
        return values[index] as number | bigint;
    }
  }

  /**
   * Writes row `index` (null marks it missing). Fixed-width writes happen in place; writing a
   * string rebuilds the data buffer, so it is refused while the values buffer is exported.
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * const column = Column.allocate('float64', 2);
   * column.set(0, 2.5);
   * column.set(1, null);
   * ```
   * @throws {PandasError} `ERR_INDEX_OUT_OF_RANGE`, `ERR_VALUE_INVALID`.
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` when a string write must reallocate while exported.
   */
  set(index: number, value: unknown): void {
    this.#checkIndex(index, 'set');
    if (value === null || value === undefined) {
      this.#ensureValidity();
      const validity = this.#validity as Validity;
      if (getBit(validity.bitmap, validity.offset, index)) {
        setBit(validity.bitmap, validity.offset, index, false);
        if (this.#nullCount !== undefined) this.#nullCount++;
      }
      return;
    }
    const type = this.#type;
    if (type.kind === 'string') {
      if (typeof value !== 'string') throw invalidValue(type, value, index);
      this.#lock.assertUnlocked('set a string value');
      this.#replaceString(index, encoder.encode(value));
    } else if (type.kind === 'categorical') {
      const categories = this.#categories as Column;
      let code = -1;
      for (let position = 0; position < categories.length; position++) {
        if (categories.get(position) === value) {
          code = position;
          break;
        }
      }
      if (code < 0)
        throw new PandasError(
          'ERR_VALUE_INVALID',
          `${describe(value)} is not one of the ${categories.length} categories of this column; add it to the categories first (pandas' add_categories).`,
          { details: { operation: 'set', index } },
        );
      writeScalar(this.#values, { kind: type.codes }, index, code, index);
    } else {
      writeScalar(this.#values, type, index, value, index);
    }
    const validity = this.#validity;
    if (validity !== null && !getBit(validity.bitmap, validity.offset, index)) {
      setBit(validity.bitmap, validity.offset, index, true);
      if (this.#nullCount !== undefined) this.#nullCount--;
    }
  }

  #replaceString(index: number, bytes: Uint8Array): void {
    const offsets = this.#offsets as Int32Array | BigInt64Array;
    const data = this.#values as Uint8Array;
    const start = Number(offsets[0]);
    const end = Number(offsets[this.#length]);
    const before = Number(offsets[index]);
    const after = Number(offsets[index + 1]);
    const grown = new Uint8Array(end - start - (after - before) + bytes.length);
    grown.set(data.subarray(start, before), 0);
    grown.set(bytes, before - start);
    grown.set(data.subarray(after, end), before - start + bytes.length);
    const delta = bytes.length - (after - before);
    const rebased = offsets instanceof BigInt64Array ? new BigInt64Array(offsets.length) : new Int32Array(offsets.length);
    for (let position = 0; position <= this.#length; position++) {
      const offset = Number(offsets[position]) - start + (position > index ? delta : 0);
      if (rebased instanceof BigInt64Array) rebased[position] = BigInt(offset);
      else rebased[position] = offset;
    }
    if (rebased instanceof Int32Array && grown.length > 0x7fffffff)
      throw new PandasError('ERR_VALUE_INVALID', 'A string column with 32-bit offsets cannot hold more than 2 GiB of text.', {
        details: { operation: 'set', index },
      });
    this.#values = grown;
    this.#offsets = rebased;
  }

  #ensureValidity(): void {
    if (this.#validity !== null) return;
    const bitmap = new Uint8Array(paddedBytes(this.#length)).fill(0xff);
    this.#validity = { bitmap, offset: 0 };
    this.#nullCount = 0;
  }

  /**
   * The rows `start` (inclusive) to `end` (exclusive) as a new column sharing this column's
   * memory (no copy); negative bounds count from the end, as `Array.prototype.slice`.
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from(Int32Array.of(1, 2, 3, 4)).slice(1, 3).toArray(); // [2, 3]
   * ```
   */
  slice(start = 0, end: number = this.#length): Column {
    this.#attached('slice');
    const [from, to] = clampRange(start, end, this.#length);
    const length = to - from;
    const validity = this.#validity === null ? null : { bitmap: this.#validity.bitmap, offset: this.#validity.offset + from };
    const nullCount = this.#validity === null ? 0 : undefined;
    const hint = pandasDtypeHint(this);
    const sliced =
      this.#type.kind === 'string'
        ? new Column(this.#type, length, this.#values, (this.#offsets as Int32Array | BigInt64Array).subarray(from, to + 1), validity, null, nullCount)
        : new Column(this.#type, length, this.#values.subarray(from, to), null, validity, this.#categories, nullCount);
    if (hint !== undefined) hintPandasDtype(sliced, this.#type, hint);
    return sliced;
  }

  /**
   * Every value as a JavaScript array (a copy; see `get` for the value types).
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from([true, null]).toArray(); // [true, null]
   * ```
   */
  toArray(options?: ValueOptions): ColumnValue[] {
    const out = new Array<ColumnValue>(this.#length);
    for (let index = 0; index < this.#length; index++) out[index] = this.get(index, options);
    return out;
  }

  /**
   * The values of a datetime column as `Date`s (null when missing), the unit applied. A Date is
   * an instant with millisecond resolution: time-zone-aware values are their UTC instant, naive
   * ones are read as UTC. Nothing is lost silently: a value finer than a millisecond is an error
   * unless `precision: 'floor'`, a value outside a Date's range always is.
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from([86_400_000_000_000n, null], 'datetime64[ns, UTC]').toDates(); // [1970-01-02T00:00:00.000Z, null]
   * ```
   * @throws {PandasError} `ERR_PANDAS_DATETIME_RANGE` (sub-millisecond or out-of-range value), `ERR_INVALID_ARGUMENT` (not a datetime column).
   */
  toDates(options: DateOptions = {}): (Date | null)[] {
    const type = this.#datetimeType('toDates');
    const precision = options.precision ?? 'exact';
    if (precision !== 'exact' && precision !== 'floor')
      throw invalidArgument('toDates', `precision must be "exact" or "floor"; received ${describe(precision)}`);
    const out = new Array<Date | null>(this.#length);
    for (let index = 0; index < this.#length; index++)
      out[index] = this.isValid(index) ? ticksToDate(this.#values[index] as bigint, type.unit, precision, index) : null;
    return out;
  }

  /**
   * The values of a datetime column as ISO 8601 strings (null when missing), exactly as pandas'
   * `Timestamp.isoformat()` writes them: the unit applied with every digit kept (6 fraction digits
   * for microseconds, 9 for nanoseconds, none when whole), and for a time-zone-aware column the
   * wall time in its zone with the offset (`"2021-03-28T03:00:00+02:00"`).
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from([1n], 'datetime64[ns, Europe/Paris]').toISOStrings(); // ["1970-01-01T01:00:00.000000001+01:00"]
   * ```
   * @throws {PandasError} `ERR_INVALID_ARGUMENT` (not a datetime column), `ERR_PANDAS_INVALID_TYPE` (a time zone the engine does not know), `ERR_PANDAS_DATETIME_RANGE` (a zoned value beyond the years time zone data covers).
   */
  toISOStrings(): (string | null)[] {
    const type = this.#datetimeType('toISOStrings');
    const out = new Array<string | null>(this.#length);
    for (let index = 0; index < this.#length; index++)
      out[index] = this.isValid(index) ? ticksToIso(this.#values[index] as bigint, type.unit, type.timezone, index) : null;
    return out;
  }

  #datetimeType(operation: string): { readonly unit: TimeUnit; readonly timezone: string | null } {
    const type = this.#type;
    if (type.kind !== 'datetime') throw invalidArgument(operation, `the column is ${this.dtype}, not a datetime column`);
    return type;
  }

  /** Iterates over the values (see `get`). */
  *[Symbol.iterator](): IterableIterator<ColumnValue> {
    for (let index = 0; index < this.#length; index++) yield this.get(index);
  }

  /**
   * A copy of the validity as one byte per row (1 = valid), or null when nothing is missing.
   *
   * @example
   * ```ts
   * import { Column } from '@interop/pandas';
   * Column.from([1, null]).validityBytes(); // Uint8Array [1, 0]
   * ```
   */
  validityBytes(): Uint8Array | null {
    this.#attached('validityBytes');
    const validity = this.#validity;
    return validity === null ? null : unpackBits(validity.bitmap, validity.offset, this.#length);
  }

  /**
   * The validity as a bitmap starting at bit 0 (a copy when this column's bitmap is offset), or
   * null when nothing is missing.
   */
  validityBitmap(): Uint8Array | null {
    this.#attached('validityBitmap');
    const validity = this.#validity;
    if (validity === null) return null;
    if (validity.offset === 0) return validity.bitmap;
    return copyBits(validity.bitmap, validity.offset, this.#length);
  }

  /** Exports the values buffer (1-D; strings export their UTF-8 bytes, categoricals their codes). */
  [getbuffer](flags: number): BufferInfo {
    this.#attached('getbuffer');
    const values = this.#values;
    return exportBuffer(
      this,
      { buffer: values.buffer, byteOffset: values.byteOffset, format: valuesFormat(this.#type), itemsize: values.BYTES_PER_ELEMENT, shape: [values.length] },
      flags,
      this.#lock,
    );
  }

  /** Ends one export of the values buffer. */
  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }

  /**
   * The buffers may have been transferred or shrunk behind the column's back (core's one check):
   * each must still hold what `#length` rows need, so a lost buffer never reads as undefined/NaN.
   */
  #attached(operation: string): void {
    const length = this.#length;
    if (length === 0) return;
    const offsets = this.#offsets;
    if (offsets !== null) {
      assertAttached(offsets.byteLength, (length + 1) * offsets.BYTES_PER_ELEMENT, 'Column', operation);
      assertAttached(this.#values.byteLength, Number(offsets[length]) * this.#values.BYTES_PER_ELEMENT, 'Column', operation);
    } else {
      assertAttached(this.#values.byteLength, length * this.#values.BYTES_PER_ELEMENT, 'Column', operation);
    }
    const validity = this.#validity;
    // byteLength, not length (see assertAttached); a bitmap holds 8 rows per byte.
    if (validity !== null) assertAttached(validity.bitmap.byteLength * 8, validity.offset + length, 'Column', operation);
  }

  #checkIndex(index: number, operation: string): void {
    this.#attached(operation);
    if (!Number.isInteger(index) || index < 0 || index >= this.#length) {
      throw new PandasError(
        'ERR_INDEX_OUT_OF_RANGE',
        `Row ${String(index)} was asked of a column of ${this.#length} rows; use an integer in 0..${this.#length - 1}.`,
        {
          details: { operation, index, length: this.#length },
        },
      );
    }
  }
}

/** Clamps slice bounds as `Array.prototype.slice` does. */
export function clampRange(start: number, end: number, length: number): [number, number] {
  if (!Number.isInteger(start) || !Number.isInteger(end))
    throw invalidArgument('slice', `slice bounds must be integers; received ${String(start)}, ${String(end)}`);
  const from = start < 0 ? Math.max(length + start, 0) : Math.min(start, length);
  const to = end < 0 ? Math.max(length + end, 0) : Math.min(end, length);
  return [from, Math.max(from, to)];
}

function normalizeValidity(validity: Validity | Uint8Array | null, bytes: Uint8Array | undefined, length: number): Validity | null {
  if (bytes !== undefined) {
    if (!(bytes instanceof Uint8Array) || bytes.length < length) throw lengthMismatch(`validityBytes must be a Uint8Array of at least ${length} bytes`);
    const bitmap = new Uint8Array(paddedBytes(length));
    for (let index = 0; index < length; index++) if (bytes[index] !== 0) bitmap[index >> 3] = (bitmap[index >> 3] ?? 0) | (1 << (index & 7));
    return { bitmap, offset: 0 };
  }
  if (validity === null) return null;
  const resolved = validity instanceof Uint8Array ? { bitmap: validity, offset: 0 } : validity;
  if (!(resolved.bitmap instanceof Uint8Array) || !Number.isInteger(resolved.offset) || resolved.offset < 0)
    throw invalidArgument('fromParts', 'validity must be a Uint8Array bitmap or { bitmap: Uint8Array, offset: number }');
  if (resolved.bitmap.length * 8 < resolved.offset + length)
    throw lengthMismatch(
      `the validity bitmap holds ${resolved.bitmap.length * 8} bits but ${length} rows from bit ${resolved.offset} need ${resolved.offset + length}`,
    );
  return { bitmap: resolved.bitmap, offset: resolved.offset };
}

function inferType(items: readonly unknown[]): ColumnType {
  let found: ColumnType | undefined;
  for (const item of items) {
    if (item === null || item === undefined) continue;
    let type: ColumnType;
    if (typeof item === 'boolean') type = { kind: 'bool' };
    else if (typeof item === 'number') type = { kind: 'float64' };
    else if (typeof item === 'bigint') type = { kind: 'int64' };
    else if (typeof item === 'string') type = { kind: 'string' };
    else if (item instanceof Date) type = { kind: 'datetime', unit: 'ms', timezone: null };
    else
      throw new PandasError(
        'ERR_VALUE_INVALID',
        `Cannot infer a column type for ${describe(item)}; pass booleans, numbers, bigints, strings or Dates, or give the type.`,
        { details: { operation: 'Column.from' } },
      );
    if (found === undefined) found = type;
    else if (found.kind !== type.kind) {
      throw new PandasError(
        'ERR_VALUE_INVALID',
        `A column mixes ${found.kind} and ${type.kind} values; give the type explicitly or convert the values first.`,
        { details: { operation: 'Column.from' } },
      );
    }
  }
  return found ?? { kind: 'float64' };
}

function buildColumn(type: ColumnType, items: readonly unknown[]): Column {
  const length = items.length;
  let validity: Uint8Array | undefined;
  for (let index = 0; index < length; index++) {
    if (items[index] === null || items[index] === undefined) {
      validity ??= new Uint8Array(length).fill(1);
      validity[index] = 0;
    }
  }
  if (type.kind === 'string') {
    const chunks: Uint8Array[] = [];
    const offsets = new Int32Array(length + 1);
    let total = 0;
    for (let index = 0; index < length; index++) {
      const item = items[index];
      if (item !== null && item !== undefined) {
        if (typeof item !== 'string') throw invalidValue(type, item, index);
        const bytes = encoder.encode(item);
        chunks.push(bytes);
        total += bytes.length;
      }
      offsets[index + 1] = total;
    }
    const data = new Uint8Array(total);
    let position = 0;
    for (const chunk of chunks) {
      data.set(chunk, position);
      position += chunk.length;
    }
    return Column.fromParts(validity === undefined ? { type, values: data, offsets } : { type, values: data, offsets, validityBytes: validity });
  }
  if (type.kind === 'categorical') {
    const distinct = [...new Set(items.filter((item) => item !== null && item !== undefined))];
    const kinds = new Set(distinct.map((item) => typeof item));
    if (kinds.size > 1)
      throw new PandasError('ERR_VALUE_INVALID', `Categories mix ${[...kinds].join(' and ')} values; pass values of one kind.`, {
        details: { operation: 'Column.from' },
      });
    distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const categories = Column.from(distinct);
    const codeOf = new Map(distinct.map((item, position) => [item, position]));
    const codes = new Int32Array(length);
    for (let index = 0; index < length; index++) codes[index] = codeOf.get(items[index] as never) ?? -1;
    const codesType = { kind: 'categorical' as const, codes: 'int32' as const, ordered: type.ordered };
    return Column.fromParts(
      validity === undefined ? { type: codesType, values: codes, categories } : { type: codesType, values: codes, categories, validityBytes: validity },
    );
  }
  const values = new (valuesConstructor(type))(length);
  for (let index = 0; index < length; index++) {
    const item = items[index];
    if (item !== null && item !== undefined) writeScalar(values, type, index, item, index);
  }
  return Column.fromParts(validity === undefined ? { type, values } : { type, values, validityBytes: validity });
}

const integerRanges: Record<string, readonly [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function writeScalar(values: ColumnValues, type: ColumnType, index: number, value: unknown, row: number): void {
  switch (type.kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw invalidValue(type, value, row);
      values[index] = value ? 1 : 0;
      return;
    case 'float16':
      if (typeof value !== 'number') throw invalidValue(type, value, row);
      values[index] = numberToHalf(value);
      return;
    case 'float32':
    case 'float64':
      if (typeof value !== 'number') throw invalidValue(type, value, row);
      values[index] = value;
      return;
    case 'int64':
    case 'uint64':
    case 'datetime':
    case 'timedelta': {
      let big: bigint;
      if (typeof value === 'bigint') big = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
      else if (value instanceof Date && type.kind === 'datetime') big = dateToTicks(value, type.unit, row);
      else throw invalidValue(type, value, row);
      const unsigned = type.kind === 'uint64';
      const fits = unsigned ? big >= 0n && big <= 0xffffffffffffffffn : big >= -0x8000000000000000n && big <= 0x7fffffffffffffffn;
      if (!fits) throw invalidValue(type, value, row);
      values[index] = big;
      return;
    }
    default: {
      const range = integerRanges[type.kind];
      if (typeof value !== 'number' || !Number.isInteger(value) || range === undefined || value < range[0] || value > range[1])
        throw invalidValue(type, value, row);
      values[index] = value;
    }
  }
}

function dateToTicks(date: Date, unit: TimeUnit, row: number): bigint {
  const milliseconds = date.getTime();
  if (!Number.isFinite(milliseconds)) throw invalidValue({ kind: 'datetime', unit, timezone: null }, date, row);
  const ms = BigInt(milliseconds);
  if (unit === 's') return ms >= 0n ? ms / 1000n : -((-ms + 999n) / 1000n);
  return ms * unitsPerMillisecond[unit];
}

function invalidValue(type: ColumnType, value: unknown, row: number): PandasError {
  return new PandasError(
    'ERR_VALUE_INVALID',
    `Row ${row}: ${describe(value)} does not fit a ${formatColumnType(type)} column; convert it (or choose another column type) first.`,
    {
      details: { operation: 'set', index: row, type: formatColumnType(type) },
    },
  );
}

function lengthMismatch(message: string): PandasError {
  return new PandasError('ERR_SHAPE_MISMATCH', `Column buffers disagree: ${message}.`, { details: { operation: 'fromParts' } });
}

function invalidArgument(operation: string, message: string): PandasError {
  return new PandasError('ERR_INVALID_ARGUMENT', `${operation}: ${message}.`, { details: { operation } });
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object') return (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  return `${typeof value} ${JSON.stringify(value) ?? 'undefined'}`;
}
