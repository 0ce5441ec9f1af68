import type { ColumnType } from '../column-type.js';

// The pandas extension dtype a column came with (pyarrow's pandas metadata, an orient="table"
// extDtype, or a type given as "Int64" / "boolean" / "Float64" / "string"), kept beside the
// column so `dtype` and the writers can name it again. Storage does not change with it.
const hints = new WeakMap<object, string>();

const extensionIntegers: Readonly<Record<string, string>> = {
  int8: 'Int8',
  int16: 'Int16',
  int32: 'Int32',
  int64: 'Int64',
  uint8: 'UInt8',
  uint16: 'UInt16',
  uint32: 'UInt32',
  uint64: 'UInt64',
};
const extensionFloats: Readonly<Record<string, string>> = { float32: 'Float32', float64: 'Float64' };

/** The extension dtype name `spec` stands for with `type`, or undefined when it is not one. */
export function extensionDtype(type: ColumnType, spec: string): string | undefined {
  const text = spec.trim();
  if (type.kind === 'bool' && text === 'boolean') return 'boolean';
  if (type.kind === 'string' && (text === 'string' || text === 'string[python]' || text === 'string[pyarrow]')) return 'string';
  if (extensionIntegers[type.kind] === text || extensionFloats[type.kind] === text) return text;
  return undefined;
}

/** Remembers `spec` as the column's pandas dtype when it is an extension dtype of its type. */
export function hintPandasDtype(column: object, type: ColumnType, spec: string | undefined): void {
  const dtype = spec === undefined ? undefined : extensionDtype(type, spec);
  if (dtype !== undefined) hints.set(column, dtype);
}

export function pandasDtypeHint(column: object): string | undefined {
  return hints.get(column);
}

/**
 * The pandas dtype name of a column, as pandas names the column it makes of it: nullable
 * extension dtypes (`Int64`, `UInt8`, `boolean`) for integer and bool columns with missing
 * values, or marked so; `Float64` / `string` when marked; otherwise the NumPy-backed names
 * (`float64` with NaN for missing values, `str` for strings, `category`, `datetime64[ns, UTC]`).
 */
export function pandasDtypeName(type: ColumnType, hasNulls: boolean, hint: string | undefined): string {
  switch (type.kind) {
    case 'bool':
      return hasNulls || hint === 'boolean' ? 'boolean' : 'bool';
    case 'string':
      return hint === 'string' ? 'string' : 'str';
    case 'categorical':
      return 'category';
    case 'datetime':
      return type.timezone === null ? `datetime64[${type.unit}]` : `datetime64[${type.unit}, ${pandasTimezoneName(type.timezone)}]`;
    case 'timedelta':
      return `timedelta64[${type.unit}]`;
    case 'float16':
      return 'float16';
    case 'float32':
    case 'float64':
      return hint !== undefined && hint === extensionFloats[type.kind] ? hint : type.kind;
    default: {
      const extension = extensionIntegers[type.kind] as string;
      return hasNulls || hint === extension ? extension : type.kind;
    }
  }
}

// pyarrow hands a fixed offset ("+05:30") to pandas as a datetime.timezone, which prints as
// "UTC+05:30" ("UTC" for a zero offset); named zones keep their name.
function pandasTimezoneName(timezone: string): string {
  const fixed = /^([+-])(\d{2}):(\d{2})$/.exec(timezone);
  if (fixed === null) return timezone;
  return fixed[2] === '00' && fixed[3] === '00' ? 'UTC' : `UTC${timezone}`;
}

/** True when `dtype` shows a missing value as pandas' `pd.NA` (null), false when as NaN / NaT. */
export function missingIsNA(dtype: string): boolean {
  return /^(U?Int\d+|Float\d+|boolean|string)$/.test(dtype);
}
