import { BufferError, ExportLock, exportBuffer, getbuffer, releasebuffer, type BufferInfo } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { NpyArray, parseNpyHeader, readNpy, writeNpy, NpyError } from '../src/index.js';
import { decodeAll } from './helpers.js';

/** A minimal strided exporter over a buffer, to feed writeNpy any layout. */
class Strided {
  readonly #lock = new ExportLock();
  constructor(
    readonly data: ArrayBuffer,
    readonly format: string,
    readonly shape: number[],
    readonly strides: number[],
    readonly byteOffset = 0,
  ) {}
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(
      this,
      { buffer: this.data, byteOffset: this.byteOffset, format: this.format, shape: this.shape, strides: this.strides },
      flags,
      this.#lock,
    );
  }
  [releasebuffer](): void {
    this.#lock.release();
  }
  get exports(): number {
    return this.#lock.exports;
  }
}

describe('writeNpy', () => {
  it('maps TypedArray formats to NumPy dtypes', () => {
    const cases: [ArrayBufferView, string][] = [
      [new Int8Array(1), '|i1'],
      [new Uint8Array(1), '|u1'],
      [new Int16Array(1), '<i2'],
      [new Uint16Array(1), '<u2'],
      [new Int32Array(1), '<i4'],
      [new Uint32Array(1), '<u4'],
      [new BigInt64Array(1), '<i8'],
      [new BigUint64Array(1), '<u8'],
      [new Float32Array(1), '<f4'],
      [new Float64Array(1), '<f8'],
    ];
    for (const [typed, descr] of cases) expect(parseNpyHeader(writeNpy(typed)).descr).toBe(descr);
  });

  it('keeps big-endian formats big-endian (no silent byte swap)', () => {
    const data = new Uint8Array([0x3f, 0x80, 0, 0, 0x40, 0, 0, 0]);
    const bytes = writeNpy(new Strided(data.buffer, '>f', [2], [4]));
    const array = readNpy(bytes);
    expect(array.dtype).toBe('>f4');
    expect(decodeAll(array)).toEqual([1, 2]);
    expect([...array.bytes]).toEqual([...data]);
  });

  it('writes Fortran order for Fortran-contiguous sources, C order otherwise, as NumPy', () => {
    const values = new Float64Array([0, 1, 2, 3, 4, 5]);
    const f = new Strided(values.buffer, 'd', [2, 3], [8, 16]);
    const fileF = readNpy(writeNpy(f));
    expect(fileF.fortranOrder).toBe(true);
    expect(decodeAll(fileF)).toEqual(decodeAll(f));
    const asC = readNpy(writeNpy(f, { order: 'C' }));
    expect(asC.fortranOrder).toBe(false);
    expect(decodeAll(asC)).toEqual([0, 2, 4, 1, 3, 5]);
    const c = new Strided(values.buffer, 'd', [2, 3], [24, 8]);
    const asF = readNpy(writeNpy(c, { order: 'F' }));
    expect(asF.fortranOrder).toBe(true);
    expect([...new Float64Array(asF.bytes.slice().buffer)]).toEqual([0, 3, 1, 4, 2, 5]);
    expect(decodeAll(asF)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('copies non-contiguous sources (negative and gapped strides) in C order', () => {
    const values = new Int32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Every other column, rows reversed: a[::-1, ::2] of a 3x4 array.
    const view = new Strided(values.buffer, 'i', [3, 2], [-16, 8], 32);
    const array = readNpy(writeNpy(view));
    expect(array.fortranOrder).toBe(false);
    expect(decodeAll(array)).toEqual(['8', '10', '4', '6', '0', '2']);
    expect(view.exports).toBe(0);
  });

  it('folds sub-array formats into the shape, as NumPy does', () => {
    const view = new Strided(new Float32Array(6).buffer, '(3)f', [2], [12]);
    const header = parseNpyHeader(writeNpy(view));
    expect(header.shape).toEqual([2, 3]);
    expect(header.descr).toBe('<f4');
  });

  it('writes structured formats as descr lists with padding', () => {
    const view = new Strided(new ArrayBuffer(32), 'T{<B:a:7x<d:b:}', [2], [16]);
    expect(parseNpyHeader(writeNpy(view)).descr).toEqual([
      ['a', '|u1'],
      ['', '|V7'],
      ['b', '<f8'],
    ]);
  });

  it('accepts a descr override of the same itemsize (datetime64 from int64)', () => {
    const bytes = writeNpy(new BigInt64Array([1n, 2n]), { descr: '<M8[ns]' });
    const array = readNpy(bytes);
    expect(array.dtype).toBe('<M8[ns]');
    expect(array.timeUnit).toEqual({ path: [], kind: 'datetime', unit: 'ns', count: 1 });
    expectErrorCode(() => writeNpy(new Int32Array(2), { descr: '<f8' }), 'ERR_INVALID_ARGUMENT', { family: NpyError });
  });

  it('honours an explicit version and refuses one that cannot hold the header', () => {
    expect(readNpy(writeNpy(new Int8Array(1), { version: '2.0' })).version).toBe('2.0');
    const wide = new NpyArray({ data: new Uint8Array(4), descr: [['é\u4e2d', '<i4']], shape: [1] });
    expectErrorCode(() => writeNpy(wide, { version: '1.0' }), 'ERR_INVALID_ARGUMENT', { family: NpyError });
    expect(readNpy(writeNpy(wide)).version).toBe('3.0');
  });

  it('refuses formats NumPy cannot hold and bad options', () => {
    expectErrorCode(() => writeNpy(new Strided(new ArrayBuffer(16), 'P', [2], [8])), 'ERR_FORMAT_UNSUPPORTED', { family: NpyError });
    expectErrorCode(() => writeNpy(new Strided(new ArrayBuffer(4), 'u', [2], [2])), 'ERR_FORMAT_UNSUPPORTED', { family: NpyError });
    expectErrorCode(() => writeNpy(new Int8Array(1), { order: 'X' as 'C' }), 'ERR_INVALID_ARGUMENT', { family: NpyError });
    expect(() => writeNpy({})).toThrow(BufferError);
  });

  it('pads every header so the data starts on a 64-byte boundary', () => {
    for (const n of [0, 1, 9, 99, 12345]) {
      expect(parseNpyHeader(writeNpy(new Float32Array(n))).dataOffset % 64).toBe(0);
    }
  });
});
