import { afterEach, describe, expect, it } from 'vitest';
import { BufferFlags, getBuffer, MemoryView, registerAllocator, registeredAllocator, releaseBuffer, resetAllocator } from '@interop/core';
import { arrayFromImage, Image, imageFromArray } from '../src/index.js';

const before = registeredAllocator();
afterEach(() => {
  if (before === null) resetAllocator();
  else registerAllocator(before.allocator, { threshold: before.threshold, fallback: before.fallback });
});

function recordingAllocator(): Set<ArrayBuffer> {
  const given = new Set<ArrayBuffer>();
  const allocate = (byteLength: number): ArrayBuffer => {
    const buffer = new ArrayBuffer(byteLength);
    given.add(buffer);
    return buffer;
  };
  registerAllocator({ name: 'recording', allocate }, { threshold: 0 });
  return given;
}

function bufferOf(exporter: unknown): ArrayBuffer {
  const info = getBuffer(exporter, BufferFlags.FULL_RO);
  releaseBuffer(info);
  return info.buffer as ArrayBuffer;
}

describe('the allocation seam in @interop/image', () => {
  it('allocate, clone, arrayFromImage and imageFromArray take their pixels from the seam', () => {
    const given = recordingAllocator();
    const image = new Image({ componentType: 'float32', size: [4, 3] }).allocate();
    expect(given.has(image.data.buffer as ArrayBuffer)).toBe(true);
    (image.data as Float32Array).set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const clone = image.clone();
    expect(given.has(clone.data.buffer as ArrayBuffer)).toBe(true);
    expect(Array.from(clone.data as Float32Array)).toEqual(Array.from(image.data as Float32Array));
    const array = arrayFromImage(image);
    expect(given.has(bufferOf(array))).toBe(true);
    expect((array.toList() as number[][])[2]).toEqual([9, 10, 11, 12]);
    const back = imageFromArray(array);
    expect(given.has(back.data.buffer as ArrayBuffer)).toBe(true);
    array.release();
    const transposed = imageFromArray(MemoryView.from(new Float32Array([1, 2, 3, 4, 5, 6])).cast('B').cast('f', [2, 3]).transpose());
    expect(given.has(transposed.data.buffer as ArrayBuffer)).toBe(true);
    expect(Array.from(transposed.data as Float32Array)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
