// NumPy dtype descriptions (the `descr` of a .npy header) <-> PEP 3118 format strings.
// Private to @interop/npy until @interop/core exports its own NumPy dtype mapping; the two
// should then be unified (see the package README, "Internals").
import { NATIVE_ENDIANNESS, parseFormat, type FormatField, type FormatType } from '@interop/core';
import { NpyError } from '../errors/npy-error.js';
import type { PyValue } from './python-literal.js';
import { pythonStringRepr } from './python-literal.js';

/**
 * A NumPy dtype description as it appears in a `.npy` header: a dtype string such as `'<f4'`,
 * or the `descr` list of a structured dtype, each field `[name, descr]` or
 * `[name, descr, shape]`, where `name` may be `[title, name]`.
 */
export type NpyDescr = string | readonly NpyDescrField[];

/** One field of a structured descr, as NumPy's `dtype.descr` lists it. */
export type NpyDescrField =
  | readonly [name: NpyFieldName, descr: NpyDescr]
  | readonly [name: NpyFieldName, descr: NpyDescr, shape: readonly number[]];

/** A field name, or `[title, name]` for a titled field. */
export type NpyFieldName = string | readonly [title: string, name: string];

/** The unit of a `datetime64` (`M8`) or `timedelta64` (`m8`) dtype; values are int64 counts of it. */
export interface NpyTimeUnit {
  readonly kind: 'datetime' | 'timedelta';
  /** `Y M W D h m s ms us ns ps fs as`, or `generic` when the dtype has no unit. */
  readonly unit: string;
  /** The multiplier, e.g. 10 for `M8[10s]`; 1 when absent. */
  readonly count: number;
}

/** What the reader and writer need to know about a dtype. */
export interface DtypeInfo {
  readonly itemsize: number;
  /** Alignment (bytes) that zero-copy typed access needs: the largest scalar component. */
  readonly alignment: number;
  /** The PEP 3118 format of one item. */
  readonly format: string;
  /** The same item as written inside a `T{...}` (every scalar carries an explicit byte order). */
  readonly fieldFormat: string;
  readonly timeUnit: NpyTimeUnit | null;
  readonly isStruct: boolean;
}

const MAX_ITEMSIZE = 2 ** 40;
const nativeOrder = NATIVE_ENDIANNESS === 'little' ? '<' : '>';

const badDescr = (message: string): never => {
  throw new NpyError('ERR_NPY_BAD_DESCR', `Invalid dtype description in the .npy header: ${message}.`);
};

const unsupported = (message: string): never => {
  throw new NpyError('ERR_NPY_UNSUPPORTED_DTYPE', message);
};

// dtype names NumPy accepts besides type strings (no byte order allowed with them).
const namedTypes: Readonly<Record<string, string>> = {
  bool: 'b1', bool_: 'b1', int8: 'i1', int16: 'i2', int32: 'i4', int64: 'i8', uint8: 'u1', uint16: 'u2', uint32: 'u4', uint64: 'u8',
  float16: 'f2', float32: 'f4', float64: 'f8', float128: 'f16', complex64: 'c8', complex128: 'c16', complex256: 'c32',
  half: 'f2', single: 'f4', double: 'f8', float: 'f8', longdouble: 'f16', int: 'i8', byte: 'i1', ubyte: 'u1', short: 'i2', ushort: 'u2',
  intc: 'i4', uintc: 'u4', long: 'i8', ulong: 'u8', longlong: 'i8', ulonglong: 'u8', intp: 'i8', uintp: 'u8', csingle: 'c8', cdouble: 'c16', clongdouble: 'c32',
  complex: 'c16', object: 'O8', object_: 'O8', bytes_: 'S0', str_: 'U0', void: 'V0',
};

// Single-character type codes (`dtype.char`).
const charTypes: Readonly<Record<string, string>> = {
  '?': 'b1', b: 'i1', B: 'u1', h: 'i2', H: 'u2', i: 'i4', I: 'u4', l: 'i8', L: 'u8', q: 'i8', Q: 'u8', p: 'i8', P: 'u8', n: 'i8', N: 'u8',
  e: 'f2', f: 'f4', d: 'f8', g: 'f16', F: 'c8', D: 'c16', G: 'c32', c: 'S1', S: 'S0', a: 'S0', U: 'U0', V: 'V0', O: 'O8', M: 'M8', m: 'm8',
};

