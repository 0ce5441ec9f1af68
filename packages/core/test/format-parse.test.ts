import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '../src/testing/index.js';
import { BufferError, formatItemsize, NATIVE_ENDIANNESS, parseFormat, type FormatField, type FormatType, type StructFormat } from '../src/index.js';

function struct(type: FormatType): StructFormat {
  if (type.kind !== 'struct') throw new Error(`expected a struct, got ${type.kind}`);
  return type;
}

function layout(format: string): Array<[string | null, number, number]> {
  return struct(parseFormat(format).type).fields.map((field: FormatField) => [field.name, field.offset, field.size]);
}

function invalidAt(format: string): number {
  const error = expectErrorCode(() => parseFormat(format), 'ERR_FORMAT_INVALID', { family: BufferError, what: `parseFormat(${JSON.stringify(format)})` });
  return error.details.position!;
}

// [code, kind, native size, native alignment, standard size (0 = none)]
const codeTable: Array<[string, string, number, number, number]> = [
  ['c', 'char', 1, 1, 1],
  ['b', 'int', 1, 1, 1],
  ['B', 'uint', 1, 1, 1],
  ['?', 'bool', 1, 1, 1],
  ['h', 'int', 2, 2, 2],
  ['H', 'uint', 2, 2, 2],
  ['i', 'int', 4, 4, 4],
  ['I', 'uint', 4, 4, 4],
  ['l', 'int', 8, 8, 4],
  ['L', 'uint', 8, 8, 4],
  ['q', 'int', 8, 8, 8],
  ['Q', 'uint', 8, 8, 8],
  ['n', 'int', 8, 8, 0],
  ['N', 'uint', 8, 8, 0],
  ['e', 'float', 2, 2, 2],
  ['f', 'float', 4, 4, 4],
  ['d', 'float', 8, 8, 8],
  ['g', 'float', 16, 16, 16],
  ['Zf', 'complex', 8, 4, 8],
  ['Zd', 'complex', 16, 8, 16],
  ['Zg', 'complex', 32, 16, 32],
  ['u', 'ucs2', 2, 2, 2],
  ['w', 'ucs4', 4, 4, 4],
  ['P', 'pointer', 8, 8, 0],
  ['O', 'object', 8, 8, 0],
  ['s', 'bytes', 1, 1, 1],
  ['p', 'bytes', 1, 1, 1],
];

const byteOrders = [
  ['@', NATIVE_ENDIANNESS, true, true],
  ['^', NATIVE_ENDIANNESS, true, false],
  ['=', NATIVE_ENDIANNESS, false, false],
  ['<', 'little', false, false],
  ['>', 'big', false, false],
  ['!', 'big', false, false],
] as const;

describe('parseFormat: codes and byte orders', () => {
  for (const [code, kind, nativeSize, nativeAlignment, standardSize] of codeTable) {
    for (const [order, endianness, native, aligned] of byteOrders) {
      const size = native ? nativeSize : standardSize;
      if (size === 0) {
        it(`refuses "${order}${code}" (no standard size)`, () => {
          expect(invalidAt(`${order}${code}`)).toBe(1);
        });
        continue;
      }
      it(`reads "${order}${code}" as ${kind}, ${size} bytes, ${endianness}-endian`, () => {
        const parsed = parseFormat(`${order}${code}`);
        expect(parsed.itemsize).toBe(size);
        expect(parsed.alignment).toBe(aligned ? nativeAlignment : 1);
        expect(parsed.type).toMatchObject({ kind: 'scalar', code, valueKind: kind, size, endianness, nativeSize: native, byteOrder: order });
      });
    }
  }

  it('defaults to "@" (native size, order and alignment)', () => {
    expect(parseFormat('d').type).toMatchObject({ byteOrder: '@', endianness: NATIVE_ENDIANNESS, alignment: 8, nativeSize: true });
  });

  it('reads the counted codes as one item whose size is the count', () => {
    expect(parseFormat('10s').type).toMatchObject({ kind: 'scalar', code: 's', size: 10 });
    expect(parseFormat('7p').type).toMatchObject({ kind: 'scalar', code: 'p', size: 7 });
    expect(parseFormat('0s').itemsize).toBe(0);
    // NumPy writes <U5 as "5w": one string of 5 UCS-4 code units.
    expect(parseFormat('<5w').type).toMatchObject({ kind: 'scalar', code: 'w', size: 20, endianness: 'little' });
    expect(parseFormat('3u').type).toMatchObject({ kind: 'scalar', code: 'u', size: 6 });
    expect(parseFormat('5w').alignment).toBe(4);
  });

  it('reads a repeat count of any other code as a 1-D sub-array', () => {
    const parsed = parseFormat('3d');
    expect(parsed.itemsize).toBe(24);
    expect(struct(parsed.type).fields[0]).toMatchObject({ name: null, offset: 0, shape: [3], size: 24, padding: false });
    expect(parseFormat('1d').type.kind).toBe('scalar');
  });

  it('reads x as padding, counted, named or not', () => {
    expect(layout('b3xi')).toEqual([
      [null, 0, 1],
      [null, 1, 3],
      [null, 4, 4],
    ]);
    const named = struct(parseFormat('T{B:a:3x:pad:}').type).fields[1]!;
    expect(named).toMatchObject({ name: 'pad', padding: true, size: 3, offset: 1 });
    expect(struct(parseFormat('xxx').type).fields.every((field) => field.padding)).toBe(true);
  });

  it('caches and freezes results', () => {
    const first = parseFormat('T{<i:a:}');
    expect(parseFormat('T{<i:a:}')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(struct(first.type).fields[0])).toBe(true);
    expect(formatItemsize('T{<i:a:}')).toBe(4);
  });
});

