// Per-element access with the detached-memory check (assertAttached at method entry):
// MemoryView.get against a plain Float64Array read, measured interleaved in the same run.
// Reproduce: `pnpm bench core` (or `cd packages/core && node ../../tools/scripts/run-bench.mjs element-access`).
import { formatTime, measureInterleaved, reportBenchmarks } from '@interop/config/bench';
import { MemoryView } from '../src/index.js';

const data = new Float64Array(1024).map((_, i) => i);
using view = MemoryView.from(data);
using strided = MemoryView.from(new Float64Array(2048)).slice('::2');
let sink = 0;
let i = 0;
const plain = (): void => {
  sink += data[i]!;
  i = (i + 1) & 1023;
};
const viewGet = (): void => {
  sink += view.get(i);
  i = (i + 1) & 1023;
};
const stridedGet = (): void => {
  sink += strided.get(i);
  i = (i + 1) & 1023;
};
const [baseline, get, stridedTime] = measureInterleaved([plain, viewGet, stridedGet], { minTimeMs: 1500, batch: 100_000, warmup: 200_000 });
if (sink === 0.5) console.log(sink);
const rows = [
  ['MemoryView.get(i), 1-D float64 (TypedArray view)', get!.median],
  ['MemoryView.get(i), 1-D float64 (strided slice)', stridedTime!.median],
] as const;
reportBenchmarks(
  'core-element-access',
  [
    '### @interop/core (element access, with the detached-memory check)',
    '',
    '| case | time per call | baseline (same run) | ratio |',
    '|---|---|---|---|',
    ...rows.map(([name, time]) => `| ${name} | ${formatTime(time)} | \`Float64Array[i]\` ${formatTime(baseline!.median)} | ${(time / baseline!.median).toFixed(1)}x |`),
    '',
    'Medians of interleaved batches. Reproduce: `pnpm bench core`.',
  ].join('\n'),
);
