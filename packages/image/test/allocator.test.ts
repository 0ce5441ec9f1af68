import { describe, expect, it } from 'vitest';
import { MemoryView } from '@interop/core';
import { recordAllocations } from '@interop/core/testing';
import { arrayFromImage, Image, imageFromArray } from '../src/index.js';

describe('the allocation seam in @interop/image', () => {
  it('allocate, clone, arrayFromImage and imageFromArray take their pixels from the seam', () => {
    const record = recordAllocations();
    const image = new Image({ componentType: 'float32', size: [4, 3] }).allocate();
    expect(record.holds(image.data)).toBe(true);
    (image.data as Float32Array).set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const clone = image.clone();
    expect(record.holds(clone.data)).toBe(true);
    expect(Array.from(clone.data as Float32Array)).toEqual(Array.from(image.data as Float32Array));
    const array = arrayFromImage(image);
    expect(record.holds(array)).toBe(true);
    expect((array.toList() as number[][])[2]).toEqual([9, 10, 11, 12]);
    const back = imageFromArray(array);
    expect(record.holds(back.data)).toBe(true);
    array.release();
    const transposed = imageFromArray(
      MemoryView.from(new Float32Array([1, 2, 3, 4, 5, 6]))
        .cast('B')
        .cast('f', [2, 3])
        .transpose(),
    );
    expect(record.holds(transposed.data)).toBe(true);
    expect(Array.from(transposed.data as Float32Array)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
