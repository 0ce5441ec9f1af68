// The demo's live step: one array shared with a running Python process through a .npy file in
// shared memory (createSharedNpy). Python writes into it with plain NumPy; Node sees the write
// through the view it already holds. No copy, no message but the file's name.
import { execFileSync } from 'node:child_process';
import { MemoryView } from '@interop/core';
import { createSharedNpy } from '@interop/npy/node';
import { findPython } from '@interop/config/python';

const script = String.raw`
import sys
import numpy as np
a = np.load(sys.argv[1], mmap_mode='r+')   # a numpy.memmap over the same pages as Node's view
print(f"{a.dtype} {a.shape} sum={a.sum():g}")
a[1, 2] = -1.5                              # written in place: Node sees it at once
a.flush()
`;

/** Runs the step; returns the lines to print, or why it was skipped. */
export async function liveShare(): Promise<{ lines: string[]; ok: boolean } | { skipped: string }> {
  const found = findPython(['numpy']);
  if (!found.ok) return { skipped: found.reason };
  let shared;
  try {
    shared = await createSharedNpy(`interop_demo_${process.pid}`, { format: 'f', shape: [3, 4] });
  } catch (error) {
    return { skipped: `@interop/native could not create shared memory here (${(error as Error).message})` };
  }
  try {
    using view = MemoryView.from(shared);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) view.set([i, j], i * 4 + j);
    const python = execFileSync(found.python, ['-c', script, shared.path], { encoding: 'utf8', timeout: 60_000 }).trim();
    const seen = view.get([1, 2]) as number;
    return {
      ok: seen === -1.5,
      lines: [
        `Node filled ${shared.path} (float32, 3 x 4) and started Python: np.load(path, mmap_mode='r+') saw ${python}`,
        `Python wrote -1.5 at [1, 2]; Node's view, held all along, now reads ${String(seen)} there: one copy of the memory, two processes`,
      ],
    };
  } finally {
    shared.close();
    shared.unlink();
  }
}
