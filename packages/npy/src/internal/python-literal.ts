import { NpyError } from '../errors/npy-error.js';

/**
 * A Python literal as `ast.literal_eval` would produce it. Nothing here is ever evaluated: the
 * parser recognises the literal grammar only (strings, bytes, numbers, True/False/None, tuples,
 * lists, dicts, sets, unary +/- on numbers and the `a+bj` complex form) and refuses the rest.
 */
export type PyValue =
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'complex'; readonly real: number; readonly imag: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'tuple'; readonly items: readonly PyValue[] }
  | { readonly kind: 'list'; readonly items: readonly PyValue[] }
  | { readonly kind: 'set'; readonly items: readonly PyValue[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [PyValue, PyValue])[] };

export interface LiteralOptions {
  /** Accept Python 2 long suffixes (`3L`), as NumPy does for format 1.0 and 2.0 headers. */
  readonly allowLongSuffix?: boolean;
}

/** Nesting deeper than this is refused (a structured dtype never comes close; it bounds recursion). */
const MAX_DEPTH = 100;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentifierStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdentifierPart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_\u0080-\uffff]/.test(c);

class LiteralParser {
  index = 0;
  depth = 0;
  constructor(
    readonly source: string,
    readonly options: LiteralOptions,
  ) {}

  fail(message: string, position = this.index): never {
    const excerpt = JSON.stringify(this.source.slice(Math.max(0, position - 20), position + 20));
    throw new NpyError(
      'ERR_NPY_HEADER_SYNTAX',
      `The .npy header is not a Python literal: ${message} at position ${position} (near ${excerpt}). Only literals are accepted; nothing is evaluated. Re-save the file with NumPy.`,
      {
        details: { position },
      },
    );
  }