const numericCodes: Readonly<Record<string, string>> = {
  b1: '?', i1: 'b', u1: 'B', i2: 'h', u2: 'H', i4: 'i', u4: 'I', i8: 'q', u8: 'Q', f2: 'e', f4: 'f', f8: 'd', f16: 'g', c8: 'Zf', c16: 'Zd', c32: 'Zg',
};

const timeUnits = new Set(['Y', 'M', 'W', 'D', 'h', 'm', 's', 'ms', 'us', 'μs', 'ns', 'ps', 'fs', 'as', 'generic']);

interface Scalar {
  order: '<' | '>' | '|';
  kind: string;
  itemsize: number;
  timeUnit: NpyTimeUnit | null;
}

/** Parses a NumPy dtype string (`'<f4'`, `'|S10'`, `'>M8[ns]'`, `'float32'`, `'d'`...). */
export function parseTypestr(text: string): Scalar {
  let order = '';
  let body = text;
  let unitText: string | undefined;
  const bracket = /^(.*?)\[([^\]]*)\]$/.exec(text);
  if (bracket !== null) {
    body = bracket[1]!;
    unitText = bracket[2]!;
  }
  const named = Object.hasOwn(namedTypes, body) ? namedTypes[body] : undefined;
  if (named !== undefined) {
    body = named;
  } else if (body === 'datetime64' || body === 'timedelta64') {
    body = body === 'datetime64' ? 'M8' : 'm8';
  } else {
    if (/^[<>|=!]/.test(body)) {
      order = body[0]!;
      body = body.slice(1);
    }
    const char = Object.hasOwn(charTypes, body) ? charTypes[body] : undefined;
    if (char !== undefined) body = char;
  }
  const match = /^([biufcSaUVOMm])(\d+)$/.exec(body);
  if (match === null) return badDescr(`${JSON.stringify(text)} is not a NumPy dtype string (expected e.g. '<f4', '|u1', '<U5', '<M8[ns]')`);
  let kind = match[1]!;
  if (kind === 'a') kind = 'S';
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count > MAX_ITEMSIZE) return badDescr(`${JSON.stringify(text)} has an itemsize that is too large`);
  if (kind === 'O') {
    throw new NpyError(
      'ERR_NPY_OBJECT_DTYPE',
      `The array has dtype ${JSON.stringify(text)}: Python objects stored with pickle. They are never unpickled here (pickle can run arbitrary code). Re-save the array in NumPy with a concrete dtype (e.g. arr.astype("U") or a numeric dtype).`,
    );
  }
  let itemsize: number;
  let timeUnit: NpyTimeUnit | null = null;
  if (kind === 'S' || kind === 'V') itemsize = count;
  else if (kind === 'U') itemsize = count * 4;
  else itemsize = count;
  if (kind === 'M' || kind === 'm') {
    if (count !== 8) return badDescr(`${JSON.stringify(text)}: datetime64/timedelta64 are 8 bytes`);
    let unit = 'generic';
    let multiplier = 1;
    if (unitText !== undefined) {
      const unitMatch = /^(\d*)([A-Za-zμ]+)$/.exec(unitText);
      if (unitMatch === null || !timeUnits.has(unitMatch[2]!)) return badDescr(`${JSON.stringify(text)} has an unknown time unit ${JSON.stringify(unitText)}`);
      unit = unitMatch[2] === 'μs' ? 'us' : unitMatch[2]!;
      multiplier = unitMatch[1] === '' ? 1 : Number(unitMatch[1]);
      if (!Number.isSafeInteger(multiplier) || multiplier < 1) return badDescr(`${JSON.stringify(text)} has an invalid unit multiplier`);
    }
    timeUnit = { kind: kind === 'M' ? 'datetime' : 'timedelta', unit, count: multiplier };
  } else if (unitText !== undefined) {
    return badDescr(`${JSON.stringify(text)}: only datetime64/timedelta64 take a [unit]`);
  } else if (kind !== 'S' && kind !== 'U' && kind !== 'V' && !Object.hasOwn(numericCodes, `${kind}${count}`)) {
    return badDescr(`${JSON.stringify(text)} is not a NumPy dtype (no ${kind}${count})`);
  }
  if (itemsize === 0) return unsupported(`The dtype ${JSON.stringify(text)} has itemsize 0; NumPy cannot store arrays of it. Use a sized dtype such as 'S1'.`);
  const single = itemsize === 1 || kind === 'S' || kind === 'V';
  let resolved: '<' | '>' | '|';
  if (single) resolved = '|';
  else if (order === '<' || order === '>') resolved = order;
  else if (order === '!') resolved = '>';
  else resolved = nativeOrder;
  return { order: resolved, kind, itemsize, timeUnit };
}

