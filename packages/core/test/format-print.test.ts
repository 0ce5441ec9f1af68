import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { BufferError, formatToString, parseFormat, type FormatType, type ParsedFormat, type ScalarFormat, type StructFormat } from '../src/index.js';

/** What the round-trip guarantee promises to keep, in a comparable shape. */
function summary(type: FormatType): unknown {
  if (type.kind === 'scalar')
    return { kind: type.valueKind, size: type.size, endianness: type.endianness, alignment: type.alignment, nativeSize: type.nativeSize };
  return {
    size: type.size,
    alignment: type.alignment,
    fields: type.fields.map((field) => ({
      name: field.name,
      offset: field.offset,
      shape: field.shape,
      size: field.size,
      padding: field.padding,
      type: summary(field.type),
    })),
  };
}

function parsedSummary(parsed: ParsedFormat): unknown {
  return { itemsize: parsed.itemsize, alignment: parsed.alignment, type: summary(parsed.type) };
}

// A generated format AST, rendered to text with the freedoms the grammar allows (byte order
// before or after a shape, counts, optional names, whitespace between items).
interface Item {
  readonly order: string | null;
  readonly orderAfterShape: boolean;
  readonly shape: readonly number[] | null;
  readonly count: number | null;
  readonly body: string | readonly Item[];
  readonly named: string | null;
  readonly space: boolean;
}

const scalarCodes = [
  'c',
  'b',
  'B',
  '?',
  'h',
  'H',
  'i',
  'I',
  'l',
  'L',
  'q',
  'Q',
  'e',
  'f',
  'd',
  'g',
  'Zf',
  'Zd',
  'Zg',
  's',
  'p',
  'x',
  'w',
  'u',
  'n',
  'N',
  'P',
  'O',
];
const orderArbitrary = fc.option(fc.constantFrom('@', '=', '<', '>', '!', '^'), { freq: 2 });
const shapeArbitrary = fc.option(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }), { freq: 3 });
const countArbitrary = fc.option(fc.integer({ min: 0, max: 4 }), { freq: 2 });
const nameArbitrary = fc.option(fc.constantFrom('a', 'field ', 'x}', 'é', 'T{'), { freq: 2 });

const { item: itemArbitrary } = fc.letrec<{ item: Item; items: readonly Item[] }>((tie) => ({
  item: fc.record({
    order: orderArbitrary,
    orderAfterShape: fc.boolean(),
    shape: shapeArbitrary,
    count: countArbitrary,
    body: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(...scalarCodes), tie('items')),
    named: nameArbitrary,
    space: fc.boolean(),
  }),
  items: fc.array(tie('item'), { minLength: 1, maxLength: 4 }),
}));

function render(items: readonly Item[]): string {
  return items
    .map((item, index) => {
      const order = item.order ?? '';
      const shape = item.shape === null ? '' : `(${item.shape.join(',')})`;
      const head = item.orderAfterShape ? shape + order : order + shape;
      const body = typeof item.body === 'string' ? item.body : `T{${render(item.body)}}`;
      // Index-suffixed names keep names unique within a struct.
      const name = item.named === null ? '' : `:${item.named}${index}:`;
      return `${item.space ? ' ' : ''}${head}${item.count ?? ''}${body}${name}`;
    })
    .join('');
}

/** Parses generated text, discarding the few strings the grammar refuses (e.g. "<n": no standard size). */
function parseGenerated(text: string): ParsedFormat | null {
  try {
    return parseFormat(text);
  } catch (error) {
    if (BufferError.isInstance(error) && error.code === 'ERR_FORMAT_INVALID') return null;
    throw error;
  }
}

