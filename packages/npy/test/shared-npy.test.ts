import { BufferError, BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { describeExporter, expectErrorCode, expectErrorCodeAsync } from '@interop/core/testing';
import { sharedFileNames } from '@interop/config/test-kit';
import { sharedDirectory } from '@interop/native';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpy, writeNpy, NpyError } from '../src/index.js';
import { createSharedNpy, openSharedNpy, SharedNpyArray, unlinkSharedNpy } from '../src/node/index.js';
import { decodeAll } from './helpers.js';

const names = sharedFileNames(sharedDirectory(), 'npy');
const { fresh, leftovers } = names;

// describeExporter's factory is synchronous and createSharedNpy is not: a pool made up front.
const pool: SharedNpyArray[] = [];
for (let i = 0; i < 24; i++) pool.push(await createSharedNpy(fresh(), { format: '<i', shape: [2, 3] }));
const all = [...pool];

function dispose(array: SharedNpyArray): void {
  if (array.exports === 0) array.close();
  if (!array.unlinked) array.unlink();
}

afterAll(() => {
  for (const array of all) dispose(array);
  // Whatever a failed test left is removed, and still reported.
  expect(names.sweep()).toEqual([]);
});

describeExporter('SharedNpyArray', () => {
  const array = pool.pop();
  if (array === undefined) throw new Error('the pool of shared arrays is too small for the conformance suite');
  return {
    exporter: array,
    mutations: { close: (a) => a.close(), unlink: (a) => a.unlink() },
    expected: { format: '<i', shape: [2, 3], readonly: false, itemsize: 4 },
    dispose: () => dispose(array),
  };
});

