import { Column, type ColumnValue, describe } from './column.js';
import { type ColumnType, parseColumnType, type TimeUnit } from './column-type.js';
import { DataFrameView, type FrameIndexInput } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';
import { daysFromCivil, daysInMonth } from './internal/datetime.js';
import { parseJsonExact } from './internal/json-parse.js';
import { hintPandasDtype } from './internal/dtype-hints.js';
import { pandasDtypeOf } from './internal/pandas-metadata.js';

/** Options of `writePandasJSON`. */
export interface WritePandasJSONOptions {
  /** Write the index as the primary key (default true, as pandas' `to_json(orient="table")`). */
  readonly index?: boolean;
}

/** One field of a pandas table schema (the Table Schema subset pandas writes). */
interface SchemaField {
  readonly name: string;
  readonly type: string;
  readonly extDtype?: string;
  readonly tz?: string;
  readonly constraints?: { readonly enum?: readonly unknown[] };
  readonly ordered?: boolean;
}

const tickPerMillisecond: Record<TimeUnit, bigint> = { s: 1n, ms: 1n, us: 1000n, ns: 1_000_000n };
const nanosecondsPerTick: Record<TimeUnit, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1000n, ns: 1n };

/**
 * Reads pandas' `to_json(orient="table")` output into a frame: a string, or the bytes of the file
 * (`Uint8Array`, a Node `Buffer`, `ArrayBuffer`; UTF-8, an optional byte-order mark). The schema
 * gives the column types (integer, number, boolean, string, datetime with tz, duration,
 * categorical enums and pandas extension dtypes, whose names `dtype` keeps), the primary key
 * becomes the index. Precision is the format's: JSON numbers are doubles in most readers: this
 * one keeps integer literals exact (int64, and uint64 when a value exceeds int64), where pandas'
 * own reader rounds beyond 2^53; NaN is written as null and comes back as a missing value;
 * datetimes carry milliseconds and are read as datetime64[ns] (datetime64[ms] when a date lies
 * outside the nanosecond range of ±292 years). A datetime that is not a real calendar date and
 * time (month 13, day 45, hour 99) or lies beyond what int64 milliseconds hold is an error.
 *
 * @example
 * ```ts
 * import { readPandasJSON } from '@interop/pandas';
 * const frame = readPandasJSON('{"schema":{"fields":[{"name":"index","type":"integer"},{"name":"a","type":"number"}],"primaryKey":["index"]},"data":[{"index":0,"a":1.5}]}');
 * console.log(frame.column('a').toArray()); // [1.5]
 * // readPandasJSON(fs.readFileSync('frame.json')) reads the file's bytes as well.
 * ```
 * @throws {PandasError} `ERR_PANDAS_JSON_INVALID` (not JSON, not UTF-8, or not a table with schema and data), `ERR_PANDAS_UNSUPPORTED_TYPE` (a field type pandas does not write), `ERR_VALUE_INVALID` (a value that does not fit its field, an impossible date).
 */
export function readPandasJSON(input: string | Uint8Array | ArrayBuffer): DataFrameView {
  const text = decodeInput(input);
  let parsed: unknown;
  try {
    parsed = parseJsonExact(text);
  } catch (error) {
    throw new PandasError(
      'ERR_PANDAS_JSON_INVALID',
      `The text is not JSON (${error instanceof Error ? error.message : String(error)}); give the output of pandas' to_json(orient="table").`,
      { cause: error, details: { operation: 'readPandasJSON' } },
    );
  }
  const table = parsed as { schema?: { fields?: unknown; primaryKey?: unknown }; data?: unknown };
  if (
    typeof table !== 'object' ||
    table === null ||
    Array.isArray(table) ||
    typeof table.schema !== 'object' ||
    table.schema === null ||
    !Array.isArray(table.schema.fields) ||
    !Array.isArray(table.data)
  ) {
    throw invalidJSON(
      'the JSON is not a pandas table: it needs {"schema": {"fields": [...]}, "data": [...]}, as to_json(orient="table") writes (other orients such as "records" or "split" carry no schema)',
    );
  }
  const fields = table.schema.fields as unknown[];
  const rows = table.data as unknown[];
  for (const field of fields) {
    if (typeof field !== 'object' || field === null || typeof (field as SchemaField).name !== 'string' || typeof (field as SchemaField).type !== 'string') {
      throw invalidJSON(`every schema field needs a string "name" and "type"; found ${JSON.stringify(field)}`);
    }
  }
  rows.forEach((row, position) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw invalidJSON(`data row ${position} is not an object`);
  });
  const columns = (fields as SchemaField[]).map((field) => {
    const column = readField(field, rows as Record<string, unknown>[]);
    if (typeof field.extDtype === 'string') hintPandasDtype(column, column.type, field.extDtype);
    return [field.name, column] as const;
  });
  const primaryKey = Array.isArray(table.schema.primaryKey) ? (table.schema.primaryKey as unknown[]) : [];
  let index: FrameIndexInput | undefined;
  if (primaryKey.length === 1 && typeof primaryKey[0] === 'string') {
    const key = primaryKey[0];
    const found = columns.find(([name]) => name === key);
    if (found !== undefined) index = { kind: 'column', column: found[1], name: key === 'index' ? null : key };
  }
  const kept = index === undefined ? columns : columns.filter(([name]) => name !== primaryKey[0]);
  return DataFrameView.fromColumnList(kept, index === undefined ? {} : { index });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeInput(input: unknown): string {
  if (typeof input === 'string') return input;
  const bytes = input instanceof Uint8Array ? input : input instanceof ArrayBuffer ? new Uint8Array(input) : undefined;
  if (bytes === undefined)
    throw invalidJSON(`readPandasJSON expects a string or the file's bytes (Uint8Array, Buffer, ArrayBuffer); received ${describe(input)}`);
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new PandasError(
      'ERR_PANDAS_JSON_INVALID',
      `The ${bytes.byteLength} bytes are not UTF-8 text (${error instanceof Error ? error.message : String(error)}); pandas' to_json writes UTF-8.`,
      { cause: error, details: { operation: 'readPandasJSON' } },
    );
  }
}

