// readImageFile / writeImageFile take onProgress and an AbortSignal (issue 20, "Long operations"):
// every format is written all or nothing, and an aborted read returns no image.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferError, type Progress } from '@interop/core';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { Image } from '@interop/image';
import { readImageFile, writeImageFile } from '@interop/image/node';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interop-image-long-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function gradient(): Image {
  const image = new Image({ componentType: 'uint8', size: [64, 32] }).allocate();
  for (let y = 0; y < 32; y++) for (let x = 0; x < 64; x++) image.setPixel([x, y], (x * 4 + y) & 0xff);
  return image;
}

describe('readImageFile / writeImageFile as long operations', () => {
  it('report progress for PNG both ways and read back the same pixels', async () => {
    const path = join(dir, 'a.png');
    const written: Progress[] = [];
    await writeImageFile(gradient(), path, { onProgress: (progress) => written.push(progress) });
    const size = readFileSync(path).length;
    expect(written.at(-1)).toEqual({ operation: 'writeImageFile', bytesDone: size, bytesTotal: size });
    const read: Progress[] = [];
    const image = await readImageFile(path, { onProgress: (progress) => read.push(progress) });
    expect(read.at(-1)).toEqual({ operation: 'readImageFile', bytesDone: size, bytesTotal: size });
    expect(image.getPixel([10, 3])).toBe(43);
  });

  it('write nothing and keep the earlier file when aborted, for PNG and for an ITK format', async () => {
    for (const name of ['a.png', 'a.nrrd']) {
      const path = join(dir, name);
      writeFileSync(path, 'earlier');
      await expectErrorCodeAsync(() => writeImageFile(gradient(), path, { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
      expect(readFileSync(path, 'utf8')).toBe('earlier');
    }
    expect(readdirSync(dir).sort()).toEqual(['a.nrrd', 'a.png']);
  });

  it('stop an aborted read, and report the start and the end of an ITK read', async () => {
    const png = join(dir, 'a.png');
    await writeImageFile(gradient(), png);
    await expectErrorCodeAsync(() => readImageFile(png, { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
    const nrrd = join(dir, 'a.nrrd');
    await writeImageFile(gradient(), nrrd);
    expect(readdirSync(dir).sort()).toEqual(['a.nrrd', 'a.png']);
    const seen: number[] = [];
    const image = await readImageFile(nrrd, { onProgress: ({ bytesDone }) => seen.push(bytesDone) });
    expect(seen).toEqual([0, readFileSync(nrrd).length]);
    expect(image.getPixel([10, 3])).toBe(43);
    await expectErrorCodeAsync(() => readImageFile(nrrd, { signal: AbortSignal.abort() }), 'ERR_ABORTED', { family: BufferError });
  });
});
