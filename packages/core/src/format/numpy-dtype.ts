import { BufferError } from '../errors/buffer-error.js';
import { NATIVE_ENDIANNESS } from './code-table.js';
import { formatToString } from './format-to-string.js';
import { MAX_STRUCT_DEPTH, parseFormat } from './parse.js';
import type { ByteOrderChar, FormatField, FormatType, ParsedFormat, ScalarFormat, StructFormat } from './types.js';

/**
 * A NumPy dtype as written in `.npy` headers and `__array_interface__['descr']`: a type string
 * (`'<f4'`, `'|S10'`, `'<M8[ns]'`; NumPy's names and one-character codes such as `'float32'` and
 * `'d'` are read too) or a structured descr list, Python tuples written as arrays:
 * `[['a', '<i4'], ['b', '|u1', [2, 3]], ['', '|V3'], ['n', [['x', '<f8']]], [['Title', 't'], '<f4']]`.
 */
export type NumpyDescr = string | readonly NumpyDescrField[];

/** One entry of a structured descr: `[name, type]` or `[name, type, shape]`; `''` names padding. */
export type NumpyDescrField = readonly [name: NumpyFieldName, type: NumpyDescr] | readonly [name: NumpyFieldName, type: NumpyDescr, shape: readonly number[]];

/** A field name, or `[title, name]` for a titled field (NumPy's `(title, name)` tuple). */
export type NumpyFieldName = string | readonly [title: string, name: string];

/** The title of a field, which a format cannot hold (it keeps the name): see {@link NumpyFormat}. */
export interface NumpyFieldTitle {
  /** Field names from the outermost record to the titled field. */
  readonly path: readonly string[];
  readonly title: string;
}

/** A NumPy datetime64/timedelta64 unit (`generic` is a unitless `M8`). */
export type NumpyDatetimeUnit = 'Y' | 'M' | 'W' | 'D' | 'h' | 'm' | 's' | 'ms' | 'us' | 'ns' | 'ps' | 'fs' | 'as' | 'generic';

/** Where a datetime64/timedelta64 value sits in a format, stored as a 64-bit integer (`q`). */
export interface NumpyDatetimeField {
  /** Field names from the outermost record to the item; `[]` for a scalar dtype. */
  readonly path: readonly string[];
  readonly kind: 'datetime' | 'timedelta';
  readonly unit: NumpyDatetimeUnit;
  /** The unit multiplier, as in `M8[25s]` (1 when absent). */
  readonly count: number;
}

/** The result of {@link formatFromNumpyDtype}: the struct format and what it cannot say itself. */
export interface NumpyFormat {
  /** The PEP 3118 format; every offset and the itemsize equal NumPy's. */
  readonly format: string;
  /** The datetime64/timedelta64 items, which the format holds as int64 (`q`). */
  readonly datetimes: readonly NumpyDatetimeField[];
  /** The titles of titled fields, which the format names by their names only. */
  readonly titles: readonly NumpyFieldTitle[];
  /** Bytes per item: NumPy's `dtype.itemsize`, which the format's itemsize equals. */
  readonly itemsize: number;
}

const datetimeUnits: ReadonlySet<string> = new Set(['Y', 'M', 'W', 'D', 'h', 'm', 's', 'ms', 'us', 'ns', 'ps', 'fs', 'as', 'generic']);
const typestrPattern = /^([<>|=]?)([a-zA-Z?])(\d*)(?:\[(\d*)([a-zA-Z]+)\])?$/;
/** NumPy refuses larger items too; it keeps sizes far from 2^53 through products and sums. */
const MAX_ITEMSIZE = 2 ** 40;

// dtype names NumPy accepts besides type strings (no byte order with them), as on 64-bit Linux.
const dtypeNames: Readonly<Record<string, string>> = {
  bool: 'b1',
  bool_: 'b1',
  int8: 'i1',
  int16: 'i2',
  int32: 'i4',
  int64: 'i8',
  uint8: 'u1',
  uint16: 'u2',
  uint32: 'u4',
  uint64: 'u8',
  float16: 'f2',
  float32: 'f4',
  float64: 'f8',
  float128: 'f16',
  complex64: 'c8',
  complex128: 'c16',
  complex256: 'c32',
  half: 'f2',
  single: 'f4',
  double: 'f8',
  float: 'f8',
  longdouble: 'f16',
  int: 'i8',
  byte: 'i1',
  ubyte: 'u1',
  short: 'i2',
  ushort: 'u2',
  intc: 'i4',
  uintc: 'u4',
  long: 'i8',
  ulong: 'u8',
  longlong: 'i8',
  ulonglong: 'u8',
  intp: 'i8',
  uintp: 'u8',
  csingle: 'c8',
  cdouble: 'c16',
  clongdouble: 'c32',
  complex: 'c16',
  object: 'O8',
  object_: 'O8',
  bytes_: 'S0',
  str_: 'U0',
  void: 'V0',
  datetime64: 'M8',
  timedelta64: 'm8',
};

