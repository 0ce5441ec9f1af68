// Property tests of views and the copy engine against independent oracles: nested JS arrays
// for slicing/transposing, and a byte-level reference loop for strided copies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferFlags, MemoryView, parseFormat } from '@interop/core';

interface Slice {
  start: number | null;
  stop: number | null;
  step: number;
}

const sliceArbitrary: fc.Arbitrary<Slice> = fc.record({
  start: fc.option(fc.integer({ min: -7, max: 7 }), { nil: null }),
  stop: fc.option(fc.integer({ min: -7, max: 7 }), { nil: null }),
  step: fc.integer({ min: -3, max: 3 }).filter((step) => step !== 0),
});

/** Python's range(*slice(start, stop, step).indices(n)), written as the language reference states it. */
function sliceRange(slice: Slice, n: number): number[] {
  const out: number[] = [];
  const norm = (value: number): number => (value < 0 ? value + n : value);
  if (slice.step > 0) {
    const start = slice.start === null ? 0 : Math.min(Math.max(norm(slice.start), 0), n);
    const stop = slice.stop === null ? n : Math.min(Math.max(norm(slice.stop), 0), n);
    for (let i = start; i < stop; i += slice.step) out.push(i);
  } else {
    const start = slice.start === null ? n - 1 : Math.min(Math.max(norm(slice.start), -1), n - 1);
    const stop = slice.stop === null ? -1 : Math.min(Math.max(norm(slice.stop), -1), n - 1);
    for (let i = start; i > stop; i += slice.step) out.push(i);
  }
  return out;
}

type Nested = unknown;

function nestedFromFlat(flat: unknown[], shape: number[]): Nested {
  if (shape.length === 0) return flat[0];
  const [first, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: first! }, (_, i) => nestedFromFlat(flat.slice(i * size, (i + 1) * size), rest));
}

function nestedSlice(value: Nested, slices: Slice[], dim = 0): Nested {
  if (dim === slices.length || !Array.isArray(value)) return value;
  return sliceRange(slices[dim]!, value.length).map((i) => nestedSlice(value[i], slices, dim + 1));
}

function nestedShape(value: Nested, ndim: number): number[] {
  const shape: number[] = [];
  let current = value;
  for (let k = 0; k < ndim; k++) {
    const list = current as unknown[];
    shape.push(list.length);
    current = list[0];
  }
  return shape;
}

function nestedGet(value: Nested, index: number[]): unknown {
  let current = value;
  for (const i of index) current = (current as unknown[])[i];
  return current;
}

function nestedTranspose(value: Nested, shape: number[], axes: number[]): Nested {
  const outShape = axes.map((k) => shape[k]!);
  const build = (prefix: number[]): Nested => {
    if (prefix.length === outShape.length) {
      const index = new Array<number>(shape.length);
      axes.forEach((k, position) => (index[k] = prefix[position]!));
      return nestedGet(value, index);
    }
    return Array.from({ length: outShape[prefix.length]! }, (_, i) => build([...prefix, i]));
  };
  return build([]);
}

const shapeArbitrary = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 });

function permutationArbitrary(n: number): fc.Arbitrary<number[]> {
  return fc.shuffledSubarray(
    Array.from({ length: n }, (_, k) => k),
    { minLength: n, maxLength: n },
  );
}

