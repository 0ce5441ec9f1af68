// What the .npy reader and writer add to @interop/core's NumPy dtype mapping: the descr as a
// Python literal (parsed from a header, printed into one), npy's own error codes, the alignment a
// zero-copy read needs, and NumPy's folding of a sub-array item into the array's shape.
import {
  BufferError,
  formatFromNumpyDtype,
  numpyDtypeFromFormat,
  parseFormat,
  type FormatType,
  type NumpyDatetimeField,
  type NumpyDescr,
  type NumpyDescrField,
  type NumpyFieldName,
  type NumpyFormat,
  type ParsedFormat,
} from '@interop/core';
import { NpyError } from '../errors/npy-error.js';
import type { PyValue } from './python-literal.js';
import { pythonStringRepr } from './python-literal.js';

/** What the reader and writer need to know about a dtype. */
export interface DtypeInfo {
  readonly itemsize: number;
  /** Alignment (bytes) that zero-copy typed access needs: the largest scalar component. */
  readonly alignment: number;
  /** The PEP 3118 format of one item (core's `formatFromNumpyDtype`). */
  readonly format: string;
  /** The unit of a `datetime64` / `timedelta64` dtype (not of such fields in a record). */
  readonly timeUnit: NumpyDatetimeField | null;
}

/** NumPy's limit on sub-array and structured nesting; deeper literals are refused before conversion. */
const MAX_DEPTH = 32;

const badDescr = (message: string, cause?: unknown): never => {
  throw new NpyError('ERR_NPY_BAD_DESCR', `Invalid dtype description in the .npy header: ${message}.`, cause === undefined ? {} : { cause });
};

const unsupported = (message: string, cause?: unknown): never => {
  throw new NpyError('ERR_NPY_UNSUPPORTED_DTYPE', message, cause === undefined ? {} : { cause });
};

function hasObjects(type: FormatType): boolean {
  if (type.kind === 'scalar') return type.valueKind === 'object';
  return type.fields.some((field) => hasObjects(field.type));
}

function hasValues(type: FormatType): boolean {
  if (type.kind === 'scalar') return type.valueKind !== 'padding';
  return type.fields.some((field) => !field.padding && field.size > 0 && hasValues(field.type));
}

/** The largest scalar component: what a TypedArray over the items needs the data offset aligned to. */
function alignmentOf(type: FormatType): number {
  if (type.kind === 'struct') return type.fields.reduce((largest, field) => (field.padding ? largest : Math.max(largest, alignmentOf(field.type))), 1);
  switch (type.valueKind) {
    case 'ucs4':
      return 4;
    case 'complex':
      return Math.min(type.size / 2, 8);
    case 'bytes':
    case 'char':
    case 'bool':
    case 'padding':
      return 1;
    default:
      return Math.min(type.size, 8);
  }
}

/** Core's conversion with npy's codes: malformed -> ERR_NPY_BAD_DESCR, valid but unmapped -> ERR_NPY_UNSUPPORTED_DTYPE. */
function convert(descr: NumpyDescr): NumpyFormat {
  try {
    return formatFromNumpyDtype(descr);
  } catch (error) {
    if (BufferError.isInstance(error) && error.code === 'ERR_FORMAT_UNSUPPORTED') {
      if (mentionsObjects(descr, 0)) objectDtype(descr);
      return unsupported(`${error.message} Convert the array in NumPy first (e.g. astype) and save it again.`, error);
    }
    if (BufferError.isInstance(error)) return badDescr(error.message.replace(/\.$/, ''), error);
    throw error;
  }
}

/** True when a (possibly malformed) descr names a Python-object type anywhere, e.g. '|O4' that core refuses by size. */
function mentionsObjects(descr: unknown, depth: number): boolean {
  if (typeof descr === 'string') return /^[<>|=!]?O\d*$/.test(descr) || descr === 'object' || descr === 'object_';
  if (!Array.isArray(descr) || depth > MAX_DEPTH) return false;
  return descr.some((field) => Array.isArray(field) && mentionsObjects(field[1], depth + 1));
}

function objectDtype(descr: NumpyDescr): never {
  throw new NpyError(
    'ERR_NPY_OBJECT_DTYPE',
    `The array has dtype ${JSON.stringify(descr)}: Python objects stored with pickle. They are never unpickled here (pickle can run arbitrary code). Re-save the array in NumPy with a concrete dtype (e.g. arr.astype("U") or a numeric dtype).`,
  );
}

// Dtype strings repeat (every float32 file says '<f4'): remember what they mean, boundedly.
const stringInfoCache = new Map<string, DtypeInfo>();

/**
 * Checks a descr (read from a header or given by a caller, e.g. `writeNpy`'s `descr` option) and
 * returns what the reader and writer need.
 *
 * @throws {NpyError} `ERR_NPY_BAD_DESCR`, `ERR_NPY_OBJECT_DTYPE`, `ERR_NPY_UNSUPPORTED_DTYPE`.
 */
export function descrInfo(descr: NumpyDescr): DtypeInfo {
  if (typeof descr === 'string') {
    const known = stringInfoCache.get(descr);
    if (known !== undefined) return known;
  }
  if (typeof descr !== 'string' && depthOf(descr, 0) > MAX_DEPTH) badDescr(`structured dtypes nested more than ${MAX_DEPTH} levels`);
  const converted = convert(descr);
  const type = parseFormat(converted.format).type;
  if (hasObjects(type)) objectDtype(descr);
  if (typeof descr !== 'string' && !hasValues(type))
    unsupported('The structured dtype has no fields (or only padding); it has no PEP 3118 format. Save an array with at least one field.');
  const timeUnit = converted.datetimes.length === 1 && converted.datetimes[0]!.path.length === 0 ? converted.datetimes[0]! : null;
  const info: DtypeInfo = { itemsize: converted.itemsize, alignment: alignmentOf(type), format: converted.format, timeUnit };
  if (typeof descr === 'string' && stringInfoCache.size < 256) stringInfoCache.set(descr, info);
  return info;
}

