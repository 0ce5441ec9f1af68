// A private strided copy used until core's copy engine (MemoryView.copy / copyInto) is exported.
// Both sides are described in bytes; the loop never leaves the ranges validated by getBuffer.
import type { BufferSource } from '@interop/core';

export interface StridedBytes {
  readonly buffer: BufferSource;
  readonly byteOffset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/**
 * Copies every item of `source` to the same logical position in `target` (same shape). When
 * `swap` is true each item's bytes are reversed (non-native byte order on one side); `swapUnit`
 * is the size of the scalar inside an item that is swapped (complex items swap each half).
 */
export function copyStrided(source: StridedBytes, target: StridedBytes, itemsize: number, swap = false, swapUnit = itemsize): void {
  const shape = source.shape;
  const ndim = shape.length;
  let count = 1;
  for (const dim of shape) count *= dim;
  if (count === 0) return;
  const from = new Uint8Array(source.buffer);
  const to = new Uint8Array(target.buffer);
  // Merge the innermost dimensions that are contiguous on both sides into one run.
  let runBytes = itemsize;
  let inner = ndim;
  if (!swap) {
    while (inner > 0 && source.strides[inner - 1] === runBytes && target.strides[inner - 1] === runBytes) {
      runBytes *= shape[inner - 1]!;
      inner--;
    }
  }
  const outer = shape.slice(0, inner);
  const counter = new Array<number>(inner).fill(0);
  let sourceAt = source.byteOffset;
  let targetAt = target.byteOffset;
  for (;;) {
    if (swap) {
      for (let unit = 0; unit < itemsize; unit += swapUnit) {
        for (let b = 0; b < swapUnit; b++) to[targetAt + unit + b] = from[sourceAt + unit + swapUnit - 1 - b]!;
      }
    } else if (runBytes <= 16) {
      for (let b = 0; b < runBytes; b++) to[targetAt + b] = from[sourceAt + b]!;
    } else {
      to.set(from.subarray(sourceAt, sourceAt + runBytes), targetAt);
    }
    let axis = inner - 1;
    for (; axis >= 0; axis--) {
      counter[axis]!++;
      sourceAt += source.strides[axis]!;
      targetAt += target.strides[axis]!;
      if (counter[axis]! < outer[axis]!) break;
      sourceAt -= source.strides[axis]! * outer[axis]!;
      targetAt -= target.strides[axis]! * outer[axis]!;
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}
