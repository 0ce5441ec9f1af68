import { BufferError } from '../errors/buffer-error.js';
import type { ByteOrderChar, Endianness, FormatField, FormatType, ParsedFormat, ScalarFormat, ScalarKind, StructFormat } from './types.js';

/** The byte order of this machine. Every mainstream JavaScript engine host is little-endian. */
export const NATIVE_ENDIANNESS: Endianness = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';

interface CodeSpec {
  readonly kind: ScalarKind;
  readonly nativeSize: number;
  readonly nativeAlignment: number;
  /** Size in standard mode (`= < > !`), or 0 when the code has no standard size. */
  readonly standardSize: number;
  /** True for codes whose repeat count is a byte length (`s`, `p`, `x`). */
  readonly counted?: boolean;
}

// Native sizes are those of the LP64 C ABI (Linux, macOS), which NumPy and CPython report there.
const codes: Readonly<Record<string, CodeSpec>> = {
  c: { kind: 'char', nativeSize: 1, nativeAlignment: 1, standardSize: 1 },
  b: { kind: 'int', nativeSize: 1, nativeAlignment: 1, standardSize: 1 },
  B: { kind: 'uint', nativeSize: 1, nativeAlignment: 1, standardSize: 1 },
  '?': { kind: 'bool', nativeSize: 1, nativeAlignment: 1, standardSize: 1 },
  h: { kind: 'int', nativeSize: 2, nativeAlignment: 2, standardSize: 2 },
  H: { kind: 'uint', nativeSize: 2, nativeAlignment: 2, standardSize: 2 },
  i: { kind: 'int', nativeSize: 4, nativeAlignment: 4, standardSize: 4 },
  I: { kind: 'uint', nativeSize: 4, nativeAlignment: 4, standardSize: 4 },
  l: { kind: 'int', nativeSize: 8, nativeAlignment: 8, standardSize: 4 },
  L: { kind: 'uint', nativeSize: 8, nativeAlignment: 8, standardSize: 4 },
  q: { kind: 'int', nativeSize: 8, nativeAlignment: 8, standardSize: 8 },
  Q: { kind: 'uint', nativeSize: 8, nativeAlignment: 8, standardSize: 8 },
  n: { kind: 'int', nativeSize: 8, nativeAlignment: 8, standardSize: 0 },
  N: { kind: 'uint', nativeSize: 8, nativeAlignment: 8, standardSize: 0 },
  e: { kind: 'float', nativeSize: 2, nativeAlignment: 2, standardSize: 2 },
  f: { kind: 'float', nativeSize: 4, nativeAlignment: 4, standardSize: 4 },
  d: { kind: 'float', nativeSize: 8, nativeAlignment: 8, standardSize: 8 },
  g: { kind: 'float', nativeSize: 16, nativeAlignment: 16, standardSize: 16 },
  Zf: { kind: 'complex', nativeSize: 8, nativeAlignment: 4, standardSize: 8 },
  Zd: { kind: 'complex', nativeSize: 16, nativeAlignment: 8, standardSize: 16 },
  Zg: { kind: 'complex', nativeSize: 32, nativeAlignment: 16, standardSize: 32 },
  u: { kind: 'ucs2', nativeSize: 2, nativeAlignment: 2, standardSize: 2 },
  w: { kind: 'ucs4', nativeSize: 4, nativeAlignment: 4, standardSize: 4 },
  P: { kind: 'pointer', nativeSize: 8, nativeAlignment: 8, standardSize: 0 },
  O: { kind: 'object', nativeSize: 8, nativeAlignment: 8, standardSize: 0 },
  s: { kind: 'bytes', nativeSize: 1, nativeAlignment: 1, standardSize: 1, counted: true },
  p: { kind: 'bytes', nativeSize: 1, nativeAlignment: 1, standardSize: 1, counted: true },
  x: { kind: 'padding', nativeSize: 1, nativeAlignment: 1, standardSize: 1, counted: true },
};

