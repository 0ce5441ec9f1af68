import { getBuffer, releaseBuffer } from '@interop/core';
import { describe, expect, it } from 'vitest';
import { BufferStream, fromReadableStream, MemoryStream, toReadableStream, toWritableStream, type StreamAccess, StreamError } from '@interop/stream';
import { expectErrorCode, expectErrorCodeAsync } from '@interop/core/testing';
import { bytes, text } from './helpers.js';

interface ReadIntoCall {
  readonly target: ArrayBufferView;
  readonly buffer: ArrayBufferLike;
  readonly bufferLength: number;
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly exportedBuffer: ArrayBufferLike;
}

/** Wraps a stream and records every target its readInto receives. */
function spyOnReadInto(stream: StreamAccess): { stream: StreamAccess; calls: ReadIntoCall[] } {
  const calls: ReadIntoCall[] = [];
  const spy = new Proxy(stream, {
    get(target, property) {
      if (property === 'readInto') {
        return (into: ArrayBufferView, offset?: number, length?: number) => {
          const info = getBuffer(into);
          calls.push({
            target: into,
            buffer: into.buffer,
            bufferLength: into.buffer.byteLength,
            byteOffset: into.byteOffset,
            byteLength: into.byteLength,
            exportedBuffer: info.buffer,
          });
          releaseBuffer(info);
          return target.readInto(into, offset, length);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { stream: spy, calls };
}

const counting = (n: number): Uint8Array<ArrayBuffer> => new Uint8Array(n).map((_, i) => i & 255);

describe('toReadableStream', () => {
  it("serves a BYOB reader by reading directly into the reader's buffer (zero-copy)", async () => {
    const { stream, calls } = spyOnReadInto(new MemoryStream(counting(100)));
    const reader = toReadableStream(stream, { chunkSize: 4096 }).getReader({ mode: 'byob' });
    const mine = new ArrayBuffer(64);
    const { value, done } = await reader.read(new Uint8Array(mine, 8, 16));
    expect(done).toBe(false);
    // The reader's memory was handed over (transferred), not copied...
    expect(mine.byteLength).toBe(0);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    // ...and readInto wrote into exactly that memory: the reader's 64-byte buffer at offset 8,
    // not a 4096-byte chunk the adapter allocated; the export taken for the write is that buffer.
    expect(call.exportedBuffer).toBe(call.buffer);
    expect(call.bufferLength).toBe(64);
    expect(call.byteOffset).toBe(8);
    expect(call.byteLength).toBe(16);
    // The buffer written in place is what the reader got back (transferred again, so detached here).
    expect(call.buffer.byteLength).toBe(0);
    expect(value!.buffer.byteLength).toBe(64);
    expect(value!.byteOffset).toBe(8);
    expect(value).toEqual(counting(16));
    reader.releaseLock();
  });

  it('keeps reading in place into the buffer the reader passes back, to the end', async () => {
    const { stream, calls } = spyOnReadInto(new MemoryStream(counting(40)));
    const reader = toReadableStream(stream).getReader({ mode: 'byob' });
    let view = new Uint8Array(16);
    const received: number[] = [];
    for (;;) {
      const { value, done } = await reader.read(view);
      if (done) break;
      received.push(...value);
      view = new Uint8Array(value.buffer);
    }
    expect(received).toEqual([...counting(40)]);
    expect(calls.every((call) => call.bufferLength === 16)).toBe(true);
    expect(calls.map((call) => call.byteLength)).toEqual([16, 16, 16, 16]);
  });

  it('fills a BYOB view of wider elements', async () => {
    const source = new MemoryStream(new Uint8Array(new Float64Array([1.5, -2, 3]).buffer));
    const reader = toReadableStream(source).getReader({ mode: 'byob' });
    const { value } = await reader.read(new Float64Array(3));
    expect(value).toEqual(new Float64Array([1.5, -2, 3]));
  });

  it('gives default readers chunks of chunkSize, then closes the source', async () => {
    const source = new MemoryStream(counting(10));
    const chunks: number[] = [];
    for await (const chunk of toReadableStream(source, { chunkSize: 4 }) as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk.length);
    expect(chunks).toEqual([4, 4, 2]);
    expect(source.closed).toBe(true);
  });

  it('keeps the source open with preventClose, and closes it on cancel otherwise', async () => {
    const kept = new MemoryStream(counting(3));
    await new Response(toReadableStream(kept, { preventClose: true })).arrayBuffer();
    expect(kept.closed).toBe(false);
    expect(kept.tell()).toBe(3);
    const cancelled = new MemoryStream(counting(3));
    await toReadableStream(cancelled).cancel();
    expect(cancelled.closed).toBe(true);
  });

  it('reads an async source too', async () => {
    const async = fromReadableStream(new Blob([text('hello '), text('world')]).stream());
    const all = await new Response(toReadableStream(async)).text();
    expect(all).toBe('hello world');
  });

  it('refuses bad options and unreadable or closed streams', () => {
    expectErrorCode(() => toReadableStream(new MemoryStream(), { chunkSize: 0 }), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    const closed = new MemoryStream();
    closed.close();
    expectErrorCode(() => toReadableStream(closed), 'ERR_BUFFER_RELEASED', { family: StreamError });
  });
});

describe('toWritableStream', () => {
  it('writes every chunk, of any exporter type, and closes the stream at the end', async () => {
    const memory = new MemoryStream();
    const writable = toWritableStream(memory, { preventClose: true });
    const writer = writable.getWriter();
    await writer.write(text('ab'));
    await writer.write(new Uint16Array([0x6463]).buffer);
    await writer.write(new DataView(text('e').buffer));
    await writer.close();
    expect(new TextDecoder().decode(memory.getValue())).toBe('abcde');
    const closing = new MemoryStream();
    await new Blob([text('xyz')]).stream().pipeTo(toWritableStream(closing));
    expect(closing.closed).toBe(true);
  });

  it('repeats partial writes and fails with ERR_STREAM_NO_SPACE when a fixed stream is full', async () => {
    const memory = new Uint8Array(4);
    const writer = toWritableStream(new BufferStream(memory)).getWriter();
    await writer.write(text('ab'));
    await expectErrorCodeAsync(() => writer.write(text('cde')), 'ERR_STREAM_NO_SPACE', { family: StreamError });
    expect(new TextDecoder().decode(memory)).toBe('abcd');
  });

  it('refuses a read-only stream', () => {
    expectErrorCode(() => toWritableStream(new BufferStream(new Uint8Array(1), { readonly: true })), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
  });
});

describe('fromReadableStream', () => {
  it('reads at most one source chunk per read (a short read), keeping the rest', async () => {
    const stream = fromReadableStream(new Blob([text('abc'), text('defg')]).stream());
    expect(stream.readable).toBe(true);
    expect(stream.writable).toBe(false);
    expect(stream.seekable).toBe(false);
    const target = new Uint8Array(5);
    const first = await stream.readInto(target);
    expect(first).toBeGreaterThan(0);
    const rest = await stream.readAll();
    expect(new TextDecoder().decode(new Uint8Array([...target.subarray(0, first), ...rest]))).toBe('abcdefg');
    expect(await stream.tell()).toBe(7);
    expect(await stream.readInto(target)).toBe(0);
    expect((await stream.read(3)).length).toBe(0);
  });

  it('splits chunks across small reads', async () => {
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(1, 2, 3, 4, 5));
        controller.enqueue(bytes(6));
        controller.close();
      },
    });
    const stream = fromReadableStream(source);
    expect(await stream.read(2)).toEqual(bytes(1, 2));
    expect(await stream.read(10)).toEqual(bytes(3, 4, 5));
    expect(await stream.read(10)).toEqual(bytes(6));
    expect(await stream.read(10)).toEqual(bytes());
  });

  it('iterates asynchronously over chunks', async () => {
    const stream = fromReadableStream(new Blob([counting(300)]).stream());
    let total = 0;
    for await (const chunk of stream.chunks(128)) {
      expect(chunk.length).toBeLessThanOrEqual(128);
      total += chunk.length;
    }
    expect(total).toBe(300);
  });

  it('refuses seeks, size, writes and truncation; cancels the source on close', async () => {
    let cancelled = false;
    const stream = fromReadableStream(
      new ReadableStream({
        pull() {},
        cancel() {
          cancelled = true;
        },
      }),
    );
    await expectErrorCodeAsync(() => stream.seek(0), 'ERR_STREAM_NOT_SEEKABLE', { family: StreamError });
    await expectErrorCodeAsync(() => stream.size(), 'ERR_STREAM_NOT_SEEKABLE', { family: StreamError });
    await expectErrorCodeAsync(() => stream.write(bytes(1)), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    await expectErrorCodeAsync(() => stream.truncate(0), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    await expectErrorCodeAsync(() => stream.read(-1), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    await stream.close();
    expect(cancelled).toBe(true);
    expect(stream.closed).toBe(true);
    await expectErrorCodeAsync(() => stream.read(1), 'ERR_BUFFER_RELEASED', { family: StreamError });
    await expectErrorCodeAsync(() => stream.tell(), 'ERR_BUFFER_RELEASED', { family: StreamError });
  });

  it('refuses chunks that are not bytes, non-streams and locked streams', async () => {
    const strings = fromReadableStream(
      new ReadableStream({
        start(c) {
          c.enqueue('text');
          c.close();
        },
      }),
    );
    await expectErrorCodeAsync(() => strings.read(1), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => fromReadableStream({} as ReadableStream), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    const locked = new Blob(['x']).stream();
    locked.getReader();
    expectErrorCode(() => fromReadableStream(locked), 'ERR_INVALID_ARGUMENT', { family: StreamError });
  });
});

describe('fromReadableStream close', () => {
  it('ends a read that waits for a chunk that never comes', async () => {
    const stream = fromReadableStream(new ReadableStream({ pull() {} }));
    const pending = stream.read(10);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the read is now waiting on the source
    await stream.close();
    expect(await pending).toEqual(new Uint8Array(0));
  });
});
