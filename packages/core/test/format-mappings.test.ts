import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import {
  arrowFormatFromFormat,
  BufferError,
  DlpackTypeCode,
  dlpackDtypeFromFormat,
  formatForTypedArray,
  formatFromArrowFormat,
  formatFromDlpackDtype,
  formatFromNumpyDtype,
  NATIVE_ENDIANNESS,
  numpyDtypeFromFormat,
  parseFormat,
  typedArrayForFormat,
  type NumpyDescr,
  type NumpyDescrField,
  type NumpyFieldName,
  type StructFormat,
  type TypedArrayConstructor,
} from '../src/index.js';

const native = NATIVE_ENDIANNESS === 'little' ? '<' : '>';
const foreign = NATIVE_ENDIANNESS === 'little' ? '>' : '<';

describe('typedArrayForFormat / formatForTypedArray', () => {
  const pairs: Array<[TypedArrayConstructor, string]> = [
    [Int8Array, 'b'],
    [Uint8Array, 'B'],
    [Int16Array, 'h'],
    [Uint16Array, 'H'],
    [Int32Array, 'i'],
    [Uint32Array, 'I'],
    [Float32Array, 'f'],
    [Float64Array, 'd'],
    [BigInt64Array, 'q'],
    [BigUint64Array, 'Q'],
  ];

  it('maps every TypedArray to its format and back', () => {
    for (const [constructor, format] of pairs) {
      expect(formatForTypedArray(constructor)).toBe(format);
      expect(formatForTypedArray(new constructor(2))).toBe(format);
      expect(typedArrayForFormat(format)).toBe(constructor);
      expect(typedArrayForFormat(`${native}${format}`)).toBe(constructor);
      expect(typedArrayForFormat(`=${format}`)).toBe(constructor);
      expect(typedArrayForFormat(parseFormat(`^${format}`))).toBe(constructor);
      expect(typedArrayForFormat(parseFormat(format).type)).toBe(constructor);
    }
  });

  it('maps the other codes by size and kind', () => {
    expect(typedArrayForFormat('l')).toBe(BigInt64Array);
    expect(typedArrayForFormat('<l')).toBe(Int32Array);
    expect(typedArrayForFormat('L')).toBe(BigUint64Array);
    expect(typedArrayForFormat('n')).toBe(BigInt64Array);
    expect(typedArrayForFormat('N')).toBe(BigUint64Array);
    expect(typedArrayForFormat('?')).toBe(Uint8Array);
    expect(typedArrayForFormat('c')).toBe(Uint8Array);
    expect(typedArrayForFormat('>b')).toBe(Int8Array); // one byte has no byte order
  });

  it('maps subclasses, Uint8ClampedArray, DataView and arrays from another realm', async () => {
    class Pixels extends Uint8ClampedArray {}
    expect(formatForTypedArray(Uint8ClampedArray)).toBe('B');
    expect(formatForTypedArray(new Pixels(1))).toBe('B');
    expect(formatForTypedArray(Pixels)).toBe('B');
    expect(formatForTypedArray(new DataView(new ArrayBuffer(4)))).toBe('B');
    const { Buffer } = await import('node:buffer');
    expect(formatForTypedArray(Buffer.alloc(2))).toBe('B');
    const { runInNewContext } = await import('node:vm');
    expect(formatForTypedArray(runInNewContext('new Float32Array(2)') as Float32Array)).toBe('f');
  });

  it('refuses what is not a TypedArray', () => {
    for (const value of [{}, null, 3, function Float64Array() {}, Array, ArrayBuffer]) {
      expectErrorCode(() => formatForTypedArray(value as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    }
  });

  it('says why a format has no TypedArray', () => {
    const reason = (format: string): unknown => {
      const error = expectErrorCode(() => typedArrayForFormat(format), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
      return error.details.reason;
    };
    expect(reason(`${foreign}i`)).toBe('byte-order');
    expect(reason(`${foreign}d`)).toBe('byte-order');
    expect(reason('T{i:a:}')).toBe('record');
    expect(reason('3i')).toBe('record');
    for (const format of ['Zf', 'Zd', 'g', '10s', 'p', '5w', 'u', 'O', 'P']) expect(reason(format)).toBe('no-array-type');
    expectErrorCode(() => typedArrayForFormat('T{'), 'ERR_FORMAT_INVALID', { family: BufferError });
  });

  describe('float16', () => {
    const original = (globalThis as { Float16Array?: unknown }).Float16Array;
    afterEach(() => {
      (globalThis as { Float16Array?: unknown }).Float16Array = original;
    });

    it('uses Float16Array where the runtime has one, and says so where not', () => {
      (globalThis as { Float16Array?: unknown }).Float16Array = undefined;
      expect(expectErrorCode(() => typedArrayForFormat('e'), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError }).details.reason).toBe('no-array-type');
      class Float16Array extends Uint16Array {}
      (globalThis as { Float16Array?: unknown }).Float16Array = Float16Array;
      expect(typedArrayForFormat('<e')).toBe(Float16Array);
      expect(formatForTypedArray(new Float16Array(1))).toBe('e');
    });
  });
});

describe('formatFromNumpyDtype / numpyDtypeFromFormat', () => {
  const scalars: Array<[string, string]> = [
    ['|i1', 'b'],
    ['|u1', 'B'],
    ['|b1', '?'],
    ['<i2', '<h'],
    ['>i2', '>h'],
    ['<u2', '<H'],
    ['<i4', '<i'],
    ['>u4', '>I'],
    ['<i8', '<q'],
    ['>i8', '>q'],
    ['<u8', '<Q'],
    ['>u8', '>Q'],
    ['<f2', '<e'],
    ['>f2', '>e'],
    ['<f4', '<f'],
    ['>f4', '>f'],
    ['<f8', '<d'],
    ['>f8', '>d'],
    ['<c8', '<Zf'],
    ['>c8', '>Zf'],
    ['<c16', '<Zd'],
    ['>c16', '>Zd'],
    ['|S10', '10s'],
    ['|S1', 's'],
    ['<U5', '<5w'],
    ['>U5', '>5w'],
    ['|V8', '8x'],
    ['|O', 'O'],
  ];

  it('maps every NumPy type string both ways', () => {
    for (const [dtype, format] of scalars) {
      const converted = formatFromNumpyDtype(dtype);
      expect(converted).toEqual({ format, datetimes: [], titles: [], itemsize: parseFormat(format).itemsize });
      expect(numpyDtypeFromFormat(format)).toBe(dtype);
      expect(parseFormat(format).itemsize).toBe(dtype === '|O' ? 8 : dtype.startsWith('<U') || dtype.startsWith('>U') ? 20 : Number(dtype.slice(2)));
    }
  });

  it('maps native-only types (long double) in the machine order only', () => {
    expect(formatFromNumpyDtype(`${native}f16`).format).toBe('g');
    expect(formatFromNumpyDtype(`${native}c32`).format).toBe('Zg');
    expect(numpyDtypeFromFormat('g')).toBe(`${native}f16`);
    expectErrorCode(() => formatFromNumpyDtype(`${foreign}f16`), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
  });

  it('writes native formats with the explicit byte order NumPy descr uses', () => {
    expect(numpyDtypeFromFormat('d')).toBe(`${native}f8`);
    expect(numpyDtypeFromFormat('=i')).toBe(`${native}i4`);
    expect(numpyDtypeFromFormat('!h')).toBe('>i2');
    expect(numpyDtypeFromFormat('l')).toBe(`${native}i8`);
    expect(numpyDtypeFromFormat('<l')).toBe('<i4');
    expect(numpyDtypeFromFormat('c')).toBe('|S1');
    expect(formatFromNumpyDtype('f8').format).toBe('=d');
    expect(formatFromNumpyDtype('=i2').format).toBe('=h');
    expect(formatFromNumpyDtype('|a3').format).toBe('3s');
  });

  it("reads NumPy's dtype names and one-character codes", () => {
    const cases: Array<[string, string]> = [
      ['float32', '=f'],
      ['float64', '=d'],
      ['int8', 'b'],
      ['uint16', '=H'],
      ['bool', '?'],
      ['complex128', '=Zd'],
      ['d', '=d'],
      ['<d', '<d'],
      ['!i', '>i'],
      ['>H', '>H'],
      ['?', '?'],
      ['S5', '5s'],
      ['a5', '5s'],
      ['c', 's'],
      ['<U3', '<3w'],
      ['datetime64[ns]', '=q'],
      ['<M8[μs]', '<q'],
    ];
    for (const [dtype, format] of cases) expect([dtype, formatFromNumpyDtype(dtype).format]).toEqual([dtype, format]);
    expect(formatFromNumpyDtype('<M8[μs]').datetimes[0]?.unit).toBe('us');
    expect(numpyDtypeFromFormat(formatFromNumpyDtype('float32'))).toBe(`${native}f4`);
  });

  it('keeps field titles beside the format and restores them', () => {
    const dtype: NumpyDescr = [
      [['Time (s)', 't'], '<f4'],
      ['n', '<i8'],
      [
        ['Position', 'pos'],
        [
          [['X axis', 'x'], '>f8'],
          ['y', '>f8'],
        ],
        [2],
      ],
    ];
    const converted = formatFromNumpyDtype(dtype);
    expect(converted.format).toBe('T{<f:t:q:n:2T{>d:x:d:y:}:pos:}');
    expect(converted.titles).toEqual([
      { path: ['t'], title: 'Time (s)' },
      { path: ['pos'], title: 'Position' },
      { path: ['pos', 'x'], title: 'X axis' },
    ]);
    expect(converted.itemsize).toBe(44);
    expect(numpyDtypeFromFormat(converted)).toEqual(dtype);
    expect(numpyDtypeFromFormat(converted.format, { titles: converted.titles.slice(0, 1) })).toEqual([
      [['Time (s)', 't'], '<f4'],
      ['n', '<i8'],
      [
        'pos',
        [
          ['x', '>f8'],
          ['y', '>f8'],
        ],
        [2],
      ],
    ]);
    expectErrorCode(() => formatFromNumpyDtype([[['a', ''], '<f4']]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => formatFromNumpyDtype([[['a'], '<f4']] as unknown as NumpyDescr), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it("takes an export's itemsize, longer than its record format", () => {
    expect(numpyDtypeFromFormat('T{<i:a:}', { itemsize: 8 })).toEqual([
      ['a', '<i4'],
      ['', '|V4'],
    ]);
    expectErrorCode(() => numpyDtypeFromFormat('T{<i:a:}', { itemsize: 2 }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => numpyDtypeFromFormat('<i', { itemsize: 8 }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('refuses structured dtypes nested beyond the struct depth limit', () => {
    let deep: NumpyDescr = '<f4';
    for (let depth = 0; depth < 80; depth++) deep = [['a', deep]];
    expectErrorCode(() => formatFromNumpyDtype(deep), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => formatFromNumpyDtype([['a', '<f8', [2 ** 30, 2 ** 30]]]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('maps datetime64 and timedelta64 to int64 with their unit', () => {
    const converted = formatFromNumpyDtype('<M8[ns]');
    expect(converted).toEqual({ format: '<q', datetimes: [{ path: [], kind: 'datetime', unit: 'ns', count: 1 }], titles: [], itemsize: 8 });
    expect(numpyDtypeFromFormat(converted)).toBe('<M8[ns]');
    expect(numpyDtypeFromFormat('<q', { datetimes: converted.datetimes })).toBe('<M8[ns]');
    expect(numpyDtypeFromFormat(converted.format)).toBe('<i8');
    for (const dtype of ['>m8[25s]', '<M8', '<m8[D]', '<M8[10us]']) expect(numpyDtypeFromFormat(formatFromNumpyDtype(dtype))).toBe(dtype);
    const record: NumpyDescr = [
      ['t', '<M8[ms]'],
      ['v', '<f8'],
      ['d', '<m8[h]', [2]],
    ];
    const recordFormat = formatFromNumpyDtype(record);
    expect(recordFormat.datetimes.map((field) => field.path)).toEqual([['t'], ['d']]);
    expect(numpyDtypeFromFormat(recordFormat)).toEqual(record);
    expectErrorCode(() => numpyDtypeFromFormat('<i', { datetimes: converted.datetimes }), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
  });

  it('maps structured descr lists with padding, sub-arrays and nesting at NumPy offsets', () => {
    const cases: Array<[NumpyDescr, string, number]> = [
      [
        [
          ['a', '<i4'],
          ['b', '|u1', [2, 3]],
          ['', '|V3'],
        ],
        'T{<i:a:(2,3)B:b:3x}',
        13,
      ],
      [
        [
          ['a', '|u1'],
          ['', '|V7'],
          [
            'n',
            [
              ['x', '|u1'],
              ['', '|V7'],
              ['y', '<f8'],
            ],
          ],
        ],
        'T{B:a:7xT{B:x:7x<d:y:}:n:}',
        24,
      ],
      [
        [
          ['a', '>i4', [2, 3]],
          [
            'b',
            [
              ['x', '<f4'],
              ['y', '>i2'],
            ],
          ],
        ],
        'T{(2,3)>i:a:T{<f:x:>h:y:}:b:}',
        30,
      ],
      [
        [
          ['s', '|S3'],
          ['u', '<U2'],
          ['c', '<c8', [2]],
        ],
        'T{3s:s:<2w:u:2Zf:c:}',
        27,
      ],
      [
        [
          ['a', '|u1'],
          ['pad', '|V3'],
          ['b', '<i4'],
        ],
        'T{B:a:3x:pad:<i:b:}',
        8,
      ],
      [
        [
          ['a', `${native}f16`],
          ['b', '|u1'],
          ['c', '|O'],
        ],
        'T{^g:a:B:b:O:c:}',
        25,
      ],
    ];
    for (const [descr, format, itemsize] of cases) {
      const converted = formatFromNumpyDtype(descr);
      expect(converted.format).toBe(format);
      expect(parseFormat(converted.format).itemsize).toBe(itemsize);
      expect(numpyDtypeFromFormat(converted)).toEqual(descr);
    }
  });

  it('writes formats as NumPy descr: f0 names, gaps and trailing padding as |V entries', () => {
    expect(numpyDtypeFromFormat('T{B:a:xxxi:b:B:c:}')).toEqual([
      ['a', '|u1'],
      ['', '|V3'],
      ['b', '<i4'],
      ['c', '|u1'],
      ['', '|V3'],
    ]);
    expect(numpyDtypeFromFormat('di')).toEqual([
      ['f0', `${native}f8`],
      ['f1', `${native}i4`],
    ]);
    expect(numpyDtypeFromFormat('T{i:f0:i:f2:i}')).toEqual([
      ['f0', `${native}i4`],
      ['f2', `${native}i4`],
      ['f1', `${native}i4`],
    ]);
    expect(numpyDtypeFromFormat('3i')).toEqual([['f0', `${native}i4`, [3]]]);
    expect(numpyDtypeFromFormat('8x')).toBe('|V8');
    expect(numpyDtypeFromFormat('T{(2,2)T{b:x:h:y:}:p:}')).toEqual([
      [
        'p',
        [
          ['x', '|i1'],
          ['', '|V1'],
          ['y', `${native}i2`],
        ],
        [2, 2],
      ],
    ]);
  });

  it('refuses formats NumPy has no dtype for', () => {
    for (const format of ['u', '3p', 'P', 'T{u:a:}']) expectErrorCode(() => numpyDtypeFromFormat(format), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    expectErrorCode(() => numpyDtypeFromFormat('T{'), 'ERR_FORMAT_INVALID', { family: BufferError });
  });

  it('refuses malformed and unsupported dtypes', () => {
    const invalid: unknown[] = [
      '',
      'ff',
      '<q8',
      '<x',
      '<x9',
      '|y4',
      'float33',
      '<float32',
      '<M8[xs]',
      '<M4[ns]',
      '<i4[ns]',
      '<M8[0ns]',
      [],
      [['a']],
      [[1, '<i4']],
      [['a', '<i4', [-1]]],
      [
        ['a', '<i4'],
        ['a', '<f8'],
      ],
      42,
      null,
    ];
    for (const dtype of invalid) {
      expectErrorCode(() => formatFromNumpyDtype(dtype as NumpyDescr), 'ERR_INVALID_ARGUMENT', {
        family: BufferError,
        what: `formatFromNumpyDtype(${JSON.stringify(dtype)})`,
      });
    }
    for (const dtype of ['<f12', '|b2', '<i3', '<c4', '|T16', '|O4', [['a:b', '<i4']], '|S0', 'U', 'void', [['a', '<V0']]]) {
      expectErrorCode(() => formatFromNumpyDtype(dtype as NumpyDescr), 'ERR_FORMAT_UNSUPPORTED', {
        family: BufferError,
        what: `formatFromNumpyDtype(${JSON.stringify(dtype)})`,
      });
    }
  });

  it('round-trips generated descr lists, titled fields and both byte orders included (property)', () => {
    const typestr = fc.constantFrom(
      '|i1',
      '|u1',
      '|b1',
      '<i2',
      '>i2',
      '<u4',
      '>u8',
      '>f4',
      '<f8',
      '>f8',
      '>c8',
      '<c16',
      '|S3',
      '<U2',
      '>U1',
      '<f2',
      '>f2',
      '<M8[ns]',
      '>m8[s]',
      '>M8[25us]',
    );
    const { descr } = fc.letrec<{ descr: NumpyDescr; list: NumpyDescr }>((tie) => ({
      descr: fc.oneof({ depthSize: 'small' }, typestr, tie('list')),
      list: fc
        .array(
          fc.tuple(
            fc.oneof(typestr, tie('list')),
            fc.option(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 })),
            fc.nat({ max: 3 }),
            fc.option(fc.string({ maxLength: 6 })),
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((entries) =>
          entries.flatMap(([type, shape, gap, title], index) => {
            const name: NumpyFieldName = title === null ? `f${index}_` : [title, `f${index}_`];
            const field: NumpyDescrField = shape === null ? [name, type] : [name, type, shape];
            return gap === 0 ? [field] : [field, ['', `|V${gap}`] as [string, string]];
          }),
        ),
    }));
    fc.assert(
      fc.property(descr, (dtype) => {
        const converted = formatFromNumpyDtype(dtype);
        expect(numpyDtypeFromFormat(converted)).toEqual(dtype);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});

describe('formatFromArrowFormat / arrowFormatFromFormat', () => {
  const primitives: Array<[string, string]> = [
    ['c', 'b'],
    ['C', 'B'],
    ['s', 'h'],
    ['S', 'H'],
    ['i', 'i'],
    ['I', 'I'],
    ['l', 'q'],
    ['L', 'Q'],
    ['e', 'e'],
    ['f', 'f'],
    ['g', 'd'],
    ['b', '?'],
    ['w:16', '16s'],
  ];

  it('maps every fixed-width primitive both ways', () => {
    for (const [arrow, format] of primitives) {
      expect(formatFromArrowFormat(arrow)).toBe(format);
      expect(arrowFormatFromFormat(format)).toBe(arrow);
      expect(arrowFormatFromFormat(`${native}${format}`)).toBe(arrow);
    }
    expect(arrowFormatFromFormat('l')).toBe('l');
    expect(arrowFormatFromFormat('<l')).toBe('i');
    expect(arrowFormatFromFormat('n')).toBe('l');
    expect(arrowFormatFromFormat(parseFormat('N'))).toBe('L');
    expect(arrowFormatFromFormat(parseFormat('>b').type)).toBe('c');
  });

  it('names the Arrow type it cannot map', () => {
    const cases: Array<[string, string]> = [
      ['n', 'null'],
      ['z', 'binary'],
      ['Z', 'large binary'],
      ['u', 'utf8 string'],
      ['U', 'large utf8 string'],
      ['vu', 'utf8 view'],
      ['d:19,10', 'decimal (19,10)'],
      ['tdD', 'date32 (days)'],
      ['tdm', 'date64 (milliseconds)'],
      ['tts', 'time32 (seconds)'],
      ['ttm', 'time32 (milliseconds)'],
      ['ttu', 'time64 (microseconds)'],
      ['ttn', 'time64 (nanoseconds)'],
      ['tss:', 'timestamp (seconds)'],
      ['tsm:UTC', 'timestamp (milliseconds, time zone UTC)'],
      ['tDs', 'duration (seconds)'],
      ['tiM', 'interval (months)'],
      ['+l', 'list'],
      ['+w:4', 'fixed-size list (4)'],
      ['+s', 'struct'],
      ['+m', 'map'],
      ['+ud:0,1', 'dense union'],
    ];
    for (const [arrow, name] of cases) {
      const error = expectErrorCode(() => formatFromArrowFormat(arrow), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
      expect(error.details.arrowType).toBe(name);
    }
  });

  it('gives the storage of temporal types on request', () => {
    const storage: Array<[string, string]> = [
      ['tdD', 'i'],
      ['tdm', 'q'],
      ['tts', 'i'],
      ['ttm', 'i'],
      ['ttu', 'q'],
      ['ttn', 'q'],
      ['tsn:Europe/Paris', 'q'],
      ['tDm', 'q'],
    ];
    for (const [arrow, format] of storage) expect(formatFromArrowFormat(arrow, { temporalAsStorage: true })).toBe(format);
    expectErrorCode(() => formatFromArrowFormat('u', { temporalAsStorage: true }), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
  });

  it('refuses strings that are not Arrow formats', () => {
    for (const arrow of ['', 'x', 'w:', 'tsx:', 'toString', 3])
      expectErrorCode(() => formatFromArrowFormat(arrow as string), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('refuses formats Arrow has no primitive for', () => {
    for (const format of [`${foreign}i`, 'T{i:a:}', '4f', 'Zf', 'Zd', 'g', 'c', '5w', 'p', 'O', 'P', 'x']) {
      expectErrorCode(() => arrowFormatFromFormat(format), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    }
  });
});

describe('dlpackDtypeFromFormat / formatFromDlpackDtype', () => {
  const pairs: Array<[string, number, number]> = [
    ['b', DlpackTypeCode.kDLInt, 8],
    ['h', DlpackTypeCode.kDLInt, 16],
    ['i', DlpackTypeCode.kDLInt, 32],
    ['q', DlpackTypeCode.kDLInt, 64],
    ['B', DlpackTypeCode.kDLUInt, 8],
    ['H', DlpackTypeCode.kDLUInt, 16],
    ['I', DlpackTypeCode.kDLUInt, 32],
    ['Q', DlpackTypeCode.kDLUInt, 64],
    ['e', DlpackTypeCode.kDLFloat, 16],
    ['f', DlpackTypeCode.kDLFloat, 32],
    ['d', DlpackTypeCode.kDLFloat, 64],
    ['Zf', DlpackTypeCode.kDLComplex, 64],
    ['Zd', DlpackTypeCode.kDLComplex, 128],
    ['?', DlpackTypeCode.kDLBool, 8],
  ];

  it('maps every scalar both ways', () => {
    expect(DlpackTypeCode).toEqual({ kDLInt: 0, kDLUInt: 1, kDLFloat: 2, kDLOpaqueHandle: 3, kDLBfloat: 4, kDLComplex: 5, kDLBool: 6 });
    for (const [format, code, bits] of pairs) {
      expect(dlpackDtypeFromFormat(format)).toEqual({ code, bits, lanes: 1 });
      expect(dlpackDtypeFromFormat(`${native}${format}`)).toEqual({ code, bits, lanes: 1 });
      expect(formatFromDlpackDtype({ code, bits, lanes: 1 })).toBe(format);
    }
    expect(dlpackDtypeFromFormat('l')).toEqual({ code: 0, bits: 64, lanes: 1 });
    expect(dlpackDtypeFromFormat('<l')).toEqual({ code: 0, bits: 32, lanes: 1 });
  });

  it('maps vector lanes to a 1-D sub-array', () => {
    expect(dlpackDtypeFromFormat('4f')).toEqual({ code: 2, bits: 32, lanes: 4 });
    expect(dlpackDtypeFromFormat('(2)Zd')).toEqual({ code: 5, bits: 128, lanes: 2 });
    expect(formatFromDlpackDtype({ code: 0, bits: 16, lanes: 4 })).toBe('4h');
    expect(dlpackDtypeFromFormat(formatFromDlpackDtype({ code: 1, bits: 8, lanes: 3 }))).toEqual({ code: 1, bits: 8, lanes: 3 });
  });

  it('refuses formats DLPack has no dtype for', () => {
    for (const format of [`${foreign}f`, 'T{f:a:}', '(2,2)f', 'T{4f:a:}', '0f', 'g', 'Zg', 'c', '4s', 'w', 'O', 'P', 'x']) {
      expectErrorCode(() => dlpackDtypeFromFormat(format), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    }
  });

  it('refuses DLPack dtypes without a struct format, naming them', () => {
    const cases = [
      { code: DlpackTypeCode.kDLBfloat, bits: 16, lanes: 1 },
      { code: DlpackTypeCode.kDLOpaqueHandle, bits: 64, lanes: 1 },
      { code: DlpackTypeCode.kDLBool, bits: 1, lanes: 1 },
      { code: DlpackTypeCode.kDLFloat, bits: 128, lanes: 1 },
      { code: DlpackTypeCode.kDLInt, bits: 4, lanes: 1 },
      { code: 7, bits: 8, lanes: 1 },
    ];
    for (const dtype of cases) {
      const error = expectErrorCode(() => formatFromDlpackDtype(dtype), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
      expect(error.details).toMatchObject(dtype);
    }
    for (const dtype of [{ code: -1, bits: 8, lanes: 1 }, { code: 0, bits: 8, lanes: 0 }, { code: 0, bits: 8.5, lanes: 1 }, { code: 0, bits: 8 }, null]) {
      expectErrorCode(() => formatFromDlpackDtype(dtype as never), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    }
  });
});

describe('mappings agree with each other', () => {
  it('TypedArray, NumPy, Arrow and DLPack describe the same native scalars', () => {
    for (const format of ['b', 'B', 'h', 'H', 'i', 'I', 'q', 'Q', 'f', 'd']) {
      const parsed = parseFormat(format);
      const bytes = typedArrayForFormat(format).BYTES_PER_ELEMENT;
      expect(bytes).toBe(parsed.itemsize);
      expect(dlpackDtypeFromFormat(format).bits).toBe(bytes * 8);
      expect(parseFormat(formatFromArrowFormat(arrowFormatFromFormat(format))).itemsize).toBe(bytes);
      const dtype = numpyDtypeFromFormat(format) as string;
      expect(parseFormat(formatFromNumpyDtype(dtype).format).type).toMatchObject({ valueKind: (parsed.type as { valueKind: string }).valueKind, size: bytes });
    }
    expect((parseFormat('T{i:a:}').type as StructFormat).fields).toHaveLength(1);
  });
});
