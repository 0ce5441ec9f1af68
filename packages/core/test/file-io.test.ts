// readFileInto / writeFileAtomic: the chunked file helpers behind every loader's progress reports
// and cancellation (issue 20, "Long operations").
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { BufferError, type Progress } from '@interop/core';
import { readFileInto, writeFileAtomic } from '@interop/core/node';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interop-file-io-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const MiB = 2 ** 20;
const openDescriptors = (): number => readdirSync('/proc/self/fd').length;
const pattern = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);

describe('readFileInto', () => {
  it('reads a file into the given memory, from a position, and stops at the end of the file', async () => {
    const path = join(dir, 'data.bin');
    const bytes = pattern(1000);
    writeFileSync(path, bytes);
    const target = new Uint8Array(1000);
    expect(await readFileInto(path, target)).toBe(1000);
    expect(target).toEqual(bytes);
    const tail = new Uint8Array(300);
    expect(await readFileInto(path, tail, { position: 900 })).toBe(100);
    expect(tail.subarray(0, 100)).toEqual(bytes.subarray(900));
    expect(tail.subarray(100).every((byte) => byte === 0)).toBe(true);
  });

  it('reports progress per 16 MiB chunk, from 0 to the total', async () => {
    const path = join(dir, 'big.bin');
    writeFileSync(path, pattern(40 * MiB));
    const seen: Progress[] = [];
    await readFileInto(path, new Uint8Array(40 * MiB), { operation: 'loadNpy', onProgress: (progress) => seen.push(progress) });
    expect(seen.map((progress) => progress.bytesDone)).toEqual([0, 16 * MiB, 32 * MiB, 40 * MiB]);
    expect(seen.every((progress) => progress.bytesTotal === 40 * MiB && progress.operation === 'loadNpy')).toBe(true);
  });

  it('stops with ERR_ABORTED when the signal aborts, and closes the file', async () => {
    const path = join(dir, 'big.bin');
    writeFileSync(path, pattern(40 * MiB));
    const before = openDescriptors();
    const controller = new AbortController();
    const chunks: number[] = [];
    const result = readFileInto(path, new Uint8Array(40 * MiB), {
      signal: controller.signal,
      onProgress: ({ bytesDone }) => {
        chunks.push(bytesDone);
        if (bytesDone >= 16 * MiB) controller.abort(new Error('user pressed cancel'));
      },
    });
    await expectErrorCodeAsync(() => result, 'ERR_ABORTED', { family: BufferError });
    expect(chunks).toEqual([0, 16 * MiB]);
    expect(openDescriptors()).toBe(before);
    const aborted = AbortSignal.abort('early');
    await expectErrorCodeAsync(() => readFileInto(path, new Uint8Array(4), { signal: aborted }), 'ERR_ABORTED', { family: BufferError });
  });

  it('refuses options of the wrong type with ERR_INVALID_ARGUMENT', async () => {
    const path = join(dir, 'x.bin');
    writeFileSync(path, pattern(4));
    await expectErrorCodeAsync(() => readFileInto(path, new Uint8Array(4), { signal: {} as AbortSignal }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    await expectErrorCodeAsync(() => readFileInto(path, new Uint8Array(4), { onProgress: 5 as unknown as () => void }), 'ERR_INVALID_ARGUMENT', {
      family: BufferError,
    });
  });
});

describe('writeFileAtomic', () => {
  const leftovers = (): string[] => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

  it('writes every chunk and replaces an earlier file only when complete', async () => {
    const path = join(dir, 'out.bin');
    writeFileSync(path, 'old');
    const seen: number[] = [];
    await writeFileAtomic(path, [pattern(10), pattern(5)], { bytesTotal: 15, onProgress: ({ bytesDone }) => seen.push(bytesDone) });
    expect(new Uint8Array(readFileSync(path))).toEqual(Uint8Array.from([...pattern(10), ...pattern(5)]));
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(15);
    expect(leftovers()).toEqual([]);
  });

  it('leaves the earlier file untouched and no temporary file when aborted half-way', async () => {
    const path = join(dir, 'out.bin');
    writeFileSync(path, 'old');
    const before = openDescriptors();
    const controller = new AbortController();
    const result = writeFileAtomic(path, [pattern(40 * MiB)], {
      signal: controller.signal,
      onProgress: ({ bytesDone }) => {
        if (bytesDone >= 16 * MiB) controller.abort();
      },
    });
    await expectErrorCodeAsync(() => result, 'ERR_ABORTED', { family: BufferError });
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(leftovers()).toEqual([]);
    expect(openDescriptors()).toBe(before);
  });

  it('removes the temporary file when producing the data fails, and passes the error on', async () => {
    const path = join(dir, 'never.bin');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield await Promise.resolve(pattern(8));
      throw new Error('encoder failed');
    }
    await expect(writeFileAtomic(path, failing())).rejects.toThrow('encoder failed');
    expect(existsSync(path)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('flushes to the disk when asked (fsync) and still writes the same bytes', async () => {
    const path = join(dir, 'synced.bin');
    await writeFileAtomic(path, [pattern(3)], { fsync: true });
    expect(new Uint8Array(readFileSync(path))).toEqual(pattern(3));
  });
});
