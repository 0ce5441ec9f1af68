import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VnlMatrix, VnlVector, vnlMatrixFromArray, vnlVectorFromArray, type VnlElementType } from '../src/index.js';
import { makeMatrixArray } from './helpers.js';

const runs = { numRuns: 200 };

const dims = fc.integer({ min: 0, max: 9 });
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

function matrixOf(type: VnlElementType, rows: number, columns: number, values: readonly (number | bigint)[]): VnlMatrix {
  const m = new VnlMatrix(type, rows, columns);
  m.copyIn(values);
  return m;
}

const float64Matrix = (rows: number, columns: number) =>
  fc.array(finite, { minLength: rows * columns, maxLength: rows * columns }).map((v) => matrixOf('float64', rows, columns, v));
const int32Matrix = (rows: number, columns: number) =>
  fc.array(int32, { minLength: rows * columns, maxLength: rows * columns }).map((v) => matrixOf('int32', rows, columns, v));
const int64Matrix = (rows: number, columns: number) =>
  fc
    .array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: rows * columns, maxLength: rows * columns })
    .map((v) => matrixOf('int64', rows, columns, v));
const complexMatrix = (rows: number, columns: number) =>
  fc.array(fc.tuple(finite, finite), { minLength: rows * columns, maxLength: rows * columns }).map((v) => matrixOf('complex128', rows, columns, v as never));

/** Three matrices A (n x m) and B (m x p) from a generator. */
function pair(make: (r: number, c: number) => fc.Arbitrary<VnlMatrix>): fc.Arbitrary<[VnlMatrix, VnlMatrix]> {
  return fc.tuple(dims, dims, dims).chain(([n, m, p]) => fc.tuple(make(n, m), make(m, p)));
}

/** The textbook i-j-k product over plain numbers: same k order, so float64 results are bit-identical. */
function naiveProduct(a: VnlMatrix<'float64'>, b: VnlMatrix<'float64'>): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < b.columns; j++) {
      let sum = 0;
      for (let k = 0; k < a.columns; k++) sum += a.get(i, k) * b.get(k, j);
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

describe('matrix properties', () => {
  it('transpose twice is the identity, for every kernel kind', () => {
    for (const make of [float64Matrix, int32Matrix, int64Matrix, complexMatrix]) {
      fc.assert(
        fc.property(
          fc.tuple(dims, dims).chain(([r, c]) => make(r, c)),
          (m) => {
            const t = m.transpose();
            expect([t.rows, t.columns]).toEqual([m.columns, m.rows]);
            expect(t.transpose().equals(m)).toBe(true);
          },
        ),
        runs,
      );
    }
  });

  it('(AB)^T = B^T A^T exactly (float64, int32 with wrap-around, int64, complex)', () => {
    for (const make of [float64Matrix, int32Matrix, int64Matrix, complexMatrix]) {
      fc.assert(
        fc.property(pair(make), ([a, b]) => {
          expect(a.multiply(b).transpose().equals(b.transpose().multiply(a.transpose()))).toBe(true);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('the blocked i-k-j product equals the textbook triple loop bit for bit (float64)', () => {
    fc.assert(
      fc.property(pair(float64Matrix), ([a, b]) => {
        expect(a.multiply(b).toArray()).toEqual(naiveProduct(a as VnlMatrix<'float64'>, b as VnlMatrix<'float64'>));
      }),
      runs,
    );
    // Large enough to cross the k-block boundary (32768 / columns rows of B per block).
    const a = new VnlMatrix('float64', 3, 700);
    const b = new VnlMatrix('float64', 700, 70);
    for (let i = 0; i < a.data.length; i++) a.data[i] = Math.sin(i);
    for (let i = 0; i < b.data.length; i++) b.data[i] = Math.cos(i);
    expect(a.multiply(b).toArray()).toEqual(naiveProduct(a, b));
  });

  it('int32 products wrap exactly as 64-bit exact arithmetic reduced modulo 2^32', () => {
    fc.assert(
      fc.property(pair(int32Matrix), ([a, b]) => {
        const product = a.multiply(b);
        for (let i = 0; i < a.rows; i++) {
          for (let j = 0; j < b.columns; j++) {
            let exact = 0n;
            for (let k = 0; k < a.columns; k++) exact += BigInt(a.get(i, k) as number) * BigInt(b.get(k, j) as number);
            expect(product.get(i, j)).toBe(Number(BigInt.asIntN(32, exact)));
          }
        }
      }),
      runs,
    );
  });

  it('copies from any layout reproduce the elements', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([r, c]) =>
          fc.tuple(
            fc.array(fc.array(int32, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
            fc.record({
              order: fc.constantFrom('C' as const, 'F' as const),
              gap: fc.integer({ min: 0, max: 2 }),
              offset: fc.integer({ min: 0, max: 7 }),
              reverseRows: fc.boolean(),
              byteOrder: fc.constantFrom('<' as const, '>' as const),
            }),
          ),
        ),
        ([values, options]) => {
          expect(vnlMatrixFromArray(makeMatrixArray('i', values, options)).toArray()).toEqual(values);
        },
      ),
      runs,
    );
  });

  it('vector algebra: dot of a vector with itself is its squared two-norm; outer product matches element products', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 20 }),
        (x, y) => {
          const u = VnlVector.from('float64', x);
          const v = VnlVector.from('float64', y);
          expect(u.dot(u)).toBeCloseTo(u.twoNorm() ** 2, 6);
          const outer = u.outer(v);
          for (let i = 0; i < x.length; i++) for (let j = 0; j < y.length; j++) expect(outer.get(i, j)).toBe(x[i]! * y[j]!);
          expect(vnlVectorFromArray(u).equals(u)).toBe(true);
        },
      ),
      runs,
    );
  });
});
