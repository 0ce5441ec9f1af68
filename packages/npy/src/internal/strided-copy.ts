// A private strided copy loop, used until @interop/core exports its copy engine
// (MemoryView.copyInto). Callers have validated the layout: every element lies inside `source`.

/**
 * Copies the items of a strided layout into `target` (densely, in C or Fortran order).
 * `start` is the byte index of element [0, ...] in `source`.
 */
export function copyStrided(
  source: Uint8Array,
  start: number,
  shape: readonly number[],
  strides: readonly number[],
  itemsize: number,
  target: Uint8Array,
  targetStart: number,
  order: 'C' | 'F',
): void {
  // Fortran order is C order over the reversed axes.
  const dims = order === 'C' ? [...shape] : [...shape].reverse();
  const steps = order === 'C' ? [...strides] : [...strides].reverse();
  if (dims.some((d) => d === 0)) return;
  // Merge axes that are contiguous with their inner neighbour, so contiguous data is one run.
  const mergedDims: number[] = [];
  const mergedSteps: number[] = [];
  for (let i = 0; i < dims.length; i++) {
    if (dims[i] === 1) continue;
    const last = mergedDims.length - 1;
    if (last >= 0 && mergedSteps[last] === steps[i]! * dims[i]!) {
      mergedDims[last]! *= dims[i]!;
      mergedSteps[last] = steps[i]!;
    } else {
      mergedDims.push(dims[i]!);
      mergedSteps.push(steps[i]!);
    }
  }
  const ndim = mergedDims.length;
  if (ndim === 0) {
    target.set(source.subarray(start, start + itemsize), targetStart);
    return;
  }
  const innerCount = mergedDims[ndim - 1]!;
  const innerStep = mergedSteps[ndim - 1]!;
  const runBytes = innerCount * itemsize;
  const contiguousInner = innerStep === itemsize;
  const index = new Array<number>(ndim - 1).fill(0);
  let offset = start;
  let out = targetStart;
  for (;;) {
    if (contiguousInner) {
      target.set(source.subarray(offset, offset + runBytes), out);
      out += runBytes;
    } else {
      let position = offset;
      for (let k = 0; k < innerCount; k++) {
        for (let b = 0; b < itemsize; b++) target[out++] = source[position + b]!;
        position += innerStep;
      }
    }
    // Odometer over the outer axes.
    let axis = ndim - 2;
    while (axis >= 0) {
      index[axis]!++;
      offset += mergedSteps[axis]!;
      if (index[axis]! < mergedDims[axis]!) break;
      offset -= mergedSteps[axis]! * mergedDims[axis]!;
      index[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
}
