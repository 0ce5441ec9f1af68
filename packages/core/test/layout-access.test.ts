// copyItems (the public door to the strided copy engine), itemAccessor and typedArrayMapping (the one format ->
// TypedArray mapping), checked against a byte-level reference loop and against DataView reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BufferError,
  copyItems,
  cStrides,
  fStrides,
  itemAccessor,
  MemoryView,
  NATIVE_ENDIANNESS,
  typedArrayForFormat,
  typedArrayMapping,
  type StridedItems,
} from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { filled } from './helpers.js';

const foreign = NATIVE_ENDIANNESS === 'little' ? '>' : '<';
const native = NATIVE_ENDIANNESS === 'little' ? '<' : '>';

/** The byte index of element `index` of a direct layout. */
function at(items: StridedItems, index: readonly number[]): number {
  return index.reduce((sum, i, k) => sum + i * items.strides[k]!, items.byteOffset);
}

function* indices(shape: readonly number[]): Generator<number[]> {
  if (shape.some((dim) => dim === 0)) return;
  const index = shape.map(() => 0);
  for (;;) {
    yield [...index];
    let axis = shape.length - 1;
    while (axis >= 0 && ++index[axis]! === shape[axis]) index[axis--] = 0;
    if (axis < 0) return;
  }
}

