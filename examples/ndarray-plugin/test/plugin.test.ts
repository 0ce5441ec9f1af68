import ndarray from 'ndarray';
import stdlib from '@stdlib/ndarray';
import { describe, expect, it } from 'vitest';
import { BufferError, BufferFlags, ExportLock, exportBuffer, getBuffer, getbuffer, releaseBuffer, releasebuffer, type BufferInfo } from '@interop/core';
import { describeExporter } from '@interop/core/testing';
import { registerNdarrayAdapters, toScijsNdarray, toStdlibNdarray } from 'interop-ndarray-plugin';

// A plugin's users register its adapters once, at start-up.
registerNdarrayAdapters();

/** A locked exporter of a 3 x 4 float32 matrix, to check that borrowed arrays hold an export. */
class Matrix {
  readonly lock = new ExportLock();
  data = Float32Array.from({ length: 12 }, (_, i) => i);
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, format: 'f', shape: [3, 4] }, flags, this.lock);
  }
  [releasebuffer](): void {
    this.lock.release();
  }
  reallocate(): void {
    this.lock.assertUnlocked('reallocate');
    this.data = new Float32Array(12);
  }
}

describe('scijs ndarray -> protocol', () => {
  it('exports a transposed, offset view zero-copy with byte strides', () => {
    const base = ndarray(
      new Float64Array(24).map((_, i) => i),
      [4, 6],
    );
    const view = base.hi(3, 5).lo(1, 1).transpose(1, 0);
    const info = getBuffer(view, BufferFlags.FULL_RO);
    expect(info.buffer).toBe(base.data.buffer);
    expect(info.format).toBe('d');
    expect(info.shape).toEqual([4, 2]);
    expect(info.strides).toEqual([8, 48]);
    expect(info.byteOffset).toBe(7 * 8);
    expect(new Float64Array(info.buffer)[info.byteOffset / 8 + (2 * 48 + 1 * 8) / 8]).toBe(view.get(1, 2));
    releaseBuffer(info);
  });
  it('exports negative strides', () => {
    const reversed = ndarray(new Int16Array([1, 2, 3, 4])).step(-1);
    const info = getBuffer(reversed, BufferFlags.STRIDED_RO);
    expect(info.strides).toEqual([-2]);
    expect(info.byteOffset).toBe(6);
    releaseBuffer(info);
  });
});

describe('protocol -> scijs ndarray', () => {
  it('views an exporter without a copy and holds its export until released', () => {
    const matrix = new Matrix();
    const borrowed = toScijsNdarray(matrix, { writable: true });
    expect(borrowed.array.shape).toEqual([3, 4]);
    expect(borrowed.array.get(2, 3)).toBe(11);
    borrowed.array.set(0, 1, 42);
    expect(matrix.data[1]).toBe(42);
    expect(() => matrix.reallocate()).toThrow(BufferError);
    borrowed.release();
    borrowed.release();
    expect(() => matrix.reallocate()).not.toThrow();
  });
  it('round-trips a strided view of a view', () => {
    const base = ndarray(
      new Float32Array(20).map((_, i) => i),
      [4, 5],
    ).step(2, -1);
    using again = toScijsNdarray(base);
    expect(again.array.data.buffer).toBe(base.data.buffer);
    expect(again.array.get(1, 0)).toBe(base.get(1, 0));
    expect(again.array.get(1, 4)).toBe(base.get(1, 4));
  });
  it('refuses big-endian data clearly and releases the export', () => {
    const lock = new ExportLock();
    const bytes = new Uint8Array(8);
    const bigEndian = {
      [getbuffer]: (flags: number) => exportBuffer(bigEndian, { buffer: bytes.buffer, byteOffset: 0, format: '>i', shape: [2] }, flags, lock),
      [releasebuffer]: () => lock.release(),
    };
    expect(() => toScijsNdarray(bigEndian)).toThrow(BufferError);
    expect(lock.exports).toBe(0);
  });
});

describe('@stdlib/ndarray <-> protocol', () => {
  it('exports a column-major stdlib array zero-copy', () => {
    const data = new Float32Array(6).map((_, i) => i);
    const array = new stdlib.ndarray('float32', data, [2, 3], [1, 2], 0, 'column-major');
    const info = getBuffer(array, BufferFlags.F_CONTIGUOUS | BufferFlags.FORMAT);
    expect(info.buffer).toBe(data.buffer);
    expect(info.strides).toEqual([4, 8]);
    releaseBuffer(info);
  });
  it('views an exporter as a stdlib array that reads and writes the same memory', () => {
    const matrix = new Matrix();
    const borrowed = toStdlibNdarray(matrix, { writable: true });
    expect(borrowed.array.dtype).toBe('float32');
    expect(borrowed.array.get(1, 2)).toBe(6);
    borrowed.array.set(2, 0, -1);
    expect(matrix.data[8]).toBe(-1);
    expect(() => matrix.reallocate()).toThrow(BufferError);
    borrowed[Symbol.dispose]();
    matrix.reallocate();
  });
});

describeExporter('scijs ndarray (C order)', () => ({ exporter: ndarray(new Float32Array(12), [3, 4]), expected: { format: 'f', shape: [3, 4] } }));
describeExporter('scijs ndarray (transposed)', () => ({ exporter: ndarray(new Int32Array(12), [3, 4]).transpose(1, 0), expected: { shape: [4, 3] } }));
describeExporter('scijs ndarray (stepped)', () => ({ exporter: ndarray(new Uint8Array(12), [3, 4]).step(-1, 2), expected: { shape: [3, 2] } }));
describeExporter('@stdlib/ndarray (row-major)', () => ({
  exporter: new stdlib.ndarray('float64', new Float64Array(6), [2, 3], [3, 1], 0, 'row-major'),
  expected: { format: 'd', shape: [2, 3] },
}));
describeExporter('@stdlib/ndarray (column-major)', () => ({
  exporter: new stdlib.ndarray('int16', new Int16Array(6), [2, 3], [1, 2], 0, 'column-major'),
  expected: { format: 'h', shape: [2, 3] },
}));
