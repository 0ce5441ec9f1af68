import { MemoryView } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { BufferStream, MemoryStream } from '@interop/stream';
import { bytes, expectBufferError } from './helpers.js';

describe('streams and core MemoryView', () => {
  it('reads into a contiguous MemoryView slice in place', () => {
    const memory = new Uint8Array(8);
    const view = MemoryView.from(memory).slice('2:6');
    const stream = new MemoryStream(bytes(1, 2, 3, 4, 5));
    expect(stream.readInto(view)).toBe(4);
    expect(memory).toEqual(bytes(0, 0, 1, 2, 3, 4, 0, 0));
    view.release();
  });

  it('refuses a strided MemoryView target or source, and a read-only one as target', () => {
    const memory = new Uint8Array(8);
    const stream = new MemoryStream(bytes(1, 2, 3, 4));
    const strided = MemoryView.from(memory).slice('::2');
    expectBufferError(() => stream.readInto(strided), 'ERR_BUFFER_NOT_CONTIGUOUS');
    expectBufferError(() => stream.write(strided), 'ERR_BUFFER_NOT_CONTIGUOUS');
    const readonly = MemoryView.from(memory).toReadonly();
    expectBufferError(() => stream.readInto(readonly), 'ERR_BUFFER_READONLY');
    expect(stream.tell()).toBe(0);
    expect(memory).toEqual(new Uint8Array(8));
    strided.release();
    readonly.release();
  });

  it('writes from a MemoryView of another format', () => {
    const stream = new MemoryStream();
    const view = MemoryView.from(new Uint16Array([0x0201, 0x0403]));
    expect(stream.write(view)).toBe(4);
    view.release();
    expect(stream.getValue()).toEqual(new Uint8Array(new Uint16Array([0x0201, 0x0403]).buffer));
  });

  it('a MemoryView of a MemoryStream blocks growth until released', () => {
    const stream = new MemoryStream(bytes(1, 2, 3));
    const view = MemoryView.from(stream);
    expect(view.shape).toEqual([3]);
    expectBufferError(() => stream.write(bytes(1, 2, 3, 4)), 'ERR_BUFFER_EXPORTED');
    view.release();
    stream.write(bytes(1, 2, 3, 4));
    expect(stream.size).toBe(4);
  });

  it('a BufferStream over a MemoryView writes through to the base memory', () => {
    const base = new Float32Array([1, 2, 3, 4]);
    const view = MemoryView.from(base).slice('1:3');
    const stream = new BufferStream(view);
    expect(stream.size).toBe(8);
    stream.write(new Float32Array([-1, -2]));
    stream.close();
    view.release();
    expect(base).toEqual(new Float32Array([1, -1, -2, 4]));
  });
});
