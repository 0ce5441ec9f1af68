// Hostile callers of BufferStream / MemoryStream around a loss of their memory: random operations
// with random arguments, the memory transferred (or shrunk) at a random step. Invariants: only
// typed errors escape; after the loss no read answers data or end of stream - every operation but
// close fails, and a failing read says ERR_BUFFER_DETACHED. `pnpm fuzz` runs the long mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferFlags, getBuffer, InteropError, releaseBuffer } from '@interop/core';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import { loseMemory, resizableBuffer } from '@interop/core/testing';
import { BufferStream, MemoryStream } from '../src/index.js';

const argument = fc.oneof(fc.integer({ min: -3, max: 20 }), fc.constantFrom(undefined, null, Number.NaN, 1.5, 2 ** 53, 'x'));
const operation = fc.record({
  name: fc.constantFrom('read', 'readInto', 'readAll', 'write', 'seek', 'tell', 'truncate', 'flush', 'size'),
  first: argument,
  second: argument,
});

function run(stream: BufferStream | MemoryStream, op: { name: string; first: unknown; second: unknown }): unknown {
  switch (op.name) {
    case 'read':
      return stream.read(op.first as number);
    case 'readInto':
      return stream.readInto(new Uint8Array(4), op.first as number, op.second as number);
    case 'readAll':
      return stream.readAll();
    case 'write':
      return stream.write(new Uint8Array([1, 2, 3]).subarray(0, Math.max(0, Math.min(3, Number(op.first) || 0))));
    case 'seek':
      return stream.seek(op.first as number, op.second as 0);
    case 'tell':
      return stream.tell();
    case 'truncate':
      return stream.truncate(op.first as number);
    case 'flush':
      return stream.flush();
    default:
      return stream.size;
  }
}

describe('streams: hostile calls around a loss of memory', () => {
  it('only typed errors, and nothing is read from lost memory', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('buffer-transfer', 'buffer-shrink', 'memory'),
        fc.array(operation, { maxLength: 8 }),
        fc.nat(8),
        fc.array(operation, { minLength: 1, maxLength: 4 }),
        (kind, before, _at, after) => {
          let stream: BufferStream | MemoryStream;
          let lose: () => void;
          if (kind === 'memory') {
            const memory = new MemoryStream(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
            stream = memory;
            lose = () => {
              const info = getBuffer(memory, BufferFlags.SIMPLE);
              releaseBuffer(info);
              loseMemory(info.buffer, 'transfer');
            };
          } else {
            const buffer = kind === 'buffer-shrink' ? resizableBuffer(8) : new ArrayBuffer(8);
            new Uint8Array(buffer).fill(7);
            stream = new BufferStream(new Uint8Array(buffer, 0, 8));
            lose = () => loseMemory(buffer, kind === 'buffer-shrink' ? 'shrink' : 'transfer');
          }
          const typed = (op: (typeof before)[number]): string => {
            try {
              const result = run(stream, op);
              // Asking for zero bytes (read(0), an empty readInto or write) touches no memory.
              if (
                (op.name === 'read' || op.name === 'readInto' || op.name === 'write') &&
                (result === 0 || (result instanceof Uint8Array && result.length === 0))
              )
                return 'empty';
              return 'ok';
            } catch (error) {
              expect(InteropError.isInstance(error), `${op.name}: ${String(error)}`).toBe(true);
              return (error as InteropError).code;
            }
          };
          for (const op of before) typed(op);
          const sizeBefore = stream.closed ? 0 : stream.size;
          lose();
          for (const op of after) {
            const code = typed(op);
            // An empty MemoryStream loses nothing; otherwise no operation may succeed on lost memory.
            if (sizeBefore > 0 && code === 'ok') expect.fail(`${op.name}(${String(op.first)}, ${String(op.second)}) succeeded on lost memory`);
            if (sizeBefore > 0 && (op.name === 'read' || op.name === 'readAll') && code !== 'ok' && code !== 'empty')
              expect(['ERR_BUFFER_DETACHED', 'ERR_INVALID_ARGUMENT']).toContain(code);
          }
          stream.close();
        },
      ),
      fuzzOptions(300),
    );
  });
});
