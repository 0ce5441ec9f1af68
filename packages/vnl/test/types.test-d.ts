import type { MemoryView } from '@interop/core';
import { expectTypeOf } from 'vitest';
import {
  arrayViewFromVnlMatrix,
  VnlMatrix,
  VnlVector,
  vnlVectorViewFromArray,
  type VnlComplex,
  type VnlData,
  type VnlInput,
  type VnlMatrixRef,
  type VnlValue,
  type VnlVectorRef,
} from '../src/index.js';

// Values and storage follow the element type.
expectTypeOf<VnlValue<'float64'>>().toEqualTypeOf<number>();
expectTypeOf<VnlValue<'uint64'>>().toEqualTypeOf<bigint>();
expectTypeOf<VnlValue<'complex64'>>().toEqualTypeOf<VnlComplex>();
expectTypeOf<VnlData<'int16'>>().toEqualTypeOf<Int16Array>();
expectTypeOf<VnlData<'complex128'>>().toEqualTypeOf<Float64Array>();
expectTypeOf<VnlInput<'int64'>>().toEqualTypeOf<bigint | number>();

const v = new VnlVector('int64', 3);
expectTypeOf(v.get(0)).toEqualTypeOf<bigint>();
expectTypeOf(v.data).toEqualTypeOf<BigInt64Array>();
expectTypeOf(v.sum()).toEqualTypeOf<bigint>();
expectTypeOf(v.mean()).toEqualTypeOf<number>();

const z = VnlVector.from('complex128', [[1, 2]]);
expectTypeOf(z.mean()).toEqualTypeOf<VnlComplex>();
expectTypeOf(z.outer(z)).toEqualTypeOf<VnlMatrix<'complex128'>>();

const m = new VnlMatrix('float32', 2, 2);
expectTypeOf(m.multiply(m)).toEqualTypeOf<VnlMatrix<'float32'>>();
expectTypeOf(m.multiply(new VnlVector('float32', 2))).toEqualTypeOf<VnlVector<'float32'>>();
expectTypeOf(m.getRow(0)).toEqualTypeOf<VnlVector<'float32'>>();
expectTypeOf(arrayViewFromVnlMatrix(m)).toEqualTypeOf<MemoryView>();
expectTypeOf(vnlVectorViewFromArray(new Float64Array(2), 'float64')).toEqualTypeOf<VnlVectorRef<'float64'>>();
expectTypeOf<VnlMatrixRef<'int8'>>().toExtend<VnlMatrix<'int8'>>();

// Operands of another element type are compile-time errors.
// @ts-expect-error a float64 matrix times a float32 matrix
m.multiply(new VnlMatrix('float64', 2, 2));
// @ts-expect-error a bigint into a float vector
new VnlVector('float64', 1).put(0, 1n);
