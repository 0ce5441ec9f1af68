import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { loadNpy, loadNpz, saveNpy, saveNpz } from '../src/node/index.js';
import { readNpy, writeNpy, NpyError } from '../src/index.js';
import { decodeAll, fixture, fixturesDir } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'interop-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let nativeOk = false;
try {
  const native = (await import('@interop/native')) as { mapFile?: unknown };
  nativeOk = typeof native.mapFile === 'function';
} catch {
  nativeOk = false;
}

describe('loadNpy / saveNpy', () => {
  it('loads a file as a zero-copy view of the bytes read', async () => {
    const array = await loadNpy(join(fixturesDir, 'f4_le.npy'));
    expect(array.copied).toBe(false);
    expect(decodeAll(array)).toEqual(decodeAll(readNpy(fixture('f4_le.npy'))));
  });

  it('copies misaligned data out of a Node Buffer (whose slice() would not copy)', () => {
    const file = fixture('f8_le.npy');
    const shifted = Buffer.alloc(file.length + 1);
    shifted.set(file, 1);
    const array = readNpy(shifted.subarray(1));
    expect(array.copied).toBe(true);
    expect(array.bytes.buffer).not.toBe(shifted.buffer);
    expect(array.bytes.byteOffset % 8).toBe(0);
    expect(decodeAll(array)).toEqual(decodeAll(readNpy(file)));
  });

  it('saves byte-identical to np.save and to writeNpy', async () => {
    const path = join(dir, 'saved.npy');
    const source = readNpy(fixture('struct_subarray.npy'));
    await saveNpy(path, source);
    expect(readFileSync(path).equals(Buffer.from(fixture('struct_subarray.npy')))).toBe(true);
    await saveNpy(path, readNpy(fixture('fortran_f8_3x4.npy')), { order: 'C' });
    expect(readFileSync(path).equals(Buffer.from(writeNpy(readNpy(fixture('fortran_f8_3x4.npy')), { order: 'C' })))).toBe(true);
  });

  it('saves and loads .npz files', async () => {
    const path = join(dir, 'saved.npz');
    await saveNpz(path, { a: new Int32Array([1, 2, 3]) }, { compress: true });
    const npz = await loadNpz(path);
    expect(decodeAll(npz.get('a'))).toEqual(['1', '2', '3']);
  });

  it('refuses an invalid mmap mode', async () => {
    await expectErrorCodeAsync(() => loadNpy(join(fixturesDir, 'f4_le.npy'), { mmap: 'w' as 'r' }), 'ERR_INVALID_ARGUMENT', { family: NpyError });
  });

  describe.skipIf(!nativeOk)(`mmap through @interop/native${nativeOk ? '' : ' (skipped: @interop/native has no mapFile here)'}`, () => {
    it('maps a file read-only, zero-copy, and unmaps on close', async () => {
      const array = await loadNpy(join(fixturesDir, 'fortran_f8_3x4.npy'), { mmap: true });
      expect(array.readonly).toBe(true);
      expect(array.copied).toBe(false);
      expect(decodeAll(array)).toEqual(decodeAll(readNpy(fixture('fortran_f8_3x4.npy'))));
      array.close();
      expect(array.closed).toBe(true);
    });

    it('writes through r+ mappings to the file', async () => {
      const path = join(dir, 'mapped.npy');
      writeFileSync(path, writeNpy(new Float64Array([1, 2, 3])));
      const array = await loadNpy(path, { mmap: 'r+' });
      new Float64Array(array.bytes.buffer, array.bytes.byteOffset, 3)[1] = 42;
      array.close();
      expect(decodeAll(readNpy(readFileSync(path)))).toEqual([1, 42, 3]);
    });

    it('copies a misaligned mapped file out of the mapping and unmaps it', async () => {
      const array = await loadNpy(join(fixturesDir, 'misaligned_data.npy'), { mmap: true });
      expect(array.copied).toBe(true);
      expect(decodeAll(array)).toEqual([1.25, -8.5]);
      array.close();
    });

    it('refuses malformed files and releases the mapping', async () => {
      const path = join(dir, 'bad.npy');
      writeFileSync(path, new Uint8Array(100));
      await expectErrorCodeAsync(() => loadNpy(path, { mmap: true }), 'ERR_NPY_BAD_MAGIC', { family: NpyError });
    });
  });
});