describe('views against nested JS arrays', () => {
  it('slicing then transposing then copying equals the same on nested arrays', () => {
    fc.assert(
      fc.property(
        shapeArbitrary.chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.array(sliceArbitrary, { minLength: shape.length, maxLength: shape.length }),
            permutationArbitrary(shape.length),
            fc.constantFrom<'C' | 'F'>('C', 'F'),
          ),
        ),
        ([shape, slices, axes, order]) => {
          const count = shape.reduce((a, b) => a * b, 1);
          const flat = Array.from({ length: count }, (_, i) => i * 3 - 7);
          using base = MemoryView.from(Int32Array.from(flat)).reshape(shape);
          const specs = slices.map((s) => ({ start: s.start, stop: s.stop, step: s.step }));
          using sliced = base.slice(...specs);
          using transposed = sliced.transpose(axes);
          using copy = MemoryView.copy(transposed, { order });
          const expectedSliced = nestedSlice(nestedFromFlat(flat, shape), slices);
          const slicedShape = slices.map((slice, k) => sliceRange(slice, shape[k]!).length);
          expect(sliced.shape).toEqual(slicedShape);
          expect(transposed.shape).toEqual(axes.map((k) => slicedShape[k]));
          if (slicedShape.some((d) => d === 0)) {
            expect(copy.nbytes).toBe(0);
            return;
          }
          expect(nestedShape(expectedSliced, shape.length)).toEqual(slicedShape);
          const expected = nestedTranspose(expectedSliced, slicedShape, axes);
          expect(copy.toList()).toEqual(expected);
          expect(transposed.toList()).toEqual(expected);
          expect(order === 'C' ? copy.cContiguous : copy.fContiguous).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

const formats = [
  'b',
  'B',
  '<h',
  '>h',
  '<H',
  '>H',
  '<i',
  '>i',
  '<I',
  '>I',
  '<q',
  '>q',
  '<Q',
  '>Q',
  '<e',
  '>e',
  '<f',
  '>f',
  '<d',
  '>d',
  '<Zf',
  '>Zf',
  '<Zd',
  '>Zd',
  '?',
  'c',
  '3s',
];

function flipOrder(format: string): string {
  if (format.startsWith('<')) return `>${format.slice(1)}`;
  if (format.startsWith('>')) return `<${format.slice(1)}`;
  return format;
}

interface LayoutPlan {
  shape: number[];
  slices: Slice[];
  axes: number[];
  flip: boolean[];
}

const layoutPlanOf = (maxDim: number): fc.Arbitrary<LayoutPlan> =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: 1, maxLength: 3 }).chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      slices: fc.array(sliceArbitrary, { minLength: shape.length, maxLength: shape.length }),
      axes: permutationArbitrary(shape.length),
      flip: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    }),
  );
const layoutPlan = layoutPlanOf(5);

const fullSlice: Slice = { start: null, stop: null, step: 1 };
const wideSlice: fc.Arbitrary<Slice> = fc.record({
  start: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
  stop: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
  step: fc.integer({ min: -3, max: 3 }).filter((step) => step !== 0),
});

/** Large layouts aimed at the engine's fast paths: strided rows, transposed blocks, anything. */
const rowsPlan: fc.Arbitrary<LayoutPlan> = fc.record({
  shape: fc.tuple(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 64, max: 200 })).map((t): number[] => [...t]),
  slices: fc.tuple(wideSlice, fc.constant(fullSlice)).map((t): Slice[] => [...t]),
  axes: fc.constant([0, 1]),
  flip: fc.tuple(fc.boolean(), fc.constant(false)).map((t): boolean[] => [...t]),
});
const transposedPlan: fc.Arbitrary<LayoutPlan> = fc.oneof(
  fc.record({
    shape: fc.tuple(fc.integer({ min: 17, max: 150 }), fc.integer({ min: 17, max: 150 })).map((t): number[] => [...t]),
    slices: fc.array(fc.oneof(fc.constant(fullSlice), wideSlice), { minLength: 2, maxLength: 2 }),
    axes: fc.constant<number[]>([1, 0]),
    flip: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
  }),
  fc.record({
    shape: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 17, max: 90 }), fc.integer({ min: 17, max: 90 })).map((t): number[] => [...t]),
    slices: fc.array(fc.oneof(fc.constant(fullSlice), wideSlice), { minLength: 3, maxLength: 3 }),
    axes: fc.constantFrom<number[]>([2, 1, 0], [0, 2, 1], [1, 2, 0]),
    flip: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  }),
);
const bigLayoutPlan: fc.Arbitrary<LayoutPlan> = fc.oneof(rowsPlan, transposedPlan, layoutPlanOf(40));

const bigDestinationArbitrary = fc.record({
  axes: fc.oneof(fc.constant<number[]>([0, 1, 2]), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 })),
  stretch: fc.array(
    fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
    { minLength: 3, maxLength: 3 },
  ),
  phase: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 3, maxLength: 3 }),
  flip: fc.array(
    fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
    { minLength: 3, maxLength: 3 },
  ),
});

/** A destination layout of `shape`: a transposed, stepped and flipped window of a larger block. */
const destinationArbitrary = fc.record({
  axes: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }),
  stretch: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  phase: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 3, maxLength: 3 }),
  flip: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
});

