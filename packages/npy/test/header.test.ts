import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { parsePythonLiteral } from '../src/internal/python-literal.js';
import { parseNpyHeader, readNpy, writeNpy, NpyError } from '../src/index.js';
import { fixture, npyWith } from './helpers.js';

const good = "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }";

describe('parsePythonLiteral', () => {
  it('parses the literals NumPy headers use', () => {
    expect(parsePythonLiteral("{'a': (1, 2,), \"b\": [True, None], 'c': -3}")).toEqual({
      kind: 'dict',
      entries: [
        [
          { kind: 'str', value: 'a' },
          {
            kind: 'tuple',
            items: [
              { kind: 'int', value: 1n },
              { kind: 'int', value: 2n },
            ],
          },
        ],
        [
          { kind: 'str', value: 'b' },
          { kind: 'list', items: [{ kind: 'bool', value: true }, { kind: 'none' }] },
        ],
        [
          { kind: 'str', value: 'c' },
          { kind: 'int', value: -3n },
        ],
      ],
    });
  });

  it('follows Python for parentheses, tuples, numbers and strings', () => {
    expect(parsePythonLiteral('(5)')).toEqual({ kind: 'int', value: 5n });
    expect(parsePythonLiteral('(5,)')).toEqual({ kind: 'tuple', items: [{ kind: 'int', value: 5n }] });
    expect(parsePythonLiteral('()')).toEqual({ kind: 'tuple', items: [] });
    expect(parsePythonLiteral('0x_ff')).toEqual({ kind: 'int', value: 255n });
    expect(parsePythonLiteral('1_000_000_000_000_000_000_000')).toEqual({ kind: 'int', value: 10n ** 21n });
    expect(parsePythonLiteral('1.5e3')).toEqual({ kind: 'float', value: 1500 });
    expect(parsePythonLiteral('1+2j')).toEqual({ kind: 'complex', real: 1, imag: 2 });
    expect(parsePythonLiteral("'a' \"b\" '''c'''")).toEqual({ kind: 'str', value: 'abc' });
    expect(parsePythonLiteral("'\\x41\\u00e9\\U0001F600\\n\\101'")).toEqual({ kind: 'str', value: 'Aé😀\nA' });
    expect(parsePythonLiteral("r'\\n'")).toEqual({ kind: 'str', value: '\\n' });
    expect(parsePythonLiteral("b'\\xff'")).toEqual({ kind: 'bytes', value: new Uint8Array([255]) });
    expect(parsePythonLiteral('{1, 2}')).toEqual({
      kind: 'set',
      items: [
        { kind: 'int', value: 1n },
        { kind: 'int', value: 2n },
      ],
    });
    expect(parsePythonLiteral('[1, # a comment\n 2]')).toEqual({
      kind: 'list',
      items: [
        { kind: 'int', value: 1n },
        { kind: 'int', value: 2n },
      ],
    });
  });

  it('accepts Python 2 long suffixes only when asked', () => {
    expect(parsePythonLiteral('3L', { allowLongSuffix: true })).toEqual({ kind: 'int', value: 3n });
    expectErrorCode(() => parsePythonLiteral('3L'), 'ERR_NPY_HEADER_SYNTAX', { family: NpyError });
  });

  it('refuses everything that is not a literal', () => {
    for (const source of [
      "__import__('os').system('echo pwned')",
      'open("x")',
      'x',
      '1 + 1',
      '2 * 3',
      '[1, 2',
      "'unterminated",
      '{1: 2',
      'lambda: 0',
      '007',
      '1 if True else 2',
      'f"x"',
      '(1 2)',
      '',
      '-"a"',
      '['.repeat(500),
    ]) {
      expectErrorCode(() => parsePythonLiteral(source), 'ERR_NPY_HEADER_SYNTAX', { family: NpyError });
    }
  });
});

