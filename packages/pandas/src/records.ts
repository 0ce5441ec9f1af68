import {
  BufferFlags,
  type FormatField,
  formatFromNumpyDtype,
  formatToString,
  getBuffer,
  isExporter,
  type NumpyDatetimeField,
  type NumpyDescr,
  parseFormat,
  releaseBuffer,
  supportsBuffer,
} from '@interop/core';
import { Column, type ColumnValue, describe } from './column.js';
import type { ColumnType, TimeUnit } from './column-type.js';
import { DataFrameView } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';
import { allocateBytes } from './internal/allocate.js';
import { RecordArray } from './record-array.js';

/** Options of `toRecords`. */
export interface ToRecordsOptions {
  /** Add the index as the first field, named after it (or `"index"`), as pandas' `to_records(index=True)`; default false. */
  readonly index?: boolean;
}

const NAT = -0x8000000000000000n;

interface FieldPlan {
  readonly name: string;
  readonly descr: string;
  readonly size: number;
  readonly write: (view: DataView, offset: number, row: number) => void;
}

/**
 * Packs a frame into a structured (record) buffer, one field per column: a `RecordArray`, an
 * exporter whose format is a named struct (`T{<i:a:2w:b:}`), which any consumer of the buffer
 * protocol reads; `writeNpy(records, { descr: records.dtype })` of `@interop/npy` saves it as a
 * `.npy` that `pd.DataFrame(np.load(path))` reads (the `descr` keeps datetime units, which a
 * format cannot carry). Fields: bool `?`, integers and floats as themselves, datetimes
 * `<M8[unit]` (time-zone-aware ones as UTC), timedeltas `<m8[unit]`, strings and categories of
 * strings `<U{longest}`. Missing values become NaN in float fields, NaT in time fields; integer
 * columns with nulls become `<f8` (as pandas does).
 *
 * @example
 * ```ts
 * import { DataFrameView, toRecords } from '@interop/pandas';
 * const records = toRecords(DataFrameView.fromColumns({ a: Int32Array.of(1, 2), b: ['x', 'yz'] }));
 * console.log(records.format, records.dtype); // "T{<i:a:2w:b:}" [["a", "<i4"], ["b", "<U2"]]
 * ```
 * @throws {PandasError} `ERR_PANDAS_RECORDS_INVALID` (nulls in bool or string columns, which records cannot represent; a column name with ":", which a format cannot hold).
 */
export function toRecords(frame: DataFrameView, options: ToRecordsOptions = {}): RecordArray {
  const entries: [string, Column][] = frame.columnNames.map((name) => [name, frame.column(name)]);
  if (options.index === true) {
    const index = frame.index;
    entries.unshift([index.name ?? 'index', frame.indexColumn()]);
  }
  for (const [name] of entries) {
    if (name.includes(':') || name === '') {
      throw new PandasError(
        'ERR_PANDAS_RECORDS_INVALID',
        `Column name ${JSON.stringify(name)} cannot name a record field: a buffer format spells fields as :name: (no ":" and not empty); rename it first.`,
        { details: { operation: 'toRecords', column: name } },
      );
    }
  }
  const plans = entries.map(([name, column]) => planField(name, column));
  const itemsize = plans.reduce((sum, plan) => sum + plan.size, 0);
  const rows = frame.numRows;
  const data = allocateBytes(Math.max(itemsize * rows, 0), 'toRecords');
  const view = new DataView(data.buffer);
  let offset = 0;
  for (const plan of plans) {
    for (let row = 0; row < rows; row++) plan.write(view, row * itemsize + offset, row);
    offset += plan.size;
  }
  const dtype: NumpyDescr = plans.map((plan) => [plan.name, plan.descr] as const);
  const { format, datetimes } = formatFromNumpyDtype(dtype);
  return new RecordArray(data, format, itemsize, rows, dtype, datetimes);
}

