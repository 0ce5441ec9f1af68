// astype / converting copies and view(format), without Python: the rules and errors that the
// NumPy peer tests (test/peer/astype-numpy.test.ts, view-numpy.test.ts) check value by value.
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import {
  BufferError,
  BufferFlags,
  canCast,
  exportBuffer,
  ExportLock,
  getbuffer,
  MemoryView,
  releasebuffer,
  type BufferInfo,
  type BufferSegment,
} from '../src/index.js';

/** Round half to even, written from its definition (an oracle independent of the implementation's). */
function halfToEven(value: number): number {
  const floor = Math.floor(value);
  const rest = value - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
}

function detailsOf(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    if (BufferError.isInstance(error)) return error.details;
    throw error;
  }
  throw new Error('expected a BufferError');
}

describe('astype', () => {
  it('rounds half to even and saturates: np.clip(np.rint(a), 0, 255).astype(np.uint8)', () => {
    using floats = MemoryView.from(new Float64Array([-3.5, -0.5, 0.5, 1.5, 2.5, 254.5, 255.5, 300, NaN, Infinity, -Infinity]));
    using pixels = floats.astype('B', { rounding: 'rint', clamp: true });
    expect(pixels.format).toBe('B');
    expect(pixels.toList()).toEqual([0, 0, 0, 2, 2, 254, 255, 255, 0, 255, 0]);
  });

  it('truncates without rounding and wraps without clamp (defined where NumPy is not: NaN, ±inf -> 0)', () => {
    using floats = MemoryView.from(new Float64Array([1.9, -1.9, 300.7, -1, 1e10, NaN, Infinity]));
    expect(floats.astype('B').toList()).toEqual([1, 255, 44, 255, 1e10 % 256, 0, 0]);
    expect(floats.astype('b', { rounding: 'floor' }).toList()).toEqual([1, -2, 44, -1, 0, 0, 0]);
    expect(floats.astype('b', { rounding: 'ceil', clamp: true }).toList()).toEqual([2, -1, 127, -1, 127, 0, 127]);
  });

  it('keeps 64-bit integers exact and saturates them exactly', () => {
    using big = MemoryView.from(new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n), -1n, 2n ** 62n + 2n ** 38n + 1n]));
    expect(big.astype('Q').toList()).toEqual([2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 62n + 2n ** 38n + 1n]);
    expect(big.astype('Q', { clamp: true }).toList()).toEqual([2n ** 63n - 1n, 0n, 0n, 2n ** 62n + 2n ** 38n + 1n]);
    expect(big.astype('h', { clamp: true }).toList()).toEqual([32767, -32768, -1, 32767]);
    expect(big.astype('B').toList()).toEqual([255, 0, 255, 1]);
    // One correct rounding to float32 (a detour through float64 would round 2^62 + 2^38 + 1 down to 2^62).
    expect(big.astype('f').get(3)).toBe(2 ** 62 + 2 ** 39);
    using floats = MemoryView.from(new Float64Array([2 ** 63, -(2 ** 63), 1e30, -1e30, -1.5]));
    expect(floats.astype('q', { clamp: true }).toList()).toEqual([2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n - 1n, -(2n ** 63n), -1n]);
    expect(floats.astype('Q', { clamp: true }).toList()).toEqual([2n ** 63n, 0n, 2n ** 64n - 1n, 0n, 0n]);
    expect(floats.astype('q').get(4)).toBe(-1n);
    expect(floats.astype('Q').get(4)).toBe(2n ** 64n - 1n);
  });

  it('converts bool, float16 and complex as NumPy', () => {
    using bytes = MemoryView.from(new Uint8Array([0, 1, 2, 255]));
    expect(bytes.cast('?').astype('i').toList()).toEqual([0, 1, 1, 1]);
    using floats = MemoryView.from(new Float64Array([0, -0, NaN, 0.25, 65520, -1e6]));
    expect(floats.astype('?').toList()).toEqual([false, false, true, true, true, true]);
    expect(floats.astype('e').toList()).toEqual([0, -0, NaN, 0.25, Infinity, -Infinity]);
    expect(floats.astype('e', { clamp: true }).toList()).toEqual([0, -0, NaN, 0.25, 65504, -65504]);
    using complex = MemoryView.from(new Float64Array([1.5, -2.5, 0, 1, 0, 0])).view('Zd');
    expect(complex.astype('d').toList()).toEqual([1.5, 0, 0]);
    expect(complex.astype('?').toList()).toEqual([true, true, false]);
    expect(complex.astype('Zf', { rounding: 'rint' }).toList()).toEqual([
      [2, -2],
      [0, 1],
      [0, 0],
    ]);
    expectErrorCode(() => complex.astype('d', { casting: 'same_kind' }), 'ERR_CASTING_RULE', { family: BufferError });
  });

  it('refuses pairs outside the casting rule with ERR_CASTING_RULE naming the rule', () => {
    using floats = MemoryView.from(new Float64Array([1.5]));
    expectErrorCode(() => floats.astype('B', { casting: 'same_kind' }), 'ERR_CASTING_RULE', { family: BufferError });
    expect(detailsOf(() => floats.astype('f', { casting: 'safe' }))).toMatchObject({ casting: 'safe', srcFormat: 'd', dstFormat: 'f', operation: 'astype' });
    expect(floats.astype('f', { casting: 'same_kind' }).get(0)).toBe(1.5);
    expect(floats.astype('>d', { casting: 'equiv' }).get(0)).toBe(1.5);
    expectErrorCode(() => floats.astype('>d', { casting: 'no' }), 'ERR_CASTING_RULE', { family: BufferError });
    expect(floats.astype('<d', { casting: 'no' }).get(0)).toBe(1.5);
    expect(canCast('B', 'h')).toBe(true);
    expect(canCast('h', 'B', 'same_kind')).toBe(false);
    expect(canCast('B', 'b', 'same_kind')).toBe(true);
    expect(canCast('q', 'd')).toBe(true);
    expect(canCast('i', 'f')).toBe(false);
  });

  it('refuses bad options and formats without numeric conversion with typed errors', () => {
    using floats = MemoryView.from(new Float64Array([1.5]));
    expectErrorCode(() => floats.astype('B', { casting: 'sometimes' as 'safe' }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => floats.astype('B', { rounding: 'round' as 'rint' }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => floats.astype('B', { clamp: 'yes' as unknown as boolean }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => floats.astype('B', { order: 'X' as 'C' }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => floats.astype(7 as unknown as string), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => floats.astype('4s'), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    expectErrorCode(() => floats.astype('g'), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    expectErrorCode(() => floats.astype('B', { rounding: 'rint' }).cast('c').astype('B', { clamp: true }), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    expectErrorCode(() => canCast('d', 'T{<i:a:}'), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    expectErrorCode(() => canCast('d', 'B', 'never' as 'safe'), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    // Records convert only to the same record (byte order may differ), as before.
    using records = MemoryView.from(new Uint8Array(8)).cast('T{<i:a:<i:b:}');
    expect(records.astype('T{>i:a:>i:b:}').toList()).toEqual([{ a: 0, b: 0 }]);
    expectErrorCode(() => records.astype('T{>i:a:>i:b:}', { casting: 'no' }), 'ERR_CASTING_RULE', { family: BufferError });
  });

  it('allocates in the order asked and releases nothing of the source', () => {
    using source = MemoryView.from(new Float32Array([1, 2, 3, 4, 5, 6])).reshape([2, 3]);
    using f = source.astype('d', { order: 'F' });
    expect(f.fContiguous).toBe(true);
    expect(f.toList()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(source.released).toBe(false);
    // 'K' (NumPy's default order) keeps the source's axis order: a transposed view gives Fortran order.
    using kept = source.transpose().astype('<i', { order: 'K' });
    expect(kept.shape).toEqual([3, 2]);
    expect(kept.fContiguous).toBe(true);
    expect(kept.toList()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    using threeD = MemoryView.from(Float64Array.from({ length: 24 }, (_, i) => i))
      .reshape([2, 3, 4])
      .transpose([1, 2, 0])
      .flip(0);
    using keptThreeD = threeD.astype('f', { order: 'K' });
    expect(keptThreeD.strides).toEqual([16, 4, 48]);
    expect(keptThreeD.toList()).toEqual(threeD.toList());
    using same = source.astype('d', { order: 'K' });
    expect(same.cContiguous).toBe(true);
    using empty = MemoryView.from(new Float64Array(4)).slice('2:2').astype('B');
    expect(empty.shape).toEqual([0]);
  });
});

describe('MemoryView.copy and copyInto with casting', () => {
  it('keeps the legacy exact convert option and refuses mixing it with casting', () => {
    using ints = MemoryView.from(new Int32Array([1, 300]));
    expectErrorCode(() => MemoryView.copy(ints, { format: 'B', convert: true }), 'ERR_VALUE_INVALID', { family: BufferError });
    expect(MemoryView.copy(ints, { format: 'B', casting: 'unsafe' }).toList()).toEqual([1, 44]);
    expect(MemoryView.copy(ints, { format: 'B', clamp: true }).toList()).toEqual([1, 255]); // clamp alone implies 'unsafe'
    expectErrorCode(() => MemoryView.copy(ints, { format: 'B' }), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    expectErrorCode(() => MemoryView.copy(ints, { format: 'B', convert: true, casting: 'unsafe' }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    expectErrorCode(() => MemoryView.copy(ints, { format: 'h', casting: 'safe' }), 'ERR_CASTING_RULE', { family: BufferError });
  });

  it('converts into overlapping memory as a memmove (reads everything first)', () => {
    const data = new Float64Array([1.4, 2.6, 3.5, 4.5]);
    using source = MemoryView.from(data);
    using bytes = MemoryView.from(new Uint8Array(data.buffer), BufferFlags.FULL).slice('0:4');
    source.copyInto(bytes, { casting: 'unsafe', rounding: 'rint' });
    expect(Array.from(new Uint8Array(data.buffer, 0, 4))).toEqual([1, 3, 4, 4]);
  });

  it('reads byte-swapped, misaligned and strided sources and writes strided, swapped targets', () => {
    const raw = new Uint8Array(1 + 8 * 6);
    const values = [1.5, -2.5, 1000.25, 7, -0.5, 255.5];
    values.forEach((value, i) => new DataView(raw.buffer).setFloat64(1 + 8 * i, value, false));
    using swapped = MemoryView.from(raw).slice('1:').cast('>d').reshape([2, 3]);
    using out = MemoryView.from(new Uint8Array(2 * 3 * 2 * 2), BufferFlags.FULL).cast('>h', [2, 6]);
    using every = out.slice(null, '::2');
    swapped.copyInto(every, { casting: 'unsafe', rounding: 'rint', clamp: true });
    expect(every.toList()).toEqual([
      [2, -2, 1000],
      [7, 0, 256],
    ]);
    expect(out.slice(null, '1::2').toList()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    using transposed = swapped.transpose().astype('<f', { order: 'C' });
    expect(transposed.toList()).toEqual([
      [1.5, 7],
      [-2.5, -0.5],
      [1000.25, 255.5],
    ]);
  });

  it('refuses memory detached or shrunk after the view was taken, with typed errors', () => {
    const data = new Float64Array([1.5, 2.5]);
    using view = MemoryView.from(data);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    expectErrorCode(() => view.astype('B'), 'ERR_BUFFER_DETACHED', { family: BufferError });
    // Resizable ArrayBuffers are ES2024 (in Node 20, not in this project's lib types).
    const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer & { resize(length: number): void };
    const resizable = new Resizable(16, { maxByteLength: 16 });
    using shrunk = MemoryView.from(new Float64Array(resizable, 0, 2));
    resizable.resize(8);
    expectErrorCode(() => shrunk.astype('B', { rounding: 'rint' }), 'ERR_BUFFER_DETACHED', { family: BufferError });
  });

  it('converts long strided rows one row at a time, as the item-by-item conversion', () => {
    const data = Float64Array.from({ length: 6 * 300 }, (_, i) => (i % 37) * 7.5 - 20.25);
    using rows = MemoryView.from(data).reshape([6, 300]).slice('::2');
    using pixels = rows.astype('B', { rounding: 'rint', clamp: true });
    using halves = rows.astype('<e');
    for (const [i, j] of [
      [0, 0],
      [1, 299],
      [2, 150],
      [2, 299],
    ] as const) {
      const value = data[i * 2 * 300 + j]!;
      expect(pixels.get([i, j])).toBe(Math.min(255, Math.max(0, halfToEven(value))));
      using one = rows.slice(i, j).astype('<e');
      expect(halves.get([i, j])).toBe(one.get([]));
    }
    // Every item, against a contiguous copy of the source (one run instead of three rows).
    using contiguous = MemoryView.copy(rows).astype('B', { rounding: 'rint', clamp: true });
    expect(pixels.toBytes()).toEqual(contiguous.toBytes());
    expect(pixels.toList()).toEqual((rows.toList() as number[][]).map((row) => row.map((value) => Math.min(255, Math.max(0, halfToEven(value))))));
  });

  it('converts indirect (segmented) sources', () => {
    const planes = [new Float32Array([0.5, 1.5, 2.5, 3.5]), new Float32Array([4.5, 5.5, 6.5, 7.5])];
    const lock = new ExportLock();
    const exporter = {
      [getbuffer]: (flags: number): BufferInfo => {
        const segments: BufferSegment[] = planes.map((plane) => ({ buffer: plane.buffer, byteOffset: 0, byteLength: 16 }));
        return exportBuffer(
          exporter,
          { buffer: planes[0]!.buffer, byteOffset: 0, format: 'f', shape: [2, 2, 2], strides: [0, 8, 4], segments, suboffset: 0 },
          flags,
          lock,
        );
      },
      [releasebuffer]: () => lock.release(),
    };
    using view = MemoryView.from(exporter);
    using ints = view.astype('i', { rounding: 'rint' });
    expect(ints.toList()).toEqual([
      [
        [0, 2],
        [2, 4],
      ],
      [
        [4, 6],
        [6, 8],
      ],
    ]);
  });
});

describe('view(format): NumPy ndarray.view', () => {
  it('re-divides the last axis, zero-copy', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]);
    using pairs = MemoryView.from(data).reshape([2, 2, 2]);
    // As NumPy: float64 [h, w, 2] viewed as complex128 is [h, w, 1]; an integer index drops the axis.
    using complex = pairs.view('Zd');
    expect(complex.shape).toEqual([2, 2, 1]);
    expect(complex.strides).toEqual([32, 16, 16]);
    using plane = complex.slice(null, null, 0);
    expect(plane.shape).toEqual([2, 2]);
    expect(plane.get([1, 0])).toEqual([5, 6]);
    using bytes = MemoryView.from(new Uint8Array(new Float64Array([1.5, -2]).buffer)).reshape([2, 8]);
    using doubles = bytes.view('<d');
    expect(doubles.shape).toEqual([2, 1]);
    expect(doubles.toList()).toEqual([[1.5], [-2]]);
    using halves = MemoryView.from(new Int32Array([0x3c003c00, 0])).view('<e');
    expect(halves.shape).toEqual([4]);
    expect(halves.get(0)).toBe(1);
    data[4] = 50;
    expect(plane.get([1, 0])).toEqual([50, 6]);
    // Same itemsize: only the format changes, any strides.
    using flipped = MemoryView.from(new Int32Array([1, -1]))
      .flip()
      .view('I');
    expect(flipped.toList()).toEqual([2 ** 32 - 1, 1]);
  });

  it('keeps strided outer axes and the readonly flag', () => {
    using base = MemoryView.from(new Uint16Array([1, 2, 3, 4, 5, 6, 7, 8]))
      .reshape([4, 2])
      .slice('::2')
      .toReadonly();
    using wide = base.view('<I');
    expect(wide.shape).toEqual([2, 1]);
    expect(wide.strides).toEqual([8, 4]);
    expect(wide.readonly).toBe(true);
    expect(wide.toList()).toEqual([[1 + 2 * 65536], [5 + 6 * 65536]]);
  });

  it('refuses what NumPy refuses, with ERR_CAST_INVALID and the reason', () => {
    using view = MemoryView.from(new Float64Array(6)).reshape([2, 3]);
    expect(detailsOf(() => view.transpose().view('B')).reason).toBe('not-contiguous');
    expect(detailsOf(() => view.view('3s')).reason).toBe('not-divisible');
    expect(detailsOf(() => view.view('T{<d:a:<d:b:}')).reason).toBe('not-divisible'); // 3 x 8 bytes is not a multiple of 16
    expect(detailsOf(() => view.slice(0, 0).view('B')).reason).toBe('0-d');
    expectErrorCode(() => view.view('T{'), 'ERR_FORMAT_INVALID', { family: BufferError });
    // A length-1 last axis may have any stride; an empty view may too.
    using column = view.slice(null, '0:1');
    expect(column.view('B').shape).toEqual([2, 8]);
    using flippedEmpty = view.slice(null, '0:0').flip(1);
    expect(flippedEmpty.view('<I').shape).toEqual([2, 0]);
  });
});
