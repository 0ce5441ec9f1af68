import { BufferError } from '../errors/buffer-error.js';
import { NATIVE_ENDIANNESS } from './code-table.js';
import { parseFormat } from './parse.js';
import type { FormatType, ParsedFormat } from './types.js';

/** Arrow C data interface formats of the fixed-width primitive types, and their struct codes. */
const primitiveToStruct: Readonly<Record<string, string>> = {
  b: '?',
  c: 'b',
  C: 'B',
  s: 'h',
  S: 'H',
  i: 'i',
  I: 'I',
  l: 'q',
  L: 'Q',
  e: 'e',
  f: 'f',
  g: 'd',
};

const timeUnits: Readonly<Record<string, string>> = { s: 'seconds', m: 'milliseconds', u: 'microseconds', n: 'nanoseconds' };

/** Options of {@link formatFromArrowFormat}. */
export interface ArrowFormatOptions {
  /**
   * Return the storage format of temporal types (date32/time32 as `i`; date64, time64,
   * timestamp and duration as `q`) instead of refusing them. The unit and time zone stay in the
   * Arrow format string; the returned format says only how the integers are stored.
   */
  readonly temporalAsStorage?: boolean;
}

interface ArrowTypeInfo {
  readonly name: string;
  readonly storage?: string;
}

/** Human names (and storage of the fixed-width temporal types) of Arrow formats without a struct code. */
function describeArrowFormat(arrowFormat: string): ArrowTypeInfo | undefined {
  const simple: Record<string, string> = {
    n: 'null',
    z: 'binary',
    Z: 'large binary',
    u: 'utf8 string',
    U: 'large utf8 string',
    vz: 'binary view',
    vu: 'utf8 view',
    '+l': 'list',
    '+L': 'large list',
    '+vl': 'list view',
    '+vL': 'large list view',
    '+s': 'struct',
    '+m': 'map',
    '+r': 'run-end encoded',
    tiM: 'interval (months)',
    tiD: 'interval (days and milliseconds)',
    tin: 'interval (months, days and nanoseconds)',
  };
  const name = Object.hasOwn(simple, arrowFormat) ? simple[arrowFormat] : undefined;
  if (name !== undefined) return { name };
  if (arrowFormat === 'tdD') return { name: 'date32 (days)', storage: 'i' };
  if (arrowFormat === 'tdm') return { name: 'date64 (milliseconds)', storage: 'q' };
  const time = /^tt([smun])$/.exec(arrowFormat);
  if (time !== null) {
    const unit = time[1]!;
    return { name: `${unit === 's' || unit === 'm' ? 'time32' : 'time64'} (${timeUnits[unit]!})`, storage: unit === 's' || unit === 'm' ? 'i' : 'q' };
  }
  const timestamp = /^ts([smun]):(.*)$/s.exec(arrowFormat);
  if (timestamp !== null) {
    const zone = timestamp[2]!;
    return { name: `timestamp (${timeUnits[timestamp[1]!]!}${zone === '' ? '' : `, time zone ${zone}`})`, storage: 'q' };
  }
  const duration = /^tD([smun])$/.exec(arrowFormat);
  if (duration !== null) return { name: `duration (${timeUnits[duration[1]!]!})`, storage: 'q' };
  if (/^d:\d+,\d+(,\d+)?$/.test(arrowFormat)) return { name: `decimal (${arrowFormat.slice(2)})` };
  if (/^\+w:\d+$/.test(arrowFormat)) return { name: `fixed-size list (${arrowFormat.slice(3)})` };
  if (/^\+u[ds]:[\d,]*$/.test(arrowFormat)) return { name: arrowFormat[2] === 'd' ? 'dense union' : 'sparse union' };
  return undefined;
}

/**
 * The PEP 3118 format of an Arrow C data interface format string, for the fixed-width primitive
 * types (native byte order, as Arrow data is): `c C s S i I l L` -> `b B h H i I q Q`, `e f g` ->
 * `e f d`, `w:N` (fixed-size binary) -> `Ns`, and `b` -> `?`. Arrow stores booleans one bit per
 * value: `?` describes the unpacked values (one byte each), so unpack the bitmap before viewing it.
 *
 * @example
 * ```ts
 * import { formatFromArrowFormat } from '@interop/core';
 * console.log(formatFromArrowFormat('g')); // "d"
 * console.log(formatFromArrowFormat('tsu:UTC', { temporalAsStorage: true })); // "q"
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` for Arrow types without a fixed-width struct
 * counterpart (strings, lists, structs, decimals, temporal types without `temporalAsStorage`...),
 * naming the type in the message and in `details.arrowType`; `ERR_INVALID_ARGUMENT` for strings
 * that are not Arrow formats.
 */
