// Issue 16 in @interop/native: the sample addon's crash on a non-conforming answer (finding 1),
// the header's own re-check, a C borrow across a transfer and a GC (finding 3), mappings and
// segments over 4 GiB (finding 4), and the hostile-exporter matrix through a C borrow.
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { describeHostileConsumer, expectErrorCode } from '@interop/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { heldByNative, mapFile, SharedMemory, NativeError } from '../src/index.js';
import { sample } from './helpers/sample.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/hostile-native.ts', import.meta.url));

/** Runs a scenario of fixtures/hostile-native.ts in a child process: a crash fails the test, not vitest. */
function runChild(...args: string[]): { status: number | null; signal: string | null; lines: string[]; stderr: string } {
  const result = spawnSync(process.execPath, ['--expose-gc', '--conditions=@interop/source', '--import', 'tsx', fixture, ...args], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, signal: result.signal, lines: result.stdout.trim().split('\n'), stderr: result.stderr };
}

function interopSegments(): string[] {
  try {
    return readdirSync('/dev/shm').filter((name) => name.startsWith('psm_') || name.startsWith('interop_'));
  } catch {
    return [];
  }
}

const segmentsBefore = interopSegments();
afterAll(() => {
  // Nothing this file creates may stay in /dev/shm.
  expect(interopSegments().filter((name) => !segmentsBefore.includes(name))).toEqual([]);
});

describe('a non-conforming answer never reaches C (finding 1)', () => {
  it('refuses fillFloat64 on an exporter answering C_CONTIGUOUS with strides [-8] (crashed with a double free before)', () => {
    for (const n of ['4', String(2 ** 20)]) {
      const child = runChild('fill-negative-strides', n);
      expect(child.signal, child.stderr).toBeNull();
      expect(child.status, child.stderr).toBe(0);
      expect(child.lines).toEqual(['ERR_BUFFER_INVALID_LAYOUT', 'released 1', 'alive']);
    }
  });

  it('re-checks the request in interop/buffer.h itself: a bridge that skips core cannot hand C a reversed layout', () => {
    const child = runChild('fake-bridge');
    expect(child.signal, child.stderr).toBeNull();
    expect(child.lines).toEqual(['ERR_BUFFER_INVALID_LAYOUT', 'released 1', 'alive']);
  });
});

describe('a C borrow keeps the memory alive across a transfer and a GC (finding 3)', () => {
  it('reads the bytes it borrowed after JavaScript transferred the ArrayBuffer and the new owner was collected', () => {
    const child = runChild('borrow-transfer');
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    expect(child.lines).toContain('collected true');
    // 64 MiB of ones; a freed block would show the filler's nines (or fault).
    expect(child.lines.find((line) => line.startsWith('sum '))).toBe('sum 67108864 (filler 9)');
    expect(child.lines).toContain('released true');
  });

  it('refuses to borrow a resizable ArrayBuffer, which could shrink under C', () => {
    const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
    const buffer = new Resizable(16, { maxByteLength: 64 });
    expectErrorCode(() => sample.stridedSum(new Uint8Array(buffer)), 'ERR_INVALID_ARGUMENT', { family: NativeError });
    expect(heldByNative()).toBe(0);
  });
});

describeHostileConsumer('a C borrow (sample stridedSum, RECORDS_RO)', {
  consume: (exporter) => ({ sum: sample.stridedSum(exporter) }),
  // The C side sums what it borrowed: the values 1..16 sum to 136, anything else was misread.
  values: ({ sum }) => (sum === 136 ? Array.from({ length: 16 }, (_, i) => i + 1) : [sum]),
});

describeHostileConsumer(
  'a writable C borrow (sample fillFloat64, C_CONTIGUOUS)',
  {
    consume: (exporter) => sample.fillFloat64(exporter, 2.5),
  },
  { shape: [4, 4] },
);

describe('mappings and segments over 4 GiB (finding 4)', () => {
  const big = 2 ** 32 + 4096;

  it('maps a sparse file of 4 GiB + 4 KiB and reads its far end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interop-big-'));
    const path = join(dir, 'big.bin');
    try {
      const fd = openSync(path, 'w');
      try {
        ftruncateSync(fd, big);
        writeSync(fd, new Uint8Array([7, 8, 9]), 0, 3, big - 3);
      } finally {
        closeSync(fd);
      }
      const file = mapFile(path);
      expect(file.byteLength).toBe(big);
      const view = MemoryView.from(file);
      expect([view.get(big - 3), view.get(big - 2), view.get(big - 1), view.get(0)]).toEqual([7, 8, 9, 0]);
      view.release();
      file.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates, attaches and unlinks a 4 GiB + 4 KiB shared memory segment', () => {
    const segment = SharedMemory.create(null, big);
    try {
      expect(segment.size).toBe(big);
      const writer = MemoryView.from(segment, BufferFlags.FULL);
      writer.set(big - 1, 42);
      writer.release();
      const again = SharedMemory.attach(segment.name);
      const info = getBuffer(again, BufferFlags.SIMPLE);
      expect(new DataView(info.buffer, info.byteOffset + big - 1, 1).getUint8(0)).toBe(42);
      releaseBuffer(info);
      again.close();
    } finally {
      segment.close();
      segment.unlink();
    }
  });

  it('refuses sizes the address space cannot hold with a typed error, leaving no segment behind', () => {
    const before = interopSegments();
    expectErrorCode(() => SharedMemory.create(null, 1e15), 'ERR_NATIVE_TOO_LARGE', { family: NativeError });
    expectErrorCode(() => SharedMemory.create(`interop_toolarge_${process.pid}`, 2 ** 53 - 1), 'ERR_NATIVE_TOO_LARGE', { family: NativeError });
    expect(interopSegments()).toEqual(before);
  });

  it('gives a typed error for a name that is not a string', () => {
    expectErrorCode(() => SharedMemory.create(5 as never, 16), 'ERR_SHARED_INVALID_NAME', { family: NativeError });
    expectErrorCode(() => SharedMemory.attach({} as never), 'ERR_SHARED_INVALID_NAME', { family: NativeError });
  });

  it("keeps the pages mapped when close() follows a transfer of the mapping's ArrayBuffer", () => {
    const dir = mkdtempSync(join(tmpdir(), 'interop-transfer-'));
    const path = join(dir, 'small.bin');
    try {
      const fd = openSync(path, 'w');
      writeSync(fd, new Uint8Array([1, 2, 3, 4]));
      closeSync(fd);
      const file = mapFile(path, { mode: 'c' });
      const info = getBuffer(file, BufferFlags.SIMPLE);
      const buffer = info.buffer as ArrayBuffer;
      releaseBuffer(info);
      const moved = structuredClone(buffer, { transfer: [buffer] });
      file.close();
      expect([...new Uint8Array(moved)]).toEqual([1, 2, 3, 4]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
