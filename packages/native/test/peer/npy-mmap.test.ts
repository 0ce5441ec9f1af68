import { BufferFlags, MemoryView } from '@interop/core';
import { pythonPeer } from '@interop/config/python';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapFile } from '../../src/index.js';
import { sample } from '../helpers/sample.js';
import { temporaryDirectory } from '../helpers/temporary.js';

const peer = pythonPeer(['numpy']);

/** Reads a version 1.0 .npy header from mapped bytes (just enough for this test; @interop/npy does it properly). */
function npyHeader(bytes: MemoryView): { header: string; dataOffset: number } {
  const headView = bytes.slice('0:10');
  const head = headView.toList() as number[];
  headView.release();
  expect(head.slice(0, 6)).toEqual([0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0))]);
  expect(head[6]).toBe(1);
  const headerLength = head[8]! + 256 * head[9]!;
  const headerView = bytes.slice(`10:${10 + headerLength}`);
  const header = String.fromCharCode(...(headerView.toList() as number[]));
  headerView.release();
  return { header, dataOffset: 10 + headerLength };
}

describe.skipIf(!peer.ok)(`peer: numpy .npy files through mapFile${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  it('maps a .npy written by NumPy and reads its float32 data in place', () => {
    if (!peer.ok) return;
    const path = join(temporaryDirectory('interop-npy-'), 'grid.npy');
    peer.run(`import sys, numpy as np\nnp.save(sys.argv[1], (np.arange(12, dtype='<f4') / 4).reshape(3, 4))\n`, [path]);
    const file = mapFile(path, { mode: 'r' });
    const bytes = MemoryView.from(file, BufferFlags.RECORDS_RO);
    const { header, dataOffset } = npyHeader(bytes);
    expect(header).toContain("'descr': '<f4'");
    expect(header).toContain("'shape': (3, 4)");
    expect(dataOffset % 64).toBe(0);
    const data = bytes.slice(`${dataOffset}:`);
    const grid = data.cast('f', [3, 4]);
    expect(grid.get([2, 3])).toBe(11 / 4);
    expect(sample.stridedSum(grid)).toBe(66 / 4);
    grid.release();
    data.release();
    bytes.release();
    file.close();
  });

  it("writes through mode 'r+' reach NumPy's np.load", () => {
    if (!peer.ok) return;
    const path = join(temporaryDirectory('interop-npy-'), 'ones.npy');
    peer.run(`import sys, numpy as np\nnp.save(sys.argv[1], np.ones(5, dtype='<f8'))\n`, [path]);
    const file = mapFile(path, { mode: 'r+' });
    const bytes = MemoryView.from(file, BufferFlags.RECORDS);
    const { dataOffset } = npyHeader(bytes);
    const data = bytes.slice(`${dataOffset}:`);
    const values = data.cast('d');
    sample.fillFloat64(values, 7.25);
    values.release();
    data.release();
    bytes.release();
    file.flush();
    file.close();
    const out = peer.run(`import sys, numpy as np\nprint(np.load(sys.argv[1], mmap_mode='r').tolist())\n`, [path]);
    expect(out.toString().trim()).toBe('[7.25, 7.25, 7.25, 7.25, 7.25]');
  });
});
