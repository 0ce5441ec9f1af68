// The transposing path of the copy engine (8 x 8 tiles with a blocked middle dimension) against
// an index-arithmetic reference that never touches the engine: each element of the copied view
// is located in the base array from the slice, transpose and flip parameters alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferFlags, MemoryView, parseFormat } from '@interop/core';
import { filled } from './helpers.js';

interface Layout {
  /** C-ordered base array. */
  readonly baseShape: readonly number[];
  /** Per base dimension: slice step (the slice starts at the first or last index). */
  readonly steps: readonly number[];
  /** transpose(axes) applied after slicing. */
  readonly axes: readonly number[];
  /** Per axis of the transposed view: flip it. */
  readonly flips: readonly boolean[];
}

/** Item formats and the width of the byte-swap unit when the byte order is reversed. */
const formats: readonly (readonly [string, number])[] = [
  ['B', 1],
  ['<h', 2],
  ['<f', 4],
  ['<i', 4],
  ['<d', 8],
  ['<q', 8],
  ['<Zf', 4],
  ['<Zd', 8],
  ['3s', 1],
];

function flipOrder(format: string): string {
  return format.startsWith('<') ? `>${format.slice(1)}` : format;
}

function sliceSpec(n: number, step: number): string {
  return step > 0 ? `::${step}` : `${n - 1}::${step}`;
}

/** The view described by `layout` over `raw` (starting at byte `offset`). */
function buildView(raw: Uint8Array, offset: number, format: string, layout: Layout): MemoryView {
  using bytes = MemoryView.from(raw, BufferFlags.FULL);
  using window = bytes.slice(`${offset}:`);
  using base = window.cast(format, layout.baseShape);
  using sliced = base.slice(...layout.baseShape.map((n, k) => sliceSpec(n, layout.steps[k]!)));
  let view = sliced.transpose(layout.axes);
  for (let k = 0; k < layout.flips.length; k++) {
    if (!layout.flips[k]) continue;
    const flipped = view.flip(k);
    view.release();
    view = flipped;
  }
  return view;
}

/** Shape of the view described by `layout`, computed from the parameters. */
function viewShape(layout: Layout): number[] {
  const sliced = layout.baseShape.map((n, k) => Math.ceil(n / Math.abs(layout.steps[k]!)));
  return layout.axes.map((k) => sliced[k]!);
}

/** Byte offsets (from the base's first byte) of every view item, in C order of the view. */
function referenceAddresses(layout: Layout, itemsize: number): number[] {
  const shape = viewShape(layout);
  const ndim = shape.length;
  const baseStrides = new Array<number>(ndim);
  let step = itemsize;
  for (let k = ndim - 1; k >= 0; k--) {
    baseStrides[k] = step;
    step *= layout.baseShape[k]!;
  }
  const out: number[] = [];
  const index = new Array<number>(ndim).fill(0);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    let address = 0;
    for (let p = 0; p < ndim; p++) {
      const i = layout.flips[p] ? shape[p]! - 1 - index[p]! : index[p]!;
      const k = layout.axes[p]!;
      const s = layout.steps[k]!;
      const baseIndex = s > 0 ? i * s : layout.baseShape[k]! - 1 + i * s;
      address += baseIndex * baseStrides[k]!;
    }
    out.push(address);
    for (let p = ndim - 1; p >= 0; p--) {
      if (++index[p]! < shape[p]!) break;
      index[p] = 0;
    }
  }
  return out;
}

/** The bytes of items at `addresses`, byte-swapped per `unit` when `swap`. */
function expectedBytes(raw: Uint8Array, offset: number, addresses: readonly number[], itemsize: number, unit: number, swap: boolean): Uint8Array {
  const out = new Uint8Array(addresses.length * itemsize);
  for (let n = 0; n < addresses.length; n++) {
    for (let j = 0; j < itemsize; j++) {
      const from = swap ? Math.floor(j / unit) * unit + (unit - 1 - (j % unit)) : j;
      out[n * itemsize + j] = raw[offset + addresses[n]! + from]!;
    }
  }
  return out;
}

function firstDifference(actual: Uint8Array, expected: Uint8Array): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return i;
  return -1;
}