function planField(name: string, column: Column): FieldPlan {
  const type = column.type;
  const nulls = column.nullCount > 0;
  const get = (row: number): ColumnValue => column.get(row);
  switch (type.kind) {
    case 'bool':
      if (nulls) throw recordsNull(name, column);
      return { name, descr: '|b1', size: 1, write: (view, offset, row) => view.setUint8(offset, get(row) === true ? 1 : 0) };
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'uint64': {
      if (nulls) return floatField(name, 8, (row) => (column.isValid(row) ? Number(get(row)) : Number.NaN));
      const size = Number(/\d+/.exec(type.kind)?.[0] ?? '8') / 8;
      const signed = !type.kind.startsWith('u');
      const descr = `${size === 1 ? '|' : '<'}${signed ? 'i' : 'u'}${size}`;
      return { name, descr, size, write: (view, offset, row) => writeInteger(view, offset, size, signed, get(row) as number | bigint) };
    }
    case 'float16':
      return {
        name,
        descr: '<f2',
        size: 2,
        write: (view, offset, row) => view.setUint16(offset, column.isValid(row) ? (column.values[row] as number) : 0x7e00, true),
      };
    case 'float32':
      return floatField(name, 4, (row) => (column.isValid(row) ? (get(row) as number) : Number.NaN));
    case 'float64':
      return floatField(name, 8, (row) => (column.isValid(row) ? (get(row) as number) : Number.NaN));
    case 'datetime':
    case 'timedelta':
      return {
        name,
        descr: `<${type.kind === 'datetime' ? 'M' : 'm'}8[${type.unit}]`,
        size: 8,
        write: (view, offset, row) => view.setBigInt64(offset, column.isValid(row) ? (column.values[row] as bigint) : NAT, true),
      };
    case 'string':
    case 'categorical': {
      if (type.kind === 'categorical' && column.categories !== null && column.categories.type.kind !== 'string') {
        return planField(name, Column.from(column.toArray(), column.categories.type));
      }
      if (nulls) throw recordsNull(name, column);
      const texts = column.toArray() as string[];
      const width = Math.max(1, ...texts.map((text) => [...text].length));
      return {
        name,
        descr: `<U${width}`,
        size: width * 4,
        write: (view, offset, row) => {
          let position = 0;
          for (const char of texts[row] ?? '') view.setUint32(offset + 4 * position++, char.codePointAt(0) ?? 0, true);
        },
      };
    }
  }
}

function floatField(name: string, size: 4 | 8, value: (row: number) => number): FieldPlan {
  return {
    name,
    descr: `<f${size}`,
    size,
    write: (view, offset, row) => (size === 4 ? view.setFloat32(offset, value(row), true) : view.setFloat64(offset, value(row), true)),
  };
}

function writeInteger(view: DataView, offset: number, size: number, signed: boolean, value: number | bigint): void {
  if (size === 1) {
    if (signed) view.setInt8(offset, Number(value));
    else view.setUint8(offset, Number(value));
  } else if (size === 2) {
    if (signed) view.setInt16(offset, Number(value), true);
    else view.setUint16(offset, Number(value), true);
  } else if (size === 4) {
    if (signed) view.setInt32(offset, Number(value), true);
    else view.setUint32(offset, Number(value), true);
  } else if (signed) view.setBigInt64(offset, BigInt(value), true);
  else view.setBigUint64(offset, BigInt(value), true);
}

function recordsNull(name: string, column: Column): PandasError {
  return new PandasError(
    'ERR_PANDAS_RECORDS_INVALID',
    `Column "${name}" (${column.dtype}) has ${column.nullCount} missing values, which a NumPy ${column.type.kind === 'bool' ? 'bool' : 'fixed-width string'} field cannot represent; fill them first.`,
    {
      details: { operation: 'toRecords', column: name },
    },
  );
}

const timeUnits: ReadonlySet<string> = new Set(['s', 'ms', 'us', 'ns']);

/** Options of `fromRecords`. */
export interface FromRecordsOptions {
  /**
   * Which int64 fields hold datetime64 / timedelta64 values, and in which unit (a buffer format
   * has no datetime type: NumPy exports them as int64). Default: read from the source's NumPy
   * `dtype` (an `NpyArray`, a `RecordArray`), else none.
   */
  readonly datetimes?: readonly NumpyDatetimeField[];
}

