// Test helpers: an independent element decoder (DataView reads driven by core's format parser),
// producing the same encoding as fixtures/generate.py writes into expected.json.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BufferFlags, getBuffer, parseFormat, releaseBuffer, resolveLayout, type FormatType } from '@interop/core';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixturesDir, name)));

export interface Expected {
  readonly descr: string;
  readonly shape: number[];
  readonly fortran_order: boolean;
  readonly values: unknown[];
}
export const expectedFixtures = JSON.parse(readFileSync(join(fixturesDir, 'expected.json'), 'utf8')) as Record<string, Expected>;

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

export function encodeFloat(value: number): unknown {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0';
  return value;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function decodeScalar(view: DataView, offset: number, type: FormatType & { kind: 'scalar' }): unknown {
  const little = type.endianness === 'little';
  const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, type.size);
  switch (type.valueKind) {
    case 'bool':
      return view.getUint8(offset) !== 0;
    case 'int':
    case 'uint': {
      const signed = type.valueKind === 'int';
      switch (type.size) {
        case 1:
          return String(signed ? view.getInt8(offset) : view.getUint8(offset));
        case 2:
          return String(signed ? view.getInt16(offset, little) : view.getUint16(offset, little));
        case 4:
          return String(signed ? view.getInt32(offset, little) : view.getUint32(offset, little));
        default:
          return String(signed ? view.getBigInt64(offset, little) : view.getBigUint64(offset, little));
      }
    }
    case 'float':
      if (type.size === 2) return encodeFloat(half(view.getUint16(offset, little)));
      return encodeFloat(type.size === 4 ? view.getFloat32(offset, little) : view.getFloat64(offset, little));
    case 'complex': {
      const part = type.size / 2;
      const read = (at: number): unknown => encodeFloat(part === 4 ? view.getFloat32(at, little) : view.getFloat64(at, little));
      return [read(offset), read(offset + part)];
    }
    case 'ucs4':
      return decodeUcs4(view, offset, type.size / 4, little);
    case 'bytes':
    case 'char':
    case 'padding':
      return hex(bytes);
    default:
      throw new Error(`unexpected scalar ${type.code}`);
  }
}

function decodeUcs4(view: DataView, offset: number, count: number, little: boolean): string {
  const points: number[] = [];
  for (let i = 0; i < count; i++) points.push(view.getUint32(offset + 4 * i, little));
  while (points.length > 0 && points.at(-1) === 0) points.pop();
  // Mutated files may hold code points beyond Unicode; show them as U+FFFD as a decoder would.
  return String.fromCodePoint(...points.map((p) => (p > 0x10ffff ? 0xfffd : p)));
}

function decodeItem(view: DataView, offset: number, type: FormatType, topLevel: boolean): unknown {
  if (type.kind === 'scalar') return decodeScalar(view, offset, type);
  const only = type.fields.length === 1 ? type.fields[0]! : undefined;
  if (topLevel && only !== undefined && only.name === null) {
    if (only.padding) return hex(new Uint8Array(view.buffer, view.byteOffset + offset, only.size));
  }
  const record: Record<string, unknown> = {};
  for (const field of type.fields) {
    if (field.name === null) continue;
    if (field.padding) {
      record[field.name] = hex(new Uint8Array(view.buffer, view.byteOffset + offset + field.offset, field.size));
      continue;
    }
    const at = offset + field.offset;
    if (field.shape.length > 0) {
      const count = field.shape.reduce((a, b) => a * b, 1);
      const size = field.type.kind === 'scalar' ? field.type.size : field.type.size;
      record[field.name] = Array.from({ length: count }, (_, i) => decodeItem(view, at + i * size, field.type, false));
    } else {
      record[field.name] = decodeItem(view, at, field.type, false);
    }
  }
  return record;
}

/** Every item of an exporter, in C order, encoded like expected.json. */
export function decodeAll(exporter: unknown): unknown[] {
  const info = getBuffer(exporter, BufferFlags.RECORDS_RO);
  try {
    const layout = resolveLayout(info);
    const type = parseFormat(layout.format).type;
    const view = new DataView(layout.buffer);
    const out: unknown[] = [];
    const total = layout.shape.reduce((a, b) => a * b, 1);
    const index = new Array<number>(layout.ndim).fill(0);
    for (let n = 0; n < total; n++) {
      let offset = layout.byteOffset;
      for (let d = 0; d < layout.ndim; d++) offset += index[d]! * layout.strides[d]!;
      out.push(decodeItem(view, offset, type, true));
      for (let d = layout.ndim - 1; d >= 0; d--) {
        if (++index[d]! < layout.shape[d]!) break;
        index[d] = 0;
      }
    }
    return out;
  } finally {
    releaseBuffer(info);
  }
}

/** Builds a .npy file around a header text, as NumPy lays it out (or not, with align 0). */
export function npyWith(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  options: { major?: number; minor?: number; align?: number; encoding?: 'latin1' | 'utf8' } = {},
): Uint8Array {
  const major = options.major ?? 1;
  const body = options.encoding === 'utf8' ? new TextEncoder().encode(header) : Uint8Array.from(header, (c) => c.charCodeAt(0));
  const lengthField = major === 1 ? 2 : 4;
  const align = options.align ?? 64;
  const padding = align === 0 ? 0 : (align - ((8 + lengthField + body.length + 1) % align)) % align;
  const headerLength = body.length + padding + 1;
  const out = new Uint8Array(8 + lengthField + headerLength + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, options.minor ?? 0]);
  const view = new DataView(out.buffer);
  if (lengthField === 2) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  out.set(body, 8 + lengthField);
  out.fill(0x20, 8 + lengthField + body.length);
  out[8 + lengthField + headerLength - 1] = 0x0a;
  out.set(data, 8 + lengthField + headerLength);
  return out;
}
