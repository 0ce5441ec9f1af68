import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferFlags, getBuffer, registeredAllocator, releaseBuffer } from '@interop/core';
import { recordAllocations } from '@interop/core/testing';
import { MemoryStream } from '../../src/index.js';
import { FileStream } from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'interop-stream-alloc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What importing the Node entry point registered (each test that changes it restores it).
const atImport = registeredAllocator();

let nativeLoads = false;
try {
  const native = (await import('@interop/native')) as { loadAddon(): unknown };
  native.loadAddon();
  nativeLoads = true;
} catch {
  nativeLoads = false;
}

describe('the allocation seam in @interop/stream', () => {
  const optedOut = process.env['INTEROP_ALLOCATOR'] === 'default';
  it.runIf(nativeLoads && !optedOut)('importing @interop/stream/node installed the huge-page allocator of @interop/native', () => {
    expect(atImport?.allocator.name).toBe('huge-page');
  });

  it.runIf(optedOut)('INTEROP_ALLOCATOR=default keeps new ArrayBuffer', () => {
    expect(atImport).toBeNull();
  });

  it('MemoryStream grows into seam memory', () => {
    const record = recordAllocations();
    const stream = new MemoryStream();
    stream.write(new Uint8Array(100_000).fill(3));
    const info = getBuffer(stream, BufferFlags.SIMPLE);
    try {
      expect(record.holds(info.buffer)).toBe(true);
      expect(new Uint8Array(info.buffer, info.byteOffset, info.byteLength).every((b) => b === 3)).toBe(true);
    } finally {
      releaseBuffer(info);
    }
    stream.close();
  });

  it('FileStream.read and readAll return seam memory', () => {
    const path = join(dir, 'data.bin');
    writeFileSync(path, new Uint8Array(5000).fill(9));
    const record = recordAllocations();
    const stream = new FileStream(path);
    try {
      const part = stream.read(4000);
      expect(record.holds(part)).toBe(true);
      expect(part.every((b) => b === 9)).toBe(true);
      const rest = stream.readAll();
      expect(rest.length).toBe(1000);
      expect(record.holds(rest)).toBe(true);
    } finally {
      stream.close();
    }
  });
});