function destinationPlan(shape: readonly number[], random: { axes: number[]; stretch: boolean[]; phase: number[]; flip: boolean[] }): LayoutPlan {
  const n = shape.length;
  const axes = Array.from({ length: n }, (_, k) => k).sort((a, b) => random.axes[a]! - random.axes[b]! || a - b);
  const base = new Array<number>(n);
  axes.forEach((j, i) => (base[j] = shape[i]!));
  return {
    shape: base.map((d, j) => (random.stretch[j] ? d * 2 : d)),
    slices: base.map((_, j) => (random.stretch[j] ? { start: random.phase[j]!, stop: null, step: 2 } : { start: null, stop: null, step: 1 })),
    axes,
    flip: random.flip.slice(0, n),
  };
}

function applyPlan(bytes: Uint8Array, format: string, plan: LayoutPlan, offset: number): MemoryView {
  const itemsize = parseFormat(format).itemsize;
  const count = plan.shape.reduce((a, b) => a * b, 1);
  using raw = MemoryView.from(bytes, BufferFlags.FULL);
  using window = raw.slice(`${offset}:${offset + count * itemsize}`);
  using typed = window.cast(format, plan.shape);
  using sliced = typed.slice(...plan.slices.map((s) => ({ start: s.start, stop: s.stop, step: s.step })));
  let view = sliced.transpose(plan.axes);
  plan.flip.forEach((flip, axis) => {
    if (!flip) return;
    const next = view.flip(axis);
    view.release();
    view = next;
  });
  return view;
}

/** Reference: the byte address of every item, in C order of the view's index space, by plain arithmetic. */
function itemAddresses(view: MemoryView, byteOffset: number): number[] {
  const out: number[] = [];
  const walk = (dim: number, address: number): void => {
    if (dim === view.ndim) {
      out.push(address);
      return;
    }
    for (let i = 0; i < view.shape[dim]!; i++) walk(dim + 1, address + i * view.strides[dim]!);
  };
  walk(0, byteOffset);
  return out;
}

/** Byte offset of element [0, ...] of a view built by applyPlan, recomputed independently. */
function firstElementOffset(format: string, plan: LayoutPlan, offset: number): number {
  const itemsize = parseFormat(format).itemsize;
  let strides = plan.shape.map((_, k) => plan.shape.slice(k + 1).reduce((a, b) => a * b, itemsize));
  let shape = plan.shape.slice();
  let address = offset;
  const newShape: number[] = [];
  const newStrides: number[] = [];
  plan.slices.forEach((slice, k) => {
    const indices = sliceRange(slice, shape[k]!);
    if (indices.length > 0) address += indices[0]! * strides[k]!;
    newShape.push(indices.length);
    newStrides.push(strides[k]! * slice.step);
  });
  shape = plan.axes.map((k) => newShape[k]!);
  strides = plan.axes.map((k) => newStrides[k]!);
  plan.flip.forEach((flip, k) => {
    if (flip && shape[k]! > 0) address += (shape[k]! - 1) * strides[k]!;
  });
  return address;
}

function swapUnits(format: string): number {
  const type = parseFormat(format).type;
  if (type.kind !== 'scalar' || type.size === 1 || type.valueKind === 'bytes' || type.valueKind === 'char') return 0;
  return type.valueKind === 'complex' ? type.size / 2 : type.size;
}