// One-character type codes (`dtype.char`), which may carry a byte order ('<d').
const charCodes: Readonly<Record<string, string>> = {
  '?': 'b1',
  b: 'i1',
  B: 'u1',
  h: 'i2',
  H: 'u2',
  i: 'i4',
  I: 'u4',
  l: 'i8',
  L: 'u8',
  q: 'i8',
  Q: 'u8',
  p: 'i8',
  P: 'u8',
  n: 'i8',
  N: 'u8',
  e: 'f2',
  f: 'f4',
  d: 'f8',
  g: 'f16',
  F: 'c8',
  D: 'c16',
  G: 'c32',
  c: 'S1',
  S: 'S0',
  a: 'S0',
  U: 'U0',
  V: 'V0',
  O: 'O8',
  M: 'M8',
  m: 'm8',
};

/** Spells NumPy's other names of a dtype as a type string: `'float32'` -> `'f4'`, `'!d'` -> `'>f8'`, `'a5'` -> `'S5'`. */
function canonicalTypestr(text: string): string {
  const bracket = /^(.*?)(\[[^\]]*\])$/.exec(text);
  let body = bracket === null ? text : bracket[1]!;
  const unit = bracket === null ? '' : bracket[2]!.replace('μs', 'us');
  const named = Object.hasOwn(dtypeNames, body) ? dtypeNames[body] : undefined;
  if (named !== undefined) return `${named}${unit}`;
  let order = '';
  if (/^[<>|=!]/.test(body)) {
    order = body[0] === '!' ? '>' : body[0]!;
    body = body.slice(1);
  }
  const code = Object.hasOwn(charCodes, body) ? charCodes[body] : body[0] === 'a' ? `S${body.slice(1)}` : body;
  return `${order}${code}${unit}`;
}

function invalidDtype(dtype: unknown, message: string, path: readonly string[]): never {
  throw new BufferError('ERR_INVALID_ARGUMENT', `Invalid NumPy dtype ${safeJson(dtype)}${pathText(path)}: ${message}.`, {
    details: { operation: 'formatFromNumpyDtype', path: [...path] },
  });
}

function unsupportedDtype(dtype: unknown, message: string, path: readonly string[]): never {
  throw new BufferError('ERR_FORMAT_UNSUPPORTED', `NumPy dtype ${safeJson(dtype)}${pathText(path)} has no struct format: ${message}.`, {
    details: { operation: 'formatFromNumpyDtype', path: [...path] },
  });
}