  skipSpace(): void {
    const s = this.source;
    for (;;) {
      const c = s[this.index];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
        this.index++;
      } else if (c === '#') {
        while (this.index < s.length && s[this.index] !== '\n' && s[this.index] !== '\r') this.index++;
      } else if (c === '\\' && (s[this.index + 1] === '\n' || s[this.index + 1] === '\r')) {
        this.index += 2;
      } else {
        return;
      }
    }
  }

  parseTop(): PyValue {
    this.skipSpace();
    const value = this.parseExpression();
    this.skipSpace();
    if (this.index !== this.source.length) this.fail(`unexpected ${JSON.stringify(this.source[this.index])} after the literal`);
    return value;
  }

  parseExpression(): PyValue {
    const start = this.index;
    let value = this.parseUnary();
    this.skipSpace();
    // literal_eval accepts exactly `real +/- imaginary` as a binary operation (complex literals).
    const op = this.source[this.index];
    if ((op === '+' || op === '-') && (value.kind === 'int' || value.kind === 'float')) {
      this.index++;
      this.skipSpace();
      const right = this.parseUnary();
      if (right.kind !== 'complex' || right.real !== 0) this.fail('only "real + imaginary" is allowed as an operation', start);
      const real = value.kind === 'int' ? Number(value.value) : value.value;
      value = { kind: 'complex', real, imag: op === '+' ? right.imag : -right.imag };
    }
    return value;
  }

  parseUnary(): PyValue {
    const c = this.source[this.index];
    if (c === '+' || c === '-') {
      const start = this.index;
      this.index++;
      this.skipSpace();
      const operand = this.enter(() => this.parseUnary());
      if (operand.kind === 'int') return c === '-' ? { kind: 'int', value: -operand.value } : operand;
      if (operand.kind === 'float') return c === '-' ? { kind: 'float', value: -operand.value } : operand;
      if (operand.kind === 'complex') return c === '-' ? { kind: 'complex', real: -operand.real, imag: -operand.imag } : operand;
      this.fail(`unary ${c} applies to numbers only`, start);
    }
    return this.parseAtom();
  }

  enter<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  parseAtom(): PyValue {
    const s = this.source;
    const c = s[this.index];
    if (c === undefined) this.fail('unexpected end of header');
    if (c === '(') return this.enter(() => this.parseParenthesis());
    if (c === '[') return this.enter(() => ({ kind: 'list', items: this.parseSequence(']') }));
    if (c === '{') return this.enter(() => this.parseBrace());
    if (c === "'" || c === '"') return this.parseStrings();
    if (isDigit(c) || (c === '.' && isDigit(s[this.index + 1]))) return this.parseNumber();
    if (isIdentifierStart(c)) {
      const start = this.index;
      while (isIdentifierPart(s[this.index])) this.index++;
      const word = s.slice(start, this.index);
      if ((s[this.index] === "'" || s[this.index] === '"') && /^(?:[rRuUbB]|[bB][rR]|[rR][bB])$/.test(word)) {
        this.index = start;
        return this.parseStrings();
      }
      if (word === 'True') return { kind: 'bool', value: true };
      if (word === 'False') return { kind: 'bool', value: false };
      if (word === 'None') return { kind: 'none' };
      this.fail(`the name ${JSON.stringify(word)} is not a literal`, start);
    }
    this.fail(`unexpected ${JSON.stringify(c)}`);
  }

  parseParenthesis(): PyValue {
    const open = this.index;
    this.index++;
    this.skipSpace();
    if (this.source[this.index] === ')') {
      this.index++;
      return { kind: 'tuple', items: [] };
    }
    const first = this.parseExpression();
    this.skipSpace();
    if (this.source[this.index] === ')') {
      this.index++;
      return first;
    }
    if (this.source[this.index] !== ',') this.fail('expected "," or ")"');
    this.index = open;
    return { kind: 'tuple', items: this.parseSequence(')') };
  }

  /** Parses `open item, item, ... [,] close` starting at the opening bracket. */
  parseSequence(close: string): PyValue[] {
    this.index++;
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.source[this.index] === close) {
        this.index++;
        return items;
      }
      items.push(this.parseExpression());
      this.skipSpace();
      const c = this.source[this.index];
      if (c === ',') {
        this.index++;
      } else if (c === close) {
        this.index++;
        return items;
      } else {
        this.fail(`expected "," or "${close}"`);
      }
    }
  }

  parseBrace(): PyValue {
    this.index++;
    this.skipSpace();
    if (this.source[this.index] === '}') {
      this.index++;
      return { kind: 'dict', entries: [] };
    }
    const first = this.parseExpression();
    this.skipSpace();
    if (this.source[this.index] !== ':') {
      // A set display.
      const items = [first];
      for (;;) {
        const c = this.source[this.index];
        if (c === '}') {
          this.index++;
          return { kind: 'set', items };
        }
        if (c !== ',') this.fail('expected "," or "}" in a set');
        this.index++;
        this.skipSpace();
        if (this.source[this.index] === '}') continue;
        items.push(this.parseExpression());
        this.skipSpace();
      }
    }
    const entries: (readonly [PyValue, PyValue])[] = [];
    let key = first;
    for (;;) {
      this.index++; // ':'
      this.skipSpace();
      const value = this.parseExpression();
      entries.push([key, value]);
      this.skipSpace();
      const c = this.source[this.index];
      if (c === '}') {
        this.index++;
        return { kind: 'dict', entries };
      }
      if (c !== ',') this.fail('expected "," or "}" in a dict');
      this.index++;
      this.skipSpace();
      if (this.source[this.index] === '}') {
        this.index++;
        return { kind: 'dict', entries };
      }
      key = this.parseExpression();
      this.skipSpace();
      if (this.source[this.index] !== ':') this.fail('expected ":" in a dict');
    }
  }

  /** Adjacent string literals concatenate, as in Python; str and bytes cannot be mixed. */
  parseStrings(): PyValue {
    const start = this.index;
    const first = this.parseOneString();
    let text = first.text;
    for (;;) {
      const save = this.index;
      this.skipSpace();
      const c = this.source[this.index];
      const prefixed = /^(?:[rRuUbB]|[bB][rR]|[rR][bB])['"]/.test(this.source.slice(this.index, this.index + 3));
      if (c !== "'" && c !== '"' && !prefixed) {
        this.index = save;
        break;
      }
      const next = this.parseOneString();
      if (next.bytes !== first.bytes) this.fail('cannot mix bytes and str literals', start);
      text += next.text;
    }
    if (!first.bytes) return { kind: 'str', value: text };
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return { kind: 'bytes', value: bytes };
  }

  parseOneString(): { text: string; bytes: boolean } {
    const s = this.source;
    let raw = false;
    let bytes = false;
    while (s[this.index] !== "'" && s[this.index] !== '"') {
      const p = s[this.index]!.toLowerCase();
      if (p === 'r') raw = true;
      else if (p === 'b') bytes = true;
      this.index++;
    }
    const quote = s[this.index]!;
    const triple = s[this.index + 1] === quote && s[this.index + 2] === quote;
    const delimiter = triple ? quote.repeat(3) : quote;
    const start = this.index;
    this.index += delimiter.length;
    let text = '';
    for (;;) {
      if (this.index >= s.length) this.fail('unterminated string', start);
      if (s.startsWith(delimiter, this.index)) {
        this.index += delimiter.length;
        return { text, bytes };
      }
      const c = s[this.index]!;
      if (!triple && (c === '\n' || c === '\r')) this.fail('newline inside a string', this.index);
      if (bytes && c.charCodeAt(0) > 0x7f) this.fail('non-ASCII character in a bytes literal', this.index);
      if (c !== '\\') {
        text += c;
        this.index++;
        continue;
      }
      const e = s[this.index + 1];
      if (e === undefined) this.fail('unterminated string', start);
      if (raw) {
        // Raw strings keep the backslash; it only protects the next character from ending the string.
        text += c + e;
        this.index += 2;
        continue;
      }
      this.index += 2;
      text += this.parseEscape(e, bytes);
    }
  }

  parseEscape(e: string, bytes: boolean): string {
    const s = this.source;
    switch (e) {
      case '\n':
        return '';
      case '\r':
        if (s[this.index] === '\n') this.index++;
        return '';
      case '\\':
      case "'":
      case '"':
        return e;
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case 'x':
        return String.fromCharCode(this.readHex(2));
      case 'u':
      case 'U':
        if (bytes) return `\\${e}`;
        return this.codePoint(this.readHex(e === 'u' ? 4 : 8));
      case 'N':
        if (bytes) return '\\N';
        return this.fail('\\N{...} escapes are not supported in headers', this.index - 2);
      default:
        if (e >= '0' && e <= '7') {
          let digits = e;
          while (digits.length < 3 && s[this.index] !== undefined && s[this.index]! >= '0' && s[this.index]! <= '7') digits += s[this.index++];
          const value = Number.parseInt(digits, 8);
          if (bytes) return String.fromCharCode(value & 0xff);
          return String.fromCharCode(value);
        }
        return `\\${e}`;
    }
  }

  readHex(count: number): number {
    const digits = this.source.slice(this.index, this.index + count);
    if (digits.length !== count || !/^[0-9a-fA-F]+$/.test(digits)) this.fail(`truncated \\x/\\u escape`, this.index);
    this.index += count;
    return Number.parseInt(digits, 16);
  }

  codePoint(value: number): string {
    if (value > 0x10ffff) this.fail('escape outside the Unicode range', this.index);
    return String.fromCodePoint(value);
  }

  parseNumber(): PyValue {
    const s = this.source;
    const start = this.index;
    const rest = s.slice(start, start + 400);
    const radix = /^0([xXoObB])(?:_?[0-9a-fA-F])+/.exec(rest);
    if (radix !== null) {
      const base = { x: 16, o: 8, b: 2 }[radix[1]!.toLowerCase() as 'x' | 'o' | 'b'];
      const digits = radix[0].slice(2).replaceAll('_', '');
      const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
      if (!valid.test(digits)) this.fail('invalid digit in an integer literal', start);
      this.index += radix[0].length;
      const value = BigInt(`0${radix[1]!.toLowerCase()}${digits}`);
      this.afterInteger();
      return { kind: 'int', value };
    }
    const match = /^(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?/.exec(rest);
    const text = match?.[0] ?? '';
    if (text.length === 0 || text === '.') this.fail('invalid number', start);
    this.index += text.length;
    const clean = text.replaceAll('_', '');
    if (/[jJ]$/.test(clean)) {
      const imag = Number(clean.slice(0, -1));
      if (Number.isNaN(imag)) this.fail('invalid imaginary literal', start);
      this.afterNumber();
      return { kind: 'complex', real: 0, imag };
    }
    if (/[.eE]/.test(clean)) {
      const value = Number(clean);
      if (Number.isNaN(value)) this.fail('invalid float literal', start);
      this.afterNumber();
      return { kind: 'float', value };
    }
    // Python 3 refuses leading zeros in non-zero decimal integers.
    if (/^0\d/.test(clean) && !/^0+$/.test(clean)) this.fail('leading zeros in a decimal integer', start);
    this.index = start + text.length;
    this.afterInteger();
    return { kind: 'int', value: BigInt(clean) };
  }

  afterInteger(): void {
    const c = this.source[this.index];
    if ((c === 'L' || c === 'l') && this.options.allowLongSuffix === true && !isIdentifierPart(this.source[this.index + 1])) {
      this.index++;
      return;
    }
    this.afterNumber();
  }

  afterNumber(): void {
    if (isIdentifierPart(this.source[this.index]) || this.source[this.index] === '.') this.fail('invalid number literal');
  }
}

/**
 * Parses `source` as a single Python literal, as `ast.literal_eval` would, without evaluating
 * anything.
 *
 * @throws {NpyError} `ERR_NPY_HEADER_SYNTAX` for anything that is not a literal.
 */
export function parsePythonLiteral(source: string, options: LiteralOptions = {}): PyValue {
  // literal_eval strips leading spaces and tabs before parsing.
  return new LiteralParser(source, options).parseTop();
}

/** Python's `repr` of a str, as NumPy writes descr and field names into headers. */
export function pythonStringRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x80 && code < 0xa0) || (code >= 0xd800 && code < 0xe000))
      out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + quote;
}
