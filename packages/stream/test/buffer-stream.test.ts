import { BufferFlags, ExportLock, exportBuffer, getBuffer, getbuffer, releaseBuffer, releasebuffer, type BufferInfo } from '@interop/core';
import { describeExporter, expectErrorCode } from '@interop/core/testing';
import { describe, expect, it } from 'vitest';
import { BufferStream, MemoryStream, SEEK_END, StreamError } from '@interop/stream';
import { bytes, expectBufferError } from './helpers.js';

/** A read-only exporter, to check that BufferStream follows the export's access. */
class ReadonlyBytes {
  readonly lock = new ExportLock();
  constructor(readonly data: Uint8Array) {}
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(
      this,
      { buffer: this.data.buffer, byteOffset: this.data.byteOffset, format: 'B', shape: [this.data.length], readonly: true },
      flags,
      this.lock,
    );
  }
  [releasebuffer](): void {
    this.lock.release();
  }
}

describeExporter('BufferStream over a Float64Array', () => ({
  exporter: new BufferStream(new Float64Array([1, 2, 3])),
  mutations: { close: (s: BufferStream) => s.close() },
  expected: { format: 'B', itemsize: 1, shape: [24], readonly: false },
}));

describeExporter('BufferStream over read-only memory', () => ({
  exporter: new BufferStream(new ReadonlyBytes(bytes(1, 2, 3))),
  mutations: { close: (s: BufferStream) => s.close() },
  expected: { shape: [3], readonly: true },
}));

describe('BufferStream', () => {
  it('reads and writes the source memory in place', () => {
    const memory = new Uint8Array([1, 2, 3, 4]);
    const stream = new BufferStream(memory.subarray(1));
    expect(stream.size).toBe(3);
    expect(stream.read(2)).toEqual(bytes(2, 3));
    stream.seek(0);
    stream.write(bytes(9));
    expect(memory).toEqual(bytes(1, 9, 3, 4));
    stream.close();
  });

  it('holds an export of its source until closed', () => {
    const source = new MemoryStream(bytes(1, 2, 3));
    const stream = new BufferStream(source);
    expect(source.exports).toBe(1);
    expectBufferError(() => source.truncate(0), 'ERR_BUFFER_EXPORTED');
    stream.close();
    expect(source.exports).toBe(0);
    source.truncate(0);
  });

  it('refuses close while its own exports are held', () => {
    const stream = new BufferStream(new Uint8Array(4));
    const info = getBuffer(stream, BufferFlags.CONTIG);
    expectBufferError(() => stream.close(), 'ERR_BUFFER_EXPORTED');
    expect(stream.closed).toBe(false);
    releaseBuffer(info);
    stream.close();
    expectErrorCode(() => getBuffer(stream), 'ERR_BUFFER_RELEASED', { family: StreamError });
  });

  it('is read-only over read-only memory, or when asked', () => {
    const stream = new BufferStream(new ReadonlyBytes(bytes(1, 2)));
    expect(stream.writable).toBe(false);
    expectErrorCode(() => stream.write(bytes(1)), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    expectErrorCode(() => stream.truncate(2), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    expect(stream.read()).toEqual(bytes(1, 2));
    expectBufferError(() => getBuffer(stream, BufferFlags.WRITABLE), 'ERR_BUFFER_READONLY');
    const memory = new Uint8Array(2);
    const forced = new BufferStream(memory, { readonly: true });
    expectErrorCode(() => forced.write(bytes(1)), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    expect(memory).toEqual(bytes(0, 0));
  });

  it('cannot grow: seeks past the end fail, writes near the end are partial, writes at the end fail', () => {
    const memory = new Uint8Array(4);
    const stream = new BufferStream(memory);
    expectErrorCode(() => stream.seek(5), 'ERR_STREAM_SEEK_OUT_OF_RANGE', { family: StreamError });
    expectErrorCode(() => stream.seek(1, SEEK_END), 'ERR_STREAM_SEEK_OUT_OF_RANGE', { family: StreamError });
    expect(stream.tell()).toBe(0);
    expect(stream.seek(0, SEEK_END)).toBe(4);
    stream.seek(2);
    expect(stream.write(bytes(7, 8, 9))).toBe(2);
    expect(memory).toEqual(bytes(0, 0, 7, 8));
    expect(stream.tell()).toBe(4);
    expectErrorCode(() => stream.write(bytes(1)), 'ERR_STREAM_NO_SPACE', { family: StreamError });
    expect(stream.tell()).toBe(4);
    expect(memory).toEqual(bytes(0, 0, 7, 8));
    expect(stream.write(bytes())).toBe(0);
  });

  it('refuses to change size with ERR_NOT_RESIZABLE, but accepts its own size', () => {
    const stream = new BufferStream(new Uint8Array(4));
    expectErrorCode(() => stream.truncate(2), 'ERR_NOT_RESIZABLE', { family: StreamError });
    expect(stream.truncate(4)).toBe(4);
    stream.seek(4);
    expect(stream.truncate()).toBe(4);
  });

  it('refuses strided memory', () => {
    const strided = {
      lock: new ExportLock(),
      data: new Uint8Array(8),
      [getbuffer](flags: number): BufferInfo {
        return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, shape: [4], strides: [2] }, flags, this.lock);
      },
      [releasebuffer](): void {
        this.lock.release();
      },
    };
    expectBufferError(() => new BufferStream(strided), 'ERR_BUFFER_NOT_CONTIGUOUS');
    expect(strided.lock.exports).toBe(0);
  });
});
