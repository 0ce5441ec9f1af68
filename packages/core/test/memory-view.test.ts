import { describe, expect, it } from 'vitest';
import {
  BufferFlags,
  ExportLock,
  exportBuffer,
  getBuffer,
  getbuffer,
  MemoryView,
  releaseBuffer,
  releasebuffer,
  type BufferInfo,
  type MemoryViewTypedArray,
  BufferError,
} from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';

const values = (typed: MemoryViewTypedArray): unknown[] => Array.from(typed as ArrayLike<unknown>);

/** A small exporter with a lock, to observe export counts. */
class Counted {
  readonly lock = new ExportLock();
  readonly data: Uint8Array;
  readonly shape: number[];
  readonly format: string;
  readonly readonly: boolean;
  constructor(bytes: number, format = 'B', shape = [bytes], readonly = false) {
    this.data = new Uint8Array(bytes);
    this.format = format;
    this.shape = shape;
    this.readonly = readonly;
  }
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, format: this.format, shape: this.shape, readonly: this.readonly }, flags, this.lock);
  }
  [releasebuffer](): void {
    this.lock.release();
  }
  resize(): void {
    this.lock.assertUnlocked('resize');
  }
}

function matrix(rows: number, cols: number): MemoryView {
  const data = Float64Array.from({ length: rows * cols }, (_, i) => i);
  return MemoryView.from(data, BufferFlags.FULL).reshape([rows, cols]);
}

