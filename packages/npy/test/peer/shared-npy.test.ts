// Shared .npy arrays against real NumPy: one memory, two processes (and worker threads).
import { BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { pythonPeer } from '@interop/config/python';
import { pythonSession } from '@interop/config/python-session';
import { sharedFileNames, usePythonSession } from '@interop/config/test-kit';
import { sharedDirectory } from '@interop/native';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { NumpyDescr } from '@interop/core';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { NpyError } from '../../src/index.js';
import { createSharedNpy, openSharedNpy, unlinkSharedNpy } from '../../src/node/index.js';

const peer = pythonPeer(['numpy']);
const names = sharedFileNames(sharedDirectory(), 'peer_npy');
const fresh = names.fresh;
const pathOf = (name: string): string => join(sharedDirectory(), `${name}.npy`);

// Python's side of the descr: JSON lists back to NumPy's tuples.
const prelude = `
import os, numpy as np
def descr(value):
    if isinstance(value, str):
        return value
    fields = []
    for field in value:
        name, kind = field[0], descr(field[1])
        fields.append((name, kind, tuple(field[2])) if len(field) > 2 else (name, kind))
    return fields
`;

/** Every dtype a .npy file can hold (except objects, which are pickles), in both byte orders where they have one. */
const dtypes: NumpyDescr[] = [
  '|b1',
  '|i1',
  '|u1',
  '<i2',
  '>i2',
  '<u2',
  '>u2',
  '<i4',
  '>i4',
  '<u4',
  '>u4',
  '<i8',
  '>i8',
  '<u8',
  '>u8',
  '<f2',
  '>f2',
  '<f4',
  '>f4',
  '<f8',
  '>f8',
  '<c8',
  '>c8',
  '<c16',
  '>c16',
  '|S5',
  '<U3',
  '>U3',
  '|V4',
  '<M8[ns]',
  '>M8[D]',
  '<m8[s]',
  '<m8[3ms]',
  '<M8',
  [
    ['a', '<i4'],
    ['b', '<f8'],
  ],
  [
    ['x', '|u1'],
    ['', '|V7'],
    ['y', '<f8'],
  ],
  [
    [
      'point',
      [
        ['u', '<f4'],
        ['v', '>i2'],
      ],
    ],
    ['grid', '<u2', [2, 3]],
  ],
];

function pattern(nbytes: number, seed: number, boolean: boolean): Uint8Array {
  return Uint8Array.from({ length: nbytes }, (_, i) => (boolean ? (i + seed) % 2 : (i * 37 + seed * 101 + 11) % 256));
}
const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

describe.skipIf(!peer.ok)(`peer: shared .npy arrays with NumPy${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  const python = usePythonSession(peer, prelude);
  // Whatever a failed test left is removed, and still reported.
  afterAll(() => expect(names.sweep()).toEqual([]));

  it('Node creates, NumPy attaches with np.load(mmap_mode="r+"): writes on either side are seen by the other at once', async () => {
    const name = fresh();
    const shared = await createSharedNpy(name, { format: 'f', shape: [2, 3] });
    const view = MemoryView.from(shared);
    view.set([0, 1], 1.5);
    const seen = await python.run(
      `a = np.load(args, mmap_mode='r+')
result = [a.dtype.str, list(a.shape), bool(a.flags.c_contiguous), a.ctypes.data % 64, float(a[0, 1])]
a[1, 2] = 42.25`,
      shared.path,
    );
    expect(seen).toEqual(['<f4', [2, 3], true, 0, 1.5]);
    // The view was taken before Python wrote: the same memory, no copy, no message.
    expect(view.get([1, 2])).toBe(42.25);
    view.set([1, 0], -3);
    expect(await python.run('result = float(a[1, 0])')).toBe(-3);
    await python.run('del a');
    view.release();
    shared.close();
    shared.unlink();
  });

  it('NumPy creates with open_memmap(mode="w+"), Node attaches by name: writes both ways', async () => {
    const name = fresh();
    await python.run(
      `a = np.lib.format.open_memmap(args, mode='w+', dtype='<i8', shape=(3, 4))
a[:] = np.arange(12).reshape(3, 4)
a.flush()`,
      pathOf(name),
    );
    const shared = await openSharedNpy(name);
    expect(shared.dtype).toBe('<i8');
    expect(shared.shape).toEqual([3, 4]);
    const view = MemoryView.from(shared);
    expect(view.toList()).toEqual([
      [0n, 1n, 2n, 3n],
      [4n, 5n, 6n, 7n],
      [8n, 9n, 10n, 11n],
    ]);
    view.set([2, 3], -1n);
    expect(await python.run('result = int(a[2, 3])')).toBe(-1);
    await python.run('a[0, 0] = 1000');
    expect(view.get([0, 0])).toBe(1000n);
    await python.run('del a');
    view.release();
    shared.close();
    shared.unlink();
  });

  it('every dtype .npy supports: the same header and bytes both ways, created on either side', async () => {
    // long double exists as 16 bytes on Linux (x86-64: 80-bit extended, arm64: quad), not everywhere.
    const longDouble = await python.run(`try:\n    result = np.dtype('<f16').itemsize == 16\nexcept TypeError:\n    result = False`);
    const all = longDouble === true ? [...dtypes, '<f16', '<c32'] : dtypes;
    for (const [index, dtype] of all.entries()) {
      const boolean = dtype === '|b1';
      // Node creates, NumPy attaches.
      const name = fresh();
      const shared = await createSharedNpy(name, { dtype, shape: [6] });
      const first = pattern(shared.nbytes, index, boolean);
      const same = await python.run(
        `a = np.load(args[0], mmap_mode='r+')
same = a.dtype == np.lib.format.descr_to_dtype(descr(args[1]))
a.view(np.uint8)[:] = np.frombuffer(bytes.fromhex(args[2]), np.uint8)
a.flush()
result = bool(same)`,
        [shared.path, dtype, hex(first)],
      );
      expect(same, JSON.stringify(dtype)).toBe(true);
      expect(hex(shared.bytes), JSON.stringify(dtype)).toBe(hex(first));
      const second = pattern(shared.nbytes, index + 1, boolean);
      shared.bytes.set(second);
      expect(await python.run('result = a.view(np.uint8).tobytes().hex()\ndel a')).toBe(hex(second));
      shared.close();
      shared.unlink();

      // NumPy creates, Node attaches.
      const other = fresh();
      await python.run(
        `a = np.lib.format.open_memmap(args[0], mode='w+', dtype=np.lib.format.descr_to_dtype(descr(args[1])), shape=(6,))
a.view(np.uint8)[:] = np.frombuffer(bytes.fromhex(args[2]), np.uint8)
a.flush()`,
        [pathOf(other), dtype, hex(first)],
      );
      const attached = await openSharedNpy(other);
      expect(await python.run('result = bool(a.dtype == np.lib.format.descr_to_dtype(descr(args)))', attached.dtype), JSON.stringify(dtype)).toBe(true);
      expect(attached.copied).toBe(false);
      expect(hex(attached.bytes), JSON.stringify(dtype)).toBe(hex(first));
      attached.bytes.set(second);
      expect(await python.run('result = a.view(np.uint8).tobytes().hex()\ndel a')).toBe(hex(second));
      attached.close();
      attached.unlink();
    }
  });

  it('0-d and empty arrays: the header alone carries them, both ways', async () => {
    for (const shape of [[], [0, 3], [2, 0]]) {
      const name = fresh();
      const shared = await createSharedNpy(name, { format: '<d', shape });
      const seen = await python.run(`a = np.load(args, mmap_mode='r+')\nresult = [list(a.shape), a.dtype.str]\ndel a`, shared.path);
      expect(seen).toEqual([shape, '<f8']);
      shared.close();
      shared.unlink();
    }
    const name = fresh();
    await python.run(`a = np.lib.format.open_memmap(args, mode='w+', dtype='<i4', shape=())\na[()] = 7\na.flush()\ndel a`, pathOf(name));
    const scalar = await openSharedNpy(name);
    expect(scalar.shape).toEqual([]);
    const view = MemoryView.from(scalar);
    expect(view.get([])).toBe(7);
    view.release();
    scalar.close();
    scalar.unlink();
  });

  it('Fortran order: NumPy sees a Fortran-contiguous array, and Node reads one NumPy made', async () => {
    const name = fresh();
    const shared = await createSharedNpy(name, { format: '<d', shape: [3, 4], order: 'F' });
    const view = MemoryView.from(shared);
    expect(view.fContiguous).toBe(true);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) view.set([i, j], 10 * i + j);
    const seen = await python.run(
      `a = np.load(args, mmap_mode='r+')
result = [bool(a.flags.f_contiguous), a.tolist()]
a[2, 3] = -5`,
      shared.path,
    );
    expect(seen).toEqual([
      true,
      [
        [0, 1, 2, 3],
        [10, 11, 12, 13],
        [20, 21, 22, 23],
      ],
    ]);
    expect(view.get([2, 3])).toBe(-5);
    await python.run('del a');
    view.release();
    shared.close();
    shared.unlink();

    const other = fresh();
    await python.run(
      `a = np.lib.format.open_memmap(args, mode='w+', dtype='>i2', shape=(2, 3), fortran_order=True)
a[:] = [[1, 2, 3], [4, 5, 6]]
a.flush()
del a`,
      pathOf(other),
    );
    const attached = await openSharedNpy(other);
    expect(attached.fortranOrder).toBe(true);
    expect(attached.strides).toEqual([2, 4]);
    const back = MemoryView.from(attached);
    expect(back.toList()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    back.release();
    attached.close();
    attached.unlink();
  });

  it('a Python process that exits first (or is killed) leaves the memory to Node, intact', async () => {
    if (!peer.ok) return;
    const name = fresh();
    const shared = await createSharedNpy(name, { format: '<i', shape: [4] });
    const view = MemoryView.from(shared);
    // A short-lived Python: attaches, writes, exits normally.
    peer.run(`import sys, numpy as np\na = np.load(sys.argv[1], mmap_mode='r+')\na[:] = [5, 6, 7, 8]\n`, [shared.path]);
    expect(view.toList()).toEqual([5, 6, 7, 8]);
    // A Python killed with SIGKILL while attached.
    const doomed = pythonSession(peer.python);
    await doomed.run(`import numpy as np\na = np.load(args, mmap_mode='r+')\na[0] = 50`, shared.path);
    expect((await doomed.kill('SIGKILL')).signal).toBe('SIGKILL');
    expect(view.toList()).toEqual([50, 6, 7, 8]);
    view.set([3], 80);
    expect(view.get([3])).toBe(80);
    view.release();
    shared.close();
    shared.unlink();

    // Python creates and exits before Node attaches: the file (and data) outlive it.
    const orphan = fresh();
    peer.run(`import sys, numpy as np\na = np.lib.format.open_memmap(sys.argv[1], mode='w+', dtype='<u2', shape=(3,))\na[:] = [7, 8, 9]\na.flush()\n`, [
      pathOf(orphan),
    ]);
    const attached = await openSharedNpy(orphan, { readonly: true });
    const values = MemoryView.from(attached);
    expect(values.toList()).toEqual([7, 8, 9]);
    values.release();
    attached.close();
    // Nobody owns it any more: the clean-up for a dead creator.
    await unlinkSharedNpy(orphan);
    expect(existsSync(pathOf(orphan))).toBe(false);
  });

  it('two Node workers and one Python process write one array; every one of them sees all the writes', async () => {
    const name = fresh();
    const columns = 1000;
    const shared = await createSharedNpy(name, { format: '<i', shape: [3, columns] });
    const entry = new URL('fixtures/shared-worker.ts', import.meta.url).href;
    const source = `const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(entry)});`;
    const workers = [0, 1].map((row) => new Worker(source, { eval: true, execArgv: ['--conditions=@interop/source'], workerData: { name, row } }));
    const next = (worker: Worker): Promise<{ filled?: number; sum?: number }> =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    const filled = Promise.all(workers.map(next));
    const pythonDone = python.run(`a = np.load(args, mmap_mode='r+')\na[2, :] = 3\na.flush()`, shared.path);
    expect(await filled).toEqual([{ filled: 0 }, { filled: 1 }]);
    await pythonDone;
    const total = columns * (1 + 2 + 3);
    const sums = Promise.all(workers.map(next));
    for (const worker of workers) worker.postMessage('sum');
    expect(await sums).toEqual([{ sum: total }, { sum: total }]);
    expect(await python.run('result = int(a.sum())\ndel a')).toBe(total);
    const view = MemoryView.from(shared);
    expect((view.toList() as number[][]).map((row) => row.every((value) => value === row[0]) && row[0])).toEqual([1, 2, 3]);
    view.release();
    await Promise.all(workers.map((worker) => worker.terminate()));
    shared.close();
    shared.unlink();
  });

  it('unlink while attached: the name goes, every mapping keeps working, new opens fail', async () => {
    const name = fresh();
    const shared = await createSharedNpy(name, { format: '<d', shape: [2] });
    await python.run(`a = np.load(args, mmap_mode='r+')`, shared.path);
    const info = getBuffer(shared, BufferFlags.CONTIG);
    expect(() => shared.unlink()).toThrow();
    releaseBuffer(info);
    shared.unlink();
    expect(existsSync(shared.path)).toBe(false);
    await expectErrorCodeAsync(() => openSharedNpy(name), 'ERR_SHARED_NOT_FOUND', { family: NpyError });
    expect(await python.run(`a[1] = 2.5\nresult = os.path.exists(args)`, shared.path)).toBe(false);
    const view = MemoryView.from(shared);
    expect(view.get([1])).toBe(2.5);
    view.set([0], 1.25);
    expect(await python.run('result = float(a[0])\ndel a')).toBe(1.25);
    view.release();
    shared.close();

    // Python unlinks the file Node is attached to: Node's mapping is unaffected.
    const other = fresh();
    const mine = await createSharedNpy(other, { format: 'B', shape: [1] });
    await python.run(`os.unlink(args)`, mine.path);
    const byte = MemoryView.from(mine);
    byte.set([0], 9);
    expect(byte.get([0])).toBe(9);
    byte.release();
    mine.close();
    expect(() => mine.unlink()).toThrow();
  });

  it('refuses names that would leave the shared directory, and files that are not what they claim', async () => {
    for (const bad of ['../etc/passwd', '..', 'a/b', '/dev/shm/x', '.hidden', 'name with space', 'x\0y']) {
      await expectErrorCodeAsync(() => openSharedNpy(bad), 'ERR_SHARED_INVALID_NAME', { family: NpyError });
      await expectErrorCodeAsync(() => createSharedNpy(bad, { format: 'f', shape: [1] }), 'ERR_SHARED_INVALID_NAME', { family: NpyError });
    }
    // A symbolic link planted under a valid name is refused, not followed.
    const target = fresh();
    await python.run(`np.save(args, np.zeros(2))`, pathOf(target));
    const link = fresh();
    symlinkSync(pathOf(target), pathOf(link));
    await expectErrorCodeAsync(() => openSharedNpy(link), 'ERR_SHARED_FAILED', { family: NpyError });
    await unlinkSharedNpy(link);
    await unlinkSharedNpy(target);
    // A file that is not a .npy: the header parser's own error.
    const garbage = fresh();
    writeFileSync(pathOf(garbage), 'not numpy');
    await expectErrorCodeAsync(() => openSharedNpy(garbage), 'ERR_NPY_BAD_MAGIC', { family: NpyError });
    await unlinkSharedNpy(garbage);
  });
});
