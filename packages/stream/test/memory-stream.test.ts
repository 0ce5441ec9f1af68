import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo, getbuffer, releasebuffer, ExportLock, exportBuffer } from '@interop/core';
import { describeExporter, expectErrorCode } from '@interop/core/testing';
import { describe, expect, it } from 'vitest';
import { MemoryStream, SEEK_CUR, SEEK_END, StreamError } from '@interop/stream';
import { bytes, expectBufferError } from './helpers.js';

describeExporter('MemoryStream', () => {
  const stream = new MemoryStream(bytes(1, 2, 3, 4, 5));
  return {
    exporter: stream,
    mutations: {
      'grow via write past the end': (s: MemoryStream) => {
        s.seek(0, SEEK_END);
        s.write(bytes(9, 9));
      },
      truncate: (s: MemoryStream) => s.truncate(2),
      'truncate to a larger size': (s: MemoryStream) => s.truncate(100),
      close: (s: MemoryStream) => s.close(),
    },
    expected: { format: 'B', itemsize: 1, shape: [5], readonly: false },
  };
});

describeExporter('MemoryStream (empty)', () => ({
  exporter: new MemoryStream(),
  mutations: { write: (s: MemoryStream) => s.write(bytes(1)) },
  expected: { shape: [0] },
}));