function readField(field: SchemaField, rows: readonly Record<string, unknown>[]): Column {
  const values = rows.map((row) => row[field.name]);
  const type = fieldType(field);
  const name = field.name;
  try {
    switch (type.kind) {
      case 'datetime': {
        const ticks = values.map((value) => (value === null || value === undefined ? null : parseDate(value, name)));
        // pandas reads datetime64[ns]; dates beyond its ±292-year range fall back to milliseconds.
        const fits = ticks.every((tick) => tick === null || (tick >= -0x7fffffffffffffffn && tick <= 0x7fffffffffffffffn));
        if (fits) return Column.from(ticks, type);
        return Column.from(
          ticks.map((tick) => (tick === null ? null : tick / 1_000_000n)),
          { ...type, unit: 'ms' },
        );
      }
      case 'timedelta':
        return Column.from(
          values.map((value) => (value === null || value === undefined || value === 'NaT' ? null : parseDuration(value, name))),
          type,
        );
      case 'categorical': {
        const categories = field.constraints?.enum ?? [];
        const categoryColumn = Column.from(categories);
        const codeOf = new Map(categories.map((value, position) => [value, position]));
        const codes = new Int32Array(values.length);
        const valid = new Uint8Array(values.length);
        values.forEach((value, row) => {
          const code = value === null || value === undefined ? -1 : codeOf.get(value);
          if (code === undefined)
            throw new PandasError('ERR_VALUE_INVALID', `Field "${name}" row ${row}: ${describe(value)} is not one of its enum categories.`, {
              details: { operation: 'readPandasJSON', column: name, index: row },
            });
          codes[row] = code;
          valid[row] = code >= 0 ? 1 : 0;
        });
        return Column.fromParts({ type, values: codes, categories: categoryColumn, ...(valid.includes(0) ? { validityBytes: valid } : {}) });
      }
      case 'int64':
      case 'uint64':
      case 'int8':
      case 'int16':
      case 'int32':
      case 'uint8':
      case 'uint16':
      case 'uint32': {
        const wide = type.kind === 'int64' || type.kind === 'uint64';
        const converted = values.map((value) =>
          value === null || value === undefined
            ? null
            : wide && typeof value === 'number' && Number.isInteger(value)
              ? BigInt(value)
              : typeof value === 'bigint' && !wide
                ? Number(value)
                : value,
        );
        // pandas writes uint64 columns as plain "integer": widen to uint64 when a value needs it.
        const unsigned =
          type.kind === 'int64' &&
          field.extDtype === undefined &&
          converted.some((value) => typeof value === 'bigint' && value > 0x7fffffffffffffffn) &&
          converted.every((value) => value === null || (typeof value === 'bigint' && value >= 0n));
        return Column.from(converted, unsigned ? 'uint64' : type);
      }
      case 'float16':
      case 'float32':
      case 'float64':
        // Integral numbers beyond 2^53 arrive as exact bigints: a float field takes their double.
        return Column.from(
          values.map((value) => (typeof value === 'bigint' ? Number(value) : value)),
          type,
        );
      default:
        return Column.from(values, type);
    }
  } catch (error) {
    if (PandasError.isInstance(error) && error.code === 'ERR_VALUE_INVALID' && error.details['column'] === undefined) {
      throw new PandasError('ERR_VALUE_INVALID', `Field "${name}" (${field.type}): ${error.message}`, {
        cause: error,
        details: { operation: 'readPandasJSON', column: name },
      });
    }
    throw error;
  }
}

