import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferError, MemoryView } from '@interop/core';
import { recordAllocations, expectErrorCodeAsync } from '@interop/core/testing';
import { loadNpy, loadNpz, saveNpz } from '../src/node/index.js';
import { readNpy, writeNpy, NpyError } from '../src/index.js';
import { decodeAll, fixture, fixturesDir } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'interop-npy-into-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadNpy reads straight into memory from the allocation seam', () => {
  it('allocates exactly the data size once and reads the data into it', async () => {
    const record = recordAllocations();
    const array = await loadNpy(join(fixturesDir, 'fortran_f8_3x4.npy'));
    expect(record.requests).toEqual([array.nbytes]);
    expect(record.holds(array.bytes)).toBe(true);
    expect(array.bytes.byteOffset).toBe(0);
    expect(decodeAll(array)).toEqual(decodeAll(readNpy(fixture('fortran_f8_3x4.npy'))));
    expect(array.copied).toBe(false);
  });

  it('refuses a file whose data is cut short, and headers that lie', async () => {
    const whole = writeNpy(new Float64Array([1, 2, 3, 4]));
    const path = join(dir, 'short.npy');
    writeFileSync(path, whole.subarray(0, whole.length - 3));
    await expectErrorCodeAsync(() => loadNpy(path), 'ERR_NPY_DATA_TRUNCATED', { family: NpyError });
    writeFileSync(path, whole.subarray(0, 20));
    await expectErrorCodeAsync(() => loadNpy(path), 'ERR_NPY_TRUNCATED', { family: NpyError });
    writeFileSync(path, new Uint8Array(3));
    await expectErrorCodeAsync(() => loadNpy(path), 'ERR_NPY_BAD_MAGIC', { family: NpyError });
  });

  it('reads every fixture as readNpy does', async () => {
    for (const name of ['f4_le.npy', 'i8_be.npy', 'struct_nested.npy', 'v3_explicit.npy', 'misaligned_data.npy', 'empty_0x3.npy', 'scalar_0d.npy']) {
      const array = await loadNpy(join(fixturesDir, name));
      expect(decodeAll(array), name).toEqual(decodeAll(readNpy(fixture(name))));
    }
  });

  it('loadNpz reads the archive once into seam memory, and inflated members come from the seam', async () => {
    const path = join(dir, 'members.npz');
    await saveNpz(path, { a: new Float32Array([1, 2, 3]), b: new Int16Array([4, 5]) }, { compress: true });
    const record = recordAllocations();
    const npz = await loadNpz(path);
    expect(record.requests).toHaveLength(1);
    const a = npz.get('a');
    expect(record.holds(a.bytes)).toBe(true);
    expect(decodeAll(a)).toEqual([1, 2, 3]);
  });
});

describe('loadNpy({ into })', () => {
  const path = join(dir, 'grid.npy');
  writeFileSync(
    path,
    writeNpy(
      MemoryView.from(new Float32Array([1, 2, 3, 4, 5, 6]))
        .cast('B')
        .cast('f', [2, 3]),
    ),
  );

  it('reads into a flat TypedArray of the right length, holding its export until close()', async () => {
    const record = recordAllocations();
    const out = new Float32Array(6);
    const array = await loadNpy(path, { into: out });
    expect(record.requests).toEqual([]);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(array.shape).toEqual([2, 3]);
    expect(array.bytes.buffer).toBe(out.buffer);
    array.close();
  });

  it('reads into a MemoryView of the same shape, and into raw bytes', async () => {
    const target = MemoryView.from(new Float32Array(6)).cast('B').cast('f', [2, 3]);
    (await loadNpy(path, { into: target })).close();
    expect(target.toList()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    target.release();
    const bytes = new Uint8Array(24);
    (await loadNpy(path, { into: bytes })).close();
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a destination of another size, shape, order or dtype with ERR_NPY_DESTINATION_MISMATCH', async () => {
    await expectErrorCodeAsync(() => loadNpy(path, { into: new Float32Array(5) }), 'ERR_NPY_DESTINATION_MISMATCH', { family: NpyError });
    await expectErrorCodeAsync(() => loadNpy(path, { into: new Int32Array(6) }), 'ERR_NPY_DESTINATION_MISMATCH', { family: NpyError });
    await expectErrorCodeAsync(() => loadNpy(path, { into: new Float64Array(3) }), 'ERR_NPY_DESTINATION_MISMATCH', { family: NpyError });
    const wrongShape = MemoryView.from(new Float32Array(6)).cast('B').cast('f', [3, 2]);
    await expectErrorCodeAsync(() => loadNpy(path, { into: wrongShape }), 'ERR_NPY_DESTINATION_MISMATCH', { family: NpyError });
    const fortran = MemoryView.from(new Float32Array(6)).cast('B').cast('f', [3, 2]).transpose();
    await expectErrorCodeAsync(() => loadNpy(path, { into: fortran }), 'ERR_NPY_DESTINATION_MISMATCH', { family: NpyError });
    const strided = MemoryView.from(new Float32Array(12)).slice('::2');
    await expectErrorCodeAsync(() => loadNpy(path, { into: strided }), 'ERR_NPY_DESTINATION_MISMATCH', { family: NpyError });
    // Nothing stays exported after a refusal.
    for (const view of [wrongShape, fortran, strided]) view.release();
  });

  it('refuses read-only memory and non-exporters with BufferError, and into with mmap', async () => {
    const readonly = MemoryView.from(new Float32Array(6)).toReadonly();
    await expect(loadNpy(path, { into: readonly })).rejects.toSatisfy(
      (error: unknown) => BufferError.isInstance(error) && error.code === 'ERR_BUFFER_READONLY',
    );
    await expect(loadNpy(path, { into: { length: 6 } })).rejects.toSatisfy(
      (error: unknown) => BufferError.isInstance(error) && error.code === 'ERR_BUFFER_NOT_EXPORTER',
    );
    await expectErrorCodeAsync(() => loadNpy(path, { into: new Float32Array(6), mmap: true }), 'ERR_INVALID_ARGUMENT', { family: NpyError });
  });

  it('leaves the destination exported (locked) until close()', async () => {
    const target = MemoryView.from(new Float32Array(6));
    const array = await loadNpy(path, { into: target });
    expect(() => target.release()).toThrow();
    array.close();
    target.release();
  });

  it('refuses a file cut short, releasing the destination', async () => {
    const whole = writeNpy(new Float32Array(6));
    const short = join(dir, 'short-into.npy');
    writeFileSync(short, whole.subarray(0, whole.length - 1));
    const target = MemoryView.from(new Float32Array(6));
    await expectErrorCodeAsync(() => loadNpy(short, { into: target }), 'ERR_NPY_DATA_TRUNCATED', { family: NpyError });
    target.release();
  });
});
