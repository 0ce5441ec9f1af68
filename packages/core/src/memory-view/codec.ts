// Reading and writing one item of a PEP 3118 format through a DataView, with CPython's value
// rules: integers are range-checked (never wrapped), floats that overflow their format are
// refused, booleans are booleans, 8-byte integers are bigints.
import { BufferError } from '../errors/buffer-error.js';
import { parseFormat } from '../format/parse.js';
import type { FormatField, FormatType, ScalarFormat } from '../format/types.js';
import { halfToNumber, numberToHalf } from './float16.js';

/** One scalar item as a MemoryView reads it (see `MemoryViewValue`). */
export type MemoryViewScalar = number | bigint | boolean | string | Uint8Array | [number, number];

/** A record (`T{...}`) item: one property per named field, sub-arrays as nested arrays. */
export interface MemoryViewRecord {
  [field: string]: MemoryViewValue;
}

/**
 * A value read from, or written to, one item of a MemoryView: `number` for integers up to 4 bytes
 * and floats (including float16 `e`), `bigint` for 8-byte integers (`q Q n N`, native `l L`, `P`),
 * `boolean` for `?`, `[re, im]` for complex `Zf`/`Zd`, a `Uint8Array` for `c` and `s`, a one
 * character string for `u`/`w`, and plain objects for records (`T{...}`) with sub-arrays as
 * nested arrays.
 */
export type MemoryViewValue = MemoryViewScalar | MemoryViewRecord | MemoryViewValue[];

/** Reads and writes one item of a format. */
export interface ItemCodec {
  /** False when the format has no JavaScript value (`g`, `Zg`, `O`, `x`). */
  readonly itemisable: boolean;
  /** Why the format cannot be itemised (for messages), or null. */
  readonly reason: string | null;
  read(view: DataView, offset: number): MemoryViewValue;
  /** @throws {BufferError} `ERR_VALUE_INVALID` when `value` does not fit; `ERR_FORMAT_UNSUPPORTED`. */
  write(view: DataView, offset: number, value: unknown): void;
}

const codecCache = new Map<string, ItemCodec>();

/** The codec of a format string (cached). */
export function codecFor(format: string): ItemCodec {
  let codec = codecCache.get(format);
  if (codec === undefined) {
    codec = buildCodec(parseFormat(format).type, format);
    if (codecCache.size > 512) codecCache.clear();
    codecCache.set(format, codec);
  }
  return codec;
}

function invalid(format: string, expected: string, value: unknown): never {
  throw new BufferError(
    'ERR_VALUE_INVALID',
    `Cannot store ${describeValue(value)} as format ${JSON.stringify(format)}: expected ${expected}. Pass a value the format can hold exactly.`,
    {
      details: { operation: 'set', format },
    },
  );
}

function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value);
  if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function unsupported(format: string, reason: string): ItemCodec {
  const fail = (): never => {
    throw new BufferError(
      'ERR_FORMAT_UNSUPPORTED',
      `Items of format ${JSON.stringify(format)} have no JavaScript value: ${reason}. Cast the view to "B" to read its bytes.`,
      {
        details: { operation: 'get', format },
      },
    );
  };
  return { itemisable: false, reason, read: fail, write: fail };
}

function buildCodec(type: FormatType, format: string): ItemCodec {
  if (type.kind === 'scalar') return scalarCodec(type, format);
  return recordCodec(type.fields, format);
}

/** Field names of a record as MemoryView reports them: `:name:` or NumPy's `f<position>`. */
export function recordFieldNames(fields: readonly FormatField[]): string[] {
  const names: string[] = [];
  let position = 0;
  for (const field of fields) {
    if (field.padding) continue;
    names.push(field.name ?? `f${position}`);
    position++;
  }
  return names;
}

