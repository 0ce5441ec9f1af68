import { sharedFileNames } from '@interop/config/test-kit';
import { sharedDirectory } from '@interop/native';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectErrorCode, expectErrorCodeAsync } from '@interop/core/testing';
import { DataFrameView, PandasError, readArrowIPC } from '../src/index.js';
import { createSharedFrame, openSharedFrame, SharedFrame, unlinkSharedFrame } from '../src/node/index.js';

const names = sharedFileNames(sharedDirectory(), 'frame');
const fresh = names.fresh;

// Whatever a failed test left is removed, and still reported.
afterAll(() => expect(names.sweep()).toEqual([]));

const frame = (): DataFrameView =>
  DataFrameView.fromColumns({
    a: Float64Array.of(1, 2, 3),
    b: Int8Array.of(-1, 0, 1),
    c: ['x', null, 'zz'],
    d: BigInt64Array.of(1n, 2n, 3n),
    e: [true, false, true],
  });

describe('createSharedFrame / openSharedFrame', () => {
  it('writes a single-batch Arrow IPC file whose buffers start on 64-byte offsets, and reads it back over the mapping', async () => {
    const name = fresh();
    const shared = await createSharedFrame(name, frame());
    expect(shared.path.endsWith(`${name}.arrow`)).toBe(true);
    const bytes = new Uint8Array(readFileSync(shared.path));
    expect(bytes.length).toBe(shared.byteLength);
    const copy = readArrowIPC(bytes);
    for (const column of ['a', 'b', 'd']) expect((copy.column(column).values as ArrayBufferView).byteOffset % 64, column).toBe(0);
    const reader = await openSharedFrame(name);
    for (const view of [shared, reader]) {
      expect(view.frame.columnNames).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(view.frame.column('a').toArray()).toEqual([1, 2, 3]);
      expect(view.frame.column('c').toArray()).toEqual(['x', null, 'zz']);
      expect(view.frame.column('d').toArray()).toEqual([1n, 2n, 3n]);
      expect(view.frame.column('e').toArray()).toEqual([true, false, true]);
      // Zero-copy: the column is a view of the mapped file, not of a copy.
      const values = view.frame.column('a').values as Float64Array;
      expect(values.buffer.byteLength).toBe(shared.byteLength);
      expect(values.byteOffset % 64).toBe(0);
    }
    shared.unlink();
    expect(shared.unlinked).toBe(true);
    expect(existsSync(shared.path)).toBe(false);
    expect(reader.frame.column('a').toArray()).toEqual([1, 2, 3]);
    expectErrorCode(() => reader.unlink(), 'ERR_SHARED_NOT_FOUND', { family: PandasError });
  });

  it('refuses a frame that is not a DataFrameView and options that are not an object with typed errors (not TypeErrors), creating nothing', async () => {
    const name = fresh();
    for (const bad of [null, undefined, {}, { columnNames: [] }, Float64Array.of(1)]) {
      await expectErrorCodeAsync(() => createSharedFrame(name, bad as unknown as DataFrameView), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    }
    for (const bad of [null, 5, 'x', [1]]) {
      await expectErrorCodeAsync(() => createSharedFrame(name, frame(), bad as unknown as object), 'ERR_INVALID_ARGUMENT', { family: PandasError });
      await expectErrorCodeAsync(() => openSharedFrame(name, bad as unknown as object), 'ERR_INVALID_ARGUMENT', { family: PandasError });
      await expectErrorCodeAsync(() => unlinkSharedFrame(name, bad as unknown as object), 'ERR_INVALID_ARGUMENT', { family: PandasError });
    }
    expect(existsSync(join(sharedDirectory(), `${name}.arrow`))).toBe(false);
  });

  it('unlink() never removes a newer file that took the name after this one was unlinked elsewhere', async () => {
    const name = fresh();
    const first = await createSharedFrame(name, frame());
    await unlinkSharedFrame(name); // a clean-up elsewhere
    const second = await createSharedFrame(name, frame());
    expectErrorCode(() => first.unlink(), 'ERR_SHARED_NOT_FOUND', { family: PandasError });
    expect(existsSync(second.path)).toBe(true);
    second.unlink();
    expect(existsSync(second.path)).toBe(false);
  });

  it('refuses bad names, existing and missing ones, and construction with new', async () => {
    for (const bad of ['', '../up', 'a/b', '/abs', '..', '.dot', 'sp ace', 'x'.repeat(201), 3 as unknown as string]) {
      await expectErrorCodeAsync(() => createSharedFrame(bad, frame()), 'ERR_SHARED_INVALID_NAME', { family: PandasError });
      await expectErrorCodeAsync(() => openSharedFrame(bad), 'ERR_SHARED_INVALID_NAME', { family: PandasError });
      await expectErrorCodeAsync(() => unlinkSharedFrame(bad), 'ERR_SHARED_INVALID_NAME', { family: PandasError });
    }
    const name = fresh();
    const shared = await createSharedFrame(name, frame());
    await expectErrorCodeAsync(() => createSharedFrame(name, frame()), 'ERR_SHARED_EXISTS', { family: PandasError });
    await expectErrorCodeAsync(() => openSharedFrame(fresh()), 'ERR_SHARED_NOT_FOUND', { family: PandasError });
    await unlinkSharedFrame(name);
    expectErrorCode(() => shared.unlink(), 'ERR_SHARED_NOT_FOUND', { family: PandasError });
    const garbage = fresh();
    writeFileSync(join(sharedDirectory(), `${garbage}.arrow`), 'ARROW1 but not really');
    await expectErrorCodeAsync(() => openSharedFrame(garbage), 'ERR_PANDAS_IPC_INVALID', { family: PandasError });
    await unlinkSharedFrame(garbage);
    expectErrorCode(
      () => new (SharedFrame as unknown as new (...args: unknown[]) => unknown)(Symbol('no'), 'x', '/x', 1, frame(), {}, undefined),
      'ERR_INVALID_ARGUMENT',
      { family: PandasError },
    );
  });
});
