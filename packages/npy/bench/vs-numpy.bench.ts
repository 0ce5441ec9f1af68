// vs NumPy (issue 15): loadNpy / saveNpy of a 256 MiB float32 .npy against np.load / np.save run
// by Python in the same benchmark, interleaved round by round, with the huge-page allocator of
// @interop/native registered and without it (new ArrayBuffer). Run: `pnpm bench npy vs-numpy`
// (from the repository root: `flock /tmp/interop-bench.lock pnpm --filter @interop/npy bench vs-numpy`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTime, machineInfo, reportBenchmarks } from '@interop/config/bench';
import { interleaveRounds, startPythonTimer } from '@interop/config/peer-timer';
import { timeOnceAsync } from '@interop/config/timing';
import { resetAllocator } from '@interop/core';
import { hugePageStats, installNativeAllocator } from '@interop/native';
import { writeNpy } from '../src/index.js';
import { loadNpy, saveNpy } from '../src/node/index.js';

const SIZE = 256 * 2 ** 20;
const ROUNDS = 9;
const dir = mkdtempSync(join(tmpdir(), 'interop-npy-vs-numpy-'));
const huge = (): void => {
  if (!installNativeAllocator({ force: true, threshold: 4 * 2 ** 20 })) throw new Error('the huge-page allocator is not available (build @interop/native)');
};

const timer = await startPythonTimer(['numpy']);
try {
  if (!timer.ok) throw new Error(`NumPy is needed for this benchmark: ${timer.reason}`);
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
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
  const row = (name: string, ours: number, peerName: string, peer: number, goal: string, met: string): string => `| ${name} | ${formatTime(ours)} | ${peerName} ${formatTime(peer)} | ${ratio(ours, peer)} | ${goal} | ${met} |`;
  const samples = (list: { name: string; samples: number[] }[]): string => list.map((x) => `${x.name}: ${x.samples.map((s) => formatTime(s)).join(', ')}`).join('; ');
  reportBenchmarks(
    'vs-numpy-npy',
    [
      `### @interop/npy vs NumPy ${numpyVersion}: load and save 256 MiB float32 (issue 15)`,
      '',
      '| case | ours | NumPy, same run | ratio | goal | met? |',
      '|---|---|---|---|---|---|',
      row('`loadNpy`, huge-page allocator of @interop/native (the default with it installed)', loadHuge, '`np.load`', npLoad, '<= 1.2x', loadHuge / npLoad <= 1.2 ? 'yes' : 'no'),
      row('`loadNpy`, without it (`INTEROP_ALLOCATOR=default`: new ArrayBuffer)', loadDefault, '`np.load`', npLoad, 'report', '-'),
      row('`fs.readFileSync` of the same file (Node baseline)', readFile, '`np.load`', npLoad, 'context', '-'),
      row('`saveNpy`, huge-page allocator', saveHuge, '`np.save`', npSave, 'report', '-'),
      row('`saveNpy`, new ArrayBuffer', saveDefault, '`np.save`', npSave, 'report', '-'),
      row('`fs.writeFileSync` of the same bytes (Node baseline)', writeFile, '`np.save`', npSave, 'context', '-'),
      '',
      `Each round runs every case once, in rotated order (Python's timings come from one persistent NumPy process driven by the`,
      `benchmark, \`gc.collect()\` before each; ours after \`gc()\`); medians of ${ROUNDS} rounds after one warm-up. \`loadNpy\` reads the header, then`,
      `reads the data once into memory from \`allocateBuffer\`: with the huge-page allocator that memory is 2 MiB-aligned and`,
      `\`MADV_HUGEPAGE\`-marked (${advised} regions marked during the load rounds), as NumPy's is, so the kernel faults it in 2 MiB at a time.`,
      'Without it, `new ArrayBuffer` memory faults in 4 KiB pages: that, not the read, is the gap to NumPy (the same as `fs.readFileSync`).',
      '`saveNpy` allocates nothing for contiguous data (one write from the source memory), so the allocator does not change it; it costs what `fs.writeFileSync` of the same bytes costs, so its gap to `np.save` is in the Node write path, not in this package.',
      '',
      `All samples: ${samples(load)}; ${samples(save)}.`,
      '',
      'Figures taken under load (2 shared cores, other work running): expect noise; the ratios are from interleaved medians.',
      'Reproduce: `flock /tmp/interop-bench.lock pnpm --filter @interop/npy bench vs-numpy`',
      '',
      `_Measured ${new Date().toISOString().slice(0, 10)} on ${machineInfo()}._`,
    ].join('\n'),
  );
} finally {
  if (timer.ok) timer.close();
  rmSync(dir, { recursive: true, force: true });
}