describe('parseNpyHeader', () => {
  it('accepts 64-byte, 16-byte and no padding, with or without a trailing newline', () => {
    for (const name of ['legacy_16byte.npy', 'no_padding_no_newline.npy', 'i2_le.npy']) expect(parseNpyHeader(fixture(name)).descr).toBe('<i2');
  });

  it('gives the data offset and size', () => {
    const header = parseNpyHeader(writeNpy(new Float32Array(10)));
    expect(header).toMatchObject({ version: '1.0', descr: '<f4', shape: [10], fortranOrder: false, dataOffset: 128, nbytes: 40, format: '<f', itemsize: 4 });
  });

  it('accepts the dtype spellings NumPy accepts', () => {
    for (const [descr, format] of [
      // Without a byte order (or with "=") the items are in the machine's order: "=" says so in the format too.
      ['float32', '=f'],
      ['<f8', '<d'],
      ['=i4', '=i'],
      ['>u2', '>H'],
      ['|b1', '?'],
      ['?', '?'],
      ['d', '=d'],
      ['int64', '=q'],
      ['S3', '3s'],
      ['a3', '3s'],
      ['U2', '=2w'],
      ['>U2', '>2w'],
      ['V8', '8x'],
      ['M8[ns]', '=q'],
      ['datetime64[s]', '=q'],
      ['m8', '=q'],
      ['<c8', '<Zf'],
      ['>c16', '>Zd'],
      ['f2', '=e'],
      ['!i4', '>i'],
    ] as const) {
      expect(parseNpyHeader(npyWith(`{'descr': '${descr}', 'fortran_order': False, 'shape': (), }`)).format, descr).toBe(format);
    }
  });
});

