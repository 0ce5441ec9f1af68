// vs NumPy (issue 15): loadNpy / saveNpy of a 256 MiB float32 .npy against np.load / np.save run
// by Python in the same benchmark, interleaved round by round, with the huge-page allocator of
// @interop/native registered and without it (new ArrayBuffer). Run: `pnpm bench npy vs-numpy`
// (from the repository root: `flock /tmp/interop-bench.lock pnpm --filter @interop/npy bench vs-numpy`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hugePageSetup, interleaveRounds, reportRounds, withPythonTimer } from '@interop/config/peer-timer';
import { timeOnceAsync } from '@interop/config/timing';
import { resetAllocator } from '@interop/core';
import { hugePageStats, installNativeAllocator } from '@interop/native';
import { writeNpy } from '../src/index.js';
import { loadNpy, saveNpy } from '../src/node/index.js';

const SIZE = 256 * 2 ** 20;
const ROUNDS = 9;
const dir = mkdtempSync(join(tmpdir(), 'interop-npy-vs-numpy-'));
const huge = hugePageSetup(installNativeAllocator);

try {
  await withPythonTimer(['numpy'], async (timer) => {
    const values = new Float32Array(SIZE / 4);
    for (let i = 0; i < values.length; i++) values[i] = i * 0.5;
    const path = join(dir, 'big.npy');
    writeFileSync(path, writeNpy(values));
    const ourOut = join(dir, 'ours-out.npy');
    const numpyOut = join(dir, 'numpy-out.npy');
    await timer.exec(`import numpy as np\npath = ${JSON.stringify(path)}\nout = ${JSON.stringify(numpyOut)}\na = np.load(path)\nversion = np.__version__`);
    const close = (array: unknown): void => (array as { close(): void }).close();

    const advisedBefore = hugePageStats().advised;
    const load = await interleaveRounds(
      [
        { name: 'loadNpy, huge-page allocator', run: () => timeOnceAsync(huge, () => loadNpy(path), close) },
        { name: 'loadNpy, new ArrayBuffer', run: () => timeOnceAsync(resetAllocator, () => loadNpy(path), close) },
        { name: 'np.load', run: () => timer.time('_ = np.load(path)') },
        { name: 'fs.readFileSync', run: () => timeOnceAsync(resetAllocator, () => Promise.resolve(readFileSync(path))) },
      ],
      ROUNDS,
    );
    const advised = hugePageStats().advised - advisedBefore;
    const save = await interleaveRounds(
      [
        { name: 'saveNpy, huge-page allocator', run: () => timeOnceAsync(huge, () => saveNpy(ourOut, values)) },
        { name: 'saveNpy, new ArrayBuffer', run: () => timeOnceAsync(resetAllocator, () => saveNpy(ourOut, values)) },
        { name: 'np.save', run: () => timer.time('np.save(out, a)') },
        { name: 'fs.writeFileSync', run: () => timeOnceAsync(resetAllocator, () => Promise.resolve(writeFileSync(ourOut, new Uint8Array(values.buffer)))) },
      ],
      ROUNDS,
    );
    const versionOut = join(dir, 'version.txt');
    await timer.exec(`open(${JSON.stringify(versionOut)}, 'w').write(version)`);
    const numpyVersion = readFileSync(versionOut, 'utf8');

    const [loadHuge, loadDefault, npLoad, readFile] = load.map((x) => x.median) as [number, number, number, number];
    const [saveHuge, saveDefault, npSave, writeFile] = save.map((x) => x.median) as [number, number, number, number];
    reportRounds({
      id: 'vs-numpy-npy',
      title: `@interop/npy vs NumPy ${numpyVersion}: load and save 256 MiB float32 (issue 15)`,
      baselineHeader: 'NumPy, same run',
      rounds: ROUNDS,
      rows: [
        {
          name: '`loadNpy`, huge-page allocator of @interop/native (the default with it installed)',
          ours: loadHuge,
          baselineName: '`np.load`',
          baseline: npLoad,
          goal: '<= 1.2x',
          limit: 1.2,
        },
        { name: '`loadNpy`, without it (`INTEROP_ALLOCATOR=default`: new ArrayBuffer)', ours: loadDefault, baselineName: '`np.load`', baseline: npLoad },
        { name: '`fs.readFileSync` of the same file (Node baseline)', ours: readFile, baselineName: '`np.load`', baseline: npLoad, goal: 'context' },
        { name: '`saveNpy`, huge-page allocator', ours: saveHuge, baselineName: '`np.save`', baseline: npSave },
        { name: '`saveNpy`, new ArrayBuffer', ours: saveDefault, baselineName: '`np.save`', baseline: npSave },
        { name: '`fs.writeFileSync` of the same bytes (Node baseline)', ours: writeFile, baselineName: '`np.save`', baseline: npSave, goal: 'context' },
      ],
      notes: [
        '`loadNpy` reads the header, then reads the data once into memory from `allocateBuffer`: with the huge-page allocator that memory is',
        `2 MiB-aligned and \`MADV_HUGEPAGE\`-marked (${advised} regions marked during the load rounds), as NumPy's is, so the kernel faults it in 2 MiB at a time.`,
        'Without it, `new ArrayBuffer` memory faults in 4 KiB pages: that, not the read, is the gap to NumPy (the same as `fs.readFileSync`).',
        '`saveNpy` allocates nothing for contiguous data (one write from the source memory), so the allocator does not change it; it costs what',
        '`fs.writeFileSync` of the same bytes costs, so its gap to `np.save` is in the Node write path, not in this package.',
      ],
      results: [load, save],
      reproduce: 'flock /tmp/interop-bench.lock pnpm --filter @interop/npy bench vs-numpy',
    });
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