function pathText(path: readonly string[]): string {
  return path.length === 0 ? '' : ` (field ${path.map((name) => JSON.stringify(name)).join('.')})`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function scalar(code: string, size: number, byteOrder: ByteOrderChar, kind: ScalarFormat['valueKind']): ScalarFormat {
  const endianness = byteOrder === '<' ? 'little' : byteOrder === '>' || byteOrder === '!' ? 'big' : NATIVE_ENDIANNESS;
  const nativeSize = byteOrder === '@' || byteOrder === '^';
  return { kind: 'scalar', code, valueKind: kind, size, alignment: 1, endianness, nativeSize, byteOrder };
}

interface Converted {
  readonly type: FormatType;
  readonly size: number;
}

/**
 * Converts one NumPy type string. `inherit` is the byte order of the surrounding record, used for
 * items whose order does not matter (one byte, strings, raw bytes) so the format needs no switch.
 */
function convertTypestr(given: string, path: readonly string[], inherit: ByteOrderChar, datetimes: NumpyDatetimeField[]): Converted {
  const typestr = canonicalTypestr(given);
  const match = typestrPattern.exec(typestr);
  if (match === null) invalidDtype(typestr, 'expected a type string such as "<f8", "|u1", "<U5", "|V8" or "<M8[ns]"', path);
  const [, order = '', kind = '', digits = '', unitCount = '', unit] = match;
  const hasSize = digits !== '';
  const size = hasSize ? Number(digits) : kind === 'O' ? 8 : -1;
  if (!Number.isSafeInteger(size) || size < 0) invalidDtype(typestr, 'the type string has no item size', path);
  if (size > MAX_ITEMSIZE) invalidDtype(typestr, `items of more than 2^40 bytes are not supported`, path);
  if (size === 0 && 'SUVa'.includes(kind)) unsupportedDtype(typestr, 'a flexible type without a size describes no bytes; give its size (e.g. "|S1")', path);
  if (unit !== undefined && kind !== 'M' && kind !== 'm') invalidDtype(typestr, 'only datetime64 ("M") and timedelta64 ("m") take a [unit]', path);
  // '|' means "byte order not applicable"; '' and '=' mean the machine's order.
  const standardOrder: ByteOrderChar = order === '<' ? '<' : order === '>' ? '>' : '=';
  const fixed = (code: string, valueKind: ScalarFormat['valueKind']): Converted => {
    const byteOrder = size === 1 ? inherit : standardOrder;
    return { type: scalar(code, size, byteOrder, valueKind), size };
  };
  const nativeOnly = (code: string, valueKind: ScalarFormat['valueKind']): Converted => {
    // Long double, its complex and objects have native sizes only: "^" (native size, no alignment).
    const endianness = order === '<' ? 'little' : order === '>' ? 'big' : NATIVE_ENDIANNESS;
    if (endianness !== NATIVE_ENDIANNESS)
      unsupportedDtype(typestr, `"${code}" exists only in native (${NATIVE_ENDIANNESS}-endian) byte order, as NumPy itself reports`, path);
    // A top-level scalar keeps native alignment (NumPy reports 16 for long double); in a record
    // "^" keeps NumPy's packed offsets.
    return { type: scalar(code, size, path.length === 0 ? '@' : '^', valueKind), size };
  };
  const sizes = (table: Readonly<Record<number, string>>, valueKind: ScalarFormat['valueKind'], what: string): Converted => {
    const code = table[size];
    if (code === undefined) unsupportedDtype(typestr, `${what} of ${size} bytes has no struct code`, path);
    return fixed(code, valueKind);
  };
  switch (kind) {
    case 'b':
      if (size !== 1) unsupportedDtype(typestr, 'booleans are 1 byte', path);
      return fixed('?', 'bool');
    case 'i':
      return sizes({ 1: 'b', 2: 'h', 4: 'i', 8: 'q' }, 'int', 'a signed integer');
    case 'u':
      return sizes({ 1: 'B', 2: 'H', 4: 'I', 8: 'Q' }, 'uint', 'an unsigned integer');
    case 'f':
      if (size === 16) return nativeOnly('g', 'float');
      return sizes({ 2: 'e', 4: 'f', 8: 'd' }, 'float', 'a float');
    case 'c':
      if (size === 32) return nativeOnly('Zg', 'complex');
      return sizes({ 8: 'Zf', 16: 'Zd' }, 'complex', 'a complex number');
    case 'S':
    case 'a':
      return { type: scalar('s', size, inherit, 'bytes'), size };
    case 'U':
      return { type: scalar('w', size * 4, standardOrder, 'ucs4'), size: size * 4 };
    case 'V':
      return { type: scalar('x', size, inherit, 'padding'), size };
    case 'O':
      if (size !== 8) unsupportedDtype(typestr, 'objects are pointers of 8 bytes on this platform', path);
      return nativeOnly('O', 'object');
    case 'M':
    case 'm': {
      if (size !== 8) invalidDtype(typestr, 'datetime64 and timedelta64 are 8 bytes', path);
      const unitName = unit ?? 'generic';
      if (!datetimeUnits.has(unitName)) invalidDtype(typestr, `unknown datetime unit "${unitName}"`, path);
      const count = unitCount === '' ? 1 : Number(unitCount);
      if (!Number.isSafeInteger(count) || count < 1) invalidDtype(typestr, 'the unit multiplier must be a positive integer', path);
      datetimes.push({ path: [...path], kind: kind === 'M' ? 'datetime' : 'timedelta', unit: unitName as NumpyDatetimeUnit, count });
      return fixed('q', 'int');
    }
    case 'T':
      return unsupportedDtype(
        typestr,
        'NumPy 2 StringDType ("T") stores variable-length strings outside the array; it has no fixed-size struct counterpart',
        path,
      );
    default:
      return invalidDtype(typestr, `"${kind}" is not a NumPy type kind (b i u f c m M O S U V)`, path);
  }
}

/** What a conversion collects besides the format. */
interface Collected {
  readonly datetimes: NumpyDatetimeField[];
  readonly titles: NumpyFieldTitle[];
}

/** A field name and its title: a string, or a `[title, name]` pair of strings. */
function fieldName(name: unknown): { name: string; title: string | null } | null {
  if (typeof name === 'string') return { name, title: null };
  if (Array.isArray(name) && name.length === 2 && typeof name[0] === 'string' && typeof name[1] === 'string') return { name: name[1], title: name[0] };
  return null;
}

function convertDescr(descr: NumpyDescr, path: readonly string[], inherit: ByteOrderChar, collected: Collected): Converted {
  if (typeof descr === 'string') return convertTypestr(descr, path, inherit, collected.datetimes);
  if (!Array.isArray(descr)) invalidDtype(descr, 'expected a type string or a descr list of [name, type] or [name, type, shape] entries', path);
  if (path.length >= MAX_STRUCT_DEPTH) invalidDtype(descr, `structured dtypes nest more than ${MAX_STRUCT_DEPTH} deep`, path);
  const entries = descr as readonly unknown[];
  if (entries.length === 0) invalidDtype(descr, 'a structured dtype needs at least one field', path);
  const fields: FormatField[] = [];
  const names = new Set<string>();
  let offset = 0;
  let order = inherit;
  for (const entry of entries) {
    const named = Array.isArray(entry) && (entry.length === 2 || entry.length === 3) ? fieldName(entry[0]) : null;
    if (named === null) invalidDtype(descr, `entry ${safeJson(entry)} is not [name, type] or [name, type, shape] with a string or [title, name] name`, path);
    const { name, title } = named;
    const [, type, shape = []] = entry as [unknown, NumpyDescr, (readonly number[])?];
    if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
      invalidDtype(descr, `the shape of field ${JSON.stringify(name)} must be a list of non-negative integers`, path);
    }
    if (name !== '' && names.has(name)) invalidDtype(descr, `duplicate field name ${JSON.stringify(name)}`, path);
    if (name.includes(':')) unsupportedDtype(descr, `field name ${JSON.stringify(name)} contains ":", which a format cannot write`, path);
    names.add(name);
    const fieldPath = [...path, name];
    if (title !== null) {
      if (name === '') invalidDtype(descr, `the title ${JSON.stringify(title)} names no field (its name is "")`, path);
      collected.titles.push({ path: fieldPath, title });
    }
    const converted = convertDescr(type, fieldPath, order, collected);
    order = lastByteOrder(converted.type) ?? order;
    let elements = 1;
    for (const dim of shape) elements *= dim;
    const padding = converted.type.kind === 'scalar' && converted.type.valueKind === 'padding';
    const size = converted.size * elements;
    if (!Number.isSafeInteger(size) || offset + size > MAX_ITEMSIZE) invalidDtype(descr, 'the structured dtype is larger than 2^40 bytes', path);
    fields.push({ name: name === '' ? null : name, offset, type: converted.type, shape: shape.slice() as number[], size, padding });
    offset += size;
  }
  // A descr list is packed: every gap, trailing padding included, is an explicit ('', '|Vn') entry.
  const struct: StructFormat = { kind: 'struct', fields, size: offset, alignment: 1 };
  return { type: struct, size: offset };
}

