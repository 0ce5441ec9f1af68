// The hostile-exporter matrix through C borrows, repeated with random cases and consumers (issue 16,
// "make it permanent"): `pnpm fuzz` runs a million. A crash fails the run; so does any untyped
// error, any wrong sum, any export left unbalanced.
import { hostileCases, runHostileCase } from '@interop/core/testing';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heldByNative } from '../src/index.js';
import { sample } from './helpers/sample.js';

describe('C borrows fuzzed with the hostile-exporter matrix', () => {
  it(
    'end every case with a typed error or the exact sum, and release every borrow',
    () => {
      const cases = [...hostileCases({ shape: [16] }), ...hostileCases({ shape: [4, 4] })];
      fc.assert(
        fc.property(fc.constantFrom(...cases), fc.constantFrom('stridedSum', 'fillFloat64', 'borrowRelease'), (hostile, consumer) => {
          const { violation } = runHostileCase(hostile, {
            consume: (exporter) => {
              if (consumer === 'stridedSum') return { sum: sample.stridedSum(exporter) };
              if (consumer === 'fillFloat64') sample.fillFloat64(exporter, 1);
              else sample.borrowRelease(exporter);
              return { sum: 136 };
            },
            values: ({ sum }) => (sum === 136 ? Array.from({ length: 16 }, (_, i) => i + 1) : [sum]),
          });
          expect(violation).toBeNull();
          expect(heldByNative()).toBe(0);
        }),
        fuzzOptions(1000),
      );
    },
    fuzzTimeout,
  );
});
