// The copy engine's fast paths on sizes that cross their thresholds (tile edges, row length),
// checked against a plain index-by-index reference.
import { describe, expect, it } from 'vitest';
import { BufferFlags, MemoryView, parseFormat } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { filled } from './helpers.js';

/** Every item's bytes, in C order of the view's index space, read with get() on a 'B' cast of each item. */
function referenceBytes(view: MemoryView, raw: Uint8Array, firstOffset: number): number[] {
  const out: number[] = [];
  const walk = (dim: number, address: number): void => {
    if (dim === view.ndim) {
      for (let j = 0; j < view.itemsize; j++) out.push(raw[address + j]!);
      return;
    }
    for (let i = 0; i < view.shape[dim]!; i++) walk(dim + 1, address + i * view.strides[dim]!);
  };
  walk(0, firstOffset);
  return out;
}

/** Index of the first difference (-1 when equal); keeps failure output small on large arrays. */
function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return i;
  return -1;
}

function swapped(bytes: number[], unit: number): number[] {
  const out = bytes.slice();
  for (let base = 0; base < out.length; base += unit) for (let j = 0; j < unit; j++) out[base + j] = bytes[base + unit - 1 - j]!;
  return out;
}

describe('transposing copies (tiled path)', () => {
  const shapes = [
    [130, 67],
    [64, 64],
    [65, 129],
    [3, 70, 66],
  ];
  const formats: [string, string, number][] = [
    ['<f', '<f', 0],
    ['<f', '>f', 4],
    ['<d', '<d', 0],
    ['>d', '<d', 8],
    ['B', 'B', 0],
    ['<h', '>h', 2],
    ['<Zd', '>Zd', 8],
    ['3s', '3s', 0],
  ];
  for (const shape of shapes) {
    for (const [from, to, unit] of formats) {
      it(`copies a reversed-axes ${from} view of shape [${shape.join(', ')}] into C-ordered ${to}`, () => {
        const itemsize = parseFormat(from).itemsize;
        const count = shape.reduce((a, b) => a * b, 1);
        const raw = filled(count * itemsize, shape.length * 31 + itemsize);
        using base = MemoryView.from(raw).cast(from, shape);
        using transposed = base.transpose();
        const expected = referenceBytes(transposed, raw, 0);
        using copy = MemoryView.copy(transposed, { format: to });
        expect(copy.cContiguous).toBe(true);
        expect(firstDifference(copy.toBytes(), unit === 0 ? expected : swapped(expected, unit))).toBe(-1);
      });
    }
  }

  it('handles misaligned transposed sources (byte-wide units)', () => {
    const raw = filled(1 + 100 * 90 * 4, 5);
    using base = MemoryView.from(raw).slice('1:').cast('<i', [100, 90]);
    using transposed = base.transpose();
    const expected = referenceBytes(transposed, raw, 1);
    using copy = MemoryView.copy(transposed);
    expect(firstDifference(copy.toBytes(), expected)).toBe(-1);
    using swappedCopy = MemoryView.copy(transposed, { format: '>i' });
    expect(firstDifference(swappedCopy.toBytes(), swapped(expected, 4))).toBe(-1);
  });
});

describe('row copies (inner-contiguous path)', () => {
  for (const [rows, columns, format] of [
    [10, 64, '<f'],
    [33, 200, 'B'],
    [7, 129, '<d'],
  ] as const) {
    it(`copies every other row of [${rows}, ${columns}] ${format} items`, () => {
      const itemsize = parseFormat(format).itemsize;
      const raw = filled(rows * columns * itemsize, rows + columns);
      using base = MemoryView.from(raw).cast(format, [rows, columns]);
      for (const spec of ['::2', '::-3', '1:-1']) {
        using part = base.slice(spec);
        const first = spec === '::-3' ? (rows - 1) * columns * itemsize : spec === '1:-1' ? columns * itemsize : 0;
        const expected = referenceBytes(part, raw, first);
        using copy = MemoryView.copy(part);
        expect(firstDifference(copy.toBytes(), expected)).toBe(-1);
        const target = new Uint8Array(part.nbytes * 2).fill(7);
        using window = MemoryView.from(target, BufferFlags.FULL)
          .cast(format, [part.shape[0]! * 2, columns])
          .slice('1::2');
        part.copyInto(window);
        for (let r = 0; r < part.shape[0]!; r++) {
          const rowBytes = columns * itemsize;
          expect(firstDifference(target.subarray((2 * r + 1) * rowBytes, (2 * r + 2) * rowBytes), expected.slice(r * rowBytes, (r + 1) * rowBytes))).toBe(-1);
          expect(target.subarray(2 * r * rowBytes, (2 * r + 1) * rowBytes).every((b) => b === 7)).toBe(true);
        }
      }
    });
  }
});