function scalarCode(scalar: Scalar): string {
  const { kind, itemsize } = scalar;
  if (kind === 'S') return `${itemsize}s`;
  if (kind === 'U') return `${itemsize / 4}w`;
  if (kind === 'V') return `${itemsize}x`;
  if (kind === 'M' || kind === 'm') return 'q';
  return numericCodes[`${kind}${itemsize}`]!;
}

function scalarAlignment(scalar: Scalar): number {
  const { kind, itemsize } = scalar;
  if (kind === 'S' || kind === 'V' || kind === 'b') return 1;
  if (kind === 'U') return 4;
  if (kind === 'c') return itemsize / 2;
  return Math.min(itemsize, 8);
}

function scalarInfo(text: string): DtypeInfo {
  const scalar = parseTypestr(text);
  const code = scalarCode(scalar);
  const prefix = scalar.order === '|' ? '' : scalar.order;
  return {
    itemsize: scalar.itemsize,
    alignment: scalarAlignment(scalar),
    format: `${prefix}${code}`,
    fieldFormat: `${scalar.order === '>' ? '>' : '<'}${code}`,
    timeUnit: scalar.timeUnit,
    isStruct: false,
  };
}

function pyToShape(value: PyValue, where: string): number[] {
  const items = value.kind === 'tuple' || value.kind === 'list' ? value.items : [value];
  return items.map((item) => {
    if (item.kind !== 'int' || item.value < 0n || item.value > BigInt(MAX_ITEMSIZE)) return badDescr(`${where}: sub-array shape entries must be non-negative integers`);
    return Number(item.value);
  });
}

function pyToName(value: PyValue): NpyFieldName {
  if (value.kind === 'str') return value.value;
  if (value.kind === 'tuple' && value.items.length === 2 && value.items[0]!.kind === 'str' && value.items[1]!.kind === 'str') {
    return [value.items[0].value, value.items[1].value];
  }
  return badDescr('a field name must be a str or a (title, name) tuple of str');
}

/**
 * Converts the parsed `descr` literal into its JavaScript form and the format information.
 *
 * @throws {NpyError} `ERR_NPY_BAD_DESCR`, `ERR_NPY_OBJECT_DTYPE`, `ERR_NPY_UNSUPPORTED_DTYPE`.
 */
