import { sharedFileNames } from '@interop/config/test-kit';
import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
import { describeExporter, expectErrorCode } from '@interop/core/testing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSharedFile, type MappedFile, openSharedFile, SharedFile, sharedDirectory, sharedFilePath, unlinkSharedFile, NativeError } from '../src/index.js';

const names = sharedFileNames(sharedDirectory(), 'sf');
const { fresh, leftovers } = names;

// The conformance kit also calls the factory once only to list the mutations, without dispose.
const undisposed = new Map<string, MappedFile>();
afterAll(() => {
  for (const [name, file] of undisposed) {
    file.close();
    unlinkSharedFile(name);
  }
  expect(names.sweep()).toEqual([]);
});

describeExporter('createSharedFile (a MappedFile, mode r+)', () => {
  const name = fresh();
  const file = createSharedFile(name, { byteLength: 16 });
  undisposed.set(name, file);
  return {
    exporter: file,
    mutations: { close: (x) => x.close() },
    expected: { format: 'B', itemsize: 1, shape: [16], readonly: false },
    dispose: () => {
      undisposed.delete(name);
      file.close();
      unlinkSharedFile(name);
    },
  };
});

describe('shared files', () => {
  it('live in /dev/shm on Linux, named by name + extension', () => {
    if (process.platform === 'linux' && existsSync('/dev/shm')) expect(sharedDirectory()).toBe('/dev/shm');
    expect(sharedFilePath('frames', { extension: '.npy' })).toBe(join(sharedDirectory(), 'frames.npy'));
    expect(sharedFilePath('frames.npy', { extension: '.npy' })).toBe(join(sharedDirectory(), 'frames.npy'));
    expect(sharedFilePath('a', { directory: '/tmp' })).toBe('/tmp/a');
  });

  it('writes the head, zero-fills the rest, and shares writes between two mappings', () => {
    const name = fresh();
    const file = createSharedFile(name, { byteLength: 8, head: new Uint8Array([1, 2, 3]), extension: '.bin' });
    expect(file.path).toBe(join(sharedDirectory(), `${name}.bin`));
    expect([...readFileSync(file.path)]).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
    const other = openSharedFile(name, { extension: '.bin' });
    const a = getBuffer(file, BufferFlags.CONTIG);
    const b = getBuffer(other, BufferFlags.CONTIG);
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength)[7] = 42;
    expect(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)[7]).toBe(42);
    expect([...readFileSync(file.path)][7]).toBe(42);
    releaseBuffer(a);
    releaseBuffer(b);
    other.close();
    file.close();
    unlinkSharedFile(name, { extension: '.bin' });
    expect(existsSync(file.path)).toBe(false);
  });

  it('opens read-only with mode "r"', () => {
    const name = fresh();
    createSharedFile(name, { byteLength: 4 }).close();
    const file = openSharedFile(name, { mode: 'r' });
    expect(file.readonly).toBe(true);
    expect(() => getBuffer(file, BufferFlags.WRITABLE)).toThrow();
    file.close();
    unlinkSharedFile(name);
  });

  it('refuses names that are paths or not plain names', () => {
    const before = leftovers();
    for (const bad of ['', '../etc/passwd', 'a/b', '/abs', '.', '..', '.hidden', '-dash', 'a\0b', 'sp ace', 'x'.repeat(201), 'é']) {
      expectErrorCode(() => createSharedFile(bad, { byteLength: 8 }), 'ERR_SHARED_INVALID_NAME', {
        family: NativeError,
        what: `createSharedFile(${JSON.stringify(bad)})`,
      });
      expectErrorCode(() => openSharedFile(bad), 'ERR_SHARED_INVALID_NAME', { family: NativeError, what: `openSharedFile(${JSON.stringify(bad)})` });
      expectErrorCode(() => unlinkSharedFile(bad), 'ERR_SHARED_INVALID_NAME', { family: NativeError, what: `unlinkSharedFile(${JSON.stringify(bad)})` });
    }
    expectErrorCode(() => sharedFilePath(42 as unknown as string), 'ERR_SHARED_INVALID_NAME', { family: NativeError });
    expectErrorCode(() => sharedFilePath('ok', { extension: '/../x' }), 'ERR_INVALID_ARGUMENT', { family: NativeError });
    expectErrorCode(() => sharedFilePath('ok', { directory: 'relative' }), 'ERR_INVALID_ARGUMENT', { family: NativeError });
    expect(leftovers()).toEqual(before);
  });

  it('refuses an existing name, a missing one, bad sizes and modes, and symbolic links', () => {
    const name = fresh();
    const file = createSharedFile(name, { byteLength: 8 });
    expectErrorCode(() => createSharedFile(name, { byteLength: 8 }), 'ERR_SHARED_EXISTS', { family: NativeError });
    expectErrorCode(() => openSharedFile(fresh()), 'ERR_SHARED_NOT_FOUND', { family: NativeError });
    expectErrorCode(() => createSharedFile(fresh(), { byteLength: 0 }), 'ERR_NATIVE_INVALID_SIZE', { family: NativeError });
    expectErrorCode(() => createSharedFile(fresh(), { byteLength: 1.5 }), 'ERR_NATIVE_INVALID_SIZE', { family: NativeError });
    expectErrorCode(() => createSharedFile(fresh(), { byteLength: 2, head: new Uint8Array(3) }), 'ERR_INVALID_ARGUMENT', { family: NativeError });
    expectErrorCode(() => createSharedFile(fresh(), { byteLength: Number.MAX_SAFE_INTEGER }), 'ERR_NATIVE_NO_SPACE', { family: NativeError });
    expectErrorCode(() => openSharedFile(name, { mode: 'c' as 'r' }), 'ERR_NATIVE_INVALID_MODE', { family: NativeError });
    const link = fresh();
    symlinkSync(file.path, join(sharedDirectory(), link));
    expectErrorCode(() => openSharedFile(link), 'ERR_NATIVE_NOT_A_FILE', { family: NativeError });
    expectErrorCode(() => createSharedFile(link, { byteLength: 8 }), 'ERR_SHARED_EXISTS', { family: NativeError });
    rmSync(join(sharedDirectory(), link));
    file.close();
    unlinkSharedFile(name);
    expectErrorCode(() => unlinkSharedFile(name), 'ERR_SHARED_NOT_FOUND', { family: NativeError });
  });

  it('refuses a FIFO and a directory by that name, without blocking on the FIFO (mode "r" used to hang in open(2))', () => {
    const fifo = fresh();
    const directory = fresh();
    mkdirSync(join(sharedDirectory(), directory));
    try {
      expect(spawnSync('mkfifo', [join(sharedDirectory(), fifo)]).status).toBe(0);
      // In a child process: a blocked open(2) cannot be interrupted by a test timeout.
      const entry = new URL('../src/index.ts', import.meta.url).pathname;
      const script = `import { openSharedFile } from ${JSON.stringify(entry)};
const codes = [];
for (const name of [${JSON.stringify(fifo)}, ${JSON.stringify(directory)}]) {
  for (const mode of ['r', 'r+']) {
    try { openSharedFile(name, { mode }); codes.push('opened'); } catch (error) { codes.push(error.code); }
  }
}
console.log(JSON.stringify(codes));`;
      const result = spawnSync(process.execPath, ['--conditions=@interop/source', '--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.signal).toBe(null);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual(new Array(4).fill('ERR_NATIVE_NOT_A_FILE'));
      expectErrorCode(() => openSharedFile(directory), 'ERR_NATIVE_NOT_A_FILE', { family: NativeError });
    } finally {
      rmSync(join(sharedDirectory(), fifo), { force: true });
      rmSync(join(sharedDirectory(), directory), { recursive: true, force: true });
    }
  });

  it('keeps the mapping valid after unlink (the memory goes with the last mapping)', () => {
    const name = fresh();
    const file = createSharedFile(name, { byteLength: 8 });
    unlinkSharedFile(name);
    const info = getBuffer(file, BufferFlags.CONTIG);
    const bytes = new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
    bytes[0] = 9;
    expect(bytes[0]).toBe(9);
    releaseBuffer(info);
    file.close();
  });

  it('uses another directory when asked', () => {
    const directory = mkdtempSync(join(tmpdir(), 'interop-shared-'));
    try {
      const file = createSharedFile('x', { byteLength: 8, directory, extension: '.npy' });
      expect(file.path).toBe(join(directory, 'x.npy'));
      file.close();
      unlinkSharedFile('x.npy', { directory, extension: '.npy' });
      expect(readdirSync(directory)).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('unlinks at exit what a process created and did not unlink, unless persist', () => {
    const keep = fresh();
    const drop = fresh();
    const entry = new URL('../src/index.ts', import.meta.url).pathname;
    const script = `import { createSharedFile } from ${JSON.stringify(entry)};
createSharedFile(${JSON.stringify(drop)}, { byteLength: 8 });
createSharedFile(${JSON.stringify(keep)}, { byteLength: 8, persist: true });`;
    const result = spawnSync(process.execPath, ['--conditions=@interop/source', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(existsSync(sharedFilePath(drop))).toBe(false);
    expect(existsSync(sharedFilePath(keep))).toBe(true);
    unlinkSharedFile(keep);
  });

  it('unlink() of the returned SharedFile removes its own file, once, and never a newer one that took the name', () => {
    const name = fresh();
    const file = createSharedFile(name, { byteLength: 8 });
    expect(file).toBeInstanceOf(SharedFile);
    expect(file.name).toBe(name);
    file.close();
    file.unlink();
    expect(file.unlinked).toBe(true);
    expect(existsSync(file.path)).toBe(false);
    expectErrorCode(() => file.unlink(), 'ERR_SHARED_NOT_FOUND', { family: NativeError });

    const first = createSharedFile(name, { byteLength: 8 });
    const reader = openSharedFile(name, { mode: 'r' });
    unlinkSharedFile(name); // a clean-up elsewhere
    const second = createSharedFile(name, { byteLength: 16 });
    for (const stale of [first, reader]) {
      expectErrorCode(() => stale.unlink(), 'ERR_SHARED_NOT_FOUND', { family: NativeError });
      expect(stale.unlinked).toBe(false);
    }
    expect(existsSync(second.path)).toBe(true);
    // A reader's unlink removes the file it opened.
    const again = openSharedFile(name);
    again.close();
    again.unlink();
    expect(existsSync(second.path)).toBe(false);
    expectErrorCode(() => second.unlink(), 'ERR_SHARED_NOT_FOUND', { family: NativeError });
    for (const mapping of [first, reader, second]) mapping.close();
    expectErrorCode(
      () => new (SharedFile as unknown as new (...args: unknown[]) => unknown)(Symbol('x'), name, '/x', 'r', { dev: 0, ino: 0 }, [new ArrayBuffer(1), {}]),
      'ERR_INVALID_ARGUMENT',
      {
        family: NativeError,
      },
    );
  });

  it('runs initialize on the new mapping, and removes the file when it throws', () => {
    const name = fresh();
    const file = createSharedFile(name, {
      byteLength: 4,
      initialize: (mapping) => {
        const info = getBuffer(mapping, BufferFlags.CONTIG);
        new Uint8Array(info.buffer, info.byteOffset, info.byteLength).set([1, 2, 3, 4]);
        releaseBuffer(info);
      },
    });
    expect([...readFileSync(file.path)]).toEqual([1, 2, 3, 4]);
    file.close();
    file.unlink();

    const failure = new Error('the header did not fit');
    let seen: MappedFile | undefined;
    expect(() =>
      createSharedFile(name, {
        byteLength: 4,
        initialize: (mapping) => {
          seen = mapping;
          throw failure;
        },
      }),
    ).toThrow(failure);
    expect(seen?.closed).toBe(true);
    expect(existsSync(sharedFilePath(name))).toBe(false);
    // An export left open by the initializer: the mapping cannot close, the file still goes.
    expect(() =>
      createSharedFile(name, {
        byteLength: 4,
        initialize: (mapping) => {
          getBuffer(mapping, BufferFlags.SIMPLE);
          throw failure;
        },
      }),
    ).toThrow(failure);
    expect(existsSync(sharedFilePath(name))).toBe(false);
    expectErrorCode(() => createSharedFile(name, { byteLength: 4, initialize: 'yes' as unknown as () => void }), 'ERR_INVALID_ARGUMENT', {
      family: NativeError,
    });
    expect(existsSync(sharedFilePath(name))).toBe(false);
  });

  it('reads back what another process wrote into the file', () => {
    const name = fresh();
    const file = createSharedFile(name, { byteLength: 4 });
    writeFileSync(file.path, new Uint8Array([5, 6, 7, 8]), { flag: 'r+' });
    const info = getBuffer(file, BufferFlags.CONTIG_RO);
    expect([...new Uint8Array(info.buffer, info.byteOffset, info.byteLength)]).toEqual([5, 6, 7, 8]);
    releaseBuffer(info);
    file.close();
    unlinkSharedFile(name);
  });
});