describe('createSharedNpy / openSharedNpy', () => {
  it('creates a .npy file NumPy can load, data 64-byte aligned, zero-filled, in the shared directory', async () => {
    const name = fresh();
    const shared = await createSharedNpy(name, { format: 'f', shape: [3, 5] });
    expect(shared.path).toBe(join(sharedDirectory(), `${name}.npy`));
    expect(shared.name).toBe(name);
    expect(shared.copied).toBe(false);
    expect(shared.dtype).toBe('<f4');
    const file = new Uint8Array(readFileSync(shared.path));
    const header = readNpy(file);
    expect(header.shape).toEqual([3, 5]);
    expect(file.length - header.nbytes).toBe(128);
    expect((file.length - header.nbytes) % 64).toBe(0);
    expect(decodeAll(header)).toEqual(new Array(15).fill(0));
    shared.close();
    shared.unlink();
    expect(existsSync(shared.path)).toBe(false);
  });

  it('shares writes between two mappings of one name, both ways', async () => {
    const name = fresh();
    const a = await createSharedNpy(name, { dtype: '<f8', shape: [4] });
    const b = await openSharedNpy(name);
    const va = MemoryView.from(a);
    const vb = MemoryView.from(b);
    va.set([1], 2.5);
    expect(vb.get([1])).toBe(2.5);
    vb.set([3], -1);
    expect(va.get([3])).toBe(-1);
    va.release();
    vb.release();
    b.close();
    a.close();
    expect(decodeAll(readNpy(readFileSync(a.path)))).toEqual([0, 2.5, 0, -1]);
    a.unlink();
  });

  it('writes Fortran order into the header and exports Fortran strides', async () => {
    const name = fresh();
    const shared = await createSharedNpy(name, { format: '<h', shape: [2, 3], order: 'F' });
    expect(shared.fortranOrder).toBe(true);
    expect(shared.strides).toEqual([2, 4]);
    const view = MemoryView.from(shared);
    view.set([1, 0], 7);
    view.release();
    const back = readNpy(new Uint8Array(readFileSync(shared.path)));
    expect(back.fortranOrder).toBe(true);
    expect(back.bytes[2]).toBe(7);
    shared.close();
    shared.unlink();
  });

  it('folds a sub-array format into the shape, and takes structured dtypes', async () => {
    const sub = await createSharedNpy(fresh(), { format: '(2,3)<f', shape: [4] });
    expect(sub.shape).toEqual([4, 2, 3]);
    sub.close();
    sub.unlink();
    const records = await createSharedNpy(fresh(), {
      dtype: [
        ['x', '<i4'],
        ['y', '<f8'],
      ],
      shape: [2],
    });
    expect(records.itemsize).toBe(12);
    records.close();
    records.unlink();
  });

  it('opens read-only on request', async () => {
    const name = fresh();
    const shared = await createSharedNpy(name, { format: 'B', shape: [8] });
    const reader = await openSharedNpy(name, { readonly: true });
    expect(reader.readonly).toBe(true);
    expect(() => getBuffer(reader, BufferFlags.WRITABLE)).toThrow(BufferError);
    reader.close();
    shared.close();
    shared.unlink();
  });

  it('close and unlink are refused while a view is held, and allowed after release', async () => {
    const shared = await createSharedNpy(fresh(), { format: 'd', shape: [2] });
    const info = getBuffer(shared, BufferFlags.RECORDS);
    for (const action of [() => shared.close(), () => shared.unlink()]) expectErrorCode(action, 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(existsSync(shared.path)).toBe(true);
    releaseBuffer(info);
    shared.unlink();
    expect(shared.unlinked).toBe(true);
    expectErrorCode(() => shared.unlink(), 'ERR_SHARED_NOT_FOUND', { family: NpyError });
    // Unlinked but not closed: the memory stays valid here.
    const view = MemoryView.from(shared);
    view.set([0], 3);
    expect(view.get([0])).toBe(3);
    view.release();
    shared.close();
    expectErrorCode(() => shared.flush(), 'ERR_BUFFER_RELEASED', { family: NpyError });
  });

  it('refuses names that are paths, existing and missing names', async () => {
    for (const bad of ['', '../x', 'a/b', '/dev/shm/x', '..', '.x', 'a b', '-x', 'x'.repeat(201)]) {
      await expectErrorCodeAsync(() => createSharedNpy(bad, { format: 'f', shape: [1] }), 'ERR_SHARED_INVALID_NAME', { family: NpyError });
      await expectErrorCodeAsync(() => openSharedNpy(bad), 'ERR_SHARED_INVALID_NAME', { family: NpyError });
      await expectErrorCodeAsync(() => unlinkSharedNpy(bad), 'ERR_SHARED_INVALID_NAME', { family: NpyError });
    }
    await expectErrorCodeAsync(() => createSharedNpy(7 as unknown as string, { format: 'f', shape: [1] }), 'ERR_SHARED_INVALID_NAME', { family: NpyError });
    const name = fresh();
    const shared = await createSharedNpy(name, { format: 'f', shape: [1] });
    await expectErrorCodeAsync(() => createSharedNpy(name, { format: 'f', shape: [1] }), 'ERR_SHARED_EXISTS', { family: NpyError });
    await expectErrorCodeAsync(() => openSharedNpy(fresh()), 'ERR_SHARED_NOT_FOUND', { family: NpyError });
    shared.close();
    await unlinkSharedNpy(name);
    await expectErrorCodeAsync(() => unlinkSharedNpy(name), 'ERR_SHARED_NOT_FOUND', { family: NpyError });
    await expectErrorCodeAsync(() => openSharedNpy(name), 'ERR_SHARED_NOT_FOUND', { family: NpyError });
  });

  it('refuses options that are not an object with a typed error (not a TypeError)', async () => {
    const name = fresh();
    for (const bad of [null, 5, 'r', [1]]) {
      await expectErrorCodeAsync(() => openSharedNpy(name, bad as unknown as object), 'ERR_INVALID_ARGUMENT', { family: NpyError });
      await expectErrorCodeAsync(() => unlinkSharedNpy(name, bad as unknown as object), 'ERR_INVALID_ARGUMENT', { family: NpyError });
      await expectErrorCodeAsync(() => createSharedNpy(name, bad as unknown as { shape: number[] }), 'ERR_INVALID_ARGUMENT', { family: NpyError });
    }
    expect(existsSync(join(sharedDirectory(), `${name}.npy`))).toBe(false);
  });

  it('unlink() never removes a newer file that took the name after this one was unlinked elsewhere', async () => {
    const name = fresh();
    const first = await createSharedNpy(name, { format: 'f', shape: [1] });
    await unlinkSharedNpy(name); // a clean-up elsewhere
    const second = await createSharedNpy(name, { format: 'f', shape: [2] });
    expectErrorCode(() => first.unlink(), 'ERR_SHARED_NOT_FOUND', { family: NpyError });
    expect(existsSync(second.path)).toBe(true);
    expect(first.unlinked).toBe(false);
    first.close();
    second.close();
    second.unlink();
    expect(existsSync(second.path)).toBe(false);
  });

  it('refuses bad shapes, types and orders without creating anything', async () => {
    const before = leftovers();
    const cases: [unknown, string][] = [
      [{ format: 'f', shape: [-1] }, 'ERR_INVALID_ARGUMENT'],
      [{ format: 'f', shape: [1.5] }, 'ERR_INVALID_ARGUMENT'],
      [{ format: 'f', shape: 'x' }, 'ERR_INVALID_ARGUMENT'],
      [{ shape: [1] }, 'ERR_INVALID_ARGUMENT'],
      [{ format: 'f', dtype: '<f4', shape: [1] }, 'ERR_INVALID_ARGUMENT'],
      [{ format: 'f', shape: [1], order: 'K' }, 'ERR_INVALID_ARGUMENT'],
      [{ format: 'not a format', shape: [1] }, 'ERR_FORMAT_UNSUPPORTED'],
      [{ format: 'O', shape: [1] }, 'ERR_FORMAT_UNSUPPORTED'],
      [{ dtype: '|O', shape: [1] }, 'ERR_NPY_OBJECT_DTYPE'],
      [{ dtype: '<q9', shape: [1] }, 'ERR_NPY_BAD_DESCR'],
      [{ format: 'd', shape: [2 ** 30, 2 ** 30] }, 'ERR_NPY_SIZE_OVERFLOW'],
      [{ format: 'd', shape: [2 ** 40] }, 'ERR_SHARED_FAILED'],
      [null, 'ERR_INVALID_ARGUMENT'],
    ];
    for (const [options, code] of cases) {
      await expectErrorCodeAsync(() => createSharedNpy(fresh(), options as never), code, { family: NpyError });
    }
    expect(leftovers()).toEqual(before);
  });

  it('refuses a shared file whose data is not aligned for its dtype rather than copying it', async () => {
    const name = fresh();
    const path = join(sharedDirectory(), `${name}.npy`);
    // A version 1.0 header whose data starts 4 bytes past a multiple of 8 ('<f8' needs 8).
    const good = writeNpy(new Float64Array([1, 2]));
    const text = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    const pad = (((4 - (10 + text.length + 1)) % 8) + 8) % 8;
    const headerText = `${text}${' '.repeat(pad)}\n`;
    const head = new Uint8Array(10 + headerText.length);
    head.set(good.subarray(0, 8));
    new DataView(head.buffer).setUint16(8, headerText.length, true);
    head.set(
      Uint8Array.from(headerText, (c) => c.charCodeAt(0)),
      10,
    );
    expect(head.length % 8).toBe(4);
    writeFileSync(path, new Uint8Array([...head, ...new Uint8Array(16)]), { mode: 0o600 });
    await expectErrorCodeAsync(() => openSharedNpy(name), 'ERR_NPY_SHARED_MISALIGNED', { family: NpyError });
    await unlinkSharedNpy(name);
  });

  it('cannot be constructed with new', () => {
    expectErrorCode(
      () =>
        new (SharedNpyArray as unknown as new (...args: unknown[]) => unknown)(
          Symbol('x'),
          { data: new Uint8Array(4), descr: '<f4', shape: [1] },
          'x',
          { path: '/x' },
          {},
          undefined,
        ),
      'ERR_INVALID_ARGUMENT',
      { family: NpyError },
    );
  });
});