function recordCodec(fields: readonly FormatField[], format: string): ItemCodec {
  const members: { name: string; offset: number; shape: readonly number[]; size: number; codec: ItemCodec }[] = [];
  const names = recordFieldNames(fields);
  let position = 0;
  for (const field of fields) {
    if (field.padding) continue;
    const codec = buildCodec(field.type, format);
    if (!codec.itemisable) return unsupported(format, `field ${JSON.stringify(names[position])}: ${codec.reason ?? ''}`);
    members.push({ name: names[position]!, offset: field.offset, shape: field.shape, size: field.type.size, codec });
    position++;
  }
  const readArray = (view: DataView, offset: number, shape: readonly number[], dim: number, size: number, codec: ItemCodec): MemoryViewValue[] => {
    const length = shape[dim]!;
    const out: MemoryViewValue[] = new Array<MemoryViewValue>(length);
    let step = size;
    for (let k = dim + 1; k < shape.length; k++) step *= shape[k]!;
    for (let i = 0; i < length; i++) {
      out[i] = dim === shape.length - 1 ? codec.read(view, offset + i * step) : readArray(view, offset + i * step, shape, dim + 1, size, codec);
    }
    return out;
  };
  const writeArray = (
    view: DataView,
    offset: number,
    shape: readonly number[],
    dim: number,
    size: number,
    codec: ItemCodec,
    value: unknown,
    name: string,
  ): void => {
    const length = shape[dim]!;
    if (!Array.isArray(value) || value.length !== length)
      invalid(format, `field ${JSON.stringify(name)} as a nested array of shape [${shape.join(', ')}]`, value);
    let step = size;
    for (let k = dim + 1; k < shape.length; k++) step *= shape[k]!;
    for (let i = 0; i < length; i++) {
      const item: unknown = (value as unknown[])[i];
      if (dim === shape.length - 1) codec.write(view, offset + i * step, item);
      else writeArray(view, offset + i * step, shape, dim + 1, size, codec, item, name);
    }
  };
  const scratchSize = Math.max(1, recordSize(members));
  return {
    itemisable: true,
    reason: null,
    read(view, offset) {
      const out: MemoryViewRecord = {};
      for (const member of members) {
        out[member.name] =
          member.shape.length === 0
            ? member.codec.read(view, offset + member.offset)
            : readArray(view, offset + member.offset, member.shape, 0, member.size, member.codec);
      }
      return out;
    },
    write(view, offset, value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
        invalid(format, `an object with fields ${members.map((m) => m.name).join(', ')}`, value);
      }
      const record = value as Record<string, unknown>;
      // Validate every field before writing any, so a refused record leaves the item unchanged.
      for (const member of members) {
        if (!(member.name in record)) invalid(format, `an object with field ${JSON.stringify(member.name)}`, value);
      }
      const scratch = new DataView(new ArrayBuffer(scratchSize));
      for (const member of members) {
        const field = record[member.name];
        if (member.shape.length === 0) member.codec.write(scratch, member.offset, field);
        else writeArray(scratch, member.offset, member.shape, 0, member.size, member.codec, field, member.name);
      }
      for (const member of members) {
        let length = member.size;
        for (const dim of member.shape) length *= dim;
        for (let i = 0; i < length; i++) view.setUint8(offset + member.offset + i, scratch.getUint8(member.offset + i));
      }
    },
  };
}

function recordSize(members: readonly { offset: number; shape: readonly number[]; size: number }[]): number {
  let end = 0;
  for (const member of members) {
    let length = member.size;
    for (const dim of member.shape) length *= dim;
    end = Math.max(end, member.offset + length);
  }
  return end;
}

const INT_LIMITS: Record<number, readonly [number, number]> = { 1: [-128, 127], 2: [-32768, 32767], 4: [-2147483648, 2147483647] };
const UINT_LIMITS: Record<number, number> = { 1: 255, 2: 65535, 4: 4294967295 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function toInteger(value: unknown, format: string, expected: string): number | bigint {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) invalid(format, expected, value);
    return value;
  }
  if (typeof value === 'bigint') return value;
  return invalid(format, expected, value);
}

