import { BufferFlags, getbuffer, MemoryView, releasebuffer } from '@interop/core';
import { expectDetachedEverywhere, loseMemory, resizableBuffer, type MemoryLoss } from '@interop/core/testing';
import { describe, it } from 'vitest';
import { VnlMatrix, VnlVector, vnlMatrixViewFromArray, vnlVectorViewFromArray } from '../src/index.js';

// Every public method of vectors and matrices, with arguments that succeed on live memory; a
// method added without an entry here fails the test (see expectDetachedEverywhere).
const vectorCalls: Record<string | symbol, (v: VnlVector<'float64'>) => unknown> = {
  get: (v) => v.get(1),
  put: (v) => v.put(1, 5),
  fill: (v) => v.fill(2),
  setSize: (v) => v.setSize(3),
  copyIn: (v) => v.copyIn([1, 2, 3]),
  copyOut: (v) => v.copyOut(),
  toArray: (v) => v.toArray(),
  clone: (v) => v.clone(),
  add: (v) => v.add(VnlVector.from('float64', [1, 1, 1])),
  subtract: (v) => v.subtract(VnlVector.from('float64', [1, 1, 1])),
  scale: (v) => v.scale(2),
  dot: (v) => v.dot(VnlVector.from('float64', [1, 1, 1])),
  outer: (v) => v.outer(VnlVector.from('float64', [1, 1])),
  oneNorm: (v) => v.oneNorm(),
  twoNorm: (v) => v.twoNorm(),
  infNorm: (v) => v.infNorm(),
  min: (v) => v.min(),
  max: (v) => v.max(),
  sum: (v) => v.sum(),
  mean: (v) => v.mean(),
  equals: (v) => v.equals(VnlVector.from('float64', [1, 2, 3])),
  toString: (v: VnlVector<'float64'>): unknown => v.toString(),
  [getbuffer]: (v): unknown => v[getbuffer](0),
};

const matrixCalls: Record<string | symbol, (m: VnlMatrix<'float64'>) => unknown> = {
  get: (m) => m.get(1, 1),
  put: (m) => m.put(1, 1, 5),
  fill: (m) => m.fill(2),
  setSize: (m) => m.setSize(2, 3),
  copyIn: (m) => m.copyIn([1, 2, 3, 4, 5, 6]),
  copyOut: (m) => m.copyOut(),
  toArray: (m) => m.toArray(),
  getRow: (m) => m.getRow(0),
  getColumn: (m) => m.getColumn(0),
  clone: (m) => m.clone(),
  transpose: (m) => m.transpose(),
  add: (m) => m.add(new VnlMatrix('float64', 2, 3)),
  subtract: (m) => m.subtract(new VnlMatrix('float64', 2, 3)),
  scale: (m) => m.scale(2),
  multiply: (m) => m.multiply(new VnlMatrix('float64', 3, 2)),
  arrayOneNorm: (m) => m.arrayOneNorm(),
  arrayTwoNorm: (m) => m.arrayTwoNorm(),
  arrayInfNorm: (m) => m.arrayInfNorm(),
  frobeniusNorm: (m) => m.frobeniusNorm(),
  operatorOneNorm: (m) => m.operatorOneNorm(),
  operatorInfNorm: (m) => m.operatorInfNorm(),
  min: (m) => m.min(),
  max: (m) => m.max(),
  sum: (m) => m.sum(),
  mean: (m) => m.mean(),
  equals: (m) => m.equals(new VnlMatrix('float64', 2, 3)),
  toString: (m: VnlMatrix<'float64'>): unknown => m.toString(),
  [getbuffer]: (m): unknown => m[getbuffer](0),
};

const exempt = ['release', Symbol.dispose, releasebuffer];
const getters = { data: (o: { data: unknown }) => o.data };

describe('VnlVector and VnlMatrix over memory taken away', () => {
  it('an owned vector whose storage was transferred refuses every method with ERR_BUFFER_DETACHED', async () => {
    await expectDetachedEverywhere(
      () => {
        const object = VnlVector.from('float64', [1, 2, 3]);
        return { object, lose: () => loseMemory(object.data.buffer, 'transfer') };
      },
      { calls: vectorCalls, exempt, getters },
    );
  });

  it('an owned matrix whose storage was transferred refuses every method with ERR_BUFFER_DETACHED', async () => {
    await expectDetachedEverywhere(
      () => {
        const object = VnlMatrix.fromRows('float64', [
          [1, 2, 3],
          [4, 5, 6],
        ]);
        return { object, lose: () => loseMemory(object.data.buffer, 'transfer') };
      },
      { calls: matrixCalls, exempt, getters },
    );
  });

  for (const loss of ['transfer', 'shrink'] as const satisfies readonly MemoryLoss[]) {
    it(`a vector view (vnl_vector_ref) refuses every method after a ${loss}`, async () => {
      await expectDetachedEverywhere(
        () => {
          const buffer = loss === 'shrink' ? resizableBuffer(24) : new ArrayBuffer(24);
          new Float64Array(buffer).set([1, 2, 3]);
          return { object: vnlVectorViewFromArray(new Float64Array(buffer), 'float64'), lose: () => loseMemory(buffer, loss) };
        },
        { calls: vectorCalls, exempt, getters, liveRefusals: ['setSize'] },
      );
    });

    it(`a matrix view (vnl_matrix_ref) refuses every method after a ${loss}`, async () => {
      await expectDetachedEverywhere(
        () => {
          const buffer = loss === 'shrink' ? resizableBuffer(48) : new ArrayBuffer(48);
          new Float64Array(buffer).set([1, 2, 3, 4, 5, 6]);
          const rows = MemoryView.from(new Float64Array(buffer), BufferFlags.FULL).reshape([2, 3]);
          return { object: vnlMatrixViewFromArray(rows, 'float64'), lose: () => loseMemory(buffer, loss) };
        },
        { calls: matrixCalls, exempt, getters, liveRefusals: ['setSize'] },
      );
    });
  }
});