/** Largest itemsize a format may describe; larger products are refused rather than overflowing. */
const MAX_ITEMSIZE = 2 ** 40;

interface ByteOrderState {
  char: ByteOrderChar;
}

class Parser {
  index = 0;
  readonly state: ByteOrderState = { char: '@' };
  constructor(readonly source: string) {}

  fail(message: string, position = this.index): never {
    throw new BufferError('ERR_FORMAT_INVALID', `Invalid format string ${JSON.stringify(this.source)} at position ${position}: ${message}.`, {
      details: { position, format: this.source },
    });
  }

  peek(): string | undefined {
    return this.source[this.index];
  }

  skipSpace(): void {
    while (this.index < this.source.length && /\s/.test(this.source[this.index]!)) this.index++;
  }

  readInteger(): number | null {
    const start = this.index;
    while (this.index < this.source.length && this.source.charCodeAt(this.index) >= 48 && this.source.charCodeAt(this.index) <= 57) this.index++;
    if (start === this.index) return null;
    const value = Number(this.source.slice(start, this.index));
    if (!Number.isSafeInteger(value) || value > MAX_ITEMSIZE) this.fail(`count ${this.source.slice(start, this.index)} is too large`, start);
    return value;
  }

  /** Parses items until `terminator` (or the end), laying them out as one struct. */
  parseItems(terminator: string | null): { fields: FormatField[]; size: number; alignment: number } {
    const fields: FormatField[] = [];
    let offset = 0;
    let alignment = 1;
    for (;;) {
      this.skipSpace();
      const char = this.peek();
      if (char === undefined) {
        if (terminator !== null) this.fail(`expected "${terminator}" to close the struct`);
        break;
      }
      if (char === terminator) {
        this.index++;
        break;
      }
      if (char === '@' || char === '=' || char === '<' || char === '>' || char === '!' || char === '^') {
        this.state.char = char;
        this.index++;
        continue;
      }
      const itemStart = this.index;
      let shape: number[] = [];
      if (char === '(') {
        this.index++;
        for (;;) {
          this.skipSpace();
          const dim = this.readInteger();
          if (dim === null) this.fail('expected a sub-array dimension');
          shape.push(dim);
          this.skipSpace();
          const next = this.peek();
          if (next === ',') {
            this.index++;
            continue;
          }
          if (next === ')') {
            this.index++;
            break;
          }
          this.fail('expected "," or ")" in a sub-array shape');
        }
        this.skipSpace();
      }
      const count = this.readInteger();
      const code = this.peek();
      if (code === undefined) this.fail('expected a format code after a count or shape');
      let type: FormatType;
      let padding = false;
      if (code === 'T') {
        this.index++;
        if (this.peek() !== '{') this.fail('expected "{" after "T"');
        this.index++;
        const inner = this.parseItems('}');
        if (inner.fields.length === 0) this.fail('empty struct "T{}"', itemStart);
        type = { kind: 'struct', fields: inner.fields, size: roundUp(inner.size, inner.alignment), alignment: inner.alignment } satisfies StructFormat;
        if (count !== null && count !== 1) shape = [...shape, count];
      } else {
        const twoChar = code === 'Z' ? this.source.slice(this.index, this.index + 2) : code;
        const spec = codes[twoChar];
        if (spec === undefined) {
          if (code === '&' || code === 't' || code === '{') this.fail(`code "${code}" (pointers, bit fields, function pointers) is not supported in JavaScript`);
          this.fail(`unknown format code "${twoChar}"`);
        }
        this.index += twoChar.length;
        const byteOrder = this.state.char;
        const nativeMode = byteOrder === '@' || byteOrder === '^';
        const unitSize = nativeMode ? spec.nativeSize : spec.standardSize;
        if (unitSize === 0) this.fail(`code "${twoChar}" has no standard size; use it only with "@" or "^"`, itemStart);
        const endianness: Endianness = byteOrder === '<' ? 'little' : byteOrder === '>' || byteOrder === '!' ? 'big' : NATIVE_ENDIANNESS;
        if (spec.counted === true) {
          const length = count ?? 1;
          type = { kind: 'scalar', code: twoChar, valueKind: spec.kind, size: length, alignment: 1, endianness, nativeSize: nativeMode, byteOrder } satisfies ScalarFormat;
          padding = spec.kind === 'padding';
        } else {
          const itemAlignment = byteOrder === '@' ? spec.nativeAlignment : 1;
          type = { kind: 'scalar', code: twoChar, valueKind: spec.kind, size: unitSize, alignment: itemAlignment, endianness, nativeSize: nativeMode, byteOrder } satisfies ScalarFormat;
          if (count !== null && count !== 1) shape = [...shape, count];
          else if (count === 1 && shape.length === 0) shape = [];
        }
      }
      let name: string | null = null;
      if (this.peek() === ':') {
        const nameStart = this.index + 1;
        const end = this.source.indexOf(':', nameStart);
        if (end < 0) this.fail('unterminated ":name:"');
        name = this.source.slice(nameStart, end);
        if (name.length === 0) this.fail('empty field name', nameStart);
        this.index = end + 1;
      }
      const itemAlignment = type.alignment;
      if (itemAlignment > 1) {
        offset = Math.ceil(offset / itemAlignment) * itemAlignment;
        alignment = Math.max(alignment, itemAlignment);
      }
      let elements = 1;
      for (const dim of shape) elements *= dim;
      const size = type.size * elements;
      if (!Number.isSafeInteger(size) || offset + size > MAX_ITEMSIZE) this.fail('the described item is too large', itemStart);
      fields.push({ name, offset, type, shape, size, padding });
      offset += size;
    }
    return { fields, size: offset, alignment };
  }
}