describe('MemoryView.from', () => {
  it('takes a FULL_RO export by default and reports CPython attributes', () => {
    const data = new Float32Array(6);
    using view = MemoryView.from(data);
    expect(view.obj).toBe(data);
    expect(view.format).toBe('f');
    expect(view.itemsize).toBe(4);
    expect(view.ndim).toBe(1);
    expect(view.shape).toEqual([6]);
    expect(view.strides).toEqual([4]);
    expect(view.suboffsets).toEqual([]);
    expect(view.readonly).toBe(false);
    expect(view.nbytes).toBe(24);
    expect(view.cContiguous).toBe(true);
    expect(view.fContiguous).toBe(true);
    expect(view.contiguous).toBe(true);
    expect(view.length).toBe(6);
  });

  it('refuses WRITABLE on read-only memory, as the exporter does', () => {
    const exporter = new Counted(4, 'B', [4], true);
    expectErrorCode(() => MemoryView.from(exporter, BufferFlags.FULL), 'ERR_BUFFER_READONLY', { family: BufferError });
    expect(exporter.lock.exports).toBe(0);
    using view = MemoryView.from(exporter);
    expect(view.readonly).toBe(true);
    expectErrorCode(() => view.set(0, 1), 'ERR_BUFFER_READONLY', { family: BufferError });
  });

  it('refuses objects that are not exporters', () => {
    expectErrorCode(() => MemoryView.from({}), 'ERR_BUFFER_NOT_EXPORTER', { family: BufferError });
  });

  it('views a SIMPLE export as flat unsigned bytes', () => {
    using view = MemoryView.from(new Int16Array(3), BufferFlags.SIMPLE);
    expect(view.format).toBe('B');
    expect(view.shape).toEqual([6]);
  });

  it('holds one export of the exporter until released', () => {
    const exporter = new Counted(8);
    const view = MemoryView.from(exporter);
    expect(exporter.lock.exports).toBe(1);
    expectErrorCode(() => exporter.resize(), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    view.release();
    expect(exporter.lock.exports).toBe(0);
    exporter.resize();
  });
});

describe('MemoryView release', () => {
  it('is idempotent and makes every access fail with ERR_BUFFER_RELEASED', () => {
    const view = MemoryView.from(new Uint8Array(4));
    view.release();
    view.release();
    expect(view.released).toBe(true);
    const accesses: (() => unknown)[] = [
      () => view.obj,
      () => view.format,
      () => view.itemsize,
      () => view.ndim,
      () => view.shape,
      () => view.strides,
      () => view.suboffsets,
      () => view.readonly,
      () => view.nbytes,
      () => view.cContiguous,
      () => view.fContiguous,
      () => view.contiguous,
      () => view.length,
      () => view.get(0),
      () => view.set(0, 1),
      () => view.slice(':'),
      () => view.transpose(),
      () => view.flip(),
      () => view.reshape([4]),
      () => view.cast('b'),
      () => view.toReadonly(),
      () => view.toList(),
      () => view.toBytes(),
      () => view.hex(),
      () => view.toTypedArray(),
      () => view.copyToTypedArray(),
      () => view.copyInto(new Uint8Array(4)),
      () => MemoryView.copy(view),
      () => MemoryView.from(view),
      () => getBuffer(view),
    ];
    for (const access of accesses) expectErrorCode(access, 'ERR_BUFFER_RELEASED', { family: BufferError });
  });

  it('works with `using`', () => {
    const exporter = new Counted(4);
    {
      using view = MemoryView.from(exporter);
      expect(view.nbytes).toBe(4);
      expect(exporter.lock.exports).toBe(1);
    }
    expect(exporter.lock.exports).toBe(0);
  });
});

describe('MemoryView re-export', () => {
  it('keeps the original export until the last derived view is released', () => {
    const exporter = new Counted(12);
    const base = MemoryView.from(exporter);
    const slice = base.slice('1:');
    const cast = base.cast('c');
    const readonly = base.toReadonly();
    const again = MemoryView.from(base);
    for (const view of [slice, cast, readonly, again]) expect(view.obj).toBe(exporter);
    expect(exporter.lock.exports).toBe(1);
    base.release();
    slice.release();
    cast.release();
    readonly.release();
    expect(exporter.lock.exports).toBe(1);
    expect(again.toList()).toHaveLength(12);
    again.release();
    expect(exporter.lock.exports).toBe(0);
  });

  it('is an exporter: releasing while a consumer holds an export is refused', () => {
    const view = MemoryView.from(new Uint8Array(8));
    const info = getBuffer(view, BufferFlags.STRIDED_RO);
    expect(info.obj).toBe(view.obj);
    expectErrorCode(() => view.release(), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(view.released).toBe(false);
    releaseBuffer(info);
    view.release();
    expect(view.released).toBe(true);
  });

  it('answers requests by CPython rules: a strided view refuses C_CONTIGUOUS and non-STRIDES requests', () => {
    using view = matrix(3, 4).transpose();
    expectErrorCode(() => getBuffer(view, BufferFlags.CONTIG_RO), 'ERR_BUFFER_NOT_CONTIGUOUS', { family: BufferError });
    expectErrorCode(() => getBuffer(view, BufferFlags.C_CONTIGUOUS), 'ERR_BUFFER_NOT_CONTIGUOUS', { family: BufferError });
    const info = getBuffer(view, BufferFlags.F_CONTIGUOUS);
    expect(info.strides).toEqual([8, 32]);
    releaseBuffer(info);
    expectErrorCode(() => MemoryView.from(view, BufferFlags.CONTIG_RO), 'ERR_BUFFER_NOT_CONTIGUOUS', { family: BufferError });
  });

  it('a readonly derived view refuses WRITABLE re-exports', () => {
    using view = MemoryView.from(new Uint8Array(4)).toReadonly();
    expectErrorCode(() => getBuffer(view, BufferFlags.FULL), 'ERR_BUFFER_READONLY', { family: BufferError });
    expectErrorCode(() => MemoryView.from(view, BufferFlags.FULL), 'ERR_BUFFER_READONLY', { family: BufferError });
  });
});

describe('MemoryView.toTypedArray', () => {
  it('returns a zero-copy TypedArray when contiguous, aligned and native-endian', () => {
    const data = new Float64Array([1, 2, 3, 4]);
    using view = MemoryView.from(data);
    const typed = view.toTypedArray();
    expect(typed).toBeInstanceOf(Float64Array);
    expect(typed.buffer).toBe(data.buffer);
    data[0] = 42;
    expect(typed[0]).toBe(42);
  });

  it('says why it cannot: strided, misaligned, non-native order, records', () => {
    using strided = MemoryView.from(new Float64Array(4)).slice('::2');
    expectErrorCode(() => strided.toTypedArray(), 'ERR_BUFFER_NOT_CONTIGUOUS', { family: BufferError });
    using misaligned = MemoryView.from(new Uint8Array(12)).slice('1:9').cast('i');
    expectErrorCode(() => misaligned.toTypedArray(), 'ERR_BUFFER_MISALIGNED', { family: BufferError });
    using big = MemoryView.from(new Uint8Array(8)).cast('>d');
    expectErrorCode(() => big.toTypedArray(), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    using record = MemoryView.from(new Uint8Array(8)).cast('T{i:a:f:b:}');
    expectErrorCode(() => record.toTypedArray(), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
  });

  it('copyToTypedArray copies any layout into native order', () => {
    using strided = MemoryView.from(new Float64Array([1, 2, 3, 4])).slice('::-2');
    expect(values(strided.copyToTypedArray())).toEqual([4, 2]);
    const bytes = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 2]);
    using big = MemoryView.from(bytes).cast('>i');
    const copy = big.copyToTypedArray();
    expect(copy).toBeInstanceOf(Int32Array);
    expect(values(copy)).toEqual([1, 2]);
    using misaligned = MemoryView.from(new Uint8Array([9, 1, 0, 2, 0]))
      .slice('1:')
      .cast('<H');
    expect(values(misaligned.copyToTypedArray())).toEqual([1, 2]);
  });
});

describe('copy engine entry points', () => {
  it('MemoryView.copy makes C or F ordered copies that own their memory', () => {
    using source = matrix(2, 3);
    using c = MemoryView.copy(source.transpose(), { order: 'C' });
    expect(c.toList()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(c.cContiguous).toBe(true);
    expect(c.obj).toBeInstanceOf(ArrayBuffer);
    using f = MemoryView.copy(source, { order: 'F' });
    expect(f.fContiguous).toBe(true);
    expect(f.strides).toEqual([8, 16]);
    expect(f.toList()).toEqual(source.toList());
  });

  it('copyInto refuses read-only targets and shape mismatches', () => {
    using source = matrix(2, 3);
    using target = MemoryView.from(new Float64Array(6)).reshape([3, 2]);
    expectErrorCode(() => source.copyInto(target), 'ERR_SHAPE_MISMATCH', { family: BufferError });
    using readonly = MemoryView.from(new Float64Array(6)).reshape([2, 3]).toReadonly();
    expectErrorCode(() => source.copyInto(readonly), 'ERR_BUFFER_READONLY', { family: BufferError });
  });

  it('copyInto has memmove semantics for overlapping views', () => {
    const data = Uint8Array.from({ length: 10 }, (_, i) => i);
    using view = MemoryView.from(data, BufferFlags.FULL);
    view.slice('0:8').copyInto(view.slice('2:10'));
    expect(Array.from(data)).toEqual([0, 1, 0, 1, 2, 3, 4, 5, 6, 7]);
    view.slice('2:10').copyInto(view.slice('0:8'));
    expect(Array.from(data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 6, 7]);
    view.copyInto(view.flip());
    expect(Array.from(data)).toEqual([7, 6, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('byte-swaps between byte orders and converts only when asked', () => {
    const little = new Uint8Array(8);
    using source = MemoryView.from(new Uint32Array([0x01020304, 0xa0b0c0d0]));
    using target = MemoryView.from(little, BufferFlags.FULL).cast('>I');
    source.copyInto(target);
    expect(Array.from(little)).toEqual([1, 2, 3, 4, 0xa0, 0xb0, 0xc0, 0xd0]);
    expect(target.toList()).toEqual([0x01020304, 0xa0b0c0d0]);
    using floats = MemoryView.from(new Float64Array(2), BufferFlags.FULL);
    expectErrorCode(() => source.copyInto(floats), 'ERR_FORMAT_UNSUPPORTED', { family: BufferError });
    source.copyInto(floats, { convert: true });
    expect(floats.toList()).toEqual([0x01020304, 0xa0b0c0d0]);
    using bytes = MemoryView.from(new Uint8Array(2), BufferFlags.FULL);
    expectErrorCode(() => source.copyInto(bytes, { convert: true }), 'ERR_VALUE_INVALID', { family: BufferError });
  });
});
