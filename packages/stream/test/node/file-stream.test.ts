import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStream, SEEK_END, toRawIO, StreamError } from '@interop/stream';
import { AsyncFileStream, FileStream } from '@interop/stream/node';
import { expectErrorCode, expectErrorCodeAsync } from '@interop/core/testing';
import { bytes, expectBufferError, text } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'interop-stream-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = (content?: Uint8Array): string => {
  const path = join(dir, `f${counter++}.bin`);
  if (content !== undefined) writeFileSync(path, content);
  return path;
};

describe('FileStream', () => {
  it('writes, seeks and reads a file like FileIO', () => {
    const path = fresh();
    const file = new FileStream(path, { mode: 'w+' });
    expect(file.readable && file.writable && file.seekable).toBe(true);
    expect(file.write(text('hello world'))).toBe(11);
    expect(file.tell()).toBe(11);
    expect(file.size).toBe(11);
    expect(file.seek(-5, SEEK_END)).toBe(6);
    expect(file.read(5)).toEqual(text('world'));
    expect(file.read(5)).toEqual(bytes());
    file.seek(0);
    expect(file.readAll()).toEqual(text('hello world'));
    file.close();
    expect(readFileSync(path, 'utf8')).toBe('hello world');
  });

  it("reads straight into an exporter's memory (a MemoryStream) in place, with offset and length", () => {
    const path = fresh(text('abcdefgh'));
    using file = new FileStream(path);
    const sink = new MemoryStream(new Uint8Array(10));
    expect(file.readInto(sink, 2, 5)).toBe(5);
    expect(new TextDecoder().decode(sink.getValue().subarray(2, 7))).toBe('abcde');
    expect(sink.exports).toBe(0);
    expect(file.readInto(sink)).toBe(3); // short read at the end
    expect(file.readInto(sink)).toBe(0);
  });

  it('honours modes: r is read-only, w is write-only, x refuses existing files, a appends', () => {
    const path = fresh(text('abc'));
    const reading = new FileStream(path);
    expectErrorCode(() => reading.write(text('z')), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    expectErrorCode(() => reading.truncate(0), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    reading.close();
    const writing = new FileStream(path, { mode: 'w' });
    expectErrorCode(() => writing.read(1), 'ERR_STREAM_NOT_READABLE', { family: StreamError });
    writing.write(text('new'));
    writing.close();
    expect(readFileSync(path, 'utf8')).toBe('new');
    expectErrorCode(() => new FileStream(path, { mode: 'x' }), 'ERR_STREAM_IO', { family: StreamError });
    const appending = new FileStream(path, { mode: 'a+' });
    expect(appending.tell()).toBe(3);
    appending.seek(0);
    appending.write(text('!'));
    expect(appending.tell()).toBe(4);
    appending.close();
    expect(readFileSync(path, 'utf8')).toBe('new!');
    expectErrorCode(() => new FileStream(path, { mode: 'rw' as 'r' }), 'ERR_INVALID_ARGUMENT', { family: StreamError });
  });

  it('reports system failures as ERR_STREAM_IO with the errno name', () => {
    const error = expectErrorCode(() => new FileStream(join(dir, 'missing.bin')), 'ERR_STREAM_IO', { family: StreamError });
    expect(error.details.systemCode).toBe('ENOENT');
  });

  it('truncates, keeping the position, and extends with zeros', () => {
    const path = fresh(text('abcdef'));
    using file = new FileStream(path, { mode: 'r+' });
    file.seek(4);
    expect(file.truncate(2)).toBe(2);
    expect(file.tell()).toBe(4);
    expect(file.truncate()).toBe(4);
    file.close();
    expect([...readFileSync(path)]).toEqual([97, 98, 0, 0]);
  });

  it('works over a descriptor, closing it only when asked', () => {
    const path = fresh(text('fd'));
    const fd = openSync(path, 'r');
    const file = new FileStream(fd, { closeFd: false });
    expect(file.fd).toBe(fd);
    expect(file.readAll()).toEqual(text('fd'));
    file.close();
    const again = new FileStream(fd);
    expect(again.read(1)).toEqual(text('f'));
    again.close();
    expectErrorCode(() => new FileStream(-1), 'ERR_INVALID_ARGUMENT', { family: StreamError });
  });

  it('refuses bad arguments and use after close without changing the file', () => {
    const path = fresh(text('abc'));
    const file = new FileStream(path, { mode: 'r+' });
    expectErrorCode(() => file.read(-1), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => file.seek(-1), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => file.seek(-4, SEEK_END), 'ERR_STREAM_SEEK_OUT_OF_RANGE', { family: StreamError });
    expectErrorCode(() => file.truncate(-1), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectBufferError(() => file.write('abc'), 'ERR_BUFFER_NOT_EXPORTER');
    expect(file.tell()).toBe(0);
    file.close();
    expectErrorCode(() => file.read(1), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => file.size, 'ERR_BUFFER_RELEASED', { family: StreamError });
    expect(readFileSync(path, 'utf8')).toBe('abc');
  });

  it('behaves as a RawIOBase through toRawIO', () => {
    const path = fresh(text('line 1\nline 2\n'));
    const raw = toRawIO(new FileStream(path));
    expect(raw.readline()).toEqual(text('line 1\n'));
    expect(raw.read(-1)).toEqual(text('line 2\n'));
    raw.close();
  });
});

describe('AsyncFileStream', () => {
  it('writes, seeks and reads asynchronously, in call order', async () => {
    const path = fresh();
    const file = await AsyncFileStream.open(path, { mode: 'w+' });
    const writes = [file.write(text('abc')), file.write(text('def')), file.seek(1), file.read(3)];
    const [a, b, position, read] = await Promise.all(writes);
    expect([a, b, position]).toEqual([3, 3, 1]);
    expect(read).toEqual(text('bcd'));
    expect(await file.size()).toBe(6);
    expect(await file.tell()).toBe(4);
    await file.seek(0);
    expect(await file.readAll()).toEqual(text('abcdef'));
    await file.close();
    await expectErrorCodeAsync(() => file.read(1), 'ERR_BUFFER_RELEASED', { family: StreamError });
  });

  it('reads into an exporter in place, holding its export until the read completes', async () => {
    const path = fresh(counting(1000));
    const file = await AsyncFileStream.open(path);
    const sink = new MemoryStream(new Uint8Array(1000));
    const pending = file.readInto(sink);
    await Promise.resolve();
    const result = await pending;
    expect(result).toBe(1000);
    expect(sink.getValue()).toEqual(counting(1000));
    expect(sink.exports).toBe(0);
    await file.close();
  });

  it('works over a FileHandle and iterates over chunks', async () => {
    const path = fresh(counting(300));
    const handle = await open(path, 'r');
    const file = await AsyncFileStream.open(handle, { closeFd: false });
    let total = 0;
    for await (const chunk of file.chunks(100)) total += chunk.length;
    expect(total).toBe(300);
    await file.close();
    await handle.close();
  });

  it('refuses bad input and reports missing files', async () => {
    await expectErrorCodeAsync(() => AsyncFileStream.open(join(dir, 'nope.bin')), 'ERR_STREAM_IO', { family: StreamError });
    await expectErrorCodeAsync(() => AsyncFileStream.open(fresh(), { mode: 'q' as 'r' }), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    const file = await AsyncFileStream.open(fresh(text('abc')));
    await expectErrorCodeAsync(() => file.write(text('x')), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
    await expectErrorCodeAsync(() => file.seek(-1, 1), 'ERR_STREAM_SEEK_OUT_OF_RANGE', { family: StreamError });
    await expectErrorCodeAsync(() => file.readInto(new Uint8Array(2), 3), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expect(await file.tell()).toBe(0);
    await file.close();
  });
});

function counting(n: number): Uint8Array {
  return new Uint8Array(n).map((_, i) => (i * 7) & 255);
}
