import type { ColumnType, TimeUnit } from '../column-type.js';
import type { InterchangeDtype } from '../interchange-types.js';

const unitLetters: Record<TimeUnit, string> = { s: 's', ms: 'm', us: 'u', ns: 'n' };
const letterUnits: Record<string, TimeUnit> = { s: 's', m: 'ms', u: 'us', n: 'ns' };

const scalarFormats: Record<string, readonly [InterchangeDtype['kind'], number, string]> = {
  bool: ['bool', 8, 'b'],
  int8: ['int', 8, 'c'],
  uint8: ['uint', 8, 'C'],
  int16: ['int', 16, 's'],
  uint16: ['uint', 16, 'S'],
  int32: ['int', 32, 'i'],
  uint32: ['uint', 32, 'I'],
  int64: ['int', 64, 'l'],
  uint64: ['uint', 64, 'L'],
  float16: ['float', 16, 'e'],
  float32: ['float', 32, 'f'],
  float64: ['float', 64, 'g'],
};

/** The interchange dtype of a storage type name (bool as bytes). */
export function scalarDtype(name: string): InterchangeDtype {
  const entry = scalarFormats[name] ?? scalarFormats['uint8'];
  const [kind, bitWidth, format] = entry as readonly [InterchangeDtype['kind'], number, string];
  return { kind, bitWidth, format, endianness: '=' };
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

/** The storage type name of an Arrow C format of a fixed-width scalar, or undefined. */
export function scalarFromFormat(format: string): string | undefined {
  for (const [name, [, , code]] of Object.entries(scalarFormats)) if (code === format) return name;
  return undefined;
}