export function formatFromArrowFormat(arrowFormat: string, options: ArrowFormatOptions = {}): string {
  if (typeof arrowFormat !== 'string') {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      `formatFromArrowFormat expects an Arrow format string such as "f" or "tsu:UTC"; received ${typeof arrowFormat}.`,
      {
        details: { operation: 'formatFromArrowFormat' },
      },
    );
  }
  const primitive = Object.hasOwn(primitiveToStruct, arrowFormat) ? primitiveToStruct[arrowFormat] : undefined;
  if (primitive !== undefined) return primitive;
  const fixedBinary = /^w:(\d+)$/.exec(arrowFormat);
  if (fixedBinary !== null) return `${Number(fixedBinary[1])}s`;
  const info = describeArrowFormat(arrowFormat);
  if (info === undefined) {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      `${JSON.stringify(arrowFormat)} is not an Arrow C data interface format string. See https://arrow.apache.org/docs/format/CDataInterface.html#data-type-description-format-strings.`,
      {
        details: { operation: 'formatFromArrowFormat', arrowFormat },
      },
    );
  }
  if (info.storage !== undefined && options.temporalAsStorage === true) return info.storage;
  const hint = info.storage !== undefined ? ` Pass { temporalAsStorage: true } to view its ${info.storage === 'i' ? 'int32' : 'int64'} storage.` : '';
  throw new BufferError('ERR_FORMAT_UNSUPPORTED', `Arrow type ${info.name} (format ${JSON.stringify(arrowFormat)}) has no fixed-width struct format.${hint}`, {
    details: { operation: 'formatFromArrowFormat', arrowFormat, arrowType: info.name },
  });
}

/**
 * The Arrow C data interface format string of a PEP 3118 format: one native-endian scalar that
 * Arrow has as a fixed-width primitive (`b B h H i I l L q Q n N` by size -> `c C s S i I l L`,
 * `e f d` -> `e f g`, `?` -> `b`, `Ns` -> `w:N`). Arrow booleans are bit-packed: `b` names the
 * value type; pack the bytes into a bitmap before handing them to Arrow.
 *
 * @example
 * ```ts
 * import { arrowFormatFromFormat } from '@interop/core';
 * console.log(arrowFormatFromFormat('<q')); // "l"
 * console.log(arrowFormatFromFormat('16s')); // "w:16"
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` for non-native byte order (Arrow data is
 * native-endian), records and sub-arrays, and scalars Arrow has no primitive for (complex, long
 * double, chars, UCS strings, objects, pointers, padding); `ERR_FORMAT_INVALID` for malformed
 * format strings.
 */
export function arrowFormatFromFormat(format: string | ParsedFormat | FormatType): string {
  const type = typeof format === 'string' ? parseFormat(format).type : 'kind' in format ? format : format.type;
  const source = typeof format === 'string' ? format : 'kind' in format ? type.kind : format.source;
  const fail = (why: string): never => {
    throw new BufferError('ERR_FORMAT_UNSUPPORTED', `Format ${JSON.stringify(source)} has no Arrow primitive type: ${why}.`, {
      details: { operation: 'arrowFormatFromFormat', format: source },
    });
  };
  if (type.kind === 'struct')
    return fail('it is a record or sub-array; describe each field as a child of an Arrow struct ("+s") or a fixed-size list ("+w:N")');
  if (type.size > 1 && type.endianness !== NATIVE_ENDIANNESS)
    return fail(`it is ${type.endianness}-endian and Arrow data is native (${NATIVE_ENDIANNESS}-endian); swap the bytes first`);
  const size = type.size;
  switch (type.valueKind) {
    case 'bool':
      return 'b';
    case 'int':
    case 'uint': {
      const code = ({ 1: 'c', 2: 's', 4: 'i', 8: 'l' } as Record<number, string>)[size];
      if (code !== undefined) return type.valueKind === 'int' ? code : code.toUpperCase();
      break;
    }
    case 'float': {
      const code = ({ 2: 'e', 4: 'f', 8: 'g' } as Record<number, string>)[size];
      if (code !== undefined) return code;
      return fail('Arrow has no long double; convert to float64 ("d")');
    }
    case 'bytes':
      if (type.code === 's') return `w:${size}`;
      break;
    default:
      break;
  }
  return fail(`Arrow has no primitive for ${type.valueKind} items (code "${type.code}")`);
}
