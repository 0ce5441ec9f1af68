import { BufferFlags, getBuffer, MemoryView, releaseBuffer, type BufferInfo } from '@interop/core';
import { describeExporter, expectErrorCode } from '@interop/core/testing';
import { describe, expect, it } from 'vitest';
import { NativeBuffer, NativeError } from '../src/index.js';
import { collectGarbage, sample } from './helpers/sample.js';

describeExporter('NativeBuffer (C++ image, format H)', () => ({
  exporter: sample.createImage(5, 4, 3),
  expected: { format: 'H', itemsize: 2, shape: [4, 5, 3], readonly: false },
}));

describeExporter('NativeBuffer (calloc bytes)', () => ({
  exporter: sample.exportBytes(32),
  expected: { format: 'B', itemsize: 1, shape: [32], readonly: false },
}));

describe('NativeBuffer (native memory exported to JavaScript)', () => {
  it('exports a C++ image zero-copy: JavaScript and C++ see the same pixels', () => {
    const image = sample.createImage(4, 3, 2);
    expect(image).toBeInstanceOf(NativeBuffer);
    expect(image.shape).toEqual([3, 4, 2]);
    expect(image.strides).toEqual([16, 4, 2]);
    const view = MemoryView.from(image, BufferFlags.RECORDS);
    expect(view.get([1, 2, 1])).toBe((1 * 4 + 2) * 2 + 1);
    view.set([0, 0, 0], 1000);
    view.release();
    // C++ sums its own memory (borrowed back through the protocol): the write is visible.
    expect(sample.stridedSum(image)).toBe((23 * 24) / 2 + 1000);
  });

  it('runs the native release callback exactly once, after the last export is released and the object is unreachable', async () => {
    await collectGarbage();
    const before = sample.counters().releasedBlocks;
    const refs: { buffer?: NativeBuffer; info?: BufferInfo } = { buffer: sample.exportBytes(1 << 20) };
    refs.info = getBuffer(refs.buffer);
    delete refs.buffer;
    await collectGarbage();
    // The export (and through it the ArrayBuffer) is still reachable: nothing is freed.
    expect(sample.counters().releasedBlocks).toBe(before);
    releaseBuffer(refs.info);
    delete refs.info;
    await collectGarbage();
    expect(sample.counters().releasedBlocks).toBe(before + 1);
    await collectGarbage();
    expect(sample.counters().releasedBlocks).toBe(before + 1);
  });

  it('keeps a C++ object alive through its shared_ptr until JavaScript lets go', async () => {
    await collectGarbage();
    const live = sample.counters().liveImages;
    const refs: { image?: NativeBuffer } = { image: sample.createImage(8, 8, 1) };
    expect(sample.counters().liveImages).toBe(live + 1);
    expect(sample.stridedSum(refs.image)).toBe((63 * 64) / 2);
    delete refs.image;
    await collectGarbage();
    expect(sample.counters().liveImages).toBe(live);
  });

  it('refuses inconsistent layouts before JavaScript sees the memory (and C keeps ownership)', () => {
    const released = sample.counters().releasedBlocks;
    for (const kind of [0, 1, 2]) {
      const code = kind === 0 ? 'ERR_BUFFER_OUT_OF_BOUNDS' : 'ERR_BUFFER_INVALID_LAYOUT';
      expectErrorCode(() => sample.exportBadLayout(kind), code, { family: NativeError, what: `exportBadLayout(${kind})` });
    }
    expect(sample.counters().releasedBlocks).toBe(released);
  });

  it('validates layouts built from JavaScript too', () => {
    const memory = new ArrayBuffer(16);
    expectErrorCode(() => new NativeBuffer(memory, { byteOffset: 0, format: 'd', itemsize: 8, shape: [3], readonly: false }), 'ERR_BUFFER_OUT_OF_BOUNDS');
    expectErrorCode(() => new NativeBuffer(memory, { byteOffset: 0, format: 'd', itemsize: 4, shape: [2], readonly: false }), 'ERR_BUFFER_INVALID_LAYOUT');
    expect(new NativeBuffer(memory, { byteOffset: 8, format: 'f', itemsize: 4, shape: [2], strides: [-4], readonly: true }).nbytes).toBe(8);
  });

  it('exports an empty block', () => {
    const empty = sample.exportBytes(0);
    expect(empty.shape).toEqual([0]);
    expect(sample.stridedSum(empty)).toBe(0);
  });
});