/**
 * Builds a frame from any exporter of a 1-D structured (record) buffer, i.e. one whose format is
 * a `T{...}` struct with named fields: `readNpy` of what `np.save(path, df.to_records(index=False))`
 * wrote, a `RecordArray` from `toRecords`, a `MemoryView`, a native exporter. One column per field
 * (copied out of the interleaved records, either byte order). Fields: `?`, integers, floats
 * (`e`, `f`, `d`), datetime64/timedelta64 in s/ms/us/ns (NaT becomes a missing value), UCS-4
 * (`w`, NumPy's `U`) and byte (`s`, NumPy's `S`) strings.
 *
 * @example
 * ```ts
 * import { DataFrameView, fromRecords, toRecords } from '@interop/pandas';
 * const frame = fromRecords(toRecords(DataFrameView.fromColumns({ a: Int32Array.of(1, 2) })));
 * console.log(frame.column('a').toArray()); // [1, 2]
 * ```
 * @throws {PandasError} `ERR_PANDAS_RECORDS_INVALID` (not an exporter of a 1-D named struct), `ERR_PANDAS_UNSUPPORTED_TYPE` (a field with no column type, named).
 * @throws {BufferError} when the exporter's answer is invalid.
 */
export function fromRecords(source: object, options: FromRecordsOptions = {}): DataFrameView {
  if (typeof source !== 'object' || source === null || !(isExporter(source) || supportsBuffer(source))) {
    throw new PandasError(
      'ERR_PANDAS_RECORDS_INVALID',
      `fromRecords expects a buffer exporter with a record format T{...} (readNpy of a structured .npy, toRecords, a MemoryView); received ${describe(source)}.`,
      { details: { operation: 'fromRecords' } },
    );
  }
  const datetimes = options.datetimes ?? datetimesOf(source);
  const info = getBuffer(source, BufferFlags.RECORDS_RO);
  try {
    const format = info.format ?? 'B';
    const shape = info.shape ?? [];
    const struct = parseFormat(format).type;
    if (info.ndim !== 1 || struct.kind !== 'struct' || !struct.fields.some((field) => field.name !== null && !field.padding)) {
      throw new PandasError(
        'ERR_PANDAS_RECORDS_INVALID',
        `fromRecords needs a 1-D buffer of named records (format T{...}); this one has format ${JSON.stringify(format)} and shape [${shape.join(', ')}]. Save df.to_records() rather than df.values.`,
        {
          details: { operation: 'fromRecords', format },
        },
      );
    }
    const rows = shape[0] ?? 0;
    const stride = info.strides?.[0] ?? info.itemsize;
    const view = new DataView(info.buffer, 0, info.buffer.byteLength);
    const columns: (readonly [string, Column])[] = [];
    for (const field of struct.fields) {
      if (field.padding) continue;
      const name = field.name ?? `f${columns.length}`;
      const at = (row: number): number => info.byteOffset + row * stride + field.offset;
      const datetime = datetimes.find((entry) => entry.path.length === 1 && entry.path[0] === name);
      columns.push([name, readField(name, field, datetime, rows, view, at)]);
    }
    return DataFrameView.fromColumnList(columns);
  } finally {
    releaseBuffer(info);
  }
}

// The datetime units of an NpyArray / RecordArray: their `dtype` is the NumPy descr.
function datetimesOf(source: object): readonly NumpyDatetimeField[] {
  const dtype = (source as { dtype?: unknown }).dtype;
  if (!Array.isArray(dtype)) return [];
  try {
    return formatFromNumpyDtype(dtype as NumpyDescr).datetimes;
  } catch {
    return [];
  }
}

