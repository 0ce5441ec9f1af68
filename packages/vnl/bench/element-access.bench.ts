// VnlVector.get / VnlMatrix.get (with the detached-memory check at method entry) against a plain
// Float64Array read, measured interleaved in the same run.
// Reproduce: `pnpm bench vnl` (or `cd packages/vnl && node ../../tools/scripts/run-bench.mjs element-access`).
import { formatTime, measureInterleaved, reportBenchmarks } from '@interop/config/bench';
import { VnlMatrix, VnlVector } from '../src/index.js';

const data = new Float64Array(1024).map((_, i) => i);
const vector = VnlVector.from('float64', data);
const matrix = new VnlMatrix('float64', 32, 32);
let sink = 0;
let i = 0;
const plain = (): void => {
  sink += data[i]!;
  i = (i + 1) & 1023;
};
const vectorGet = (): void => {
  sink += vector.get(i);
  i = (i + 1) & 1023;
};
const matrixGet = (): void => {
  sink += matrix.get(i >> 5, i & 31);
  i = (i + 1) & 1023;
};
const [baseline, vectorTime, matrixTime] = measureInterleaved([plain, vectorGet, matrixGet], { minTimeMs: 1500, batch: 100_000, warmup: 200_000 });
if (sink === 0.5) console.log(sink);
const rows = [
  ['VnlVector.get(i), float64', vectorTime!.median],
  ['VnlMatrix.get(r, c), float64', matrixTime!.median],
] as const;
reportBenchmarks(
  'vnl-element-access',
  [
    '### @interop/vnl (element access, with the detached-memory check)',
    '',
    '| case | time per call | baseline (same run) | ratio |',
    '|---|---|---|---|',
    ...rows.map(([name, time]) => `| ${name} | ${formatTime(time)} | \`Float64Array[i]\` ${formatTime(baseline!.median)} | ${(time / baseline!.median).toFixed(1)}x |`),
    '',
    'Medians of interleaved batches. Reproduce: `pnpm bench vnl`.',
  ].join('\n'),
);
