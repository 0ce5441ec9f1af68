import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferStream, toReadableStream } from '@interop/stream';
import { AsyncFileStream, FileStream, toNodeReadable } from '@interop/stream/node';

const dir = mkdtempSync(join(tmpdir(), 'interop-stream-adapters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const content = new Uint8Array(5000).map((_, i) => (i * 31) & 255);
const path = join(dir, 'data.bin');
writeFileSync(path, content);

describe('adapters over files', () => {
  it('serves BYOB readers from an AsyncFileStream, in place, and closes it at the end', async () => {
    const file = await AsyncFileStream.open(path);
    const reader = toReadableStream(file).getReader({ mode: 'byob' });
    let buffer = new ArrayBuffer(1024);
    const received: number[] = [];
    for (;;) {
      const { value, done } = await reader.read(new Uint8Array(buffer));
      if (done) break;
      received.push(...value);
      buffer = value.buffer;
    }
    expect(received).toEqual([...content]);
    expect(file.closed).toBe(true);
  });

  it('feeds a Node Readable from an AsyncFileStream', async () => {
    const file = await AsyncFileStream.open(path);
    const chunks: Buffer[] = [];
    for await (const chunk of toNodeReadable(file, { chunkSize: 1000 })) chunks.push(chunk as Buffer);
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(content);
  });

  it('reads a file into SharedArrayBuffer memory and streams over it', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(5000));
    const file = new FileStream(path);
    let at = 0;
    for (;;) {
      const count = file.readInto(shared, at);
      if (count === 0) break;
      at += count;
    }
    file.close();
    expect(at).toBe(5000);
    const stream = new BufferStream(shared);
    expect(stream.read(5000)).toEqual(content);
    stream.close();
  });
});
