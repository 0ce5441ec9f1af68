// A strict JSON parser that keeps integer literals outside the safe range exact, as bigint,
// so 64-bit integers written by pandas survive (JSON.parse would round them to doubles).

export class JsonSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.position = position;
  }
}

export function parseJsonExact(text: string): unknown {
  let position = 0;
  const length = text.length;

  const skip = (): void => {
    while (position < length) {
      const code = text.charCodeAt(position);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      position++;
    }
  };
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, position);
  };

  const value = (): unknown => {
    skip();
    const char = text[position];
    if (char === '{') {
      position++;
      const out: Record<string, unknown> = {};
      skip();
      if (text[position] === '}') {
        position++;
        return out;
      }
      for (;;) {
        skip();
        if (text[position] !== '"') fail('Expected a string key');
        const key = string();
        skip();
        if (text[position] !== ':') fail('Expected ":"');
        position++;
        Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
        skip();
        if (text[position] === ',') {
          position++;
          continue;
        }
        if (text[position] === '}') {
          position++;
          return out;
        }
        fail('Expected "," or "}"');
      }
    }
    if (char === '[') {
      position++;
      const out: unknown[] = [];
      skip();
      if (text[position] === ']') {
        position++;
        return out;
      }
      for (;;) {
        out.push(value());
        skip();
        if (text[position] === ',') {
          position++;
          continue;
        }
        if (text[position] === ']') {
          position++;
          return out;
        }
        fail('Expected "," or "]"');
      }
    }
    if (char === '"') return string();
    if (text.startsWith('true', position)) {
      position += 4;
      return true;
    }
    if (text.startsWith('false', position)) {
      position += 5;
      return false;
    }
    if (text.startsWith('null', position)) {
      position += 4;
      return null;
    }
    return number();
  };

  const number = (): number | bigint => {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(position, position + 400));
    if (match === null) return fail('Unexpected token');
    position += match[0].length;
    const literal = match[0];
    if (match[1] === undefined && match[2] === undefined) {
      const parsed = Number(literal);
      return Number.isSafeInteger(parsed) ? parsed : BigInt(literal);
    }
    return Number(literal);
  };

  const string = (): string => {
    const start = position;
    position++;
    let plain = true;
    while (position < length) {
      const char = text[position];
      if (char === '"') break;
      if (char === '\\') {
        plain = false;
        position += 2;
        continue;
      }
      if ((char ?? '').charCodeAt(0) < 0x20) fail('Control character in string');
      position++;
    }
    if (position >= length) fail('Unterminated string');
    position++;
    const raw = text.slice(start, position);
    return plain ? raw.slice(1, -1) : (JSON.parse(raw) as string);
  };

  const result = value();
  skip();
  if (position !== length) fail('Unexpected text after the JSON value');
  return result;
}