describe('copyItems', () => {
  it('copies any strided layout into C or Fortran order, byte-swapped or not, as a reference loop does (property)', () => {
    const layout = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        itemsize: fc.constantFrom(1, 2, 4, 8, 12),
        order: fc.constantFrom('C', 'F'),
        flips: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
        spread: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: shape.length, maxLength: shape.length }),
        swap: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(layout, ({ shape, itemsize, order, flips, spread, swap }) => {
        // The source: C strides stretched by `spread` and flipped where asked, inside a filled buffer.
        const stretched = cStrides(
          shape.map((dim, k) => dim * spread[k]!),
          itemsize,
        ).map((stride, k) => stride * spread[k]!);
        const strides = stretched.map((stride, k) => (flips[k] ? -stride : stride));
        const span = shape.reduce((bytes, dim, k) => bytes + Math.max(0, dim - 1) * Math.abs(strides[k]!), itemsize);
        const byteOffset = shape.reduce((offset, dim, k) => offset + (flips[k] ? Math.max(0, dim - 1) * stretched[k]! : 0), 3);
        const source: StridedItems = { buffer: filled(span + 5, shape.length * 31 + itemsize).buffer, byteOffset, shape, strides, itemsize };
        const count = shape.reduce((a, b) => a * b, 1);
        const targetBytes = new Uint8Array(count * itemsize + 7);
        const target: StridedItems = {
          buffer: targetBytes.buffer,
          byteOffset: 7,
          shape,
          strides: order === 'C' ? cStrides(shape, itemsize) : fStrides(shape, itemsize),
          itemsize,
        };
        const unit: 0 | 4 = swap && itemsize % 4 === 0 ? 4 : 0;
        copyItems(source, target, { byteSwap: unit });
        const sourceBytes = new Uint8Array(source.buffer);
        for (const index of indices(shape)) {
          const from = at(source, index);
          const to = at(target, index);
          for (let b = 0; b < itemsize; b++) {
            const swapped = unit === 0 ? b : b - (b % unit) + unit - 1 - (b % unit);
            expect(targetBytes[to + b]).toBe(sourceBytes[from + swapped]);
          }
        }
        expect(targetBytes.subarray(0, 7).every((byte) => byte === 0)).toBe(true);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('reads indirect rows (suboffsets)', () => {
    const rows = [new Float32Array([1, 2, 3, 9]), new Float32Array([9, 4, 5, 6])];
    const out = new Float32Array(6);
    const segments = rows.map((row) => ({ buffer: row.buffer, byteOffset: 0, byteLength: row.byteLength }));
    copyItems(
      { buffer: rows[0]!.buffer, byteOffset: 0, shape: [2, 3], strides: [0, 4], itemsize: 4, suboffsets: [0, -1], segments },
      { buffer: out.buffer, byteOffset: 0, shape: [2, 3], strides: [12, 4], itemsize: 4 },
    );
    expect([...out]).toEqual([1, 2, 3, 9, 4, 5]);
  });

  it('copies overlapping memory as memmove does', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5, 6]);
    copyItems(
      { buffer: data.buffer, byteOffset: 0, shape: [5], strides: [1], itemsize: 1 },
      { buffer: data.buffer, byteOffset: 1, shape: [5], strides: [1], itemsize: 1 },
    );
    expect([...data]).toEqual([1, 1, 2, 3, 4, 5]);
  });

  it('refuses layouts that reach outside their buffers, before writing anything', () => {
    const source = new Uint8Array(8);
    const target = new Uint8Array([7, 7, 7, 7, 7, 7, 7, 7]);
    const ok = (strides: number[], byteOffset = 0): StridedItems => ({ buffer: source.buffer, byteOffset, shape: [4], strides, itemsize: 2 });
    const into = { buffer: target.buffer, byteOffset: 0, shape: [4], strides: [2], itemsize: 2 };
    expectErrorCode(() => copyItems(ok([3]), into), 'ERR_BUFFER_OUT_OF_BOUNDS');
    expectErrorCode(() => copyItems(ok([-2]), into), 'ERR_BUFFER_OUT_OF_BOUNDS');
    expectErrorCode(() => copyItems(ok([2], 1), into), 'ERR_BUFFER_OUT_OF_BOUNDS');
    expectErrorCode(() => copyItems(ok([2]), { ...into, byteOffset: 2 }), 'ERR_BUFFER_OUT_OF_BOUNDS');
    expectErrorCode(() => copyItems(ok([2]), { ...into, shape: [3], strides: [2] }), 'ERR_SHAPE_MISMATCH');
    expectErrorCode(() => copyItems(ok([2]), { ...into, itemsize: 1 }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => copyItems(ok([2]), into, { byteSwap: 4 }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => copyItems(ok([2]), into, { byteSwap: 3 as 2 }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => copyItems(ok([2.5]), into), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => copyItems({ ...ok([2]), buffer: {} as ArrayBuffer }, into), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => copyItems({ ...ok([2]), suboffsets: [0], segments: [] }, into), 'ERR_INVALID_ARGUMENT');
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    expectErrorCode(() => copyItems({ ...ok([2]), buffer: detached }, into), 'ERR_BUFFER_DETACHED');
    expect([...target]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });
});

describe('typedArrayMapping', () => {
  it('gives the constructor, elements per item and the byte swap non-native data needs', () => {
    const cases: Array<[string, string, number, number]> = [
      ['b', 'Int8Array', 1, 0],
      [`${foreign}b`, 'Int8Array', 1, 0],
      [`${native}h`, 'Int16Array', 1, 0],
      [`${foreign}h`, 'Int16Array', 1, 2],
      [`${foreign}I`, 'Uint32Array', 1, 4],
      [`${foreign}q`, 'BigInt64Array', 1, 8],
      [`${foreign}d`, 'Float64Array', 1, 8],
      [`${foreign}Zf`, 'Float32Array', 2, 4],
      [`${native}Zd`, 'Float64Array', 2, 0],
      ['10s', 'Uint8Array', 10, 0],
      ['?', 'Uint8Array', 1, 0],
      [`${foreign}3w`, 'Uint32Array', 3, 4],
      [`${native}2u`, 'Uint16Array', 2, 0],
      ['P', 'BigUint64Array', 1, 0],
    ];
    for (const [format, name, elements, swap] of cases) {
      const mapping = typedArrayMapping(format);
      expect([format, mapping.arrayConstructor.name, mapping.elementsPerItem, mapping.byteSwap]).toEqual([format, name, elements, swap]);
    }
  });

  it('agrees with typedArrayForFormat wherever that one answers (property)', () => {
    const codes = fc.constantFrom('b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'n', 'N', 'f', 'd', '?', 'c', 'Zf', 'Zd', 's', '3s', 'P', 'u', 'w');
    fc.assert(
      fc.property(fc.constantFrom('', '@', '=', '<', '>', '!'), codes, (order, code) => {
        const format = `${order}${code}`;
        if (['n', 'N', 'P'].includes(code) && order !== '' && order !== '@') return;
        const mapping = typedArrayMapping(format);
        let strict: unknown;
        try {
          strict = typedArrayForFormat(format);
        } catch {
          strict = null;
        }
        if (strict !== null) expect([format, mapping.arrayConstructor, mapping.elementsPerItem, mapping.byteSwap]).toEqual([format, strict, 1, 0]);
        else expect(mapping.elementsPerItem !== 1 || mapping.byteSwap !== 0 || ['P', 'u', 'w', 's'].includes(code)).toBe(true);
        // Reading through the mapping after its byte swap gives what a DataView reads.
        const { arrayConstructor, elementsPerItem, byteSwap } = mapping;
        const size = arrayConstructor.BYTES_PER_ELEMENT;
        const bytes = filled(size * elementsPerItem, code.charCodeAt(0));
        const swapped = bytes.slice();
        if (byteSwap !== 0) for (let start = 0; start < swapped.length; start += byteSwap) swapped.subarray(start, start + byteSwap).reverse();
        const values = new arrayConstructor(swapped.buffer);
        const view = new DataView(bytes.buffer);
        const little = byteSwap === 0 ? NATIVE_ENDIANNESS === 'little' : NATIVE_ENDIANNESS !== 'little';
        if (arrayConstructor === Float64Array) expect(values[0]).toBe(view.getFloat64(0, little));
        if (arrayConstructor === BigInt64Array) expect(values[0]).toBe(view.getBigInt64(0, little));
        if (arrayConstructor === Uint32Array) expect(values[0]).toBe(view.getUint32(0, little));
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('refuses records and items without an array type', () => {
    expect(expectErrorCode(() => typedArrayMapping('T{i:a:}'), 'ERR_FORMAT_UNSUPPORTED').details.reason).toBe('record');
    for (const format of ['g', 'Zg', 'O'])
      expect(expectErrorCode(() => typedArrayMapping(format), 'ERR_FORMAT_UNSUPPORTED').details.reason).toBe('no-array-type');
  });
});

describe('itemAccessor', () => {
  it('reads and writes items as MemoryView does, in either byte order', () => {
    const view = new DataView(new ArrayBuffer(16));
    const big = itemAccessor('>h');
    big.write(view, 2, -2);
    expect([big.read(view, 2), view.getUint8(2), view.getUint8(3)]).toEqual([-2, 255, 254]);
    const half = itemAccessor('e');
    half.write(view, 0, 0.5);
    expect(half.read(view, 0)).toBe(0.5);
    const complex = itemAccessor('<Zf');
    complex.write(view, 8, [1.5, -2]);
    expect(complex.read(view, 8)).toEqual([1.5, -2]);
    expect(itemAccessor('q').read(view, 8)).toBeTypeOf('bigint');
    expect(itemAccessor('>h')).toBe(big);
    using memory = MemoryView.from(view.buffer).cast('>h');
    expect(memory.get(1)).toBe(-2);
  });

  it('refuses values the format cannot hold, and items outside the view', () => {
    const view = new DataView(new ArrayBuffer(4));
    const byte = itemAccessor('B');
    expectErrorCode(() => byte.write(view, 0, 256), 'ERR_VALUE_INVALID');
    expectErrorCode(() => byte.write(view, 0, 1.5), 'ERR_VALUE_INVALID');
    expectErrorCode(() => itemAccessor('i').read(view, 1), 'ERR_BUFFER_OUT_OF_BOUNDS');
    expectErrorCode(() => itemAccessor('i').write(view, -1, 0), 'ERR_BUFFER_OUT_OF_BOUNDS');
    expectErrorCode(() => itemAccessor('i').read(view, 0.5), 'ERR_BUFFER_OUT_OF_BOUNDS');
    expectErrorCode(() => itemAccessor('i').read(new Uint8Array(4) as unknown as DataView, 0), 'ERR_INVALID_ARGUMENT');
    const moved = new ArrayBuffer(4);
    const stale = new DataView(moved);
    structuredClone(moved, { transfer: [moved] });
    expectErrorCode(() => byte.read(stale, 0), 'ERR_BUFFER_DETACHED');
    expectErrorCode(() => itemAccessor('g'), 'ERR_FORMAT_UNSUPPORTED');
    expect([...new Uint8Array(view.buffer)]).toEqual([0, 0, 0, 0]);
  });
});

describe('copyItems against hostile arguments', () => {
  it('refuses null operands, null options and null segments with typed errors', () => {
    const plain = { buffer: new ArrayBuffer(8), byteOffset: 0, shape: [2], strides: [4], itemsize: 4 };
    expectErrorCode(() => copyItems(null as never, null as never), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => copyItems(plain, plain, null as never), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    const indirect = { buffer: new ArrayBuffer(0), byteOffset: 0, shape: [1, 2], strides: [8, 4], itemsize: 4, suboffsets: [0, -1], segments: [null] };
    expectErrorCode(() => copyItems(indirect as never, { ...plain, shape: [1, 2], strides: [8, 4] }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });
});
