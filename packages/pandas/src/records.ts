import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
import { NpyArray, type NpyDescr } from '@interop/npy';
import { Column, type ColumnValue, describe } from './column.js';
import type { ColumnType, TimeUnit } from './column-type.js';
import { DataFrameView } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';

/** Options of `toRecords`. */
export interface ToRecordsOptions {
  /** Add the index as the first field, named after it (or `"index"`), as pandas' `to_records(index=True)`; default false. */
  readonly index?: boolean;
}

const NAT = -0x8000000000000000n;
const nativeLittle = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

interface FieldPlan {
  readonly name: string;
  readonly descr: string;
  readonly size: number;
  readonly write: (view: DataView, offset: number, row: number) => void;
}

/**
 * Packs a frame into a NumPy structured (record) array, one field per column, which `writeNpy`
 * saves as a `.npy` that `pd.DataFrame(np.load(path))` reads. Fields: bool `?`, integers and
 * floats as themselves, datetimes `<M8[unit]` (time-zone-aware ones as UTC), timedeltas
 * `<m8[unit]`, strings and categories of strings `<U{longest}`. Missing values become NaN in
 * float fields, NaT in time fields; integer columns with nulls become `<f8` (as pandas does).
 *
 * @example
 * ```ts
 * import { writeNpy } from '@interop/npy';
 * import { DataFrameView, toRecords } from '@interop/pandas';
 * const records = toRecords(DataFrameView.fromColumns({ a: Int32Array.of(1, 2), b: ['x', 'yz'] }));
 * console.log(records.dtype); // [["a", "<i4"], ["b", "<U2"]]
 * const bytes = writeNpy(records); // np.load -> pd.DataFrame reads it
 * ```
 * @throws {PandasError} `ERR_PANDAS_RECORDS_INVALID` (nulls in bool or string columns, which records cannot represent).
 */
export function toRecords(frame: DataFrameView, options: ToRecordsOptions = {}): NpyArray {
  const entries: [string, Column][] = frame.columnNames.map((name) => [name, frame.column(name)]);
  if (options.index === true) {
    const index = frame.index;
    const column = index.kind === 'column' ? index.column : Column.from(frame.indexValues().map((value) => BigInt(value as number)), 'int64');
    entries.unshift([index.name ?? 'index', column]);
  }
  const plans = entries.map(([name, column]) => planField(name, column));
  const itemsize = plans.reduce((sum, plan) => sum + plan.size, 0);
  const rows = frame.numRows;
  const data = new Uint8Array(Math.max(itemsize * rows, 0));
  const view = new DataView(data.buffer);
  let offset = 0;
  for (const plan of plans) {
    for (let row = 0; row < rows; row++) plan.write(view, row * itemsize + offset, row);
    offset += plan.size;
  }
  const descr: NpyDescr = plans.map((plan) => [plan.name, plan.descr] as const);
  return new NpyArray({ data, descr, shape: [rows] });
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
      return { name, descr: '<f2', size: 2, write: (view, offset, row) => view.setUint16(offset, column.isValid(row) ? (column.values[row] as number) : 0x7e00, true) };
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
  return { name, descr: `<f${size}`, size, write: (view, offset, row) => (size === 4 ? view.setFloat32(offset, value(row), true) : view.setFloat64(offset, value(row), true)) };
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
  return new PandasError('ERR_PANDAS_RECORDS_INVALID', `Column "${name}" (${column.dtype}) has ${column.nullCount} missing values, which a NumPy ${column.type.kind === 'bool' ? 'bool' : 'fixed-width string'} field cannot represent; fill them first.`, {
    details: { operation: 'toRecords', column: name },
  });
}

const fieldPattern = /^([<>|=]?)([biufMmUS])(\d+)(?:\[(\d*)(\w+)\])?$/;
const timeUnits: ReadonlySet<string> = new Set(['s', 'ms', 'us', 'ns']);

/**
 * Builds a frame from a NumPy structured (record) array, e.g. `readNpy` of what
 * `np.save(path, df.to_records(index=False))` wrote: one column per field (copied out of the
 * interleaved records). Fields: `?`, integers, floats, `M8`/`m8` in s/ms/us/ns (NaT becomes a
 * missing value), `U` and `S` strings.
 *
 * @example
 * ```ts
 * import { DataFrameView, fromRecords, toRecords } from '@interop/pandas';
 * const frame = fromRecords(toRecords(DataFrameView.fromColumns({ a: Int32Array.of(1, 2) })));
 * console.log(frame.column('a').toArray()); // [1, 2]
 * ```
 * @throws {PandasError} `ERR_PANDAS_RECORDS_INVALID` (not a 1-D structured array), `ERR_PANDAS_UNSUPPORTED_TYPE` (a field dtype with no column type, named).
 */