describe('formatToString', () => {
  it('prints canonical text', () => {
    const cases: Array<[string, string]> = [
      [' T{ <i:a: !d:b: } ', 'T{<i:a:>d:b:}'],
      ['d', 'd'],
      ['<d', '<d'],
      ['!q', '>q'],
      ['@i', 'i'],
      ['^g', '^g'],
      ['Zd', 'Zd'],
      ['>5w', '>5w'],
      ['1s', 's'],
      ['10s', '10s'],
      ['di', 'di'],
      ['3i', 'T{3i}'],
      ['(3)i', 'T{3i}'],
      ['(1)i', 'T{(1)i}'],
      ['>(2,3)i:x:', 'T{(2,3)>i:x:}'],
      ['(2)10s', 'T{(2)10s}'],
      ['T{B:a:xxxi:b:B:c:}', 'T{B:a:xxxi:b:B:c:}'],
      ['T{B:a:3xi:b:}', 'T{B:a:3xi:b:}'],
      ['T{B:a:(2)T{B:x:xxxxxxx=d:y:}:n:>h:b:}', 'T{B:a:2T{B:x:xxxxxxx=d:y:}:n:>h:b:}'],
      ['T{=i:a:(2,3)B:b:>d:c:}', 'T{=i:a:(2,3)B:b:>d:c:}'],
      ['<i<i>i>i', 'T{<ii>ii}'],
      ['i:a:', 'T{i:a:}'],
      ['4x:pad:', 'T{4x:pad:}'],
    ];
    for (const [input, output] of cases) expect(formatToString(input)).toBe(output);
  });

  it('prints a ParsedFormat, a FormatType or a string alike', () => {
    const parsed = parseFormat('T{<i:a:>d:b:}');
    expect(formatToString(parsed)).toBe('T{<i:a:>d:b:}');
    expect(formatToString(parsed.type)).toBe('T{<i:a:>d:b:}');
  });

  it('writes explicit padding for offsets the layout rules do not produce', () => {
    const i32: ScalarFormat = { kind: 'scalar', code: 'i', valueKind: 'int', size: 4, alignment: 1, endianness: 'little', nativeSize: false, byteOrder: '<' };
    const gapped: StructFormat = {
      kind: 'struct',
      size: 16,
      alignment: 1,
      fields: [
        { name: 'a', offset: 2, type: i32, shape: [], size: 4, padding: false },
        { name: 'b', offset: 8, type: i32, shape: [], size: 4, padding: false },
      ],
    };
    const text = formatToString(gapped);
    expect(text).toBe('T{2x<i:a:2xi:b:4x}');
    const reparsed = parseFormat(text);
    expect(reparsed.itemsize).toBe(16);
    expect((reparsed.type as StructFormat).fields.filter((field) => !field.padding).map((field) => field.offset)).toEqual([2, 8]);
  });

  it('refuses types the syntax cannot express', () => {
    const aligned: ScalarFormat = {
      kind: 'scalar',
      code: 'i',
      valueKind: 'int',
      size: 4,
      alignment: 4,
      endianness: 'little',
      nativeSize: true,
      byteOrder: '@',
    };
    const misaligned: StructFormat = {
      kind: 'struct',
      size: 8,
      alignment: 4,
      fields: [{ name: 'a', offset: 2, type: aligned, shape: [], size: 4, padding: false }],
    };
    expectErrorCode(() => formatToString(misaligned), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    const overlapping: StructFormat = {
      kind: 'struct',
      size: 8,
      alignment: 4,
      fields: [
        { name: 'a', offset: 4, type: aligned, shape: [], size: 4, padding: false },
        { name: 'b', offset: 0, type: aligned, shape: [], size: 4, padding: false },
      ],
    };
    expectErrorCode(() => formatToString(overlapping), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    const colon: StructFormat = {
      kind: 'struct',
      size: 4,
      alignment: 4,
      fields: [{ name: 'a:b', offset: 0, type: aligned, shape: [], size: 4, padding: false }],
    };
    expectErrorCode(() => formatToString(colon), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    const wrongAlignment: StructFormat = {
      kind: 'struct',
      size: 8,
      alignment: 8,
      fields: [{ name: 'a', offset: 0, type: aligned, shape: [], size: 4, padding: false }],
    };
    expectErrorCode(() => formatToString(wrongAlignment), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
  });

  it('refuses inconsistent types', () => {
    const scalar: ScalarFormat = {
      kind: 'scalar',
      code: 'l',
      valueKind: 'int',
      size: 8,
      alignment: 1,
      endianness: 'little',
      nativeSize: false,
      byteOrder: '<',
    };
    expectErrorCode(() => formatToString(scalar), 'ERR_INVALID_ARGUMENT', { family: BufferError }); // "<l" is 4 bytes
    expectErrorCode(() => formatToString({ ...scalar, code: 'k' }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => formatToString({ ...scalar, code: 'n' }), 'ERR_INVALID_ARGUMENT', { family: BufferError }); // no standard size
    expectErrorCode(() => formatToString({ ...scalar, code: 'w', size: 6 }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    const i32 = { ...scalar, code: 'i', size: 4 };
    expectErrorCode(() => formatToString({ kind: 'struct', size: 0, alignment: 1, fields: [] }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(
      () =>
        formatToString({
          kind: 'struct',
          size: 8,
          alignment: 1,
          fields: [
            { name: 'a', offset: 0, type: i32, shape: [], size: 4, padding: false },
            { name: 'a', offset: 4, type: i32, shape: [], size: 4, padding: false },
          ],
        }),
      'ERR_INVALID_ARGUMENT',
      { family: BufferError },
    );
    expectErrorCode(
      () => formatToString({ kind: 'struct', size: 8, alignment: 1, fields: [{ name: 'a', offset: 0, type: i32, shape: [2], size: 4, padding: false }] }),
      'ERR_INVALID_ARGUMENT',
      { family: BufferError },
    );
    expectErrorCode(() => formatToString(null as unknown as string), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => formatToString('T{'), 'ERR_FORMAT_INVALID', { family: BufferError });
  });

  it('round-trips generated formats: parse(print(parse(s))) describes the same layout (property)', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(itemArbitrary, { minLength: 1, maxLength: 5 }), (items) => {
        const text = render(items);
        const parsed = parseGenerated(text);
        fc.pre(parsed !== null);
        const printed = formatToString(parsed);
        const reparsed = parseFormat(printed);
        expect(parsedSummary(reparsed)).toEqual(parsedSummary(parsed));
        // Canonical: printing is idempotent.
        expect(formatToString(reparsed)).toBe(printed);
        expect(printed.replace(/:[^:]*:/g, '')).not.toMatch(/\s/);
        checked++;
      }),
      { numRuns: 300, seed: 20261121 },
    );
    expect(checked).toBeGreaterThan(150);
  });

  it('prints nested structs of generated formats on their own (property)', () => {
    fc.assert(
      fc.property(fc.array(itemArbitrary, { minLength: 1, maxLength: 3 }), (items) => {
        const parsed = parseGenerated(`T{${render(items)}}`);
        fc.pre(parsed !== null);
        const type = parsed.type as StructFormat;
        for (const field of type.fields) {
          if (field.type.kind !== 'struct') continue;
          // Every scalar carries its own byte order, so a nested struct printed out of context
          // (starting in "@" mode) still reparses to the same layout.
          const alone = formatToString(field.type);
          expect(summary(parseFormat(alone).type)).toEqual(summary(field.type));
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
