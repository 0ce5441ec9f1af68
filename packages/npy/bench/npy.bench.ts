// B4: loading and saving a 256 MiB float32 .npy file, each against a baseline measured in the same
// run (fs.readFileSync / fs.writeFileSync of the same bytes, npyjs parse), with NumPy's np.load /
// np.save timed on the same file for context. Run: `pnpm bench npy` (from the repository root:
// `flock /tmp/interop-bench.lock pnpm --filter @interop/npy bench`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTime, measure, measureSync, reportBenchmarks } from '@interop/config/bench';
import { parse as npyjsParse } from 'npyjs';
import { readNpy, writeNpy } from '../src/index.js';
import { loadNpy, saveNpy } from '../src/node/index.js';

const SIZE = 256 * 2 ** 20;
const ROUNDS = 15;
const dir = mkdtempSync(join(tmpdir(), 'interop-npy-bench-'));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

try {
  const values = new Float32Array(SIZE / 4);
  for (let i = 0; i < values.length; i++) values[i] = i * 0.5;
  const npyPath = join(dir, 'big.npy');
  const fileBytes = writeNpy(values);
  writeFileSync(npyPath, fileBytes);
  const rawOut = join(dir, 'raw-out.bin');
  const npyOut = join(dir, 'npy-out.npy');

  // The big I/O cases alternate with their baselines round by round, so drift (page cache,
  // other processes on the shared machine) hits both sides equally; each side reports its median.
  async function paired(label: string, subject: () => unknown, baseline: () => unknown): Promise<{ subject: number; baseline: number }> {
    const a: number[] = [];
    const b: number[] = [];
    await subject();
    baseline();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [fn, out] of round % 2 === 0
        ? ([
            [subject, a],
            [baseline, b],
          ] as const)
        : ([
            [baseline, b],
            [subject, a],
          ] as const)) {
        gc();
        const t0 = performance.now();
        await fn();
        out.push((performance.now() - t0) * 1e6);
      }
    }
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    process.stdout.write(`${label}: ${formatTime(median(a))} vs ${formatTime(median(b))}\n`);
    return { subject: median(a), baseline: median(b) };
  }

  const load = await paired(
    'loadNpy vs readFileSync',
    () => loadNpy(npyPath),
    () => readFileSync(npyPath),
  );
  const save = await paired(
    'saveNpy vs writeFileSync',
    () => saveNpy(npyOut, values),
    () => writeFileSync(rawOut, new Uint8Array(values.buffer)),
  );

  // Parsing is O(1): the same call on a 1 KiB file and on the 256 MiB file.
  const bigBytes = new Uint8Array(fileBytes.buffer);
  const smallBytes = writeNpy(new Float32Array(256));
  const parseBig = measureSync(() => readNpy(bigBytes), { minTimeMs: 500, batch: 200, warmup: 200 });
  const parseSmall = measureSync(() => readNpy(smallBytes), { minTimeMs: 500, batch: 200, warmup: 200 });
  const npyjsBig = measureSync(() => npyjsParse(bigBytes.buffer as ArrayBuffer), { minTimeMs: 500, batch: 200, warmup: 200 });
  const loadAsync = await measure(() => loadNpy(npyPath), { minTimeMs: 0, minSamples: 3, warmup: 1 });

  // NumPy on the same file, timed in the same run.
  const python = spawnSync(
    'python3',
    [
      '-c',
      `
import sys, time, json, numpy as np
path, out = sys.argv[1], sys.argv[2]
def t(fn, n=${ROUNDS}):
    fn(); xs = []
    for _ in range(n):
        t0 = time.perf_counter(); fn(); xs.append(time.perf_counter() - t0)
    return sorted(xs)[len(xs) // 2] * 1e9
a = np.load(path)
print(json.dumps({'load': t(lambda: np.load(path)), 'save': t(lambda: np.save(out, a)), 'version': np.__version__}))
`,
      npyPath,
      join(dir, 'numpy-out.npy'),
    ],
    { encoding: 'utf8' },
  );
  const numpy = python.status === 0 ? (JSON.parse(python.stdout) as { load: number; save: number; version: string }) : null;

  const ratio = (x: number, y: number): string => `${(x / y).toFixed(3)}x`;
  const rows = [
    [
      'loadNpy (256 MiB float32)',
      formatTime(load.subject),
      `fs.readFileSync ${formatTime(load.baseline)}`,
      ratio(load.subject, load.baseline),
      '<= 1.05x',
      load.subject / load.baseline <= 1.05 ? 'yes' : 'no',
    ],
    [
      'saveNpy (256 MiB float32)',
      formatTime(save.subject),
      `fs.writeFileSync of the raw bytes ${formatTime(save.baseline)}`,
      ratio(save.subject, save.baseline),
      '<= 1.1x',
      save.subject / save.baseline <= 1.1 ? 'yes' : 'no',
    ],
    [
      'readNpy parse, 256 MiB bytes',
      formatTime(parseBig.median),
      `npyjs parse ${formatTime(npyjsBig.median)}`,
      ratio(parseBig.median, npyjsBig.median),
      'O(1)',
      '',
    ],
    [
      'readNpy parse, 1 KiB bytes',
      formatTime(parseSmall.median),
      `readNpy on 256 MiB ${formatTime(parseBig.median)}`,
      ratio(parseBig.median, parseSmall.median),
      'size-independent (~1x)',
      parseBig.median / parseSmall.median < 2 ? 'yes' : 'no',
    ],
  ];
  const table = [
    '| case | time | baseline (same run) | ratio | goal | met? |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  const context =
    numpy === null
      ? `NumPy context: python3 with numpy not available (${python.stderr.trim().split('\n').at(-1) ?? ''}).`
      : `NumPy ${numpy.version} on the same file, same run (context, not a goal): np.load ${formatTime(numpy.load)} (loadNpy ${ratio(load.subject, numpy.load)} of it), np.save ${formatTime(numpy.save)} (saveNpy ${ratio(save.subject, numpy.save)} of it).`;
  reportBenchmarks(
    'npy',
    `### @interop/npy (B4)

${table}

${context} loadNpy through \`measure\` (async, ${loadAsync.samples} samples): median ${formatTime(loadAsync.median)}.
Load and save medians come from ${ROUNDS} alternating rounds (subject and baseline interleaved, GC before each); the file is in the OS page cache for both sides.
The ratio of the parse rows compares readNpy with npyjs, which also returns a view; both are O(1).

Reproduce: \`flock /tmp/interop-bench.lock pnpm bench npy\``,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
