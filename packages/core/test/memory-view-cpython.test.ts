// MemoryView behaviour checked against what CPython's memoryview does (expected values were
// produced with python3 3.11; comments give the Python expression).
import { describe, expect, it } from 'vitest';
import {
  BufferError,
  BufferFlags,
  ExportLock,
  exportBuffer,
  getBuffer,
  getbuffer,
  MemoryView,
  releaseBuffer,
  releasebuffer,
  type BufferInfo,
  type BufferSegment,
} from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';

function bytesView(values: number[], flags: number = BufferFlags.FULL): MemoryView {
  return MemoryView.from(Uint8Array.from(values), flags);
}

function writable(bytes: number): MemoryView {
  return MemoryView.from(new Uint8Array(bytes), BufferFlags.FULL);
}

describe('indexing', () => {
  it('wraps negative indexes and names the dimension that is out of range', () => {
    using view = bytesView([0, 1, 2, 3, 4, 5]).cast('B', [2, 3]);
    expect(view.get([1, 2])).toBe(5); // y[1,2]
    expect(view.get([-1, -1])).toBe(5); // y[-1,-1]
    expect(expectErrorCode(() => view.get([2, 0]), 'ERR_INDEX_OUT_OF_RANGE', { family: BufferError }).details.dimension).toBe(0);
    expectErrorCode(() => view.get([0, -4]), 'ERR_INDEX_OUT_OF_RANGE', { family: BufferError });
  });

  it('needs one index per dimension (CPython: multi-dimensional sub-views are not implemented)', () => {
    using view = bytesView([0, 1, 2, 3]).cast('B', [2, 2]);
    expectErrorCode(() => view.get(0), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.get([0]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.get([0.5, 0]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('reads and writes 0-d views with an empty index', () => {
    using view = writable(4).cast('i', []);
    expect(view.ndim).toBe(0);
    expect(view.shape).toEqual([]);
    view.set([], -7);
    expect(view.get()).toBe(-7);
    expect(view.toList()).toBe(-7);
    expectErrorCode(() => view.length, 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('integer slicing drops a dimension', () => {
    using view = bytesView([0, 1, 2, 3, 4, 5]).cast('B', [2, 3]);
    using row = view.slice(1);
    expect(row.shape).toEqual([3]);
    expect(row.toList()).toEqual([3, 4, 5]);
    using column = view.slice(null, -1);
    expect(column.toList()).toEqual([2, 5]);
    using item = view.slice(0, 1);
    expect(item.ndim).toBe(0);
    expect(item.get()).toBe(1);
  });
});

describe('slicing', () => {
  const data = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const cases: [string, number[]][] = [
    [':', data],
    ['2:5', [2, 3, 4]],
    ['::3', [0, 3, 6, 9]],
    ['::-1', [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]],
    ['-3:', [7, 8, 9]],
    ['8:2:-2', [8, 6, 4]],
    ['100:', []],
    ['-100:3', [0, 1, 2]],
    ['5:1', []],
    [':-100:-1', [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]],
  ];
  for (const [spec, expected] of cases) {
    it(`m[${spec}] gives Python's result`, () => {
      using view = bytesView(data);
      using part = view.slice(spec);
      expect(part.toList()).toEqual(expected);
      expect(part.shape).toEqual([expected.length]);
    });
  }

  it('accepts { start, stop, step } objects and shares memory', () => {
    const bytes = Uint8Array.from(data);
    using view = MemoryView.from(bytes, BufferFlags.FULL);
    using part = view.slice({ start: 1, step: 4 });
    expect(part.toList()).toEqual([1, 5, 9]);
    expect(part.strides).toEqual([4]);
    part.set(1, 50);
    expect(bytes[5]).toBe(50);
  });

  it('refuses step 0, too many specs and bad specs', () => {
    using view = bytesView(data);
    expectErrorCode(() => view.slice('::0'), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.slice({ step: 0 }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.slice(':', ':'), 'ERR_INDEX_OUT_OF_RANGE', { family: BufferError });
    expectErrorCode(() => view.slice('a:b'), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.slice(10), 'ERR_INDEX_OUT_OF_RANGE', { family: BufferError });
    expectErrorCode(() => view.slice(1.5), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('slices several dimensions at once', () => {
    using view = MemoryView.from(Int32Array.from({ length: 12 }, (_, i) => i)).reshape([3, 4]);
    using part = view.slice('::-1', '1::2');
    expect(part.toList()).toEqual([
      [9, 11],
      [5, 7],
      [1, 3],
    ]);
    expect(part.strides).toEqual([-16, 8]);
  });
});

describe('transpose, flip, reshape', () => {
  it('transpose permutes shape and strides without copying', () => {
    using view = MemoryView.from(Int16Array.from({ length: 24 }, (_, i) => i)).reshape([2, 3, 4]);
    using t = view.transpose();
    expect(t.shape).toEqual([4, 3, 2]);
    expect(t.strides).toEqual([2, 8, 24]);
    expect(t.get([3, 2, 1])).toBe(view.get([1, 2, 3]));
    using p = view.transpose([1, 0, 2]);
    expect(p.shape).toEqual([3, 2, 4]);
    expectErrorCode(() => view.transpose([0, 0, 1]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.transpose([0, 1]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.transpose([0, 1, 3]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expect(t.fContiguous).toBe(true);
    expect(t.cContiguous).toBe(false);
  });

  it('flip reverses one axis or all', () => {
    using view = MemoryView.from(Uint8Array.from([1, 2, 3, 4, 5, 6])).reshape([2, 3]);
    expect(view.flip(1).toList()).toEqual([
      [3, 2, 1],
      [6, 5, 4],
    ]);
    expect(view.flip(-2).toList()).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(view.flip().toList()).toEqual([
      [6, 5, 4],
      [3, 2, 1],
    ]);
    expectErrorCode(() => view.flip(2), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('reshape returns a view when strides allow it and copies otherwise', () => {
    const data = Int32Array.from({ length: 12 }, (_, i) => i);
    using view = MemoryView.from(data, BufferFlags.FULL).reshape([3, 4]);
    using same = view.reshape([2, -1, 2]);
    expect(same.shape).toEqual([2, 3, 2]);
    expect(same.obj).toBe(data);
    using columns = view.slice(null, '1:3');
    using flat = columns.reshape([6]);
    expect(flat.obj).not.toBe(data);
    expect(flat.toList()).toEqual([1, 2, 5, 6, 9, 10]);
    expectErrorCode(() => columns.reshape([6], { copy: false }), 'ERR_CAST_INVALID', { family: BufferError });
    using rows = view.slice('::2');
    using split = rows.reshape([2, 2, 2], { copy: false });
    expect(split.toList()).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [8, 9],
        [10, 11],
      ],
    ]);
    expectErrorCode(() => view.reshape([5]), 'ERR_SHAPE_MISMATCH', { family: BufferError });
    expectErrorCode(() => view.reshape([-1, -1]), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    using transposed = view.transpose();
    expect(transposed.reshape([12]).toList()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });
});

describe('cast (CPython rules)', () => {
  it('casts 1-D bytes to N-D and back', () => {
    using m2 = writable(12);
    expect(m2.cast('f', [3, 1]).shape).toEqual([3, 1]);
    expect(m2.cast('i', [3]).shape).toEqual([3]);
    expect(m2.cast('I').shape).toEqual([3]);
    using x = m2.cast('B', [3, 4]);
    expect(x.cast('i').shape).toEqual([3]);
  });

  it('refuses what CPython refuses', () => {
    using m2 = writable(12);
    expectErrorCode(() => m2.cast('i', [2, 2]), 'ERR_CAST_INVALID', { family: BufferError }); // product(shape) * itemsize != buffer size
    expectErrorCode(() => m2.cast('d'), 'ERR_CAST_INVALID', { family: BufferError }); // length is not a multiple of itemsize
    expectErrorCode(() => m2.cast('i').cast('f'), 'ERR_CAST_INVALID', { family: BufferError }); // cannot cast between two non-byte formats
    expectErrorCode(() => m2.cast('B', [3, 4]).slice('::2').cast('B'), 'ERR_CAST_INVALID', { family: BufferError }); // restricted to C-contiguous views
    expectErrorCode(() => m2.cast('B', [0, 12]), 'ERR_CAST_INVALID', { family: BufferError }); // elements of shape must be integers > 0
    expectErrorCode(() => m2.cast('B', new Array<number>(65).fill(1)), 'ERR_BUFFER_TOO_MANY_DIMENSIONS', { family: BufferError });
    expectErrorCode(() => m2.cast('f').cast('>I'), 'ERR_CAST_INVALID', { family: BufferError });
    expectErrorCode(() => m2.cast('k'), 'ERR_FORMAT_INVALID', { family: BufferError });
  });

  it('extensions: explicit byte order, records and N-D to N-D', () => {
    using m2 = MemoryView.from(Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]));
    expect(m2.cast('>I').toList()).toEqual([1, 2, 3, 4]);
    using grid = m2.cast('B', [4, 4]);
    expect(grid.cast('>I', [2, 2]).toList()).toEqual([
      [1, 2],
      [3, 4],
    ]); // CPython: cast must be 1D -> ND or ND -> 1D
    expect(m2.cast('T{>H:a:>H:b:}').toList()).toEqual([
      { a: 0, b: 1 },
      { a: 0, b: 2 },
      { a: 0, b: 3 },
      { a: 0, b: 4 },
    ]);
  });
});

describe('toBytes and hex', () => {
  it('orders bytes C, F or A', () => {
    using y = bytesView([0, 1, 2, 3, 4, 5]).cast('B', [2, 3]);
    expect(Array.from(y.toBytes())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(y.toBytes('F'))).toEqual([0, 3, 1, 4, 2, 5]);
    expect(Array.from(y.toBytes('A'))).toEqual([0, 1, 2, 3, 4, 5]);
    using t = y.transpose();
    expect(Array.from(t.toBytes('A'))).toEqual([0, 1, 2, 3, 4, 5]); // F-contiguous: physical order
    expect(Array.from(t.toBytes('C'))).toEqual([0, 3, 1, 4, 2, 5]);
    expectErrorCode(() => y.toBytes('K' as 'C'), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });

  it('groups hex digits like bytes.hex(sep, bytes_per_sep)', () => {
    using m = bytesView([0xde, 0xad, 0xbe, 0xef, 0x01]);
    expect(m.hex()).toBe('deadbeef01');
    expect(m.hex(':', 2)).toBe('de:adbe:ef01');
    expect(m.hex('-', -2)).toBe('dead-beef-01');
    expect(m.hex(':', 0)).toBe('deadbeef01');
    expect(m.hex(':', 5)).toBe('deadbeef01');
    expect(m.hex(':', -6)).toBe('deadbeef01');
    expect(m.hex(' ')).toBe('de ad be ef 01');
    expectErrorCode(() => m.hex('::'), 'ERR_INVALID_ARGUMENT', { family: BufferError }); // sep must be length 1
    expectErrorCode(() => m.hex('é'), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    using empty = bytesView([]);
    expect(empty.hex(':')).toBe('');
    using zeros = bytesView([0, 0, 0]);
    expect(zeros.hex(':')).toBe('00:00:00');
  });

  it('hex of a multi-byte format is its bytes in C order', () => {
    using view = MemoryView.from(new Uint8Array([1, 0, 2, 0]))
      .cast('<H')
      .slice('::-1');
    expect(view.hex()).toBe('02000100');
  });
});

describe('equals (format-aware, as memoryview ==)', () => {
  it('compares values, not bytes or formats', () => {
    using a = MemoryView.from(new Uint8Array([1, 2]));
    using b = MemoryView.from(new Int32Array([1, 2]));
    expect(a.equals(b)).toBe(true); // memoryview(array('B')) == memoryview(array('i'))
    expect(a.equals(new Float64Array([1, 2]))).toBe(true);
    expect(a.equals(new Float64Array([1, 2.5]))).toBe(false);
    using flag = MemoryView.from(new Uint8Array([1])).cast('?');
    expect(flag.equals(new Uint8Array([1]))).toBe(true); // True == 1
    using wide = MemoryView.from(new BigInt64Array([2n ** 53n + 1n]));
    expect(wide.equals(new Float64Array([2 ** 53]))).toBe(false);
  });

  it('is unequal for different shapes and for non-exporters', () => {
    using a = MemoryView.from(new Uint8Array([1, 2, 3, 4]));
    expect(a.equals(a.cast('B', [2, 2]))).toBe(false);
    expect(a.equals(new Uint8Array([1, 2, 3]))).toBe(false);
    expect(a.equals({})).toBe(false);
    expect(a.equals(null)).toBe(false);
  });

  it('NaN items make a view unequal even to itself', () => {
    using a = MemoryView.from(new Float32Array([1, NaN]));
    expect(a.equals(a)).toBe(false);
    using b = MemoryView.from(new Float32Array([1, 2]));
    expect(b.equals(b)).toBe(true);
  });

  it('formats without JavaScript values are equal only to the same view', () => {
    using a = MemoryView.from(new Uint8Array(16)).cast('g');
    using b = MemoryView.from(new Uint8Array(16)).cast('g');
    expect(a.equals(a)).toBe(true);
    expect(a.equals(b)).toBe(false);
  });

  it('released views are equal only to themselves', () => {
    const a = MemoryView.from(new Uint8Array([1]));
    const b = MemoryView.from(new Uint8Array([1]));
    a.release();
    expect(a.equals(a)).toBe(true);
    expect(a.equals(b)).toBe(false);
    expect(b.equals(a)).toBe(false);
    b.release();
  });

  it('compares strided and transposed views element by element', () => {
    using m = MemoryView.from(Int32Array.from([1, 2, 3, 4])).reshape([2, 2]);
    using t = MemoryView.copy(m.transpose(), { order: 'C' });
    expect(t.equals(m.transpose())).toBe(true);
    expect(t.equals(m)).toBe(false);
  });

  it('compares records field by field (an extension: CPython cannot itemise T{...})', () => {
    using a = MemoryView.from(new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0])).cast('T{<i:x:<i:y:}');
    using b = MemoryView.from(new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0])).cast('T{<i:x:<i:y:}');
    using c = MemoryView.from(new Uint8Array([1, 0, 0, 0, 3, 0, 0, 0])).cast('T{<i:x:<i:y:}');
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });
});

describe('item values for every format', () => {
  const integerCases: [string, number, number][] = [
    ['b', -128, 127],
    ['B', 0, 255],
    ['h', -32768, 32767],
    ['H', 0, 65535],
    ['i', -2147483648, 2147483647],
    ['I', 0, 4294967295],
    ['<l', -2147483648, 2147483647],
    ['>L', 0, 4294967295],
  ];
  for (const [format, min, max] of integerCases) {
    it(`${format}: stores its range exactly and refuses values outside it`, () => {
      using view = writable(16)
        .cast('B', [16])
        .slice(':8')
        .cast(format.replace(/^[<>]/, '') === format ? format : format);
      view.set(0, min);
      view.set(-1, max);
      expect(view.get(0)).toBe(min);
      expect(view.get(-1)).toBe(max);
      expectErrorCode(() => view.set(0, min - 1), 'ERR_VALUE_INVALID', { family: BufferError });
      expectErrorCode(() => view.set(0, max + 1), 'ERR_VALUE_INVALID', { family: BufferError });
      expectErrorCode(() => view.set(0, 1.5), 'ERR_VALUE_INVALID', { family: BufferError });
      expectErrorCode(() => view.set(0, '1'), 'ERR_VALUE_INVALID', { family: BufferError });
      expect(view.get(0)).toBe(min);
      view.set(0, 3n);
      expect(view.get(0)).toBe(3);
    });
  }

  for (const format of ['q', 'Q', 'n', 'N', 'l', 'L', '<q', '>Q']) {
    it(`${format}: 8-byte integers are bigints, range-checked`, () => {
      using view = writable(16).cast(format);
      const signed = format.toLowerCase() === format;
      const min = signed ? -(2n ** 63n) : 0n;
      const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
      view.set(0, min);
      view.set(1, max);
      expect(view.get(0)).toBe(min);
      expect(view.get(1)).toBe(max);
      expectErrorCode(() => view.set(0, max + 1n), 'ERR_VALUE_INVALID', { family: BufferError });
      expectErrorCode(() => view.set(0, min - 1n), 'ERR_VALUE_INVALID', { family: BufferError });
      expectErrorCode(() => view.set(0, 2 ** 60), 'ERR_VALUE_INVALID', { family: BufferError }); // not a safe integer
      view.set(0, 12);
      expect(view.get(0)).toBe(12n);
    });
  }

  it('?: booleans only', () => {
    using view = MemoryView.from(Uint8Array.from([0, 1, 7]), BufferFlags.FULL).cast('?');
    expect(view.toList()).toEqual([false, true, true]);
    view.set(0, true);
    expect(view.get(0)).toBe(true);
    // @ts-expect-error a '?' item is a boolean: the type refuses a number too
    expectErrorCode(() => view.set(0, 1), 'ERR_VALUE_INVALID', { family: BufferError });
  });

  it('e: float16 read and written without Float16Array, round-half-even, overflow refused', () => {
    using view = writable(2).cast('<e');
    const cases: [number, number][] = [
      [1, 0x3c00],
      [0.1, 0x2e66],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000],
      [3 * 2 ** -26, 0x0001],
      [2 ** -14, 0x0400],
      [-0, 0x8000],
      [1 / 3, 0x3555],
      [2 ** -24 * 1.5, 0x0002],
      [Infinity, 0x7c00],
    ];
    using raw = view.cast('B').cast('<H');
    for (const [value, bits] of cases) {
      view.set(0, value);
      expect(raw.get(0)).toBe(bits);
    }
    view.set(0, NaN);
    expect(view.get(0)).toBeNaN();
    expectErrorCode(() => view.set(0, 65520), 'ERR_VALUE_INVALID', { family: BufferError }); // float too large to pack with e format
    raw.set(0, 0x3555);
    expect(view.get(0)).toBe(0.333251953125);
    raw.set(0, 0xfc00);
    expect(view.get(0)).toBe(-Infinity);
  });

  it('f and d: numbers; f refuses finite values that overflow float32', () => {
    using f = writable(8).cast('>f');
    f.set(0, 0.1);
    expect(f.get(0)).toBe(Math.fround(0.1));
    f.set(1, 3.4e38);
    expectErrorCode(() => f.set(1, 3.5e38), 'ERR_VALUE_INVALID', { family: BufferError }); // float too large to pack with f format
    f.set(1, -Infinity);
    expect(f.get(1)).toBe(-Infinity);
    using d = writable(8).cast('d');
    d.set(0, Number.MIN_VALUE);
    expect(d.get(0)).toBe(Number.MIN_VALUE);
    // @ts-expect-error a 'd' item is a number: the type refuses a bigint too
    expectErrorCode(() => d.set(0, 1n), 'ERR_VALUE_INVALID', { family: BufferError });
  });

  it('Zf and Zd: complex numbers as [re, im]', () => {
    using zd = writable(32).cast('Zd');
    zd.set(0, [1.5, -2]);
    zd.set(1, 3);
    expect(zd.toList()).toEqual([
      [1.5, -2],
      [3, 0],
    ]);
    using zf = writable(8).cast('>Zf');
    zf.set(0, [0.5, 0.25]);
    expect(zf.get(0)).toEqual([0.5, 0.25]);
    // @ts-expect-error a complex item is [re, im]: the type refuses three parts too
    expectErrorCode(() => zf.set(0, [1, 2, 3]), 'ERR_VALUE_INVALID', { family: BufferError });
    expectErrorCode(() => zf.set(0, [1e39, 0]), 'ERR_VALUE_INVALID', { family: BufferError });
  });

  it('c and s: bytes', () => {
    using c = MemoryView.from(new TextEncoder().encode('abc'), BufferFlags.FULL).cast('c');
    expect(c.get(1)).toEqual(new Uint8Array([98]));
    c.set(0, new Uint8Array([122]));
    expect(c.get(0)).toEqual(new Uint8Array([122]));
    expectErrorCode(() => c.set(0, new Uint8Array([1, 2])), 'ERR_VALUE_INVALID', { family: BufferError });
    expectErrorCode(() => c.set(0, 97), 'ERR_VALUE_INVALID', { family: BufferError });
    using s = writable(8).cast('4s');
    s.set(0, new Uint8Array([1, 2]));
    expect(s.get(0)).toEqual(new Uint8Array([1, 2, 0, 0]));
    expectErrorCode(() => s.set(1, new Uint8Array(5)), 'ERR_VALUE_INVALID', { family: BufferError });
    // The value is a copy: mutating it does not write through.
    const item = s.get(0);
    item[0] = 99;
    expect(s.get(0)[0]).toBe(1);
  });

  it('u and w: one-character strings', () => {
    using w = writable(8).cast('w');
    w.set(0, '😀');
    w.set(1, 'a');
    expect(w.toList()).toEqual(['😀', 'a']);
    expectErrorCode(() => w.set(0, 'ab'), 'ERR_VALUE_INVALID', { family: BufferError });
    using u = writable(2).cast('u');
    expectErrorCode(() => u.set(0, '😀'), 'ERR_VALUE_INVALID', { family: BufferError });
    u.set(0, 'é');
    expect(u.get(0)).toBe('é');
  });

  it("Nw and Nu: fixed-length strings, NUL-padded, as NumPy's U dtype", () => {
    using w = writable(2 * 16).cast('<4w');
    expect(w.itemsize).toBe(16);
    w.set(0, 'héll');
    w.set(1, 'a😀');
    expect(w.toList()).toEqual(['héll', 'a😀']);
    w.set(1, '');
    expect(w.get(1)).toBe('');
    expectErrorCode(() => w.set(0, 'hello'), 'ERR_VALUE_INVALID', { family: BufferError });
    expectErrorCode(() => w.set(0, 5), 'ERR_VALUE_INVALID', { family: BufferError });
    using u = writable(6).cast('3u');
    u.set(0, 'ab');
    expect(u.get(0)).toBe('ab');
    expect([...u.cast('B').toBytes()]).toEqual([97, 0, 98, 0, 0, 0]);
  });

  it('records: objects keyed by field name, sub-arrays nested, unnamed fields f<n>', () => {
    const format = 'T{<i:id:(2,2)<h:grid:x<?:flag:}';
    using view = writable(2 * 14).cast(format);
    expect(view.itemsize).toBe(14);
    const record = {
      id: -5,
      grid: [
        [1, 2],
        [3, -4],
      ],
      flag: true,
    };
    view.set(1, record);
    expect(view.get(1)).toEqual(record);
    expect(view.get(0)).toEqual({
      id: 0,
      grid: [
        [0, 0],
        [0, 0],
      ],
      flag: false,
    });
    expectErrorCode(() => view.set(0, { id: 1, grid: [[1, 2]], flag: true }), 'ERR_VALUE_INVALID', { family: BufferError });
    expectErrorCode(() => view.set(0, { id: 1, flag: true }), 'ERR_VALUE_INVALID', { family: BufferError });
    expectErrorCode(
      () =>
        view.set(0, {
          id: 2 ** 40,
          grid: [
            [1, 2],
            [3, 4],
          ],
          flag: true,
        }),
      'ERR_VALUE_INVALID',
      { family: BufferError },
    );
    // A refused record leaves the item unchanged.
    expect(view.get(0)).toEqual({
      id: 0,
      grid: [
        [0, 0],
        [0, 0],
      ],
      flag: false,
    });
    using unnamed = writable(6).cast('T{<h<I}');
    expect(unnamed.get(0)).toEqual({ f0: 0, f1: 0 });
    using nested = writable(12).cast('T{<i:a:T{<f:x:<f:y:}:p:}');
    nested.set(0, { a: 1, p: { x: 0.5, y: -1 } });
    expect(nested.toList()).toEqual([{ a: 1, p: { x: 0.5, y: -1 } }]);
  });

  it('formats without a JavaScript value are refused on access', () => {
    using g = writable(16).cast('g');
    expectErrorCode(() => g.get(0), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    expectErrorCode(() => g.toList(), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    using o = writable(8).cast('O');
    expectErrorCode(() => o.set(0, 1), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
  });

  it('non-native byte order reads and writes through the view', () => {
    const bytes = new Uint8Array(8);
    using view = MemoryView.from(bytes, BufferFlags.FULL).cast('>d');
    view.set(0, 1);
    expect(Array.from(bytes)).toEqual([0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
    using h = MemoryView.from(bytes, BufferFlags.FULL).cast('>h');
    h.set(3, -2);
    expect(Array.from(bytes.slice(6))).toEqual([0xff, 0xfe]);
    expect(h.get(3)).toBe(-2);
  });
});

/** An exporter of indirect memory: one separate buffer per index of dimension 0. */
class Slices {
  readonly lock = new ExportLock();
  readonly planes: Uint8Array[];
  constructor(
    readonly shape: [number, number, number],
    readonly pad = 4,
  ) {
    this.planes = Array.from({ length: shape[0] }, (_, z) => {
      const plane = new Uint8Array(pad + shape[1] * shape[2] * 2 + 3);
      const values = new DataView(plane.buffer);
      for (let i = 0; i < shape[1] * shape[2]; i++) values.setUint16(pad + 2 * i, z * 1000 + i, true);
      return plane;
    });
  }
  [getbuffer](flags: number): BufferInfo {
    const segments: BufferSegment[] = this.planes.map((plane) => ({ buffer: plane.buffer, byteOffset: plane.byteOffset, byteLength: plane.byteLength }));
    return exportBuffer(
      this,
      { buffer: this.planes[0]!.buffer, byteOffset: 0, format: '<H', shape: this.shape, strides: [0, this.shape[2] * 2, 2], segments, suboffset: this.pad },
      flags,
      this.lock,
    );
  }
  [releasebuffer](): void {
    this.lock.release();
  }
  expected(z: number, y: number, x: number): number {
    return z * 1000 + y * this.shape[2] + x;
  }
}

describe('indirect (suboffset) views', () => {
  it('reports suboffsets and reads every element', () => {
    const exporter = new Slices([3, 2, 4]);
    using view = MemoryView.from(exporter);
    expect(view.suboffsets).toEqual([4, -1, -1]);
    expect(view.cContiguous).toBe(false);
    expect(view.contiguous).toBe(false);
    expect(view.get([2, 1, 3])).toBe(exporter.expected(2, 1, 3));
    const list = view.toList() as number[][][];
    for (let z = 0; z < 3; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) expect(list[z]![y]![x]).toBe(exporter.expected(z, y, x));
  });

  it('is refused without INDIRECT, as CPython', () => {
    expectErrorCode(() => MemoryView.from(new Slices([2, 2, 2]), BufferFlags.STRIDED_RO), 'ERR_BUFFER_FLAGS_UNSUPPORTED', { family: BufferError });
  });

  it('slices, flips and indexes dimension 0 through the segments', () => {
    const exporter = new Slices([4, 2, 3]);
    using view = MemoryView.from(exporter, BufferFlags.FULL);
    using part = view.slice('::-2', null, '1:');
    expect(part.shape).toEqual([2, 2, 2]);
    expect(part.get([0, 1, 1])).toBe(exporter.expected(3, 1, 2));
    expect(part.get([1, 0, 0])).toBe(exporter.expected(1, 0, 1));
    using plane = view.slice(2);
    expect(plane.suboffsets).toEqual([]);
    expect(plane.cContiguous).toBe(true);
    expect(plane.toTypedArray()).toBeInstanceOf(Uint16Array);
    using flipped = view.flip();
    expect(flipped.get([0, 0, 0])).toBe(exporter.expected(3, 1, 2));
    flipped.set([0, 0, 0], 7);
    expect(view.get([3, 1, 2])).toBe(7);
    using swapped = view.transpose([0, 2, 1]);
    expect(swapped.get([1, 2, 0])).toBe(exporter.expected(1, 0, 2));
    expectErrorCode(() => view.transpose(), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => view.cast('B'), 'ERR_CAST_INVALID', { family: BufferError });
    expectErrorCode(() => view.toTypedArray(), 'ERR_BUFFER_NOT_CONTIGUOUS', { family: BufferError });
  });

  it('copies, compares, converts and re-exports', () => {
    const exporter = new Slices([3, 2, 2]);
    using view = MemoryView.from(exporter);
    using copy = MemoryView.copy(view);
    expect(copy.cContiguous).toBe(true);
    expect(copy.toList()).toEqual(view.toList());
    expect(copy.equals(view)).toBe(true);
    expect(view.equals(copy)).toBe(true);
    expect(Array.from(view.toBytes())).toEqual(Array.from(copy.toBytes()));
    expect(Array.from(view.toBytes('F'))).toEqual(Array.from(copy.toBytes('F')));
    expect(view.reshape([12]).toList()).toEqual((copy.toList() as number[][][]).flat(2));
    using slice = view.slice(null, null, '::-1');
    const info = getBuffer(slice, BufferFlags.FULL_RO);
    expect(info.suboffsets?.[0]).toBeGreaterThanOrEqual(0);
    using again = MemoryView.from(info.obj === exporter ? slice : slice);
    expect(again.toList()).toEqual(slice.toList());
    releaseBuffer(info);
    // Copy into an indirect destination.
    const target = new Slices([3, 2, 2], 0);
    using into = MemoryView.from(target, BufferFlags.FULL);
    slice.copyInto(into);
    expect(into.toList()).toEqual(slice.toList());
    using bigEndian = MemoryView.copy(view, { format: '>H' });
    expect(bigEndian.toList()).toEqual(view.toList());
    expect(bigEndian.copyToTypedArray()).toEqual(view.copyToTypedArray());
  });
});