function lastByteOrder(type: FormatType): ByteOrderChar | undefined {
  if (type.kind === 'scalar') return type.byteOrder;
  for (let index = type.fields.length - 1; index >= 0; index--) {
    const order = lastByteOrder(type.fields[index]!.type);
    if (order !== undefined) return order;
  }
  return undefined;
}

/**
 * Converts a NumPy dtype (a type string or a structured descr, as in `.npy` headers and
 * `__array_interface__`) to a PEP 3118 format with NumPy's itemsize and field offsets.
 *
 * Type strings map to standard-size codes with explicit byte order (`'<f4'` -> `'<f'`, `'>i8'` ->
 * `'>q'`, `'|b1'` -> `'?'`, `'<c16'` -> `'<Zd'`, `'|S10'` -> `'10s'`, `'<U5'` -> `'<5w'`, `'|V8'`
 * -> `'8x'`, `'<f16'` -> `'g'`, `'|O'` -> `'O'`); datetime64/timedelta64 become int64 (`'<q'`) with
 * their unit reported in `datetimes`. A descr list becomes `T{...}` with every field at NumPy's
 * offset: unnamed `('', '|Vn')` entries are `nx` padding, named `|Vn` fields named padding.
 *
 * @example
 * ```ts
 * import { formatFromNumpyDtype } from '@interop/core';
 * console.log(formatFromNumpyDtype('<f4').format); // "<f"
 * console.log(formatFromNumpyDtype([['a', '<i4'], ['b', '|u1', [2, 3]], ['', '|V2']]).format); // "T{<i:a:(2,3)B:b:2x}"
 * console.log(formatFromNumpyDtype('<M8[ns]').datetimes[0]?.unit); // "ns"
 * ```
 * @throws {BufferError} `ERR_INVALID_ARGUMENT` for malformed dtypes (bad type string, entry or
 * shape, duplicate names); `ERR_FORMAT_UNSUPPORTED` for dtypes without a struct format (e.g.
 * `'>f16'`, NumPy 2 `StringDType`, names containing `:`).
 */
