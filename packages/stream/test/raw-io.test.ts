import { describe, expect, it } from 'vitest';
import { BufferStream, MemoryStream, toRawIO, type StreamAccess, StreamError } from '@interop/stream';
import { expectErrorCode } from '@interop/core/testing';
import { bytes, text } from './helpers.js';

/** A stream that returns at most `limit` bytes per read, as a pipe or socket may. */
function shortReads(stream: StreamAccess, limit: number): StreamAccess {
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'readInto') return (into: Uint8Array) => target.readInto(into, 0, Math.min(limit, into.length));
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('toRawIO (Python RawIOBase semantics)', () => {
  it('read(n) returns at most n bytes, b"" at EOF; read(-1), read(null) and read() read everything', () => {
    const raw = toRawIO(new MemoryStream(text('abcdef')));
    expect(raw.read(2)).toEqual(text('ab'));
    expect(raw.read(-1)).toEqual(text('cdef'));
    expect(raw.read(4)).toEqual(bytes());
    raw.seek(1);
    expect(raw.read(null)).toEqual(text('bcdef'));
    raw.seek(0);
    expect(raw.read()).toEqual(text('abcdef'));
    expect(raw.read(0)).toEqual(bytes());
    expect(raw.readall()).toEqual(bytes());
  });

  it('readinto returns the count, short at the end, 0 at EOF', () => {
    const raw = toRawIO(new MemoryStream(text('abc')));
    const b = new Uint8Array(2);
    expect(raw.readinto(b)).toBe(2);
    expect(b).toEqual(text('ab'));
    expect(raw.readinto(b)).toBe(1);
    expect(b).toEqual(text('cb'));
    expect(raw.readinto(b)).toBe(0);
  });

  it('keeps short reads of the backing short (no hidden loop) and readall loops to EOF', () => {
    const raw = toRawIO(shortReads(new MemoryStream(text('abcdefgh')), 3));
    const b = new Uint8Array(8);
    expect(raw.readinto(b)).toBe(3);
    expect(raw.readinto(b)).toBe(3);
    expect(raw.readinto(b)).toBe(2);
    expect(raw.readinto(b)).toBe(0);
  });

  it('seek with whence 0, 1 and 2 returns the new absolute position', () => {
    const raw = toRawIO(new MemoryStream(text('0123456789')));
    expect(raw.seek(3)).toBe(3);
    expect(raw.seek(3, 0)).toBe(3);
    expect(raw.seek(2, 1)).toBe(5);
    expect(raw.seek(-1, 1)).toBe(4);
    expect(raw.seek(-2, 2)).toBe(8);
    expect(raw.seek(5, 2)).toBe(15);
    expect(raw.tell()).toBe(15);
    expect(raw.read(1)).toEqual(bytes());
    expectErrorCode(() => raw.seek(-1, 0), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => raw.seek(0, 3 as 0), 'ERR_INVALID_ARGUMENT', { family: StreamError });
  });

  it('write returns the count; partial on a fixed buffer; truncate keeps the position', () => {
    const memory = new Uint8Array(4);
    const raw = toRawIO(new BufferStream(memory));
    raw.seek(2);
    expect(raw.write(text('xyz'))).toBe(2);
    expect(memory).toEqual(new Uint8Array([0, 0, 120, 121]));
    const grow = toRawIO(new MemoryStream(text('abcdef')));
    grow.seek(2);
    expect(grow.truncate()).toBe(2);
    expect(grow.tell()).toBe(2);
    expect(grow.truncate(null)).toBe(2);
  });

  it('readable/writable/seekable are methods that raise on a closed stream; closed is a property', () => {
    const raw = toRawIO(new BufferStream(new Uint8Array(2), { readonly: true }));
    expect(raw.readable()).toBe(true);
    expect(raw.writable()).toBe(false);
    expect(raw.seekable()).toBe(true);
    expect(raw.isatty()).toBe(false);
    expectErrorCode(() => raw.write(bytes(1)), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    expect(raw.closed).toBe(false);
    raw.close();
    raw.close();
    expect(raw.closed).toBe(true);
    expectErrorCode(() => raw.readable(), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => raw.writable(), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => raw.seekable(), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => raw.read(), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => raw.flush(), 'ERR_BUFFER_RELEASED', { family: StreamError });
  });

  it('reads lines like IOBase.readline / readlines / iteration, and writes lines', () => {
    const raw = toRawIO(new MemoryStream(text('one\ntwo\n\nlast')));
    expect(raw.readline()).toEqual(text('one\n'));
    expect(raw.tell()).toBe(4);
    expect(raw.readline(2)).toEqual(text('tw'));
    expect(raw.readline()).toEqual(text('o\n'));
    expect(raw.readlines()).toEqual([text('\n'), text('last')]);
    expect(raw.readline()).toEqual(bytes());
    raw.seek(0);
    expect([...raw].length).toBe(4);
    const out = new MemoryStream();
    toRawIO(out).writelines([text('a\n'), new Uint8Array([98, 10])]);
    expect(out.getValue()).toEqual(text('a\nb\n'));
  });

  it('refuses what is not a synchronous StreamAccess', () => {
    expectErrorCode(() => toRawIO({} as StreamAccess), 'ERR_INVALID_ARGUMENT', { family: StreamError });
  });
});
