import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
import { describeExporter, expectErrorCode } from '@interop/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedMemory, NativeError } from '../src/index.js';
import { sample } from './helpers/sample.js';

const created: SharedMemory[] = [];
function create(size: number): SharedMemory {
  const segment = SharedMemory.create(`interop_test_${process.pid}_${created.length}`, size);
  created.push(segment);
  return segment;
}
afterEach(() => {
  for (const segment of created.splice(0)) {
    if (segment.exports === 0) segment.close();
    if (!segment.unlinked) segment.unlink();
  }
});

describeExporter('SharedMemory', () => {
  const segment = SharedMemory.create(null, 64);
  return {
    exporter: segment,
    mutations: { close: (x) => x.close() },
    expected: { format: 'B', itemsize: 1, shape: [64], readonly: false },
    dispose: () => {
      segment.close();
      segment.unlink();
    },
  };
});

describe('SharedMemory', () => {
  it('create and attach see the same bytes', () => {
    const first = create(16);
    const second = SharedMemory.attach(first.name);
    expect(second.size).toBe(16);
    expect(second.posixName).toBe(`/${first.name}`);
    const writer = getBuffer(first, BufferFlags.CONTIG);
    new Uint8Array(writer.buffer, writer.byteOffset, writer.byteLength).set([1, 2, 3, 4], 4);
    releaseBuffer(writer);
    expect(sample.stridedSum(second)).toBe(10);
    second.close();
  });

  it('accepts names with the leading "/" of shm_open', () => {
    const first = create(8);
    const second = SharedMemory.attach(`/${first.name}`);
    expect(second.name).toBe(first.name);
    second.close();
  });

  it('is zero-filled when created', () => {
    expect(sample.stridedSum(create(4096))).toBe(0);
  });

  it('refuses close() while exported and works after release', () => {
    const segment = create(8);
    const info = getBuffer(segment);
    expectErrorCode(() => segment.close(), 'ERR_BUFFER_EXPORTED');
    releaseBuffer(info);
    segment.close();
    expect(segment.closed).toBe(true);
    expectErrorCode(() => getBuffer(segment), 'ERR_BUFFER_RELEASED', { family: NativeError });
  });

  it('refuses colliding names, missing segments, zero or bad sizes and bad names', () => {
    const segment = create(8);
    expectErrorCode(() => SharedMemory.create(segment.name, 8), 'ERR_SHARED_EXISTS', { family: NativeError });
    expectErrorCode(() => SharedMemory.attach(`interop_missing_${process.pid}`), 'ERR_SHARED_NOT_FOUND', { family: NativeError });
    for (const size of [0, -1, 1.5, Number.NaN, 2 ** 60])
      expectErrorCode(() => SharedMemory.create(null, size), 'ERR_NATIVE_INVALID_SIZE', { family: NativeError });
    for (const name of ['', '/', 'a/b', '//x', 'x'.repeat(300), 'nul\0'])
      expectErrorCode(() => SharedMemory.create(name, 8), 'ERR_SHARED_INVALID_NAME', { family: NativeError });
    expectErrorCode(
      () => new (SharedMemory as unknown as new (...args: unknown[]) => SharedMemory)(Symbol('x'), '/x', new ArrayBuffer(1), {}),
      'ERR_INVALID_ARGUMENT',
      { family: NativeError },
    );
  });

  it('unlink removes the name; attached mappings keep working', () => {
    const segment = create(8);
    const other = SharedMemory.attach(segment.name);
    segment.unlink();
    expectErrorCode(() => SharedMemory.attach(segment.name), 'ERR_SHARED_NOT_FOUND', { family: NativeError });
    expectErrorCode(() => segment.unlink(), 'ERR_SHARED_NOT_FOUND', { family: NativeError });
    expect(sample.stridedSum(other)).toBe(0);
    other.close();
  });
});