function fieldType(field: SchemaField): ColumnType {
  if (field.extDtype !== undefined) {
    try {
      const parsed = parseColumnType(field.extDtype);
      if (parsed.kind !== 'categorical') return parsed;
    } catch {
      // An extension dtype we do not know (e.g. Sparse): the base Table Schema type decides.
    }
  }
  switch (field.type) {
    case 'integer':
      return { kind: 'int64' };
    case 'number':
      return { kind: 'float64' };
    case 'boolean':
      return { kind: 'bool' };
    case 'string':
      return { kind: 'string' };
    case 'datetime':
      return { kind: 'datetime', unit: 'ns', timezone: field.tz ?? null };
    case 'duration':
      return { kind: 'timedelta', unit: 'ns' };
    case 'any':
      if (field.constraints?.enum !== undefined) return { kind: 'categorical', codes: 'int32', ordered: field.ordered === true };
      break;
  }
  throw new PandasError(
    'ERR_PANDAS_UNSUPPORTED_TYPE',
    `Field "${field.name}" has Table Schema type "${field.type}"${field.extDtype === undefined ? '' : ` (extDtype ${field.extDtype})`}, which pandas' table orient does not write for a supported column.`,
    {
      details: { operation: 'readPandasJSON', column: field.name },
    },
  );
}

const isoDate = /^([+-]?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function parseDate(value: unknown, name: string): bigint {
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value)) * 1_000_000n; // epoch milliseconds
  const match = typeof value === 'string' ? isoDate.exec(value) : null;
  if (match === null)
    throw new PandasError('ERR_VALUE_INVALID', `Field "${name}": ${describe(value)} is not an ISO 8601 datetime.`, {
      details: { operation: 'readPandasJSON', column: name },
    });
  const [, yearText = '0', monthText = '0', dayText = '0', hourText = '0', minuteText = '0', secondText = '0', fraction = '', zone] = match;
  const year = BigInt(yearText);
  const [month, day, hour, minute, second] = [monthText, dayText, hourText, minuteText, secondText].map(Number) as [number, number, number, number, number];
  let zoneMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [zoneHours, zoneRest] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4))];
    if (zoneHours > 23 || zoneRest > 59) throw impossibleDate(value, name, 'its UTC offset');
    zoneMinutes = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneRest);
  }
  // A real calendar date and time (no rollover: "2020-13-45T99:00" is an error, as in pandas).
  if (month < 1 || month > 12) throw impossibleDate(value, name, 'its month');
  if (day < 1 || day > daysInMonth(year, month)) throw impossibleDate(value, name, 'its day');
  if (hour > 23 || minute > 59 || second > 59) throw impossibleDate(value, name, 'its time of day');
  // Exact integer arithmetic (a Date holds neither nanoseconds nor years beyond ±275760).
  const seconds = daysFromCivil(year, month, day) * 86400n + BigInt(hour * 3600 + minute * 60 + second) - BigInt(zoneMinutes * 60);
  const ticks = seconds * 1_000_000_000n + BigInt(fraction.padEnd(9, '0') || '0');
  // Beyond int64 milliseconds no datetime64 unit pandas reads from JSON can hold the value.
  if (ticks / 1_000_000n > 0x7fffffffffffffffn || ticks / 1_000_000n < -0x7fffffffffffffffn) {
    throw new PandasError(
      'ERR_VALUE_INVALID',
      `Field "${name}": ${describe(value)} lies beyond what a datetime64 can hold (int64 milliseconds, about ±292 million years).`,
      { details: { operation: 'readPandasJSON', column: name } },
    );
  }
  return ticks;
}

function impossibleDate(value: unknown, name: string, part: string): PandasError {
  return new PandasError(
    'ERR_VALUE_INVALID',
    `Field "${name}": ${describe(value)} is not a real date and time (${part} is out of range); fix the value, pandas refuses it too.`,
    { details: { operation: 'readPandasJSON', column: name } },
  );
}

const isoDuration = /^P(-?\d+)DT(\d+)H(\d+)M(\d+)(?:\.(\d{1,9}))?S$/;