function depthOf(descr: unknown, depth: number): number {
  if (!Array.isArray(descr) || depth > MAX_DEPTH) return depth;
  let deepest = depth;
  for (const field of descr) if (Array.isArray(field)) deepest = Math.max(deepest, depthOf(field[1], depth + 1));
  return deepest;
}

function pyToShape(value: PyValue): number[] {
  const items = value.kind === 'tuple' || value.kind === 'list' ? value.items : [value];
  return items.map((item) => {
    if (item.kind !== 'int' || item.value < 0n || item.value > BigInt(Number.MAX_SAFE_INTEGER))
      return badDescr('sub-array shape entries must be non-negative integers');
    return Number(item.value);
  });
}

function pyToName(value: PyValue): NumpyFieldName {
  if (value.kind === 'str') return value.value;
  if (value.kind === 'tuple' && value.items.length === 2 && value.items[0]!.kind === 'str' && value.items[1]!.kind === 'str') {
    return [value.items[0].value, value.items[1].value];
  }
  return badDescr('a field name must be a str or a (title, name) tuple of str');
}

function pyToDescr(value: PyValue, depth: number): NumpyDescr {
  if (depth > MAX_DEPTH) return badDescr(`structured dtypes nested more than ${MAX_DEPTH} levels`);
  if (value.kind === 'str') return value.value;
  if (value.kind !== 'list') return badDescr(`expected a dtype string or a list of fields, found a ${value.kind}`);
  return value.items.map((item): NumpyDescrField => {
    if ((item.kind !== 'tuple' && item.kind !== 'list') || item.items.length < 2 || item.items.length > 3) {
      return badDescr('each field must be a (name, dtype) or (name, dtype, shape) tuple');
    }
    const name = pyToName(item.items[0]!);
    const sub = pyToDescr(item.items[1]!, depth + 1);
    return item.items.length === 3 ? [name, sub, pyToShape(item.items[2]!)] : [name, sub];
  });
}

/**
 * Converts the parsed `descr` literal of a header into its JavaScript form and its information.
 *
 * @throws {NpyError} `ERR_NPY_BAD_DESCR`, `ERR_NPY_OBJECT_DTYPE`, `ERR_NPY_UNSUPPORTED_DTYPE`.
 */
export function descrFromLiteral(value: PyValue): { descr: NumpyDescr; info: DtypeInfo } {
  const descr = pyToDescr(value, 0);
  return { descr, info: descrInfo(descr) };
}

/** Python's repr of a descr, exactly as NumPy writes it into a header. */
export function descrRepr(descr: NumpyDescr): string {
  if (typeof descr === 'string') return pythonStringRepr(descr);
  const items = descr.map((field) => {
    const [name, sub, shape] = field as readonly [NumpyFieldName, NumpyDescr, (readonly number[])?];
    const nameText = typeof name === 'string' ? pythonStringRepr(name) : `(${pythonStringRepr(name[0])}, ${pythonStringRepr(name[1])})`;
    return `(${nameText}, ${descrRepr(sub)}${shape === undefined ? '' : `, ${tupleRepr(shape)}`})`;
  });
  return `[${items.join(', ')}]`;
}

/** Python's repr of a tuple of ints: `()`, `(3,)`, `(2, 3)`. */
export function tupleRepr(values: readonly number[]): string {
  if (values.length === 1) return `(${values[0]},)`;
  return `(${values.join(', ')})`;
}

const formatError = (format: string, cause: unknown): never => {
  const why = cause instanceof Error ? cause.message : String(cause);
  throw new NpyError('ERR_FORMAT_UNSUPPORTED', `The format ${JSON.stringify(format)} has no NumPy dtype: ${why}`, { cause, details: { format } });
};

/**
 * The NumPy descr of the items of an export (core's `numpyDtypeFromFormat`), plus the sub-array
 * dimensions NumPy folds into the array's shape: an item that is one unnamed (sub-array) field,
 * such as `(2,3)f`, becomes a `'<f4'` array with two more dimensions, as `np.asarray` makes it.
 *
 * @throws {NpyError} `ERR_FORMAT_UNSUPPORTED` when the format has no NumPy dtype.
 */
export function descrFromFormat(format: string, itemsize: number): { descr: NumpyDescr; extraShape: readonly number[] } {
  try {
    const parsed = parseFormat(format);
    const type = parsed.type;
    if (hasObjects(type)) throw new Error('Python objects ("O") are written to .npy files with pickle, which this package never does.');
    const only = type.kind === 'struct' && type.fields.length === 1 ? type.fields[0]! : undefined;
    if (only !== undefined && only.name === null && !only.padding && only.offset === 0 && only.size === itemsize) {
      const inner: ParsedFormat = { source: format, itemsize: only.type.size, alignment: 1, type: only.type };
      return { descr: numpyDtypeFromFormat(inner), extraShape: only.shape };
    }
    return { descr: numpyDtypeFromFormat(parsed, { itemsize }), extraShape: [] };
  } catch (error) {
    return formatError(format, error);
  }
}