/** Copies the layout's view into fresh C-ordered memory and compares with the reference. */
function checkCopy(format: string, unit: number, swap: boolean, layout: Layout, offset: number, seed: number): void {
  const itemsize = parseFormat(format).itemsize;
  const count = layout.baseShape.reduce((a, b) => a * b, 1);
  const raw = filled(offset + count * itemsize, seed);
  using view = buildView(raw, offset, format, layout);
  expect(view.shape).toEqual(viewShape(layout));
  using copy = MemoryView.copy(view, { format: swap ? flipOrder(format) : format });
  const expected = expectedBytes(raw, offset, referenceAddresses(layout, itemsize), itemsize, unit, swap && format !== flipOrder(format));
  expect(firstDifference(copy.toBytes(), expected)).toBe(-1);
}

/**
 * copyInto a destination that is itself a flipped view inside a larger buffer: checks the items
 * and that no byte outside the destination view changes.
 */
function checkCopyInto(format: string, unit: number, swap: boolean, layout: Layout, dstFlips: readonly boolean[], seed: number): void {
  const itemsize = parseFormat(format).itemsize;
  const count = layout.baseShape.reduce((a, b) => a * b, 1);
  const raw = filled(count * itemsize, seed);
  using view = buildView(raw, 0, format, layout);
  const shape = view.shape;
  const dstCount = shape.reduce((a, b) => a * b, 1);
  const guard = 24;
  const dstRaw = new Uint8Array(guard + dstCount * itemsize + guard).fill(0x5a);
  using dstBytes = MemoryView.from(dstRaw, BufferFlags.FULL);
  using dstWindow = dstBytes.slice(`${guard}:${guard + dstCount * itemsize}`);
  let target = dstWindow.cast(swap ? flipOrder(format) : format, shape);
  for (let k = 0; k < dstFlips.length; k++) {
    if (!dstFlips[k]) continue;
    const flipped = target.flip(k);
    target.release();
    target = flipped;
  }
  try {
    view.copyInto(target);
  } finally {
    target.release();
  }
  for (let i = 0; i < guard; i++) {
    expect(dstRaw[i]).toBe(0x5a);
    expect(dstRaw[dstRaw.length - 1 - i]).toBe(0x5a);
  }
  // Undo the destination flips on the reference side: item at view index I lands at C position
  // of the flipped index.
  const addresses = referenceAddresses(layout, itemsize);
  const expected = expectedBytes(raw, 0, addresses, itemsize, unit, swap && format !== flipOrder(format));
  const actual = new Uint8Array(dstCount * itemsize);
  const index = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < dstCount; n++) {
    let position = 0;
    for (let p = 0; p < shape.length; p++) position = position * shape[p]! + (dstFlips[p] ? shape[p]! - 1 - index[p]! : index[p]!);
    actual.set(dstRaw.subarray(guard + position * itemsize, guard + (position + 1) * itemsize), n * itemsize);
    for (let p = shape.length - 1; p >= 0; p--) {
      if (++index[p]! < shape[p]!) break;
      index[p] = 0;
    }
  }
  expect(firstDifference(actual, expected)).toBe(-1);
}

function reversed(ndim: number): number[] {
  return Array.from({ length: ndim }, (_, k) => ndim - 1 - k);
}

function plain(baseShape: number[], axes: number[] = reversed(baseShape.length)): Layout {
  return { baseShape, steps: baseShape.map(() => 1), axes, flips: axes.map(() => false) };
}