export function fromRecords(array: NpyArray): DataFrameView {
  if (!(array instanceof NpyArray)) throw new PandasError('ERR_PANDAS_RECORDS_INVALID', `fromRecords expects an NpyArray (readNpy of a structured .npy); received ${describe(array)}.`, { details: { operation: 'fromRecords' } });
  const descr = array.dtype;
  if (typeof descr === 'string' || array.shape.length !== 1) {
    throw new PandasError('ERR_PANDAS_RECORDS_INVALID', `fromRecords needs a 1-D structured array; this one has dtype ${JSON.stringify(descr)} and shape [${array.shape.join(', ')}]. Save df.to_records() rather than df.values.`, {
      details: { operation: 'fromRecords' },
    });
  }
  const info = getBuffer(array, BufferFlags.RECORDS_RO);
  try {
    const rows = array.shape[0] ?? 0;
    const stride = info.strides?.[0] ?? info.itemsize;
    const view = new DataView(info.buffer, 0, info.buffer.byteLength);
    const columns: (readonly [string, Column])[] = [];
    let offset = 0;
    for (const field of descr) {
      const [rawName, fieldDescr, shape] = field as readonly [string | readonly [string, string], NpyDescr, (readonly number[])?];
      const name = typeof rawName === 'string' ? rawName : rawName[1];
      if (typeof fieldDescr !== 'string' || (shape !== undefined && shape.length > 0)) throw unsupportedField(name, JSON.stringify(fieldDescr));
      const match = fieldPattern.exec(fieldDescr);
      if (match === null) throw unsupportedField(name, fieldDescr);
      const [, order = '', kind = '', digits = '0', multiplier = '', unit = ''] = match;
      const size = Number(digits) * (kind === 'U' ? 4 : 1);
      if (order === '>' && size > 1) throw unsupportedField(name, `${fieldDescr} (big-endian)`);
      if (!nativeLittle) throw unsupportedField(name, `${fieldDescr} on a big-endian host`);
      const at = (row: number): number => info.byteOffset + row * stride + offset;
      columns.push([name, readField(name, fieldDescr, kind, Number(digits), multiplier, unit, rows, view, at)]);
      offset += size;
    }
    if (offset > info.itemsize) throw new PandasError('ERR_PANDAS_RECORDS_INVALID', `The fields span ${offset} bytes but each record holds ${info.itemsize}.`, { details: { operation: 'fromRecords' } });
    return DataFrameView.fromColumnList(columns);
  } finally {
    releaseBuffer(info);
  }
}

function readField(name: string, descr: string, kind: string, digits: number, multiplier: string, unit: string, rows: number, view: DataView, at: (row: number) => number): Column {
  const values: unknown[] = new Array<unknown>(rows);
  switch (kind) {
    case 'b':
      if (digits !== 1) throw unsupportedField(name, descr);
      for (let row = 0; row < rows; row++) values[row] = view.getUint8(at(row)) !== 0;
      return Column.from(values, 'bool');
    case 'i':
    case 'u': {
      const typeName = `${kind === 'i' ? 'int' : 'uint'}${digits * 8}`;
      if (![1, 2, 4, 8].includes(digits)) throw unsupportedField(name, descr);
      for (let row = 0; row < rows; row++) values[row] = readInteger(view, at(row), digits, kind === 'i');
      return Column.from(values, typeName);
    }
    case 'f': {
      if (digits === 2) {
        const bits = new Uint16Array(rows);
        for (let row = 0; row < rows; row++) bits[row] = view.getUint16(at(row), true);
        return Column.fromParts({ type: 'float16', values: bits });
      }
      if (digits !== 4 && digits !== 8) throw unsupportedField(name, descr);
      const floats = digits === 4 ? new Float32Array(rows) : new Float64Array(rows);
      for (let row = 0; row < rows; row++) floats[row] = digits === 4 ? view.getFloat32(at(row), true) : view.getFloat64(at(row), true);
      return Column.from(floats);
    }
    case 'M':
    case 'm': {
      if (digits !== 8 || multiplier !== '' || !timeUnits.has(unit)) throw unsupportedField(name, `${descr} (only s, ms, us and ns units)`);
      const ticks = new BigInt64Array(rows);
      const valid = new Uint8Array(rows);
      for (let row = 0; row < rows; row++) {
        ticks[row] = view.getBigInt64(at(row), true);
        valid[row] = ticks[row] === NAT ? 0 : 1;
      }
      const type: ColumnType = kind === 'M' ? { kind: 'datetime', unit: unit as TimeUnit, timezone: null } : { kind: 'timedelta', unit: unit as TimeUnit };
      return Column.fromParts(valid.includes(0) ? { type, values: ticks, validityBytes: valid } : { type, values: ticks });
    }
    case 'U':
    case 'S': {
      const width = kind === 'U' ? digits * 4 : digits;
      const decoder = new TextDecoder(kind === 'U' ? 'utf-8' : 'latin1');
      for (let row = 0; row < rows; row++) {
        const start = at(row);
        if (kind === 'U') {
          let text = '';
          for (let position = 0; position < width; position += 4) {
            const code = view.getUint32(start + position, true);
            if (code === 0) break;
            text += String.fromCodePoint(code);
          }
          values[row] = text;
        } else {
          const bytes = new Uint8Array(view.buffer, view.byteOffset + start, width);
          const end = bytes.indexOf(0);
          values[row] = decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
        }
      }
      return Column.from(values, 'string');
    }
  }
  throw unsupportedField(name, descr);
}

function readInteger(view: DataView, offset: number, size: number, signed: boolean): number | bigint {
  if (size === 1) return signed ? view.getInt8(offset) : view.getUint8(offset);
  if (size === 2) return signed ? view.getInt16(offset, true) : view.getUint16(offset, true);
  if (size === 4) return signed ? view.getInt32(offset, true) : view.getUint32(offset, true);
  return signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
}

function unsupportedField(name: string, descr: string): PandasError {
  return new PandasError('ERR_PANDAS_UNSUPPORTED_TYPE', `Record field "${name}" has dtype ${descr}, which has no column type; convert it in NumPy first (object fields cannot be saved without pickle).`, {
    details: { operation: 'fromRecords', column: name, dtype: descr },
  });
}
