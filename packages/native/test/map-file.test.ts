import { BufferError, BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { describeExporter, expectErrorCode } from '@interop/core/testing';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mapFile, MappedFile, NativeError, type MapMode } from '../src/index.js';
import { mapMemory } from '../src/map-file.js';
import { sample } from './helpers/sample.js';

const dir = mkdtempSync(join(tmpdir(), 'interop-mmap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function fileWith(bytes: number[]): string {
  const path = join(dir, `file-${counter++}.bin`);
  writeFileSync(path, new Uint8Array(bytes));
  return path;
}

for (const mode of ['r', 'r+', 'c'] as const satisfies readonly MapMode[]) {
  describeExporter(`MappedFile (mode ${mode})`, () => {
    const file = mapFile(fileWith([1, 2, 3, 4, 5, 6, 7, 8]), { mode });
    return {
      exporter: file,
      mutations: { close: (x) => x.close() },
      expected: { format: 'B', itemsize: 1, shape: [8], readonly: mode === 'r' },
      dispose: () => file.close(),
    };
  });
}

describe('mapFile', () => {
  it('exports the file bytes without reading them (format B, 1-D)', () => {
    const file = mapFile(fileWith([10, 20, 30]), { mode: 'r' });
    expect(file.byteLength).toBe(3);
    const info = getBuffer(file, BufferFlags.RECORDS_RO);
    expect(info.format).toBe('B');
    expect(info.shape).toEqual([3]);
    expect(info.readonly).toBe(true);
    expect([...new Uint8Array(info.buffer, info.byteOffset, info.byteLength)]).toEqual([10, 20, 30]);
    expect(sample.stridedSum(file)).toBe(60);
    releaseBuffer(info);
    file.close();
  });

  it("mode 'r' refuses writable exports and never changes the file", () => {
    const path = fileWith([1, 2, 3]);
    const file = mapFile(path, { mode: 'r' });
    expectErrorCode(() => getBuffer(file, BufferFlags.CONTIG), 'ERR_BUFFER_READONLY');
    file.close();
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  });

  it("mode 'r+' writes reach the file", () => {
    const path = fileWith([0, 0, 0, 0, 0, 0, 0, 0]);
    const file = mapFile(path, { mode: 'r+' });
    const view = MemoryView.from(file, BufferFlags.CONTIG);
    view.set(2, 99);
    view.release();
    file.flush();
    file.close();
    expect([...readFileSync(path)]).toEqual([0, 0, 99, 0, 0, 0, 0, 0]);
  });

  it("mode 'c' is writable but private (copy-on-write)", () => {
    const path = fileWith([5, 5, 5, 5, 5, 5, 5, 5]);
    const file = mapFile(path, { mode: 'c' });
    const bytes = MemoryView.from(file, BufferFlags.CONTIG);
    const doubles = bytes.cast('d');
    sample.fillFloat64(doubles, 1.5);
    expect(sample.stridedSum(doubles)).toBe(1.5);
    doubles.release();
    bytes.release();
    file.close();
    expect([...readFileSync(path)]).toEqual([5, 5, 5, 5, 5, 5, 5, 5]);
  });

  it('refuses close() while exported (ERR_BUFFER_EXPORTED), also when C holds the export', () => {
    const file = mapFile(fileWith([1, 2]), { mode: 'r' });
    const info = getBuffer(file);
    expectErrorCode(() => file.close(), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    releaseBuffer(info);
    expect(sample.holdBuffer(file)).toBe(2);
    expectErrorCode(() => file.close(), 'ERR_BUFFER_EXPORTED');
    expect(sample.releaseHeld()).toBe(true);
    file.close();
    expect(file.closed).toBe(true);
    file.close();
  });

  it('detaches its memory on close: a closed mapping exports nothing', () => {
    const file = mapFile(fileWith([1, 2]), { mode: 'r' });
    file.close();
    expectErrorCode(() => getBuffer(file), 'ERR_BUFFER_RELEASED');
    expectErrorCode(() => file.flush(), 'ERR_BUFFER_RELEASED');
  });

  it('refuses bad input with typed errors', () => {
    expectErrorCode(() => mapFile(join(dir, 'missing.bin'), { mode: 'r' }), 'ERR_NATIVE_FILE_NOT_FOUND', { family: NativeError });
    expectErrorCode(() => mapFile(fileWith([]), { mode: 'r' }), 'ERR_NATIVE_EMPTY_FILE', { family: NativeError });
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    expectErrorCode(() => mapFile(sub, { mode: 'r' }), 'ERR_NATIVE_NOT_A_FILE', { family: NativeError });
    expectErrorCode(() => mapFile(fileWith([1]), { mode: 'w' as MapMode }), 'ERR_NATIVE_INVALID_MODE', { family: NativeError });
    expectErrorCode(() => mapFile('', { mode: 'r' }), 'ERR_INVALID_ARGUMENT', { family: NativeError });
    expectErrorCode(() => mapFile(42 as unknown as string), 'ERR_INVALID_ARGUMENT', { family: NativeError });
    expectErrorCode(
      () => new (MappedFile as unknown as new (...args: unknown[]) => MappedFile)(Symbol('x'), 'p', 'r', new ArrayBuffer(1), {}),
      'ERR_INVALID_ARGUMENT',
      { family: NativeError },
    );
  });

  it('maps /dev/null-like special files as ERR_NATIVE_NOT_A_FILE and /proc files (size 0) as ERR_NATIVE_EMPTY_FILE', () => {
    expectErrorCode(() => mapFile('/dev/null'), 'ERR_NATIVE_NOT_A_FILE');
    expectErrorCode(() => mapFile('/proc/self/status'), 'ERR_NATIVE_EMPTY_FILE');
  });
});

describe('mapFile on special paths', () => {
  it('refuses a FIFO at once in every mode instead of blocking the thread in open(2)', () => {
    const fifo = join(dir, `fifo-${counter++}`);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // In a child process: a blocked open(2) cannot be interrupted by a test timeout.
    const entry = new URL('../src/index.ts', import.meta.url).pathname;
    const script = `import { mapFile } from ${JSON.stringify(entry)};
const codes = [];
for (const mode of ['r', 'r+', 'c']) {
  try { mapFile(${JSON.stringify(fifo)}, { mode }); codes.push('mapped'); } catch (error) { codes.push(error.code); }
}
console.log(JSON.stringify(codes));`;
    const result = spawnSync(process.execPath, ['--conditions=@interop/source', '--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.signal).toBe(null);
    expect(JSON.parse(result.stdout)).toEqual(['ERR_NATIVE_NOT_A_FILE', 'ERR_NATIVE_NOT_A_FILE', 'ERR_NATIVE_NOT_A_FILE']);
  });

  it('follows a symbolic link for mapFile, but never for shared files (refused by open(2) itself, no check-then-open gap)', () => {
    const target = fileWith([7, 8, 9]);
    const link = join(dir, `link-${counter++}`);
    symlinkSync(target, link);
    const followed = mapFile(link, { mode: 'r' });
    const view = MemoryView.from(followed);
    expect(view.toList()).toEqual([7, 8, 9]);
    view.release();
    followed.close();
    for (const mode of ['r', 'r+'] as const) expectErrorCode(() => mapMemory(link, mode, true), 'ERR_NATIVE_NOT_A_FILE', { family: NativeError });
  });
});
