import { BufferError } from '../errors/buffer-error.js';
import { codeTable, endiannessOf, isNativeSizeMode, NATIVE_ENDIANNESS as nativeEndianness, roundUp, unitAlignment, unitSize } from './code-table.js';
import type { ByteOrderChar, Endianness, FormatField, FormatType, ParsedFormat, ScalarFormat, StructFormat } from './types.js';

/**
 * The byte order of this machine (`'little'` on every mainstream JavaScript host); the byte order
 * that `@`, `=` and `^` select.
 *
 * @example
 * ```ts
 * import { NATIVE_ENDIANNESS } from '@interop/core';
 * console.log(NATIVE_ENDIANNESS); // "little"
 * ```
 */
export const NATIVE_ENDIANNESS: Endianness = nativeEndianness;

/** Largest itemsize a format may describe; larger products are refused rather than overflowing. */
const MAX_ITEMSIZE = 2 ** 40;

function isByteOrderChar(char: string | undefined): char is ByteOrderChar {
  return char === '@' || char === '=' || char === '<' || char === '>' || char === '!' || char === '^';
}

interface ItemList {
  readonly fields: FormatField[];
  /** End of the last item, before any trailing padding. */
  readonly end: number;
  /** Least common multiple of the alignments that were applied (all powers of two: the maximum). */
  readonly alignment: number;
}

/** The deepest nesting of `T{...}` structs a format may have (NumPy's own parser allows 100). */
export const MAX_STRUCT_DEPTH = 64;

class Parser {
  index = 0;
  /**
   * The byte-order character in force. It is one state for the whole string: a change inside
   * `T{...}` stays in force after the `}`, as in NumPy's parser and emitter (which only writes a
   * byte-order character when the order changes, nested structs included).
   */
  byteOrder: ByteOrderChar = '@';
  constructor(readonly source: string) {}

  fail(message: string, position = this.index): never {
    throw new BufferError(
      'ERR_FORMAT_INVALID',
      `Invalid format string ${JSON.stringify(this.source)} at position ${position}: ${message}. Use PEP 3118 struct syntax, e.g. "<f", "(2,3)i" or "T{<i:a:>d:b:}".`,
      { details: { position, format: this.source } },
    );
  }

  peek(): string | undefined {
    return this.source[this.index];
  }

  skipSpace(): void {
    while (this.index < this.source.length && /\s/.test(this.source[this.index]!)) this.index++;
  }

  readByteOrders(): void {
    for (;;) {
      this.skipSpace();
      const char = this.peek();
      if (!isByteOrderChar(char)) return;
      this.byteOrder = char;
      this.index++;
    }
  }

  readInteger(): number | null {
    const start = this.index;
    while (this.index < this.source.length && this.source.charCodeAt(this.index) >= 48 && this.source.charCodeAt(this.index) <= 57) this.index++;
    if (start === this.index) return null;
    const value = Number(this.source.slice(start, this.index));
    if (!Number.isSafeInteger(value) || value > MAX_ITEMSIZE) this.fail(`count ${this.source.slice(start, this.index)} is too large`, start);
    return value;
  }