export function formatFromNumpyDtype(dtype: NumpyDescr): NumpyFormat {
  const collected: Collected = { datetimes: [], titles: [] };
  const { type, size } = convertDescr(dtype, [], '@', collected);
  return { format: formatToString(type), datetimes: collected.datetimes, titles: collected.titles, itemsize: size };
}

function unsupportedFormat(format: string, message: string, path: readonly string[]): never {
  throw new BufferError('ERR_FORMAT_UNSUPPORTED', `Format ${JSON.stringify(format)}${pathText(path)} has no NumPy dtype: ${message}.`, {
    details: { operation: 'numpyDtypeFromFormat', format, path: [...path] },
  });
}

function typestrFor(type: ScalarFormat, source: string, path: readonly string[], datetime: NumpyDatetimeField | undefined): string {
  const order = type.size <= 1 ? '|' : type.endianness === 'little' ? '<' : '>';
  switch (type.valueKind) {
    case 'bool':
      return '|b1';
    case 'int':
    case 'uint':
      if (datetime !== undefined) {
        if (type.valueKind !== 'int' || type.size !== 8) unsupportedFormat(source, `a datetime field must be int64 ("q"), found "${type.code}"`, path);
        const unit = datetime.unit === 'generic' ? '' : `[${datetime.count === 1 ? '' : datetime.count}${datetime.unit}]`;
        return `${order}${datetime.kind === 'datetime' ? 'M' : 'm'}8${unit}`;
      }
      return `${order}${type.valueKind === 'int' ? 'i' : 'u'}${type.size}`;
    case 'float':
      return `${order}f${type.size}`;
    case 'complex':
      return `${order}c${type.size}`;
    case 'char':
      return '|S1';
    case 'bytes':
      if (type.code === 'p') unsupportedFormat(source, 'Pascal strings ("p") have no NumPy dtype; read them as "s"', path);
      return `|S${type.size}`;
    case 'ucs4':
      return `${type.endianness === 'little' ? '<' : '>'}U${type.size / 4}`;
    case 'padding':
      return `|V${type.size}`;
    case 'object':
      return '|O';
    case 'ucs2':
      return unsupportedFormat(source, 'NumPy has no UCS-2 string type ("u"); use "w" (UCS-4)', path);
    case 'pointer':
      return unsupportedFormat(source, 'pointers ("P") have no NumPy dtype', path);
  }
}

/** What numpyDtypeFromFormat restores besides the layout: datetime units and titles, by field path. */
interface Restore {
  readonly datetimes: ReadonlyMap<string, NumpyDatetimeField>;
  readonly titles: ReadonlyMap<string, string>;
}

function descrFor(type: FormatType, source: string, path: readonly string[], restore: Restore): NumpyDescr {
  if (type.kind === 'scalar') return typestrFor(type, source, path, restore.datetimes.get(pathKey(path)));
  const named = type.fields.filter((field) => !(field.padding && field.name === null));
  if (named.length === 0) return `|V${type.size}`;
  // NumPy names unnamed fields f0, f1, ...: the first "f<j>" not already taken, in field order.
  const taken = new Set(named.map((field) => field.name).filter((name): name is string => name !== null));
  const result: NumpyDescrField[] = [];
  let offset = 0;
  for (const field of named) {
    let name = field.name;
    if (name === null) {
      let index = 0;
      while (taken.has(`f${index}`)) index++;
      name = `f${index}`;
      taken.add(name);
    }
    if (field.offset > offset) result.push(['', `|V${field.offset - offset}`]);
    const fieldPath = [...path, name];
    const inner = field.padding ? `|V${field.type.size}` : descrFor(field.type, source, fieldPath, restore);
    const title = restore.titles.get(pathKey(fieldPath));
    const fullName: NumpyFieldName = title === undefined ? name : [title, name];
    result.push(field.shape.length === 0 ? [fullName, inner] : [fullName, inner, [...field.shape]]);
    offset = field.offset + field.size;
  }
  if (type.size > offset) result.push(['', `|V${type.size - offset}`]);
  return result;
}

