import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytesIOModel, MemoryStreamRunner, operationArbitrary } from './bytes-io-model.js';

describe('MemoryStream against a BytesIO reference model', () => {
  it('agrees on every result, error, position and content for random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 }), fc.array(operationArbitrary, { maxLength: 40 }), (initial, operations) => {
        const model = new BytesIOModel(initial);
        const runner = new MemoryStreamRunner(initial);
        try {
          for (const [index, operation] of operations.entries()) {
            const expected = model.apply(operation);
            const actual = runner.apply(operation);
            const context = `step ${index}: ${JSON.stringify(operation)}`;
            expect(actual, context).toEqual(expected);
            expect(runner.stream.tell(), context).toBe(model.position);
            expect([...runner.stream.getValue()], context).toEqual(model.data);
            expect(runner.stream.exports, context).toBe(model.exports);
          }
        } finally {
          runner.dispose();
        }
      }),
      { numRuns: 300 },
    );
  });
});