describe('MemoryStream', () => {
  it('starts empty at position 0, or with a copy of initial bytes', () => {
    const empty = new MemoryStream();
    expect(empty.size).toBe(0);
    expect(empty.tell()).toBe(0);
    const source = bytes(1, 2, 3);
    const stream = new MemoryStream(source);
    source[0] = 99;
    expect(stream.getValue()).toEqual(bytes(1, 2, 3));
    expect(stream.tell()).toBe(0);
  });

  it('reads, writes and seeks like BytesIO', () => {
    const stream = new MemoryStream();
    expect(stream.write(bytes(1, 2, 3, 4))).toBe(4);
    expect(stream.tell()).toBe(4);
    expect(stream.read(2)).toEqual(bytes());
    expect(stream.seek(1)).toBe(1);
    expect(stream.read(2)).toEqual(bytes(2, 3));
    expect(stream.seek(-1, SEEK_CUR)).toBe(2);
    expect(stream.read()).toEqual(bytes(3, 4));
    expect(stream.seek(-4, SEEK_END)).toBe(0);
    expect(stream.readAll()).toEqual(bytes(1, 2, 3, 4));
  });

  it('zero-fills the gap when writing after a seek past the end', () => {
    const stream = new MemoryStream(bytes(1));
    expect(stream.seek(4)).toBe(4);
    expect(stream.size).toBe(1);
    expect(stream.read(3)).toEqual(bytes());
    stream.write(bytes(7));
    expect(stream.getValue()).toEqual(bytes(1, 0, 0, 0, 7));
  });

  it('reads into any exporter in place, with an offset and a length', () => {
    const stream = new MemoryStream(bytes(1, 2, 3, 4, 5, 6));
    const target = new Uint16Array(4);
    expect(stream.readInto(target, 2, 4)).toBe(4);
    expect(new Uint8Array(target.buffer)).toEqual(bytes(0, 0, 1, 2, 3, 4, 0, 0));
    expect(stream.readInto(target)).toBe(2); // short read at the end
    expect(stream.readInto(target)).toBe(0); // end of stream
    expect(stream.readInto(new Uint8Array(0))).toBe(0);
  });

  it('reads into another MemoryStream through its export, and refuses to grow the one being read into', () => {
    const source = new MemoryStream(bytes(5, 6, 7));
    const sink = new MemoryStream(bytes(0, 0, 0, 0));
    expect(source.readInto(sink, 1)).toBe(3);
    expect(sink.getValue()).toEqual(bytes(0, 5, 6, 7));
    expect(sink.exports).toBe(0);
  });

  it('writes bytes of a stream into itself within its size, and refuses to grow from its own export', () => {
    const stream = new MemoryStream(bytes(1, 2, 3, 4));
    stream.seek(0);
    expect(stream.write(stream)).toBe(4); // size-preserving: allowed
    stream.seek(2);
    expectBufferError(() => stream.write(stream), 'ERR_BUFFER_EXPORTED'); // would grow while exported (as BytesIO)
    expect(stream.getValue()).toEqual(bytes(1, 2, 3, 4));
    expect(stream.tell()).toBe(2);
  });

  it('allows size-preserving writes while exported and exposes them through the export', () => {
    const stream = new MemoryStream(bytes(1, 2, 3));
    const info = getBuffer(stream, BufferFlags.CONTIG_RO);
    try {
      stream.seek(1);
      expect(stream.write(bytes(8, 9))).toBe(2);
      expect(new Uint8Array(info.buffer, info.byteOffset, info.byteLength)).toEqual(bytes(1, 8, 9));
      expectBufferError(() => stream.write(bytes(1)), 'ERR_BUFFER_EXPORTED');
      expectBufferError(() => stream.truncate(1), 'ERR_BUFFER_EXPORTED');
      expectBufferError(() => stream.close(), 'ERR_BUFFER_EXPORTED');
      expect(stream.truncate(3)).toBe(3); // no size change: allowed
      expect(stream.getValue()).toEqual(bytes(1, 8, 9));
      expect(stream.tell()).toBe(3);
    } finally {
      releaseBuffer(info);
    }
    stream.write(bytes(4));
    expect(stream.getValue()).toEqual(bytes(1, 8, 9, 4));
    stream.close();
    expect(stream.closed).toBe(true);
  });

  it('truncates to the position by default, keeps the position, and extends with zeros', () => {
    const stream = new MemoryStream(bytes(1, 2, 3, 4, 5));
    stream.seek(2);
    expect(stream.truncate()).toBe(2);
    expect(stream.tell()).toBe(2);
    expect(stream.getValue()).toEqual(bytes(1, 2));
    expect(stream.truncate(4)).toBe(4);
    expect(stream.getValue()).toEqual(bytes(1, 2, 0, 0));
    // Bytes freed by a shrink read back as zeros when the stream grows again.
    stream.truncate(1);
    stream.truncate(3);
    expect(stream.getValue()).toEqual(bytes(1, 0, 0));
  });

  it('gives memory back when it shrinks a lot', () => {
    const stream = new MemoryStream(new Uint8Array(1 << 16));
    stream.truncate(10);
    expect(stream.capacity).toBe(10);
    expect(stream.size).toBe(10);
  });

  it('reserves capacity up front', () => {
    const stream = new MemoryStream(undefined, { capacity: 1024 });
    expect(stream.capacity).toBe(1024);
    const info = getBuffer(stream);
    const buffer = info.buffer;
    releaseBuffer(info);
    stream.write(new Uint8Array(1000));
    const after = getBuffer(stream);
    expect(after.buffer).toBe(buffer);
    releaseBuffer(after);
  });

  it('rejects bad sizes, offsets and whence with ERR_INVALID_ARGUMENT', () => {
    const stream = new MemoryStream(bytes(1, 2, 3));
    for (const bad of [-1, 1.5, Number.NaN, Infinity, '2' as unknown as number]) {
      expectErrorCode(() => stream.read(bad), 'ERR_INVALID_ARGUMENT', { family: StreamError });
      expectErrorCode(() => stream.truncate(bad), 'ERR_INVALID_ARGUMENT', { family: StreamError });
      expectErrorCode(() => stream.readInto(new Uint8Array(3), bad), 'ERR_INVALID_ARGUMENT', { family: StreamError });
      expectErrorCode(() => stream.readInto(new Uint8Array(3), 0, bad), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    }
    for (const bad of [1.5, Number.NaN, Infinity]) expectErrorCode(() => stream.seek(bad), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => stream.seek(-1), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => stream.seek(0, 3 as 0), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => stream.readInto(new Uint8Array(3), 2, 2), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => stream.readInto(new Uint8Array(3), 4), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => new MemoryStream(undefined, { capacity: -1 }), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => stream.chunks(0), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expect(stream.tell()).toBe(0);
    expect(stream.getValue()).toEqual(bytes(1, 2, 3));
  });

  it('refuses a seek before byte 0 (where BytesIO clamps) without moving', () => {
    const stream = new MemoryStream(bytes(1, 2, 3));
    stream.seek(1);
    expectErrorCode(() => stream.seek(-2, SEEK_CUR), 'ERR_STREAM_SEEK_OUT_OF_RANGE', { family: StreamError });
    expectErrorCode(() => stream.seek(-4, SEEK_END), 'ERR_STREAM_SEEK_OUT_OF_RANGE', { family: StreamError });
    expect(stream.tell()).toBe(1);
  });

  it('refuses non-exporters and strided sources or targets with BufferErrors, changing nothing', () => {
    const stream = new MemoryStream(bytes(1, 2, 3));
    expectBufferError(() => stream.write('abc'), 'ERR_BUFFER_NOT_EXPORTER');
    expectBufferError(() => stream.readInto({}), 'ERR_BUFFER_NOT_EXPORTER');
    const strided = new StridedBytes();
    expectBufferError(() => stream.write(strided), 'ERR_BUFFER_NOT_CONTIGUOUS');
    expectBufferError(() => stream.readInto(strided), 'ERR_BUFFER_NOT_CONTIGUOUS');
    expect(strided.lock.exports).toBe(0);
    expect(stream.tell()).toBe(0);
    expect(stream.getValue()).toEqual(bytes(1, 2, 3));
  });

  it('refuses every operation after close, and close is idempotent', () => {
    const stream = new MemoryStream(bytes(1));
    stream.close();
    stream.close();
    expect(stream.closed).toBe(true);
    expectErrorCode(() => stream.read(1), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.readAll(), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.readInto(new Uint8Array(1)), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.write(bytes(1)), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.seek(0), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.tell(), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.truncate(0), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.flush(), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.size, 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => stream.getValue(), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => getBuffer(stream), 'ERR_BUFFER_RELEASED', { family: StreamError });
  });

  it('iterates over chunks, sync and async, from the position', async () => {
    const stream = new MemoryStream(new Uint8Array(10).map((_, i) => i));
    stream.seek(1);
    expect([...stream.chunks(4)].map((c) => c.length)).toEqual([4, 4, 1]);
    stream.seek(0);
    const seen: number[] = [];
    for await (const chunk of stream) seen.push(...chunk);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('closes at the end of a using block', () => {
    let outer: MemoryStream;
    {
      using stream = new MemoryStream();
      outer = stream;
    }
    expect(outer.closed).toBe(true);
  });
});

/** A strided exporter (every second byte) to test contiguity refusals. */
class StridedBytes {
  readonly lock = new ExportLock();
  readonly data = new Uint8Array(8);
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, format: 'B', shape: [4], strides: [2] }, flags, this.lock);
  }
  [releasebuffer](): void {
    this.lock.release();
  }
}