function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

/** Options of {@link numpyDtypeFromFormat}. */
export interface NumpyDtypeOptions {
  /** int64 items to write as datetime64/timedelta64 (as returned by `formatFromNumpyDtype`). */
  readonly datetimes?: readonly NumpyDatetimeField[];
  /** Titles to give fields (as returned by `formatFromNumpyDtype`). */
  readonly titles?: readonly NumpyFieldTitle[];
  /**
   * The itemsize of the export the format came from. A record's may exceed its format's (NumPy
   * leaves the trailing padding of aligned records out of the format); the difference becomes a
   * trailing `['', '|Vn']`. Default: the format's own itemsize.
   */
  readonly itemsize?: number;
}

/**
 * Converts a PEP 3118 format to the NumPy dtype `.npy` headers and `__array_interface__` use: a
 * type string with explicit byte order for a scalar (`'<f'` -> `'<f4'`, `'d'` -> `'<f8'` on a
 * little-endian machine), a descr list for a record with NumPy's conventions (unnamed fields
 * named `f0`, `f1`...; gaps, alignment and trailing padding as `['', '|Vn']`; sub-arrays as a
 * third element). Accepts the result of `formatFromNumpyDtype` to restore datetime units and
 * field titles, so a dtype survives the round trip through a format.
 *
 * @example
 * ```ts
 * import { formatFromNumpyDtype, numpyDtypeFromFormat } from '@interop/core';
 * console.log(numpyDtypeFromFormat('>i')); // ">i4"
 * console.log(JSON.stringify(numpyDtypeFromFormat('T{B:a:i:b:}'))); // [["a","|u1"],["","|V3"],["b","<i4"]]
 * console.log(numpyDtypeFromFormat(formatFromNumpyDtype('<M8[ns]'))); // "<M8[ns]"
 * console.log(JSON.stringify(numpyDtypeFromFormat(formatFromNumpyDtype([[['Time', 't'], '<f8']])))); // [[["Time","t"],"<f8"]]
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` for items NumPy has no dtype for (`u` UCS-2,
 * `p` Pascal strings, `P` pointers) and datetimes placed on non-int64 items;
 * `ERR_INVALID_ARGUMENT` for an `itemsize` smaller than the format's (or different, for a scalar);
 * `ERR_FORMAT_INVALID` for malformed format strings.
 */
export function numpyDtypeFromFormat(format: string | ParsedFormat | NumpyFormat, options: NumpyDtypeOptions = {}): NumpyDescr {
  let parsed: ParsedFormat;
  let datetimeList: readonly NumpyDatetimeField[] = options.datetimes ?? [];
  let titleList: readonly NumpyFieldTitle[] = options.titles ?? [];
  if (typeof format === 'string') parsed = parseFormat(format);
  else if ('datetimes' in format) {
    parsed = parseFormat(format.format);
    if (options.datetimes === undefined) datetimeList = format.datetimes;
    if (options.titles === undefined) titleList = format.titles ?? [];
  } else parsed = format;
  const restore: Restore = {
    datetimes: new Map(datetimeList.map((field) => [pathKey(field.path), field])),
    titles: new Map(titleList.map((entry) => [pathKey(entry.path), entry.title])),
  };
  const type = parsed.type;
  const itemsize = options.itemsize ?? parsed.itemsize;
  if (!Number.isSafeInteger(itemsize) || itemsize < parsed.itemsize || (type.kind === 'scalar' && itemsize !== parsed.itemsize)) {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      `itemsize ${String(itemsize)} does not fit format ${JSON.stringify(parsed.source)} (${parsed.itemsize} bytes; only a record may be longer).`,
      {
        details: { operation: 'numpyDtypeFromFormat', format: parsed.source },
      },
    );
  }
  if (type.kind === 'struct' && type.size !== itemsize) {
    // A top-level item list ("di") may be shorter than its struct would be, and an export's
    // record longer than its format: NumPy needs the itemsize.
    return descrFor({ ...type, size: itemsize }, parsed.source, [], restore);
  }
  return descrFor(type, parsed.source, [], restore);
}