describe('copyInto between random strided layouts and byte orders', () => {
  const check = (
    format: string,
    swapOrder: boolean,
    plan: LayoutPlan,
    destination: { axes: number[]; stretch: boolean[]; phase: number[]; flip: boolean[] },
    srcOffset: number,
    dstOffset: number,
    seed: number,
  ): void => {
    const dstFormat = swapOrder ? flipOrder(format) : format;
    const itemsize = parseFormat(format).itemsize;
    const count = plan.shape.reduce((a, b) => a * b, 1);
    const srcBytes = new Uint8Array(srcOffset + count * itemsize + 3);
    let state = seed;
    for (let i = 0; i < srcBytes.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      srcBytes[i] = state >>> 24;
    }
    using source = applyPlan(srcBytes, format, plan, srcOffset);
    const dstCount = source.shape.reduce((a, b) => a * b, 1);
    if (dstCount === 0) return;
    const dstPlan = destinationPlan(source.shape, destination);
    const blockCount = dstPlan.shape.reduce((a, b) => a * b, 1);
    const dstBytes = new Uint8Array(dstOffset + blockCount * itemsize + 5).fill(0xa5);
    using target = applyPlan(dstBytes, dstFormat, dstPlan, dstOffset);
    expect(target.shape).toEqual(source.shape);
    source.copyInto(target);
    const srcAddresses = itemAddresses(source, firstElementOffset(format, plan, srcOffset));
    const dstAddresses = itemAddresses(target, firstElementOffset(dstFormat, dstPlan, dstOffset));
    const unit = swapOrder ? swapUnits(format) : 0;
    const touched = new Uint8Array(dstBytes.length);
    for (let n = 0; n < srcAddresses.length; n++) {
      for (let j = 0; j < itemsize; j++) {
        const from = unit === 0 ? j : Math.floor(j / unit) * unit + (unit - 1 - (j % unit));
        if (dstBytes[dstAddresses[n]! + j] !== srcBytes[srcAddresses[n]! + from]) {
          expect.fail(`item ${n} byte ${j}: expected ${srcBytes[srcAddresses[n]! + from]}, found ${dstBytes[dstAddresses[n]! + j]}`);
        }
        touched[dstAddresses[n]! + j] = 1;
      }
    }
    for (let i = 0; i < dstBytes.length; i++) if (touched[i] === 0 && dstBytes[i] !== 0xa5) expect.fail(`byte ${i} outside the destination view was written`);
  };

  it('writes exactly the source bytes (byte-swapped when orders differ) and nothing else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.boolean(),
        layoutPlan,
        destinationArbitrary,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        check,
      ),
      { numRuns: 300 },
    );
  });

  it('is exact on large layouts too (row, tiled and unit-width paths)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.boolean(),
        bigLayoutPlan,
        bigDestinationArbitrary,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        check,
      ),
      { numRuns: 60 },
    );
  });

  it('is exact on strided rows into plain or stepped destinations (the row path)', () => {
    const plainDestination = fc.record({
      axes: fc.constant<number[]>([0, 1, 2]),
      stretch: fc.tuple(fc.boolean(), fc.constant(false), fc.constant(false)).map((t): boolean[] => [...t]),
      phase: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 3, maxLength: 3 }),
      flip: fc.tuple(fc.boolean(), fc.constant(false), fc.constant(false)).map((t): boolean[] => [...t]),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.constant(false),
        rowsPlan,
        plainDestination,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        check,
      ),
      { numRuns: 40 },
    );
  });

  it('toList of MemoryView.copy equals toList of the source, in every order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...formats.filter((f) => !f.endsWith('e') || true)),
        layoutPlan,
        fc.constantFrom<'C' | 'F' | 'A'>('C', 'F', 'A'),
        fc.integer({ min: 0, max: 7 }),
        (format, plan, order, offset) => {
          const itemsize = parseFormat(format).itemsize;
          const count = plan.shape.reduce((a, b) => a * b, 1);
          const bytes = Uint8Array.from({ length: offset + count * itemsize }, (_, i) => (i * 37 + 11) & 0xff);
          using source = applyPlan(bytes, format, plan, offset);
          using copy = MemoryView.copy(source, { order });
          expect(copy.toList()).toEqual(source.toList());
          expect(copy.format).toBe(source.format);
          using swapped = MemoryView.copy(source, { order, format: flipOrder(format) });
          expect(swapped.toList()).toEqual(source.toList());
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('overlapping copies behave like memmove', () => {
  it('copying a view onto an overlapping view of the same memory equals copying from a snapshot', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (length, from, to, step, flip) => {
          const total = 200;
          const data = Uint8Array.from({ length: total }, (_, i) => i);
          const snapshot = data.slice();
          using view = MemoryView.from(data, BufferFlags.FULL);
          using source = view.slice({ start: from, stop: from + length * step, step });
          using target0 = view.slice({ start: to, stop: to + length * step, step });
          using target = flip ? target0.flip() : target0.slice(null);
          source.copyInto(target);
          const expected = snapshot.slice();
          const values = Array.from({ length }, (_, i) => snapshot[from + i * step]!);
          for (let i = 0; i < length; i++) expected[flip ? to + (length - 1 - i) * step : to + i * step] = values[i]!;
          expect(Array.from(data)).toEqual(Array.from(expected));
        },
      ),
      { numRuns: 200 },
    );
  });
});