  readShape(): number[] {
    // The caller has seen "(".
    this.index++;
    const shape: number[] = [];
    for (;;) {
      this.skipSpace();
      const dim = this.readInteger();
      if (dim === null) this.fail('expected a sub-array dimension (a non-negative integer)');
      shape.push(dim);
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.index++;
        continue;
      }
      if (next === ')') {
        this.index++;
        return shape;
      }
      this.fail('expected "," or ")" in a sub-array shape');
    }
  }

  /** Parses items until `terminator` (or the end of the string), laying them out as one struct. */
  parseItems(terminator: '}' | null, openedAt: number, depth = 0): ItemList {
    // Every consumer of a parsed format walks it recursively: bound the nesting so that neither
    // this parser nor they can overflow the stack on a hostile string.
    if (depth > MAX_STRUCT_DEPTH) this.fail(`structs are nested more than ${MAX_STRUCT_DEPTH} deep`, openedAt);
    const fields: FormatField[] = [];
    const names = new Set<string>();
    let offset = 0;
    let alignment = 1;
    for (;;) {
      this.readByteOrders();
      const char = this.peek();
      if (char === undefined) {
        if (terminator !== null) this.fail(`expected "}" to close the struct opened at position ${openedAt}`);
        break;
      }
      if (char === terminator) {
        this.index++;
        break;
      }
      const itemStart = this.index;
      let shape: number[] = [];
      if (char === '(') {
        shape = this.readShape();
        // NumPy writes the byte order after the shape: "(2,3)>i".
        this.readByteOrders();
      }
      const countStart = this.index;
      const count = this.readInteger();
      const code = this.peek();
      if (code === undefined) this.fail('expected a format code after a count or shape');
      let type: FormatType;
      let padding = false;
      // Whether this item is laid out with native alignment: `@` in force once the item is read
      // (for a struct: once its `}` is read, since a byte-order change inside carries out).
      let aligned: boolean;
      if (code === 'T') {
        this.index++;
        if (this.peek() !== '{') this.fail('expected "{" after "T"');
        this.index++;
        const inner = this.parseItems('}', itemStart, depth + 1);
        if (inner.fields.length === 0) this.fail('empty struct "T{}"', itemStart);
        aligned = this.byteOrder === '@';
        const size = aligned ? roundUp(inner.end, inner.alignment) : inner.end;
        type = { kind: 'struct', fields: inner.fields, size, alignment: inner.alignment } satisfies StructFormat;
        if (count !== null && count !== 1) shape = [...shape, count];
      } else {
        const twoChar = code === 'Z' ? this.source.slice(this.index, this.index + 2) : code;
        const spec = codeTable[twoChar];
        if (spec === undefined) {
          if (code === '&' || code === 't' || code === 'X' || code === '{') {
            this.fail(`code "${code}" (pointers, bit fields, function pointers) has no meaning in JavaScript memory and is not supported`);
          }
          if (code === ')' || code === ',' || code === '}' || code === ':') this.fail(`unexpected "${code}"`);
          this.fail(`unknown format code ${JSON.stringify(twoChar)}`);
        }
        this.index += twoChar.length;
        const byteOrder = this.byteOrder;
        const size = unitSize(spec, byteOrder);
        if (size === 0) this.fail(`code "${twoChar}" has no standard size; use it only in native mode ("@" or "^")`, countStart);
        const endianness = endiannessOf(byteOrder);
        const nativeSize = isNativeSizeMode(byteOrder);
        const itemAlignment = unitAlignment(spec, byteOrder);
        aligned = byteOrder === '@';
        if (spec.unit !== undefined) {
          // A counted code: the count is a length (bytes, characters or padding), not a sub-array.
          const length = count ?? 1;
          type = {
            kind: 'scalar',
            code: twoChar,
            valueKind: spec.kind,
            size: length * spec.unit,
            alignment: itemAlignment,
            endianness,
            nativeSize,
            byteOrder,
          } satisfies ScalarFormat;
          padding = spec.kind === 'padding';
        } else {
          type = {
            kind: 'scalar',
            code: twoChar,
            valueKind: spec.kind,
            size,
            alignment: itemAlignment,
            endianness,
            nativeSize,
            byteOrder,
          } satisfies ScalarFormat;
          if (count !== null && count !== 1) shape = [...shape, count];
        }
      }
      let name: string | null = null;
      if (this.peek() === ':') {
        const nameStart = this.index + 1;
        const end = this.source.indexOf(':', nameStart);
        if (end < 0) this.fail('unterminated ":name:"', this.index);
        name = this.source.slice(nameStart, end);
        if (name.length === 0) this.fail('empty field name', nameStart);
        if (names.has(name)) this.fail(`duplicate field name ${JSON.stringify(name)}`, nameStart);
        names.add(name);
        this.index = end + 1;
      }
      if (aligned && type.alignment > 1) {
        offset = roundUp(offset, type.alignment);
        alignment = Math.max(alignment, type.alignment);
      }
      let elements = 1;
      for (const dim of shape) elements *= dim;
      const size = type.size * elements;
      if (!Number.isSafeInteger(size) || offset + size > MAX_ITEMSIZE) this.fail('the described item is too large', itemStart);
      fields.push({ name, offset, type, shape, size, padding });
      offset += size;
    }
    return { fields, end: offset, alignment };
  }
}

const cache = new Map<string, ParsedFormat>();
const CACHE_LIMIT = 512;

/**
 * Parses a PEP 3118 struct format string: byte order (`@ = < > ! ^`, also mid-string), native
 * sizes and alignment (LP64), repeat counts, `x` padding, `T{...}` structs with `:name:` fields
 * and `(2,3)` sub-arrays. Results are cached and frozen.
 *
 * Layout follows NumPy where the PEP is silent: `w` (UCS-4) and `u` (UCS-2) counts are string
 * lengths like `s` (`5w` is one 20-byte string), a byte order may follow a shape (`(2,3)>i`),
 * a byte-order change inside `T{...}` stays in force after it, and a struct is aligned (and its
 * size rounded up to its alignment) only when `@` is in force after its `}`. A top-level list
 * of items gets no trailing padding, as in CPython's `struct.calcsize`.
 *
 * @example
 * ```ts
 * import { parseFormat } from '@interop/core';
 * const parsed = parseFormat('T{<i:a:(2,3)>d:b:}');
 * console.log(parsed.itemsize); // 52
 * ```
 * @throws {BufferError} `ERR_FORMAT_INVALID` for malformed strings; `error.details.position` is
 * the offending index in the string.
 */
export function parseFormat(format: string): ParsedFormat {
  const cached = cache.get(format);
  if (cached !== undefined) return cached;
  if (typeof format !== 'string') {
    throw new BufferError('ERR_FORMAT_INVALID', `A format must be a string; received ${typeof format}. Pass a struct format such as "<f" or "T{i:a:}".`, {
      details: { position: 0 },
    });
  }
  const parser = new Parser(format);
  const { fields, end, alignment } = parser.parseItems(null, 0);
  if (fields.length === 0) parser.fail('the format describes no item', 0);
  const only = fields[0]!;
  const single = fields.length === 1 && only.name === null && only.shape.length === 0 && !only.padding;
  const type: FormatType = single ? only.type : deepFreeze({ kind: 'struct', fields, size: end, alignment });
  if (single) deepFreeze(type);
  const parsed: ParsedFormat = Object.freeze({ source: format, itemsize: type.size, alignment: type.alignment, type });
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(format, parsed);
  return parsed;
}

// Cached results are shared by every caller: freeze them so no caller can corrupt another's.
function deepFreeze<T extends FormatType>(type: T): T {
  if (type.kind === 'struct') {
    for (const field of type.fields) {
      Object.freeze(field.shape);
      deepFreeze(field.type);
      Object.freeze(field);
    }
    Object.freeze(type.fields);
  }
  return Object.freeze(type);
}

/**
 * Size in bytes of one item of `format` (CPython's `struct.calcsize` extended to PEP 3118).
 *
 * @example
 * ```ts
 * import { formatItemsize } from '@interop/core';
 * console.log(formatItemsize('<d')); // 8
 * ```
 * @throws {BufferError} `ERR_FORMAT_INVALID` for malformed strings.
 */
export function formatItemsize(format: string): number {
  return parseFormat(format).itemsize;
}
