import { BufferFlags, MemoryView } from '@interop/core';
import { pythonPeer } from '@interop/config/python';
import { describe, expect, it } from 'vitest';
import { SharedMemory } from '../../src/index.js';

const peer = pythonPeer(['numpy']);

// Python's resource tracker unlinks every segment a Python process created *or attached* when it
// exits; unregistering keeps the segment's lifetime in the hands of whoever created it.
const prelude = `
import sys
import numpy as np
from multiprocessing import shared_memory, resource_tracker
def attach(name):
    shm = shared_memory.SharedMemory(name=name)
    resource_tracker.unregister(shm._name, "shared_memory")
    return shm
`;

describe.skipIf(!peer.ok)(`peer: numpy and SharedMemory${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  it('Python writes through NumPy into a segment Node created; Node sees it through the view it already holds', () => {
    if (!peer.ok) return;
    const segment = SharedMemory.create(`interop_peer_${process.pid}_a`, 8 * 6);
    const bytes = MemoryView.from(segment, BufferFlags.RECORDS);
    const view = bytes.cast('d');
    try {
      const out = peer.run(
        `${prelude}
shm = attach(sys.argv[1])
array = np.ndarray((6,), dtype=np.float64, buffer=shm.buf)
array[:] = np.arange(6) * 1.5
print(shm.size)
del array
shm.close()
`,
        [segment.name],
      );
      expect(out.toString().trim()).toBe('48');
      // The view was taken before Python wrote: the same memory, no copy.
      expect(view.toList()).toEqual([0, 1.5, 3, 4.5, 6, 7.5]);
      view.set(5, -1);
      const back = peer.run(`${prelude}\nshm = attach(sys.argv[1])\nprint(np.ndarray((6,), dtype=np.float64, buffer=shm.buf)[5])\n`, [segment.name]);
      expect(Number(back.toString().trim())).toBe(-1);
    } finally {
      view.release();
      bytes.release();
      segment.close();
      segment.unlink();
    }
  });

  it("Node attaches to a segment Python created and both see each other's writes", () => {
    if (!peer.ok) return;
    const created = peer.run(
      `${prelude}
shm = shared_memory.SharedMemory(create=True, size=4 * 3 * 4)
resource_tracker.unregister(shm._name, "shared_memory")
grid = np.ndarray((3, 4), dtype=np.int32, buffer=shm.buf)
grid[:] = np.arange(12, dtype=np.int32).reshape(3, 4)
print(shm.name)
del grid
shm.close()
`,
    );
    const name = created.toString().trim();
    const segment = SharedMemory.attach(name);
    try {
      expect(segment.size).toBe(48);
      const bytes = MemoryView.from(segment, BufferFlags.RECORDS);
      const grid = bytes.cast('i', [3, 4]);
      expect(grid.toList()).toEqual([
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, 10, 11],
      ]);
      peer.run(`${prelude}\nshm = attach(sys.argv[1])\nnp.ndarray((3, 4), dtype=np.int32, buffer=shm.buf)[2, 3] = 1000\n`, [name]);
      expect(grid.get([2, 3])).toBe(1000);
      grid.release();
      bytes.release();
    } finally {
      segment.close();
      segment.unlink();
    }
  });
});