function scalarCodec(type: ScalarFormat, format: string): ItemCodec {
  const little = type.endianness === 'little';
  const size = type.size;
  switch (type.valueKind) {
    case 'int':
    case 'uint':
    case 'pointer': {
      const signed = type.valueKind === 'int';
      if (size === 8) {
        const min = signed ? INT64_MIN : 0n;
        const max = signed ? INT64_MAX : UINT64_MAX;
        const expected = `an integer in [${min}, ${max}] (a bigint, or a safe integer number)`;
        return {
          itemisable: true,
          reason: null,
          read: signed ? (view, offset) => view.getBigInt64(offset, little) : (view, offset) => view.getBigUint64(offset, little),
          write(view, offset, value) {
            const integer = toInteger(value, format, expected);
            if (typeof integer === 'number' && !Number.isSafeInteger(integer)) invalid(format, expected, value);
            const big = BigInt(integer);
            if (big < min || big > max) invalid(format, expected, value);
            if (signed) view.setBigInt64(offset, big, little);
            else view.setBigUint64(offset, big, little);
          },
        };
      }
      const [min, max] = signed ? INT_LIMITS[size]! : [0, UINT_LIMITS[size]!];
      const expected = `an integer in [${min}, ${max}]`;
      const check = (value: unknown): number => {
        const integer = toInteger(value, format, expected);
        if (integer < min || integer > max) invalid(format, expected, value);
        return Number(integer);
      };
      if (size === 1) {
        return signed
          ? { itemisable: true, reason: null, read: (view, offset) => view.getInt8(offset), write: (view, offset, value) => view.setInt8(offset, check(value)) }
          : {
              itemisable: true,
              reason: null,
              read: (view, offset) => view.getUint8(offset),
              write: (view, offset, value) => view.setUint8(offset, check(value)),
            };
      }
      if (size === 2) {
        return signed
          ? {
              itemisable: true,
              reason: null,
              read: (view, offset) => view.getInt16(offset, little),
              write: (view, offset, value) => view.setInt16(offset, check(value), little),
            }
          : {
              itemisable: true,
              reason: null,
              read: (view, offset) => view.getUint16(offset, little),
              write: (view, offset, value) => view.setUint16(offset, check(value), little),
            };
      }
      return signed
        ? {
            itemisable: true,
            reason: null,
            read: (view, offset) => view.getInt32(offset, little),
            write: (view, offset, value) => view.setInt32(offset, check(value), little),
          }
        : {
            itemisable: true,
            reason: null,
            read: (view, offset) => view.getUint32(offset, little),
            write: (view, offset, value) => view.setUint32(offset, check(value), little),
          };
    }
    case 'bool':
      return {
        itemisable: true,
        reason: null,
        read: (view, offset) => view.getUint8(offset) !== 0,
        write(view, offset, value) {
          if (typeof value !== 'boolean') invalid(format, 'a boolean', value);
          view.setUint8(offset, value ? 1 : 0);
        },
      };
    case 'float': {
      if (size === 16) return unsupported(format, 'long double ("g") has no JavaScript number type');
      const check = (value: unknown, narrowed: number): void => {
        if (Number.isFinite(value) && !Number.isFinite(narrowed)) invalid(format, `a number within the range of a ${size * 8}-bit float`, value);
      };
      if (size === 2) {
        return {
          itemisable: true,
          reason: null,
          read: (view, offset) => halfToNumber(view.getUint16(offset, little)),
          write(view, offset, value) {
            if (typeof value !== 'number') invalid(format, 'a number', value);
            const bits = numberToHalf(value);
            check(value, halfToNumber(bits));
            view.setUint16(offset, bits, little);
          },
        };
      }
      if (size === 4) {
        return {
          itemisable: true,
          reason: null,
          read: (view, offset) => view.getFloat32(offset, little),
          write(view, offset, value) {
            if (typeof value !== 'number') invalid(format, 'a number', value);
            check(value, Math.fround(value));
            view.setFloat32(offset, value, little);
          },
        };
      }
      return {
        itemisable: true,
        reason: null,
        read: (view, offset) => view.getFloat64(offset, little),
        write(view, offset, value) {
          if (typeof value !== 'number') invalid(format, 'a number', value);
          view.setFloat64(offset, value, little);
        },
      };
    }
    case 'complex': {
      if (size === 32) return unsupported(format, 'complex long double ("Zg") has no JavaScript number type');
      const half = size / 2;
      const parts = (value: unknown): [number, number] => {
        if (typeof value === 'number') return [value, 0];
        if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'number' || typeof value[1] !== 'number')
          invalid(format, 'a complex number as [re, im] (or a real number)', value);
        const pair = value as [number, number];
        if (
          half === 4 &&
          ((Number.isFinite(pair[0]) && !Number.isFinite(Math.fround(pair[0]))) || (Number.isFinite(pair[1]) && !Number.isFinite(Math.fround(pair[1]))))
        ) {
          invalid(format, 'parts within the range of a 32-bit float', value);
        }
        return pair;
      };
      return half === 4
        ? {
            itemisable: true,
            reason: null,
            read: (view, offset) => [view.getFloat32(offset, little), view.getFloat32(offset + 4, little)],
            write(view, offset, value) {
              const [re, im] = parts(value);
              view.setFloat32(offset, re, little);
              view.setFloat32(offset + 4, im, little);
            },
          }
        : {
            itemisable: true,
            reason: null,
            read: (view, offset) => [view.getFloat64(offset, little), view.getFloat64(offset + 8, little)],
            write(view, offset, value) {
              const [re, im] = parts(value);
              view.setFloat64(offset, re, little);
              view.setFloat64(offset + 8, im, little);
            },
          };
    }
    case 'char':
    case 'bytes': {
      const exact = type.valueKind === 'char' || type.code === 'p';
      return {
        itemisable: true,
        reason: null,
        read: (view, offset) => new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + size)),
        write(view, offset, value) {
          if (!(value instanceof Uint8Array) || (exact ? value.length !== size : value.length > size)) {
            invalid(
              format,
              exact ? `a Uint8Array of exactly ${size} byte${size === 1 ? '' : 's'}` : `a Uint8Array of at most ${size} bytes (shorter values are zero-padded)`,
              value,
            );
          }
          const bytes = value;
          for (let i = 0; i < size; i++) view.setUint8(offset + i, i < bytes.length ? bytes[i]! : 0);
        },
      };
    }
    case 'ucs2':
    case 'ucs4': {
      // `Nw` / `Nu` are fixed-length strings of N UCS-4 / UCS-2 units (NumPy's `<U5` is `5w`);
      // trailing NUL units are padding, dropped on read as NumPy does.
      const wide = type.valueKind === 'ucs4';
      const unit = wide ? 4 : 2;
      const units = size / unit;
      return {
        itemisable: true,
        reason: null,
        read(view, offset) {
          let length = units;
          while (length > 0 && (wide ? view.getUint32(offset + (length - 1) * 4, little) : view.getUint16(offset + (length - 1) * 2, little)) === 0) length--;
          let text = '';
          for (let i = 0; i < length; i++) {
            const code = wide ? view.getUint32(offset + i * 4, little) : view.getUint16(offset + i * 2, little);
            if (wide && code > 0x10ffff) {
              throw new BufferError('ERR_VALUE_INVALID', `The item of format ${JSON.stringify(format)} holds ${code}, which is not a Unicode code point.`, {
                details: { operation: 'get', format },
              });
            }
            text += wide ? String.fromCodePoint(code) : String.fromCharCode(code);
          }
          return text;
        },
        write(view, offset, value) {
          if (typeof value !== 'string') invalid(format, `a string of at most ${units} ${wide ? 'code points' : 'UTF-16 code units'}`, value);
          const codes = wide ? Array.from(value, (char) => char.codePointAt(0)!) : Array.from({ length: value.length }, (_, i) => value.charCodeAt(i));
          if (codes.length > units) invalid(format, `a string of at most ${units} ${wide ? 'code points' : 'UTF-16 code units'}`, value);
          for (let i = 0; i < units; i++) {
            const code = i < codes.length ? codes[i]! : 0;
            if (wide) view.setUint32(offset + i * 4, code, little);
            else view.setUint16(offset + i * 2, code, little);
          }
        },
      };
    }
    case 'object':
      return unsupported(format, 'Python object pointers ("O") cannot be dereferenced in JavaScript');
    case 'padding':
      return unsupported(format, 'padding ("x") holds no value');
  }
}