describe('malformed .npy files', () => {
  const data = new Uint8Array(4);
  const cases: [string, () => Uint8Array, string][] = [
    ['bad magic', () => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x58, 1, 0, 0, 0]), 'ERR_NPY_BAD_MAGIC'],
    ['not a .npy at all', () => new TextEncoder().encode('hello world, not numpy'), 'ERR_NPY_BAD_MAGIC'],
    ['empty input', () => new Uint8Array(0), 'ERR_NPY_TRUNCATED'],
    ['only the magic', () => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]), 'ERR_NPY_TRUNCATED'],
    ['version 4.0', () => npyWith(good, data, { major: 4 }), 'ERR_NPY_UNSUPPORTED_VERSION'],
    ['version 1.1', () => npyWith(good, data, { minor: 1 }), 'ERR_NPY_UNSUPPORTED_VERSION'],
    ['version 0.0', () => npyWith(good, data, { major: 0 }), 'ERR_NPY_UNSUPPORTED_VERSION'],
    ['truncated length field', () => npyWith(good, data).subarray(0, 9), 'ERR_NPY_TRUNCATED'],
    ['header length beyond the file', () => npyWith(good, data).subarray(0, 40), 'ERR_NPY_TRUNCATED'],
    [
      'header over maxHeaderSize',
      () => npyWith(`{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }${' '.repeat(10_050)}`, data, { major: 2 }),
      'ERR_NPY_HEADER_TOO_LARGE',
    ],
    [
      'huge header length field (v2)',
      () => {
        const b = npyWith(good, data, { major: 2 });
        new DataView(b.buffer).setUint32(8, 0xffffffff, true);
        return b;
      },
      'ERR_NPY_HEADER_TOO_LARGE',
    ],
    [
      'invalid UTF-8 in a 3.0 header',
      () => {
        const b = npyWith(good, data, { major: 3 });
        b[14] = 0xff;
        return b;
      },
      'ERR_NPY_HEADER_ENCODING',
    ],
    ['a call in the header', () => npyWith("__import__('os').system('ls')", data), 'ERR_NPY_HEADER_SYNTAX'],
    ['a name in the header', () => npyWith("{'descr': float32, 'fortran_order': False, 'shape': (2,)}", data), 'ERR_NPY_HEADER_SYNTAX'],
    ['arithmetic in the shape', () => npyWith("{'descr': '<i2', 'fortran_order': False, 'shape': (1+1,)}", data), 'ERR_NPY_HEADER_SYNTAX'],
    ['a list header', () => npyWith("['descr', 'fortran_order', 'shape']", data), 'ERR_NPY_HEADER_NOT_DICT'],
    ['missing key', () => npyWith("{'descr': '<i2', 'shape': (2,)}", data), 'ERR_NPY_HEADER_KEYS'],
    ['extra key', () => npyWith("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), 'x': 1}", data), 'ERR_NPY_HEADER_KEYS'],
    ['non-str key', () => npyWith("{'descr': '<i2', 'fortran_order': False, 2: (2,)}", data), 'ERR_NPY_HEADER_KEYS'],
    ['negative shape', () => npyWith("{'descr': '<i2', 'fortran_order': False, 'shape': (-2,)}", data), 'ERR_NPY_BAD_SHAPE'],
    ['float shape', () => npyWith("{'descr': '<i2', 'fortran_order': False, 'shape': (2.0,)}", data), 'ERR_NPY_BAD_SHAPE'],
    ['list shape', () => npyWith("{'descr': '<i2', 'fortran_order': False, 'shape': [2]}", data), 'ERR_NPY_BAD_SHAPE'],
    ['65 dimensions', () => npyWith(`{'descr': '<i2', 'fortran_order': False, 'shape': (${'1, '.repeat(65)})}`, data), 'ERR_NPY_BAD_SHAPE'],
    ['fortran_order not a bool', () => npyWith("{'descr': '<i2', 'fortran_order': 0, 'shape': (2,)}", data), 'ERR_NPY_BAD_FORTRAN_ORDER'],
    ['unknown descr', () => npyWith("{'descr': '<x9', 'fortran_order': False, 'shape': (2,)}", data), 'ERR_NPY_BAD_DESCR'],
    ['int as descr', () => npyWith("{'descr': 4, 'fortran_order': False, 'shape': (2,)}", data), 'ERR_NPY_BAD_DESCR'],
    ['bad field tuple', () => npyWith("{'descr': [('a',)], 'fortran_order': False, 'shape': (2,)}", data), 'ERR_NPY_BAD_DESCR'],
    ['duplicate field', () => npyWith("{'descr': [('a', '<i2'), ('a', '<i2')], 'fortran_order': False, 'shape': (2,)}", data), 'ERR_NPY_BAD_DESCR'],
    ['bad time unit', () => npyWith("{'descr': '<M8[parsec]', 'fortran_order': False, 'shape': (2,)}", data), 'ERR_NPY_BAD_DESCR'],
    ['object dtype', () => npyWith("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", data), 'ERR_NPY_OBJECT_DTYPE'],
    ['object field', () => npyWith("{'descr': [('a', '|O')], 'fortran_order': False, 'shape': (2,)}", data), 'ERR_NPY_OBJECT_DTYPE'],
    ['shape product overflow', () => npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", data), 'ERR_NPY_SIZE_OVERFLOW'],
    [
      'shape entry beyond 2^64',
      () => npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (340282366920938463463374607431768211456,)}", data),
      'ERR_NPY_SIZE_OVERFLOW',
    ],
    ['data shorter than promised', () => npyWith("{'descr': '<i2', 'fortran_order': False, 'shape': (3,)}", data), 'ERR_NPY_DATA_TRUNCATED'],
    ['huge promised data', () => npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}", data), 'ERR_NPY_DATA_TRUNCATED'],
  ];
  for (const [name, make, code] of cases) {
    it(`refuses ${name} with ${code}`, () => {
      expectErrorCode(() => readNpy(make()), code, { family: NpyError });
    });
  }

  it('accepts a long header when maxHeaderSize is raised', () => {
    const bytes = npyWith(`{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }${' '.repeat(10_050)}`, data, { major: 2 });
    expect(readNpy(bytes, { maxHeaderSize: 20_000 }).shape).toEqual([2]);
  });

  it('refuses a zero-sized flexible dtype', () => {
    expectErrorCode(() => readNpy(npyWith("{'descr': '|S0', 'fortran_order': False, 'shape': (2,)}", data)), 'ERR_NPY_UNSUPPORTED_DTYPE', { family: NpyError });
  });

  it('refuses a non-byte source with a typed error', () => {
    expectErrorCode(() => readNpy('not bytes' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT', { family: NpyError });
  });
});
