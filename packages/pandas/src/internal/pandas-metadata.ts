import type { Column } from '../column.js';
import type { ColumnType } from '../column-type.js';
import type { DataFrameView } from '../data-frame-view.js';
import { hintPandasDtype, pandasDtypeHint } from './dtype-hints.js';

/** pandas' schema metadata as pyarrow writes it under the `pandas` key. */
export interface PandasMetadata {
  readonly index_columns: readonly (
    string | { readonly kind: 'range'; readonly name: string | null; readonly start: number; readonly stop: number; readonly step: number }
  )[];
  readonly column_indexes: readonly unknown[];
  readonly columns: readonly PandasColumnMetadata[];
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly creator: { readonly library: string; readonly version: string };
  readonly pandas_version: string;
}

export interface PandasColumnMetadata {
  readonly name: string | null;
  readonly field_name: string;
  readonly pandas_type: string;
  readonly numpy_type: string;
  readonly metadata: Readonly<Record<string, unknown>> | null;
}

/** Parses the `pandas` schema metadata; null when absent or not the expected shape. */
export function readPandasMetadata(text: string | undefined): PandasMetadata | null {
  if (text === undefined) return null;
  try {
    const parsed = JSON.parse(text) as Partial<PandasMetadata>;
    if (!Array.isArray(parsed.index_columns) || !Array.isArray(parsed.columns)) return null;
    const ranges = (parsed.index_columns as unknown[]).every((entry) => {
      if (typeof entry === 'string') return true;
      const range = entry as { kind?: unknown; start?: unknown; step?: unknown } | null;
      return typeof range === 'object' && range !== null && range.kind === 'range' && Number.isSafeInteger(range.start) && Number.isSafeInteger(range.step);
    });
    return ranges ? (parsed as PandasMetadata) : null;
  } catch {
    return null;
  }
}

const extensionIntegers: Record<string, string> = {
  int8: 'Int8',
  int16: 'Int16',
  int32: 'Int32',
  int64: 'Int64',
  uint8: 'UInt8',
  uint16: 'UInt16',
  uint32: 'UInt32',
  uint64: 'UInt64',
};

/** The pandas dtype pandas should rebuild for a column (nullable extension types when nulls exist). */
export function pandasDtypeOf(column: Column, previous: string | undefined): string {
  previous ??= pandasDtypeHint(column);
  const type = column.type;
  const derived = derivedDtype(type, column.nullCount > 0);
  // Keep a dtype pandas chose before when it is compatible (e.g. "Int64" without nulls, "Float64").
  if (previous !== undefined && compatible(type, previous)) return previous;
  return derived;
}

function derivedDtype(type: ColumnType, nullable: boolean): string {
  switch (type.kind) {
    case 'bool':
      return nullable ? 'boolean' : 'bool';
    case 'string':
      return 'str';
    case 'categorical':
      return type.codes;
    case 'datetime':
      return `datetime64[${type.unit}]`;
    case 'timedelta':
      return `timedelta64[${type.unit}]`;
    default:
      return nullable && type.kind in extensionIntegers ? (extensionIntegers[type.kind] as string) : type.kind;
  }
}

function compatible(type: ColumnType, dtype: string): boolean {
  switch (type.kind) {
    case 'bool':
      return dtype === 'boolean';
    case 'float16':
    case 'float32':
    case 'float64':
      return dtype.toLowerCase() === type.kind;
    case 'string':
      return dtype === 'str' || dtype === 'string' || dtype === 'object';
    case 'categorical':
    case 'datetime':
    case 'timedelta':
      return false;
    default:
      return extensionIntegers[type.kind] === dtype;
  }
}

function pandasKind(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'unicode';
    case 'categorical':
      return 'categorical';
    case 'datetime':
      return type.timezone === null ? 'datetime' : 'datetimetz';
    case 'timedelta':
      return 'timedelta';
    default:
      return type.kind;
  }
}

function columnMetadata(name: string | null, fieldName: string, column: Column, previous: PandasColumnMetadata | undefined): PandasColumnMetadata {
  const type = column.type;
  let metadata: Record<string, unknown> | null = null;
  if (type.kind === 'categorical') metadata = { num_categories: column.categories?.length ?? 0, ordered: type.ordered };
  else if (type.kind === 'datetime' && type.timezone !== null) metadata = { timezone: type.timezone };
  return { name, field_name: fieldName, pandas_type: pandasKind(type), numpy_type: pandasDtypeOf(column, previous?.numpy_type), metadata };
}

/** Marks each column with the extension dtype (Int64, boolean, Float64, string) pandas recorded for it. */
export function applyDtypeHints(pandas: PandasMetadata, columns: readonly (readonly [string, Column])[]): void {
  for (const entry of pandas.columns) {
    const found = columns.find(([name]) => name === entry.field_name);
    if (found !== undefined && typeof entry.numpy_type === 'string') hintPandasDtype(found[1], found[1].type, entry.numpy_type);
  }
}

/** Builds pandas' schema metadata for a frame written to Arrow. */
export function buildPandasMetadata(frame: DataFrameView, indexField: string | null): PandasMetadata {
  const previous = readPandasMetadata(frame.metadata['pandas']);
  const byField = new Map((previous?.columns ?? []).map((entry) => [entry.field_name, entry]));
  const columns = frame.columnNames.map((name) => columnMetadata(name, name, frame.column(name), byField.get(name)));
  const index = frame.index;
  let indexColumns: PandasMetadata['index_columns'];
  if (index.kind === 'column' && indexField !== null) {
    columns.push(columnMetadata(index.name, indexField, index.column, undefined));
    indexColumns = [indexField];
  } else if (index.kind === 'range') {
    indexColumns = [{ kind: 'range', name: index.name, start: index.start, stop: index.start + index.step * frame.numRows, step: index.step }];
  } else {
    indexColumns = [];
  }
  return {
    index_columns: indexColumns,
    column_indexes: previous?.column_indexes ?? [
      { name: null, field_name: null, pandas_type: 'unicode', numpy_type: 'object', metadata: { encoding: 'UTF-8' } },
    ],
    columns,
    attributes: previous?.attributes ?? {},
    creator: { library: '@interop/pandas', version: '0' },
    pandas_version: previous?.pandas_version ?? '3.0.0',
  };
}
