import { arrowFormatFromFormat, formatFromArrowFormat, parseFormat, type ScalarFormat } from '@interop/core';
import type { ColumnType, NumericTypeName, TimeUnit } from '../column-type.js';
import type { InterchangeDtype } from '../interchange-types.js';
import { storageFormat, storageFromFormat } from './typed.js';

const unitLetters: Record<TimeUnit, string> = { s: 's', ms: 'm', us: 'u', ns: 'n' };
const letterUnits: Record<string, TimeUnit> = { s: 's', m: 'ms', u: 'us', n: 'ns' };

const interchangeKinds: Readonly<Record<string, InterchangeDtype['kind']>> = { bool: 'bool', int: 'int', uint: 'uint', float: 'float' };

/** The interchange dtype of a storage type name (bool as bytes): its Arrow format from core's mapping. */
export function scalarDtype(name: NumericTypeName | 'bool'): InterchangeDtype {
  const format = storageFormat(name);
  const type = parseFormat(format).type as ScalarFormat;
  return { kind: interchangeKinds[type.valueKind]!, bitWidth: type.size * 8, format: arrowFormatFromFormat(type), endianness: '=' };
}

/** The interchange dtype of a column (Arrow C data interface format strings). */
export function columnDtype(type: ColumnType, largeOffsets: boolean): InterchangeDtype {
  switch (type.kind) {
    case 'string':
      return { kind: 'string', bitWidth: 8, format: largeOffsets ? 'U' : 'u', endianness: '=' };
    case 'categorical': {
      const codes = scalarDtype(type.codes);
      return { kind: 'categorical', bitWidth: codes.bitWidth, format: codes.format, endianness: '=' };
    }
    case 'datetime':
      return { kind: 'datetime', bitWidth: 64, format: `ts${unitLetters[type.unit]}:${type.timezone ?? ''}`, endianness: '=' };
    case 'timedelta':
      return { kind: 'datetime', bitWidth: 64, format: `tD${unitLetters[type.unit]}`, endianness: '=' };
    default:
      return scalarDtype(type.kind);
  }
}

/** Parses an Arrow format of a time type (`tsn:UTC`, `tDm`) or returns null. */
export function parseTimeFormat(format: string): ColumnType | null {
  const stamp = /^ts([smun]):(.*)$/.exec(format);
  if (stamp !== null) {
    const unit = letterUnits[stamp[1] ?? ''];
    if (unit !== undefined) return { kind: 'datetime', unit, timezone: stamp[2] === '' || stamp[2] === undefined ? null : stamp[2] };
  }
  const duration = /^tD([smun])$/.exec(format);
  if (duration !== null) {
    const unit = letterUnits[duration[1] ?? ''];
    if (unit !== undefined) return { kind: 'timedelta', unit };
  }
  return null;
}

/** The storage type name of an Arrow C format of a fixed-width scalar (core's mapping), or undefined. */
export function scalarFromFormat(arrowFormat: string): NumericTypeName | 'bool' | undefined {
  try {
    return storageFromFormat(formatFromArrowFormat(arrowFormat));
  } catch {
    return undefined;
  }
}