describe('transposing copy (tiled path)', () => {
  // Sizes straddle the 8-item tile and the 16-index middle block: exact multiples, one more, one less.
  const cases: [string, Layout][] = [
    ['2-D square, tile multiple', plain([64, 64])],
    ['2-D odd sizes', plain([67, 130])],
    ['2-D thin (one partial tile)', plain([5, 300])],
    ['3-D reversed, multiples', plain([16, 32, 24])],
    ['3-D reversed, odd sizes', plain([17, 33, 23])],
    ['3-D reversed, middle not a block multiple', plain([24, 17, 40])],
    ['3-D swap of outer axes only', plain([20, 9, 30], [2, 1, 0])],
    ['3-D axes (1, 2, 0)', plain([19, 26, 18], [1, 2, 0])],
    ['4-D reversed', plain([9, 10, 11, 12])],
    ['4-D axes (3, 1, 0, 2)', plain([13, 6, 7, 17], [3, 1, 0, 2])],
    ['3-D reversed with negative strides', { baseShape: [18, 21, 26], steps: [-1, 1, -1], axes: [2, 1, 0], flips: [false, true, false] }],
    ['3-D reversed with steps of 2 and -3', { baseShape: [34, 20, 50], steps: [2, 1, -3], axes: [2, 1, 0], flips: [true, false, false] }],
  ];
  for (const [name, layout] of cases) {
    for (const [format, unit] of formats) {
      it(`${name}: ${format} into C order`, () => checkCopy(format, unit, false, layout, 0, layout.baseShape.length * 7 + unit));
      if (format !== flipOrder(format))
        it(`${name}: ${format} into byte-swapped C order`, () => checkCopy(format, unit, true, layout, 0, layout.baseShape.length * 5 + unit));
    }
  }

  it('handles a misaligned source (single-byte units)', () => checkCopy('<f', 4, false, plain([19, 21, 23]), 1, 11));

  it('copies into a flipped destination without touching bytes around it', () => {
    checkCopyInto('<f', 4, false, plain([17, 18, 40]), [true, false, true], 3);
    checkCopyInto('<d', 8, true, plain([33, 20]), [false, true], 4);
  });

  it('keeps NaN payloads bit for bit (integer moves, never float reads)', () => {
    const n = 24;
    const words = new Uint32Array(n * n);
    for (let i = 0; i < words.length; i++) words[i] = 0x7f800001 + i; // signalling NaNs with distinct payloads
    using wordsView = MemoryView.from(words);
    using bytes = wordsView.cast('B');
    using base = bytes.cast('f', [n, n]);
    using transposed = base.transpose();
    using copy = MemoryView.copy(transposed);
    const out = new Uint32Array(copy.toBytes().slice().buffer);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(out[i * n + j]).toBe(words[j * n + i]);
  });

  it('behaves like memmove when the transposed source overlaps the destination', () => {
    const n = 40;
    const data = new Float32Array(n * n).map((_, i) => i);
    const snapshot = data.slice();
    using flat = MemoryView.from(data, BufferFlags.FULL);
    using whole = flat.reshape([n, n]);
    using transposed = whole.transpose();
    transposed.copyInto(whole);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(data[i * n + j]).toBe(snapshot[j * n + i]);
  });
});

describe('transposing copy against the reference (properties)', () => {
  const layoutArbitrary: fc.Arbitrary<Layout> = fc.integer({ min: 2, max: 4 }).chain((ndim) => {
    // Keep items per case small: 2-D up to 70 per side, 4-D up to 14.
    const max = ndim === 2 ? 70 : ndim === 3 ? 26 : 14;
    return fc.record({
      baseShape: fc.array(fc.integer({ min: 1, max }), { minLength: ndim, maxLength: ndim }),
      steps: fc.array(fc.constantFrom(1, 1, 1, 2, -1, -2), { minLength: ndim, maxLength: ndim }),
      axes: fc.shuffledSubarray(
        Array.from({ length: ndim }, (_, k) => k),
        { minLength: ndim, maxLength: ndim },
      ),
      flips: fc.array(fc.boolean(), { minLength: ndim, maxLength: ndim }),
    });
  });

  it('MemoryView.copy of a sliced, transposed, flipped view equals the reference, in both byte orders', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.boolean(),
        layoutArbitrary,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        ([format, unit], swap, layout, offset, seed) => {
          checkCopy(format, unit, swap, layout, offset, seed);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('copyInto a flipped destination equals the reference and writes nothing outside it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.boolean(),
        layoutArbitrary,
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        ([format, unit], swap, layout, flips, seed) => {
          checkCopyInto(format, unit, swap, layout, flips.slice(0, layout.baseShape.length), seed);
        },
      ),
      { numRuns: 120 },
    );
  });
});
