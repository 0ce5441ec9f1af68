// Progress reports and cancellation of loadNpy / saveNpy / loadNpz / saveNpz (issue 20, "Long
// operations"): an aborted save leaves no half-written file, an aborted load returns nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { BufferError, MemoryView, type Progress } from '@interop/core';
import { readNpyFromStream, readNpyInto, writeNpyToStream } from '@interop/npy';
import { loadNpy, loadNpz, saveNpy, saveNpz } from '@interop/npy/node';
import { MemoryStream } from '@interop/stream';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interop-npy-long-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const MiB = 2 ** 20;
const values = (): Float32Array => Float32Array.from({ length: 10 * MiB }, (_, i) => i % 1000); // 40 MiB

describe('saveNpy / loadNpy with onProgress and signal', () => {
  it('report progress from 0 to the total and give the same bytes as the plain path', async () => {
    const path = join(dir, 'a.npy');
    const plain = join(dir, 'plain.npy');
    const data = values();
    const saved: Progress[] = [];
    await saveNpy(path, data, { onProgress: (progress) => saved.push(progress) });
    await saveNpy(plain, data);
    expect(readFileSync(path).equals(readFileSync(plain))).toBe(true);
    expect(saved[0]!.bytesDone).toBe(0);
    expect(saved.at(-1)!.bytesDone).toBe(saved.at(-1)!.bytesTotal);
    expect(saved.every((progress) => progress.operation === 'saveNpy')).toBe(true);
    const loaded: number[] = [];
    const array = await loadNpy(path, { onProgress: ({ bytesDone }) => loaded.push(bytesDone) });
    expect(loaded).toEqual([0, 16 * MiB, 32 * MiB, 40 * MiB]);
    {
      using view = MemoryView.from(array);
      expect(view.get(999)).toBe(999);
      expect(view.get(10 * MiB - 1)).toBe((10 * MiB - 1) % 1000);
    }
    array.close();
  });

  it('abort a save half-way without touching the earlier file or leaving a temporary one', async () => {
    const path = join(dir, 'a.npy');
    writeFileSync(path, 'earlier');
    const controller = new AbortController();
    const result = saveNpy(path, values(), { signal: controller.signal, onProgress: ({ bytesDone }) => bytesDone > 0 && controller.abort() });
    await expectErrorCodeAsync(() => result, 'ERR_ABORTED', { family: BufferError });
    expect(readFileSync(path, 'utf8')).toBe('earlier');
    expect(readdirSync(dir)).toEqual(['a.npy']);
  });

  it('abort a load half-way, and refuse an already aborted signal before reading', async () => {
    const path = join(dir, 'a.npy');
    await saveNpy(path, values());
    const controller = new AbortController();
    await expectErrorCodeAsync(
      () => loadNpy(path, { signal: controller.signal, onProgress: ({ bytesDone }) => bytesDone >= 16 * MiB && controller.abort('enough') }),
      'ERR_ABORTED',
      { family: BufferError },
    );
    await expectErrorCodeAsync(() => loadNpy(path, { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
    await expectErrorCodeAsync(() => saveNpy(join(dir, 'never.npy'), values(), { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
    expect(existsSync(join(dir, 'never.npy'))).toBe(false);
  });

  it('read into memory the caller holds with progress', async () => {
    const path = join(dir, 'a.npy');
    await saveNpy(path, values());
    const out = new Float32Array(10 * MiB);
    const seen: number[] = [];
    const array = await loadNpy(path, { into: out, onProgress: ({ bytesDone }) => seen.push(bytesDone) });
    expect(seen.at(-1)).toBe(40 * MiB);
    expect(out[12345]).toBe(345);
    array.close();
  });

  it('refuse options of the wrong type', async () => {
    const path = join(dir, 'a.npy');
    await saveNpy(path, new Float32Array(2));
    await expectErrorCodeAsync(() => loadNpy(path, { signal: 'stop' as unknown as AbortSignal }), 'ERR_INVALID_ARGUMENT', { family: BufferError });
    await expectErrorCodeAsync(() => saveNpy(path, new Float32Array(2), { onProgress: 1 as unknown as () => void }), 'ERR_INVALID_ARGUMENT', {
      family: BufferError,
    });
  });
});

describe('saveNpz / loadNpz with onProgress and signal', () => {
  it('write all or nothing and read with progress', async () => {
    const path = join(dir, 'a.npz');
    const seen: number[] = [];
    await saveNpz(path, { x: values() }, { onProgress: ({ bytesDone }) => seen.push(bytesDone) });
    expect(seen.at(-1)).toBeGreaterThan(40 * MiB);
    const read: number[] = [];
    const archive = await loadNpz(path, { onProgress: ({ bytesDone }) => read.push(bytesDone) });
    expect(read.at(-1)).toBe(readFileSync(path).length);
    expect(archive.keys).toEqual(['x']);
    writeFileSync(path, 'earlier');
    await expectErrorCodeAsync(() => saveNpz(path, { x: values() }, { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
    expect(readFileSync(path, 'utf8')).toBe('earlier');
    expect(readdirSync(dir)).toEqual(['a.npz']);
  });
});

describe('the stream readers and writer with onProgress and signal', () => {
  it('report progress per 16 MiB and read back what they wrote', async () => {
    const stream = new MemoryStream();
    const written: number[] = [];
    const total = await writeNpyToStream(stream, values(), { onProgress: ({ bytesDone }) => written.push(bytesDone) });
    expect(written[0]).toBe(0);
    expect(written.at(-1)).toBe(total);
    stream.seek(0);
    const read: number[] = [];
    const array = await readNpyFromStream(stream, { onProgress: ({ bytesDone }) => read.push(bytesDone) });
    expect(read).toEqual([0, 16 * MiB, 32 * MiB, 40 * MiB]);
    expect(array.shape).toEqual([10 * MiB]);
    stream.seek(0);
    const out = new Float32Array(10 * MiB);
    await readNpyInto(stream, out, { onProgress: () => undefined });
    expect(out[1234]).toBe(234);
  });

  it('stop with ERR_ABORTED when the signal aborts', async () => {
    const stream = new MemoryStream();
    await writeNpyToStream(stream, values());
    stream.seek(0);
    const controller = new AbortController();
    await expectErrorCodeAsync(
      () => readNpyFromStream(stream, { signal: controller.signal, onProgress: ({ bytesDone }) => bytesDone >= 16 * MiB && controller.abort() }),
      'ERR_ABORTED',
      { family: BufferError },
    );
    await expectErrorCodeAsync(() => writeNpyToStream(new MemoryStream(), values(), { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
  });
});
