import { MemoryView } from '@interop/core';

/** An N-D MemoryView over a TypedArray (C order), like np.array(values).reshape(shape). */
export function nd(values: ArrayBufferView, shape: readonly number[]): MemoryView {
  const base = MemoryView.from(values);
  try {
    return base.reshape(shape);
  } finally {
    base.release();
  }
}

/** A Fortran-ordered N-D MemoryView holding `values` given in C order (like np.array(..., order="F")). */
export function ndFortran(values: ArrayBufferView, shape: readonly number[]): MemoryView {
  const c = nd(values, shape);
  try {
    return MemoryView.copy(c, { order: 'F' });
  } finally {
    c.release();
  }
}