/** True when two read values are equal as CPython's memoryview `==` compares items (NaN unequal). */
export function valuesEqual(a: MemoryViewValue, b: MemoryViewValue): boolean {
  if (typeof a === 'number' || typeof a === 'bigint' || typeof a === 'boolean') {
    if (typeof b !== 'number' && typeof b !== 'bigint' && typeof b !== 'boolean') {
      // A real equals a complex with a zero imaginary part, as in Python.
      return Array.isArray(b) && b.length === 2 && typeof b[0] === 'number' && b[1] === 0 && numericEqual(a, b[0]);
    }
    return numericEqual(a, b);
  }
  if (typeof a === 'string') return a === b;
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a)) {
    if (a.length === 2 && typeof a[0] === 'number' && typeof a[1] === 'number' && (typeof b === 'number' || typeof b === 'bigint' || typeof b === 'boolean')) {
      return a[1] === 0 && numericEqual(a[0], b);
    }
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (typeof b !== 'object' || b === null || Array.isArray(b) || b instanceof Uint8Array) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i]) return false;
    if (!valuesEqual(a[key]!, b[key]!)) return false;
  }
  return true;
}

function numericEqual(a: number | bigint | boolean, b: number | bigint | boolean): boolean {
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  // Loose equality compares a bigint and a number exactly (2**53 + 1 vs 2**53 is false).
  return x == y;
}