function parseDuration(value: unknown, name: string): bigint {
  const match = typeof value === 'string' ? isoDuration.exec(value) : null;
  if (match === null)
    throw new PandasError('ERR_VALUE_INVALID', `Field "${name}": ${describe(value)} is not a pandas ISO 8601 duration (P<d>DT<h>H<m>M<s>S).`, {
      details: { operation: 'readPandasJSON', column: name },
    });
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  return (
    ((BigInt(days) * 24n + BigInt(hours)) * 60n + BigInt(minutes)) * 60_000_000_000n + BigInt(seconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0') || '0')
  );
}

/**
 * Writes a frame as pandas' `to_json(orient="table")` text, which `pd.read_json(..., orient="table")`
 * reads back with the same dtypes it gets from pandas' own output. 64-bit integers are written
 * as exact digits; floats NaN/Infinity as null; datetimes as ISO strings with milliseconds
 * (UTC with "Z" when time-zone aware); durations as ISO 8601 (pandas cannot read those back).
 *
 * @example
 * ```ts
 * import { DataFrameView, writePandasJSON } from '@interop/pandas';
 * writePandasJSON(DataFrameView.fromColumns({ a: [1.5] }));
 * // {"schema":{"fields":[{"name":"index","type":"integer"},{"name":"a","type":"number"}],...},"data":[{"index":0,"a":1.5}]}
 * ```
 */
export function writePandasJSON(frame: DataFrameView, options: WritePandasJSONOptions = {}): string {
  const entries: [string, Column][] = frame.columnNames.map((name) => [name, frame.column(name)]);
  const withIndex = options.index !== false;
  let key: string | null = null;
  if (withIndex) {
    const index = frame.index;
    key = index.name ?? 'index';
    const column = frame.indexColumn();
    entries.unshift([key, column]);
  }
  const fields = entries.map(([name, column]) => JSON.stringify(schemaField(name, column)));
  const schema = `{"fields":[${fields.join(',')}],${key === null ? '' : `"primaryKey":[${JSON.stringify(key)}],`}"pandas_version":"1.4.0"}`;
  const names = entries.map(([name]) => JSON.stringify(name));
  const rows: string[] = [];
  for (let row = 0; row < frame.numRows; row++) {
    const cells = entries.map(([, column], position) => `${names[position] ?? ''}:${jsonValue(column, column.get(row))}`);
    rows.push(`{${cells.join(',')}}`);
  }
  return `{"schema":${schema},"data":[${rows.join(',')}]}`;
}

function schemaField(name: string, column: Column): SchemaField {
  const type = column.type;
  switch (type.kind) {
    case 'bool':
      return column.nullCount > 0 ? { name, type: 'boolean', extDtype: 'boolean' } : { name, type: 'boolean' };
    case 'float16':
    case 'float32':
    case 'float64':
      return { name, type: 'number' };
    case 'string':
      return { name, type: 'string', extDtype: 'str' };
    case 'categorical':
      return { name, type: 'any', constraints: { enum: (column.categories as Column).toArray().map(plainValue) }, ordered: type.ordered };
    case 'datetime':
      return type.timezone === null ? { name, type: 'datetime' } : { name, type: 'datetime', tz: type.timezone };
    case 'timedelta':
      return { name, type: 'duration' };
    default: {
      const dtype = pandasDtypeOf(column, undefined);
      return dtype === type.kind ? { name, type: 'integer' } : { name, type: 'integer', extDtype: dtype };
    }
  }
}

function plainValue(value: ColumnValue): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function jsonValue(column: Column, value: ColumnValue): string {
  if (value === null) return 'null';
  const type = column.type;
  if (type.kind === 'datetime') return `"${formatDate(value as bigint, type.unit, type.timezone !== null)}"`;
  if (type.kind === 'timedelta') return `"${formatDuration((value as bigint) * nanosecondsPerTick[type.unit])}"`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? '-0.0' : JSON.stringify(value)) : 'null';
  return JSON.stringify(value);
}

function floorDivide(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient;
}

function formatDate(ticks: bigint, unit: TimeUnit, utc: boolean): string {
  const milliseconds = unit === 's' ? ticks * 1000n : floorDivide(ticks, tickPerMillisecond[unit]);
  const text = new Date(Number(milliseconds)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return utc ? text : text.slice(0, -1);
}

function formatDuration(nanoseconds: bigint): string {
  const day = 86_400_000_000_000n;
  const days = floorDivide(nanoseconds, day);
  let rest = nanoseconds - days * day;
  const hours = rest / 3_600_000_000_000n;
  rest -= hours * 3_600_000_000_000n;
  const minutes = rest / 60_000_000_000n;
  rest -= minutes * 60_000_000_000n;
  const seconds = rest / 1_000_000_000n;
  const fraction = rest - seconds * 1_000_000_000n;
  const fractionText = fraction === 0n ? '' : `.${fraction.toString().padStart(9, '0').replace(/0+$/, '')}`;
  return `P${days}DT${hours}H${minutes}M${seconds}${fractionText}S`;
}

function invalidJSON(message: string): PandasError {
  return new PandasError('ERR_PANDAS_JSON_INVALID', `${message}.`, { details: { operation: 'readPandasJSON' } });
}
