import { PandasError } from './errors/pandas-error.js';

/** Signed and unsigned integer column types. */
export type IntegerTypeName = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';
/** Floating-point column types (`float16` is stored as its raw 16 bits). */
export type FloatTypeName = 'float16' | 'float32' | 'float64';
/** Every fixed-width numeric column type. */
export type NumericTypeName = IntegerTypeName | FloatTypeName;
/** Resolution of datetime and timedelta columns (the tick is one of these). */
export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

/**
 * The type of a column. Categories of a categorical column live on the column
 * (`column.categories`), not in the type.
 */
export type ColumnType =
  | { readonly kind: 'bool' }
  | { readonly kind: NumericTypeName }
  | { readonly kind: 'string' }
  | { readonly kind: 'categorical'; readonly codes: IntegerTypeName; readonly ordered: boolean }
  | { readonly kind: 'datetime'; readonly unit: TimeUnit; readonly timezone: string | null }
  | { readonly kind: 'timedelta'; readonly unit: TimeUnit };

/** The `kind` of every column type. */
export type ColumnKind = ColumnType['kind'];

/**
 * A column type as an object, or as the pandas dtype string users know:
 * `"bool"`, `"int8"`..`"uint64"`, `"float16"`..`"float64"`, `"string"` (also `"str"`, `"utf8"`),
 * `"category"`, `"datetime64[ns]"`, `"datetime64[ns, Europe/Paris]"`, `"timedelta64[ms]"`.
 */
export type ColumnTypeSpec = ColumnType | string;

const numericNames: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float16', 'float32', 'float64']);
const integerNames: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);
const units: ReadonlySet<string> = new Set(['s', 'ms', 'us', 'ns']);

/** True for the integer type names. */
export function isIntegerTypeName(name: string): name is IntegerTypeName {
  return integerNames.has(name);
}

/** True for the numeric (integer or float) type names. */
export function isNumericTypeName(name: string): name is NumericTypeName {
  return numericNames.has(name);
}

/**
 * Turns a type specification (object or pandas dtype string) into a `ColumnType`.
 *
 * @example
 * ```ts
 * import { parseColumnType } from '@interop/pandas';
 * parseColumnType('datetime64[ns, UTC]'); // { kind: 'datetime', unit: 'ns', timezone: 'UTC' }
 * ```
 * @throws {PandasError} `ERR_PANDAS_INVALID_TYPE` for an unknown specification.
 */
export function parseColumnType(spec: ColumnTypeSpec): ColumnType {
  if (typeof spec === 'object' && spec !== null) return validateType(spec);
  if (typeof spec !== 'string') throw invalidType(spec);
  const text = spec.trim();
  const lower = text.toLowerCase();
  if (lower === 'bool' || lower === 'boolean') return { kind: 'bool' };
  if (numericNames.has(lower)) return { kind: lower as NumericTypeName };
  // pandas nullable extension names: Int64, UInt8, Float32...
  if (/^u?int(8|16|32|64)$/i.test(text) || /^float(16|32|64)$/i.test(text)) return { kind: lower as NumericTypeName };
  if (lower === 'string' || lower === 'str' || lower === 'utf8' || lower === 'large_string' || lower === 'object') return { kind: 'string' };
  if (lower === 'category' || lower === 'categorical') return { kind: 'categorical', codes: 'int32', ordered: false };
  const date = /^datetime64\[(s|ms|us|ns)(?:,\s*(.+))?\]$/.exec(text);
  if (date !== null) return { kind: 'datetime', unit: date[1] as TimeUnit, timezone: date[2]?.trim() ?? null };
  const delta = /^timedelta64\[(s|ms|us|ns)\]$/.exec(text);
  if (delta !== null) return { kind: 'timedelta', unit: delta[1] as TimeUnit };
  throw invalidType(spec);
}

/**
 * Prints a column type as its pandas dtype name (`"int64"`, `"str"`, `"category"`, `"datetime64[ns, UTC]"`).
 *
 * @example
 * ```ts
 * import { formatColumnType } from '@interop/pandas';
 * formatColumnType({ kind: 'timedelta', unit: 'ms' }); // "timedelta64[ms]"
 * ```
 */
export function formatColumnType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'str';
    case 'categorical':
      return 'category';
    case 'datetime':
      return type.timezone === null ? `datetime64[${type.unit}]` : `datetime64[${type.unit}, ${type.timezone}]`;
    case 'timedelta':
      return `timedelta64[${type.unit}]`;
    default:
      return type.kind;
  }
}

/** True when two column types describe the same values. */
export function sameColumnType(a: ColumnType, b: ColumnType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'categorical' && b.kind === 'categorical') return a.codes === b.codes && a.ordered === b.ordered;
  if (a.kind === 'datetime' && b.kind === 'datetime') return a.unit === b.unit && a.timezone === b.timezone;
  if (a.kind === 'timedelta' && b.kind === 'timedelta') return a.unit === b.unit;
  return true;
}

function validateType(type: ColumnType): ColumnType {
  const kind = (type as { kind?: unknown }).kind;
  if (kind === 'bool' || kind === 'string') return { kind };
  if (typeof kind === 'string' && numericNames.has(kind)) return { kind: kind as NumericTypeName };
  if (kind === 'categorical') {
    const { codes, ordered } = type as { codes?: unknown; ordered?: unknown };
    if (typeof codes === 'string' && integerNames.has(codes) && (ordered === undefined || typeof ordered === 'boolean')) {
      return { kind, codes: codes as IntegerTypeName, ordered: ordered === true };
    }
  }
  if (kind === 'datetime' || kind === 'timedelta') {
    const { unit, timezone } = type as { unit?: unknown; timezone?: unknown };
    if (typeof unit === 'string' && units.has(unit)) {
      if (kind === 'timedelta') return { kind, unit: unit as TimeUnit };
      if (timezone === undefined || timezone === null || typeof timezone === 'string') return { kind, unit: unit as TimeUnit, timezone: timezone ?? null };
    }
  }
  throw invalidType(type);
}

function invalidType(spec: unknown): PandasError {
  let shown: string;
  try {
    shown = typeof spec === 'string' ? `"${spec}"` : (JSON.stringify(spec) ?? String(spec));
  } catch {
    shown = String(spec);
  }
  return new PandasError(
    'ERR_PANDAS_INVALID_TYPE',
    `Unknown column type ${shown}. Use one of bool, int8..int64, uint8..uint64, float16/32/64, string, category, datetime64[<unit>(, <tz>)], timedelta64[<unit>] (unit s, ms, us or ns), or the equivalent { kind } object.`,
    { details: { operation: 'parseColumnType', type: shown } },
  );
}