export function descrFromLiteral(value: PyValue, depth = 0): { descr: NpyDescr; info: DtypeInfo } {
  if (depth > 32) return badDescr('structured dtypes nested more than 32 levels');
  if (value.kind === 'str') return { descr: value.value, info: descrInfo(value.value) };
  if (value.kind !== 'list') return badDescr(`expected a dtype string or a list of fields, found a ${value.kind}`);
  const fields: NpyDescrField[] = [];
  const names = new Set<string>();
  const parts: string[] = [];
  let offset = 0;
  let alignment = 1;
  let named = 0;
  for (const item of value.items) {
    if ((item.kind !== 'tuple' && item.kind !== 'list') || item.items.length < 2 || item.items.length > 3) {
      return badDescr('each field must be a (name, dtype) or (name, dtype, shape) tuple');
    }
    const name = pyToName(item.items[0]!);
    const sub = descrFromLiteral(item.items[1]!, depth + 1);
    const shape = item.items.length === 3 ? pyToShape(item.items[2]!, 'field shape') : null;
    let count = 1;
    for (const dim of shape ?? []) count *= dim;
    const size = sub.info.itemsize * count;
    if (!Number.isSafeInteger(size) || size > MAX_ITEMSIZE) return badDescr('a field is too large');
    fields.push(shape === null ? [name, sub.descr] : [name, sub.descr, shape]);
    const plainName = typeof name === 'string' ? name : name[1];
    const isPadding = plainName === '' && !sub.info.isStruct && /^\d+x$/.test(sub.info.format);
    if (isPadding) {
      if (size > 0) parts.push(`${size}x`);
    } else {
      const fieldName = plainName === '' ? `f${named}` : plainName;
      named++;
      if (names.has(fieldName)) return badDescr(`the field name ${JSON.stringify(fieldName)} appears twice`);
      names.add(fieldName);
      if (fieldName.includes(':')) return unsupported(`The field name ${JSON.stringify(fieldName)} contains ":", which a PEP 3118 format string cannot express. Rename the field in NumPy before saving.`);
      const shapePart = shape === null ? '' : `(${shape.join(',')})`;
      let typePart = sub.info.fieldFormat;
      // A sub-array prefix goes after the byte-order character: "<(2,3)f".
      if (shapePart !== '' && !sub.info.isStruct) typePart = `${typePart[0]}${shapePart}${typePart.slice(1)}`;
      else typePart = `${shapePart}${typePart}`;
      if (size > 0 || shape === null) parts.push(`${typePart}:${fieldName}:`);
      else parts.push(`${size}x`);
      alignment = Math.max(alignment, sub.info.alignment);
    }
    offset += size;
    if (offset > MAX_ITEMSIZE) return badDescr('the structured dtype is too large');
  }
  if (named === 0 || offset === 0) return unsupported('The structured dtype has no fields (or only padding); it has no PEP 3118 format. Save an array with at least one field.');
  const body = `T{${parts.filter((part) => part !== '0x').join('')}}`;
  return { descr: fields, info: { itemsize: offset, alignment, format: body, fieldFormat: body, timeUnit: null, isStruct: true } };
}

