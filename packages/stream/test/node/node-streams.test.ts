import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { BufferStream, MemoryStream, StreamError } from '@interop/stream';
import { fromNodeReadable, toNodeReadable, toNodeWritable } from '@interop/stream/node';
import { expectErrorCode, expectErrorCodeAsync } from '@interop/core/testing';
import { bytes, text } from '../helpers.js';

describe('toNodeReadable', () => {
  it('reads the stream in chunks, then closes it', async () => {
    const source = new MemoryStream(new Uint8Array(10).fill(1));
    const sizes: number[] = [];
    const readable = toNodeReadable(source, { chunkSize: 4 });
    readable.on('data', (chunk: Buffer) => sizes.push(chunk.length));
    await new Promise((resolve) => readable.on('end', resolve));
    expect(sizes).toEqual([4, 4, 2]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.closed).toBe(true);
  });

  it('keeps the stream open with preventClose, and closes it on destroy otherwise', async () => {
    const kept = new MemoryStream(text('abc'));
    const chunks: Buffer[] = [];
    for await (const chunk of toNodeReadable(kept, { preventClose: true })) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
    expect(kept.closed).toBe(false);
    const destroyed = new MemoryStream(text('abc'));
    const readable = toNodeReadable(destroyed);
    await new Promise<void>((resolve) => readable.destroy().on('close', resolve));
    expect(destroyed.closed).toBe(true);
  });

  it('refuses unreadable streams and bad chunk sizes', () => {
    const closed = new MemoryStream();
    closed.close();
    expectErrorCode(() => toNodeReadable(closed), 'ERR_BUFFER_RELEASED', { family: StreamError });
    expectErrorCode(() => toNodeReadable(new MemoryStream(), { chunkSize: -1 }), 'ERR_INVALID_ARGUMENT', { family: StreamError });
  });
});

describe('toNodeWritable', () => {
  it('writes every chunk and closes the stream when finished', async () => {
    const memory = new MemoryStream();
    await pipeline(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), toNodeWritable(memory, { preventClose: true }));
    expect(new TextDecoder().decode(memory.getValue())).toBe('abcd');
    const closing = new MemoryStream();
    await pipeline(Readable.from([Buffer.from('x')]), toNodeWritable(closing));
    expect(closing.closed).toBe(true);
  });

  it('fails the pipeline with ERR_STREAM_NO_SPACE when a fixed stream fills', async () => {
    const memory = new Uint8Array(3);
    await expectErrorCodeAsync(() => pipeline(Readable.from([Buffer.from('abcd')]), toNodeWritable(new BufferStream(memory))), 'ERR_STREAM_NO_SPACE', {
      family: StreamError,
    });
    expect(new TextDecoder().decode(memory)).toBe('abc');
  });

  it('refuses read-only streams', () => {
    expectErrorCode(() => toNodeWritable(new BufferStream(new Uint8Array(1), { readonly: true })), 'ERR_STREAM_NOT_WRITABLE', { family: StreamError });
  });
});

describe('fromNodeReadable', () => {
  it('reads chunk by chunk with short reads, and all at once', async () => {
    const stream = fromNodeReadable(Readable.from([Buffer.from('abc'), Buffer.from('de')]));
    expect(stream.seekable).toBe(false);
    const target = new Uint8Array(10);
    expect(await stream.readInto(target)).toBe(3);
    expect(await stream.readAll()).toEqual(text('de'));
    expect(await stream.readInto(target)).toBe(0);
  });

  it('destroys the readable on close', async () => {
    const readable = Readable.from([Buffer.from('abc')]);
    const stream = fromNodeReadable(readable);
    expect(await stream.read(1)).toEqual(text('a'));
    await stream.close();
    expect(readable.destroyed).toBe(true);
    await expectErrorCodeAsync(() => stream.read(1), 'ERR_BUFFER_RELEASED', { family: StreamError });
  });

  it('refuses text chunks and non-streams', async () => {
    const textual = Readable.from([Buffer.from('abc')]).setEncoding('utf8');
    await expectErrorCodeAsync(() => fromNodeReadable(textual).read(1), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expectErrorCode(() => fromNodeReadable({} as Readable), 'ERR_INVALID_ARGUMENT', { family: StreamError });
    expect(bytes(1).length).toBe(1);
  });
});