describe('parseFormat: layout', () => {
  it('aligns in "@" mode and leaves a top-level list without trailing padding (struct.calcsize)', () => {
    expect(layout('bi')).toEqual([
      [null, 0, 1],
      [null, 4, 4],
    ]);
    expect(parseFormat('bi').itemsize).toBe(8);
    expect(parseFormat('ib').itemsize).toBe(5);
    expect(parseFormat('di').itemsize).toBe(12);
    expect(parseFormat('di').alignment).toBe(8);
  });

  it('rounds a T{...} closed in "@" mode up to its alignment', () => {
    expect(parseFormat('T{d:a:i:b:}').itemsize).toBe(16);
    expect(parseFormat('T{i:a:B:b:}').itemsize).toBe(8);
    expect(layout('T{B:a:xxxi:b:B:c:}')).toEqual([
      ['a', 0, 1],
      [null, 1, 1],
      [null, 2, 1],
      [null, 3, 1],
      ['b', 4, 4],
      ['c', 8, 1],
    ]);
    expect(parseFormat('T{B:a:xxxi:b:B:c:}').itemsize).toBe(12);
  });

  it('does not align in "^", "=", "<", ">" or "!" mode', () => {
    for (const order of ['^', '=', '<', '>', '!']) {
      expect(layout(`${order}bi`)).toEqual([
        [null, 0, 1],
        [null, 1, 4],
      ]);
    }
  });

  it('switches byte order mid-string', () => {
    const fields = struct(parseFormat('<h>h=h!h@h^h').type).fields;
    expect(fields.map((field) => (field.type.kind === 'scalar' ? field.type.endianness : null))).toEqual([
      'little',
      'big',
      NATIVE_ENDIANNESS,
      'big',
      NATIVE_ENDIANNESS,
      NATIVE_ENDIANNESS,
    ]);
    expect(fields.map((field) => field.offset)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('keeps a byte-order change made inside T{...} in force after it, as NumPy does', () => {
    // NumPy: dtype [('a', [('x','<f4'),('y','>i2')]), ('b','>i2')] exports "T{T{=f:x:>h:y:}:a:h:b:}"-style text.
    const fields = struct(parseFormat('T{T{<f:x:>h:y:}:a:h:b:}').type).fields;
    expect(fields[1]!.type).toMatchObject({ endianness: 'big', byteOrder: '>' });
  });

  it('aligns a nested struct only when "@" is in force after its "}" (NumPy rule)', () => {
    // Closed in "<": no trailing rounding, no alignment in the outer struct.
    expect(layout('T{b:a:T{i:x:<b:y:}:n:}')).toEqual([
      ['a', 0, 1],
      ['n', 1, 5],
    ]);
    // Closed in "@": aligned to 4 and rounded up to 8.
    expect(layout('T{b:a:T{<b:x:@i:y:}:n:}')).toEqual([
      ['a', 0, 1],
      ['n', 4, 8],
    ]);
    expect(parseFormat('T{b:a:T{<b:x:@i:y:}:n:}').itemsize).toBe(12);
  });

  it('reads NumPy aligned records (packed outer, aligned inner)', () => {
    // memoryview(np.zeros(1, [('a','u1'),('n', aligned {x:u1, y:f8}, (2,)),('b','>i2')])).format
    const parsed = parseFormat('T{B:a:(2)T{B:x:xxxxxxx=d:y:}:n:>h:b:}');
    expect(parsed.itemsize).toBe(35);
    expect(layout('T{B:a:(2)T{B:x:xxxxxxx=d:y:}:n:>h:b:}').filter(([name]) => name !== null)).toEqual([
      ['a', 0, 1],
      ['n', 1, 32],
      ['b', 33, 2],
    ]);
  });

  it('reads sub-arrays, with the byte order before or after the shape', () => {
    for (const format of ['(2,3)>i:a:', '>(2,3)i:a:', '( 2 , 3 )>i:a:']) {
      const field = struct(parseFormat(format).type).fields[0]!;
      expect(field).toMatchObject({ name: 'a', shape: [2, 3], size: 24 });
      expect(field.type).toMatchObject({ endianness: 'big', size: 4 });
    }
    expect(struct(parseFormat('(2)3i').type).fields[0]!.shape).toEqual([2, 3]);
    expect(struct(parseFormat('(2)10s').type).fields[0]).toMatchObject({ shape: [2], size: 20 });
    expect(struct(parseFormat('(2,2)T{b:x:h:y:}:p:').type).fields[0]).toMatchObject({ shape: [2, 2], size: 16 });
    expect(struct(parseFormat('3T{b:x:}').type).fields[0]!.shape).toEqual([3]);
  });

  it('reads the documented example', () => {
    const parsed = parseFormat('T{<i:a:(2,3)>d:b:}');
    expect(parsed.itemsize).toBe(52);
    expect(layout('T{<i:a:(2,3)>d:b:}')).toEqual([
      ['a', 0, 4],
      ['b', 4, 48],
    ]);
  });

  it('allows whitespace between items and names with spaces or braces', () => {
    expect(layout(' T{ i:a b:  d:}c}: } ')).toEqual([
      ['a b', 0, 4],
      ['}c}', 8, 8],
    ]);
  });
});

describe('parseFormat: malformed strings', () => {
  const cases: Array<[string, number, string]> = [
    ['', 0, 'empty'],
    ['<', 0, 'byte order only'],
    ['k', 0, 'unknown code'],
    ['ik', 1, 'unknown code after a valid one'],
    ['Z', 0, 'Z without f/d/g'],
    ['Zq', 0, 'Z with a wrong letter'],
    ['3', 1, 'count without code'],
    ['T{i', 3, 'unclosed struct'],
    ['T{}', 0, 'empty struct'],
    ['Ti', 1, 'T without {'],
    ['i:a', 1, 'unterminated name'],
    ['i::', 2, 'empty name'],
    ['T{i:a:i:a:}', 8, 'duplicate name'],
    ['(2,3', 4, 'unclosed shape'],
    ['(2,)i', 3, 'trailing comma in shape'],
    ['()i', 1, 'empty shape'],
    ['(a)i', 1, 'non-numeric dimension'],
    ['(2;3)i', 2, 'bad separator'],
    ['i}', 1, 'stray }'],
    ['&i', 0, 'pointer code'],
    ['t', 0, 'bit field'],
    ['<n', 1, 'ssize_t in standard mode'],
    ['>P', 1, 'pointer in standard mode'],
    ['=O', 1, 'object in standard mode'],
    ['3 i', 1, 'space between count and code'],
    ['99999999999999999999i', 0, 'count too large'],
    ['(1099511627776,2)i', 0, 'item too large'],
    ['i:a:)', 4, 'stray )'],
  ];
  for (const [format, position, what] of cases) {
    it(`refuses ${JSON.stringify(format)} (${what}) at position ${position}`, () => {
      expect(invalidAt(format)).toBe(position);
    });
  }

  it('refuses a non-string with ERR_FORMAT_INVALID', () => {
    expectErrorCode(() => parseFormat(42 as unknown as string), 'ERR_FORMAT_INVALID');
  });

  it('names the string and the position in the details', () => {
    try {
      parseFormat('T{i:a:q:b:?:c:k}');
      expect.unreachable();
    } catch (error) {
      expect((error as BufferError).details).toMatchObject({ position: 14, format: 'T{i:a:q:b:?:c:k}' });
    }
  });
});