describe('whole and element paths', () => {
  it('copies a contiguous view with one set()', () => {
    const raw = filled(4096, 1);
    using view = MemoryView.from(raw);
    using copy = MemoryView.copy(view);
    expect(copy.toBytes()).toEqual(raw);
  });

  it('copies 0-d and empty views', () => {
    using scalar = MemoryView.from(new Float64Array([2.5]))
      .cast('B')
      .cast('d', []);
    using copy = MemoryView.copy(scalar);
    expect(copy.toList()).toBe(2.5);
    using empty = MemoryView.from(new Float64Array(4)).slice('2:2');
    using emptyCopy = MemoryView.copy(empty);
    expect(emptyCopy.shape).toEqual([0]);
    expect(emptyCopy.toList()).toEqual([]);
  });

  it('preserves NaN payloads through moves and swaps', () => {
    const bits = new Uint32Array([0x7ff00001, 0x7ff80000, 0xfff12345, 0x7fc00001]);
    using view = MemoryView.from(new Uint8Array(bits.buffer)).cast('<d').slice('::-1');
    using copy = MemoryView.copy(view, { format: '>d' });
    using back = MemoryView.copy(copy, { format: '<d' });
    expect(Array.from(back.toBytes())).toEqual(Array.from(view.toBytes()));
  });

  it('converts numeric formats only when asked, refusing values that do not fit', () => {
    using ints = MemoryView.from(new Int32Array([1, -2, 300]));
    expectErrorCode(() => MemoryView.copy(ints, { format: 'd' }), 'ERR_FORMAT_UNSUPPORTED');
    using doubles = MemoryView.copy(ints, { format: '>d', convert: true });
    expect(doubles.toList()).toEqual([1, -2, 300]);
    using wide = MemoryView.copy(ints, { format: 'q', convert: true });
    expect(wide.toList()).toEqual([1n, -2n, 300n]);
    using back = MemoryView.copy(wide, { format: 'h', convert: true });
    expect(back.toList()).toEqual([1, -2, 300]);
    using flags = MemoryView.copy(ints, { format: '?', convert: true });
    expect(flags.toList()).toEqual([true, true, true]);
    expectErrorCode(() => MemoryView.copy(ints, { format: 'B', convert: true }), 'ERR_VALUE_INVALID');
    using halves = MemoryView.from(new Float64Array([0.5, 1.5]));
    expectErrorCode(() => MemoryView.copy(halves, { format: 'i', convert: true }), 'ERR_VALUE_INVALID');
    expectErrorCode(() => MemoryView.copy(halves, { format: 'Zd', convert: true }), 'ERR_FORMAT_UNSUPPORTED');
    using complex = MemoryView.from(new Float32Array([1, 2]))
      .cast('B')
      .cast('Zf');
    using complexWide = MemoryView.copy(complex, { format: '>Zd', convert: true });
    expect(complexWide.toList()).toEqual([[1, 2]]);
  });

  it('swaps mixed-endian records field by field', () => {
    using source = MemoryView.from(new Uint8Array([1, 0, 0, 0, 2, 0, 9, 0])).cast('T{<i:a:<h:b:c:c:x}');
    using copy = MemoryView.copy(source, { format: 'T{>i:a:>h:b:c:c:x}' });
    expect(Array.from(copy.toBytes())).toEqual([0, 0, 0, 1, 0, 2, 9, 0]);
    expect(copy.toList()).toEqual(source.toList());
    expectErrorCode(() => MemoryView.copy(source, { format: 'T{>i:z:>h:b:c:c:x}' }), 'ERR_FORMAT_UNSUPPORTED');
  });
});