const cache = new Map<string, ParsedFormat>();
const CACHE_LIMIT = 512;

/**
 * Parses a PEP 3118 struct format string: byte order (`@ = < > ! ^`, also mid-string), native
 * sizes and alignment, repeat counts, `x` padding, `T{...}` structs with `:name:` fields and
 * `(2,3)` sub-arrays.
 *
 * @example
 * ```ts
 * import { parseFormat } from '@interop/core';
 * parseFormat('T{<i:a:(2,3)>d:b:}').itemsize; // 52
 * ```
 * @throws {BufferError} `ERR_FORMAT_INVALID` for malformed strings, naming the position.
 */
export function parseFormat(format: string): ParsedFormat {
  const cached = cache.get(format);
  if (cached !== undefined) return cached;
  if (typeof format !== 'string') {
    throw new BufferError('ERR_FORMAT_INVALID', `A format must be a string; received ${typeof format}. Pass a struct format such as "<f" or "T{i:a:}".`, { details: { position: 0 } });
  }
  const parser = new Parser(format);
  const { fields, size, alignment } = parser.parseItems(null);
  if (fields.length === 0) parser.fail('the format describes no item', 0);
  const only = fields[0]!;
  const single = fields.length === 1 && only.name === null && only.shape.length === 0 && !only.padding;
  const type: FormatType = single ? only.type : { kind: 'struct', fields, size, alignment };
  // A single T{...} keeps its own (trailing-padded) size; a top-level item list has none, as in CPython's struct.
  const itemsize = single ? only.type.size : size;
  const parsed: ParsedFormat = Object.freeze({ source: format, itemsize, alignment: type.alignment, type });
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(format, parsed);
  return parsed;
}

function roundUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/**
 * Size in bytes of one item of `format` (CPython's `struct.calcsize` extended to PEP 3118).
 *
 * @example
 * ```ts
 * formatItemsize('<d'); // 8
 * ```
 * @throws {BufferError} `ERR_FORMAT_INVALID` for malformed strings.
 */
export function formatItemsize(format: string): number {
  return parseFormat(format).itemsize;
}