/** Python's repr of a descr, exactly as NumPy writes it into a header. */
export function descrRepr(descr: NpyDescr): string {
  if (typeof descr === 'string') return pythonStringRepr(descr);
  const items = descr.map((field) => {
    const [name, sub, shape] = field as readonly [NpyFieldName, NpyDescr, (readonly number[])?];
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

// Dtype strings repeat (every float32 file says '<f4'): remember what they mean, boundedly.
const stringInfoCache = new Map<string, DtypeInfo>();

/** Checks a JavaScript descr given by a caller (e.g. `writeNpy`'s `dtype` option) and returns its information. */
export function descrInfo(descr: NpyDescr): DtypeInfo {
  if (typeof descr === 'string') {
    const known = stringInfoCache.get(descr);
    if (known !== undefined) return known;
    const info = scalarInfo(descr);
    if (stringInfoCache.size < 256) stringInfoCache.set(descr, info);
    return info;
  }
  return descrFromLiteral(descrToLiteral(descr)).info;
}

function descrToLiteral(descr: unknown, depth = 0): PyValue {
  if (depth > 32) return badDescr('structured dtypes nested more than 32 levels');
  if (typeof descr === 'string') return { kind: 'str', value: descr };
  if (!Array.isArray(descr)) return badDescr('a descr must be a string or an array of fields');
  return {
    kind: 'list',
    items: descr.map((field: unknown) => {
      if (!Array.isArray(field) || field.length < 2 || field.length > 3) return badDescr('each field must be [name, descr] or [name, descr, shape]');
      const [name, sub, shape] = field as [unknown, unknown, unknown];
      let nameValue: PyValue;
      if (typeof name === 'string') nameValue = { kind: 'str', value: name };
      else if (Array.isArray(name) && name.length === 2 && typeof name[0] === 'string' && typeof name[1] === 'string') {
        nameValue = { kind: 'tuple', items: [{ kind: 'str', value: name[0] }, { kind: 'str', value: name[1] }] };
      } else return badDescr('a field name must be a string or [title, name]');
      const items: PyValue[] = [nameValue, descrToLiteral(sub, depth + 1)];
      if (field.length === 3) {
        if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return badDescr('a field shape must be an array of non-negative integers');
        items.push({ kind: 'tuple', items: (shape as number[]).map((d) => ({ kind: 'int', value: BigInt(d) })) });
      }
      return { kind: 'tuple', items };
    }),
  };
}

const formatError = (format: string, why: string): never => {
  throw new NpyError('ERR_FORMAT_UNSUPPORTED', `The format ${JSON.stringify(format)} has no NumPy dtype: ${why}.`, { details: { format } });
};

function scalarTypestr(type: FormatType & { kind: 'scalar' }, format: string): string {
  const size = type.size;
  const order = size === 1 ? '|' : type.endianness === 'little' ? '<' : '>';
  switch (type.valueKind) {
    case 'bool':
      if (size !== 1) return formatError(format, 'booleans must be 1 byte');
      return '|b1';
    case 'int':
      return `${order}i${size}`;
    case 'uint':
      return `${order}u${size}`;
    case 'float':
      return `${order}f${size}`;
    case 'complex':
      return `${order}c${size}`;
    case 'char':
      return '|S1';
    case 'bytes':
      if (type.code === 'p') return formatError(format, "Pascal strings ('p') have no NumPy dtype");
      return `|S${size}`;
    case 'padding':
      return `|V${size}`;
    case 'ucs4':
      // "<n>w" is one string of n UCS-4 characters (counted like "s"), NumPy's U<n>.
      return `${type.endianness === 'little' ? '<' : '>'}U${size / 4}`;
    default:
      return formatError(format, `${type.valueKind} items ('${type.code}') have no NumPy dtype`);
  }
}

function fieldDescr(field: FormatField, format: string): { descr: NpyDescr; shape: readonly number[] | null } {
  const type = field.type;
  if (type.kind === 'scalar') {
    // NumPy exports U<n> fields as "<n>w": a run of UCS-4 characters is one string, not a sub-array.
    if (type.valueKind === 'ucs4' && field.shape.length === 1) {
      return { descr: `${type.endianness === 'little' ? '<' : '>'}U${field.shape[0]}`, shape: null };
    }
    return { descr: scalarTypestr(type, format), shape: field.shape.length === 0 ? null : field.shape };
  }
  return { descr: structDescr(type.fields, type.size, format), shape: field.shape.length === 0 ? null : field.shape };
}

function structDescr(fields: readonly FormatField[], itemsize: number, format: string): NpyDescrField[] {
  const out: NpyDescrField[] = [];
  const sorted = [...fields].sort((a, b) => a.offset - b.offset);
  let position = 0;
  let index = 0;
  for (const field of sorted) {
    if (field.offset < position) return formatError(format, 'fields overlap or are out of order');
    if (field.offset > position) out.push(['', `|V${field.offset - position}`]);
    if (field.padding && field.name === null) {
      if (field.size > 0) out.push(['', `|V${field.size}`]);
    } else {
      const { descr, shape } = fieldDescr(field, format);
      const name = field.name ?? `f${index}`;
      out.push(shape === null ? [name, descr] : [name, descr, shape]);
      index++;
    }
    position = field.offset + field.size;
  }
  if (itemsize > position) out.push(['', `|V${itemsize - position}`]);
  return out;
}

/**
 * The NumPy descr of a PEP 3118 format (as `np.dtype(memoryview)` would build it), plus any
 * sub-array dimensions that NumPy folds into the array's shape.
 *
 * @throws {NpyError} `ERR_FORMAT_UNSUPPORTED` when the format has no NumPy dtype.
 */
export function descrFromFormat(format: string, itemsize: number): { descr: NpyDescr; extraShape: readonly number[] } {
  let parsed;
  try {
    parsed = parseFormat(format);
  } catch (error) {
    return formatError(format, (error as Error).message);
  }
  const type = parsed.type;
  if (type.kind === 'scalar') {
    if (itemsize !== type.size) return formatError(format, `itemsize ${itemsize} disagrees with the format's ${type.size}`);
    return { descr: scalarTypestr(type, format), extraShape: [] };
  }
  const only = type.fields.length === 1 ? type.fields[0]! : undefined;
  if (only !== undefined && only.name === null && only.offset === 0 && only.size === itemsize) {
    const { descr, shape } = fieldDescr(only, format);
    if (only.padding) return { descr: `|V${only.size}`, extraShape: [] };
    if (typeof descr === 'string' || shape === null) return { descr, extraShape: shape ?? [] };
    return { descr, extraShape: shape };
  }
  return { descr: structDescr(type.fields, itemsize, format), extraShape: [] };
}