function readField(
  name: string,
  field: FormatField,
  datetime: NumpyDatetimeField | undefined,
  rows: number,
  view: DataView,
  at: (row: number) => number,
): Column {
  const type = field.type;
  const shown = formatToString(type);
  if (type.kind !== 'scalar' || field.shape.length > 0)
    throw unsupportedField(name, `${shown}${field.shape.length > 0 ? ` (sub-array ${JSON.stringify(field.shape)})` : ''}`);
  const little = type.endianness === 'little';
  const size = type.size;
  const values: unknown[] = new Array<unknown>(rows);
  if (datetime !== undefined) {
    if (type.valueKind !== 'int' || size !== 8 || datetime.count !== 1 || !timeUnits.has(datetime.unit))
      throw unsupportedField(name, `${datetime.kind}64[${datetime.count === 1 ? '' : datetime.count}${datetime.unit}] (only s, ms, us and ns units)`);
    const ticks = new BigInt64Array(rows);
    const valid = new Uint8Array(rows);
    for (let row = 0; row < rows; row++) {
      ticks[row] = view.getBigInt64(at(row), little);
      valid[row] = ticks[row] === NAT ? 0 : 1;
    }
    const unit = datetime.unit as TimeUnit;
    const columnType: ColumnType = datetime.kind === 'datetime' ? { kind: 'datetime', unit, timezone: null } : { kind: 'timedelta', unit };
    return Column.fromParts(valid.includes(0) ? { type: columnType, values: ticks, validityBytes: valid } : { type: columnType, values: ticks });
  }
  switch (type.valueKind) {
    case 'bool':
      for (let row = 0; row < rows; row++) values[row] = view.getUint8(at(row)) !== 0;
      return Column.from(values, 'bool');
    case 'int':
    case 'uint': {
      if (![1, 2, 4, 8].includes(size)) throw unsupportedField(name, shown);
      const signed = type.valueKind === 'int';
      for (let row = 0; row < rows; row++) values[row] = readInteger(view, at(row), size, signed, little);
      return Column.from(values, `${signed ? 'int' : 'uint'}${size * 8}`);
    }
    case 'float': {
      if (size === 2) {
        const bits = new Uint16Array(rows);
        for (let row = 0; row < rows; row++) bits[row] = view.getUint16(at(row), little);
        return Column.fromParts({ type: 'float16', values: bits });
      }
      if (size !== 4 && size !== 8) throw unsupportedField(name, shown);
      const floats = size === 4 ? new Float32Array(rows) : new Float64Array(rows);
      for (let row = 0; row < rows; row++) floats[row] = size === 4 ? view.getFloat32(at(row), little) : view.getFloat64(at(row), little);
      return Column.from(floats);
    }
    case 'ucs4': {
      for (let row = 0; row < rows; row++) {
        const start = at(row);
        let text = '';
        for (let position = 0; position < size; position += 4) {
          const code = view.getUint32(start + position, little);
          if (code === 0) break;
          if (code > 0x10ffff)
            throw new PandasError('ERR_PANDAS_RECORDS_INVALID', `Record ${row}, field "${name}" holds ${code}, which is not a Unicode code point.`, {
              details: { operation: 'fromRecords', column: name, index: row },
            });
          text += String.fromCodePoint(code);
        }
        values[row] = text;
      }
      return Column.from(values, 'string');
    }
    case 'bytes':
    case 'char': {
      const latin1 = new TextDecoder('latin1');
      for (let row = 0; row < rows; row++) {
        const bytes = new Uint8Array(view.buffer, view.byteOffset + at(row), size);
        const end = bytes.indexOf(0);
        values[row] = latin1.decode(end < 0 ? bytes : bytes.subarray(0, end));
      }
      return Column.from(values, 'string');
    }
    default:
      throw unsupportedField(name, shown);
  }
}

function readInteger(view: DataView, offset: number, size: number, signed: boolean, little: boolean): number | bigint {
  if (size === 1) return signed ? view.getInt8(offset) : view.getUint8(offset);
  if (size === 2) return signed ? view.getInt16(offset, little) : view.getUint16(offset, little);
  if (size === 4) return signed ? view.getInt32(offset, little) : view.getUint32(offset, little);
  return signed ? view.getBigInt64(offset, little) : view.getBigUint64(offset, little);
}

function unsupportedField(name: string, descr: string): PandasError {
  return new PandasError(
    'ERR_PANDAS_UNSUPPORTED_TYPE',
    `Record field "${name}" has format ${descr}, which has no column type; convert it in NumPy first (complex, object and nested fields have none).`,
    {
      details: { operation: 'fromRecords', column: name, format: descr },
    },
  );
}
