import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BufferFlags, getBuffer, registerAllocator, registeredAllocator, releaseBuffer, resetAllocator } from '@interop/core';
import { MemoryStream } from '../../src/index.js';
import { FileStream } from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'interop-stream-alloc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What importing the Node entry point registered (before any test changes it).
const atImport = registeredAllocator();
afterEach(() => {
  if (atImport === null) resetAllocator();
  else registerAllocator(atImport.allocator, { threshold: atImport.threshold, fallback: atImport.fallback });
});

let nativeLoads = false;
try {
  const native = (await import('@interop/native')) as { loadAddon(): unknown };
  native.loadAddon();
  nativeLoads = true;
} catch {
  nativeLoads = false;
}

function recordingAllocator(): Set<ArrayBuffer> {
  const given = new Set<ArrayBuffer>();
  registerAllocator(
    {
      name: 'recording',
      allocate(byteLength) {
        const buffer = new ArrayBuffer(byteLength);
        given.add(buffer);
        return buffer;
      },
    },
    { threshold: 0 },
  );
  return given;
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
    const given = recordingAllocator();
    const stream = new MemoryStream();
    stream.write(new Uint8Array(100_000).fill(3));
    const info = getBuffer(stream, BufferFlags.SIMPLE);
    try {
      expect(given.has(info.buffer as ArrayBuffer)).toBe(true);
      expect(new Uint8Array(info.buffer, info.byteOffset, info.byteLength).every((b) => b === 3)).toBe(true);
    } finally {
      releaseBuffer(info);
    }
    stream.close();
  });

  it('FileStream.read and readAll return seam memory', () => {
    const path = join(dir, 'data.bin');
    writeFileSync(path, new Uint8Array(5000).fill(9));
    const given = recordingAllocator();
    const stream = new FileStream(path);
    try {
      const part = stream.read(4000);
      expect(given.has(part.buffer as ArrayBuffer)).toBe(true);
      expect(part.every((b) => b === 9)).toBe(true);
      const rest = stream.readAll();
      expect(rest.length).toBe(1000);
      expect(given.has(rest.buffer as ArrayBuffer)).toBe(true);
    } finally {
      stream.close();
    }
  });
});
