// B2: arrayViewFromImage is O(1): a 4 KiB and a 1 GiB float32 image must be viewed within 20% of
// each other's time, and far below a copy of the 1 GiB image, both measured in this run.
// Also reported: the reverse direction (imageViewFromArray) and a plain memcpy of 1 GiB
// (Uint8Array.prototype.set) for context.
// Run from the repository root: `flock /tmp/interop-bench.lock pnpm bench image`.
import { formatTime, machineInfo, measureSync, reportBenchmarks } from '@interop/config/bench';
import { MemoryView } from '@interop/core';
import { arrayFromImage, arrayViewFromImage, Image, imageViewFromArray } from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const small = new Image({ componentType: 'float32', size: [16, 16, 4] }).allocate(); // 4 KiB
const big = new Image({ componentType: 'float32', size: [1024, 1024, 256] }).allocate(); // 1 GiB
big.fill(1);
const smallBytes = small.data.byteLength;
const bigBytes = big.data.byteLength;

function viewOnce(image: Image): void {
  const view = arrayViewFromImage(image);
  view.release();
}

// Small and big alternate round by round so machine drift hits both; each round reports a median.
const rounds = 7;
const smallRounds: number[] = [];
const bigRounds: number[] = [];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [small, big] : [big, small];
  for (const image of order) {
    gc();
    const timing = measureSync(() => viewOnce(image), { minTimeMs: 300, batch: 500, warmup: 500 });
    (image === small ? smallRounds : bigRounds).push(timing.median);
  }
}
const viewSmall = median(smallRounds);
const viewBig = median(bigRounds);

// Reverse direction: an image over an existing array, without a copy.
const smallArray = MemoryView.from(new Float32Array(smallBytes / 4)).reshape([4, 16, 16]);
const bigArray = MemoryView.from(new Float32Array(big.data.buffer as ArrayBuffer)).reshape([256, 1024, 1024]);
const reverseSmallRounds: number[] = [];
const reverseBigRounds: number[] = [];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [smallArray, bigArray] : [bigArray, smallArray];
  for (const array of order) {
    gc();
    const timing = measureSync(() => imageViewFromArray(array).release(), { minTimeMs: 200, batch: 500, warmup: 500 });
    (array === smallArray ? reverseSmallRounds : reverseBigRounds).push(timing.median);
  }
}
const reverseSmall = median(reverseSmallRounds);
const reverseBig = median(reverseBigRounds);
smallArray.release();
bigArray.release();

// Baselines: a copy of the 1 GiB image (arrayFromImage), and memcpy of its bytes into a preallocated buffer.
const copies: number[] = [];
const memcpys: number[] = [];
const target = new Uint8Array(bigBytes);
const source = new Uint8Array(big.data.buffer as ArrayBuffer);
for (let round = 0; round < 5; round++) {
  gc();
  let t0 = performance.now();
  const copy = arrayFromImage(big);
  copies.push((performance.now() - t0) * 1e6);
  copy.release();
  gc();
  t0 = performance.now();
  target.set(source);
  memcpys.push((performance.now() - t0) * 1e6);
}
const copyBig = median(copies);
const memcpyBig = median(memcpys);

const sizeRatio = viewBig / viewSmall;
const copyRatio = viewBig / copyBig;
const reverseRatio = reverseBig / reverseSmall;
const yes = (ok: boolean): string => (ok ? 'yes' : '**no**');
const rows = [
  `| arrayViewFromImage, 1 GiB float32 [256, 1024, 1024] | ${formatTime(viewBig)} | ${formatTime(viewSmall)} (same call, 4 KiB image) | ${sizeRatio.toFixed(3)} | <= 1.20 | ${yes(sizeRatio <= 1.2 && sizeRatio >= 1 / 1.2)} |`,
  `| arrayViewFromImage vs a copy, 1 GiB | ${formatTime(viewBig)} | ${formatTime(copyBig)} (arrayFromImage) | ${copyRatio.toExponential(2)} | reported (O(1) vs O(n)) | - |`,
  `| imageViewFromArray, 1 GiB vs 4 KiB | ${formatTime(reverseBig)} | ${formatTime(reverseSmall)} | ${reverseRatio.toFixed(3)} | <= 1.20 (extra) | ${yes(reverseRatio <= 1.2 && reverseRatio >= 1 / 1.2)} |`,
  `| arrayFromImage copy vs memcpy, 1 GiB | ${formatTime(copyBig)} | ${formatTime(memcpyBig)} (Uint8Array.prototype.set) | ${(copyBig / memcpyBig).toFixed(2)} | reported (context) | - |`,
];
const markdown = [
  '### @interop/image: B2, array views of images',
  '',
  `Machine: ${machineInfo()}. Reproduce: \`flock /tmp/interop-bench.lock pnpm bench image\` (bench/array-view.bench.ts).`,
  'A "view" is `arrayViewFromImage(image)` plus `release()` of the returned MemoryView; sizes are',
  `${smallBytes} bytes and ${bigBytes} bytes. The 4 KiB / 1 GiB cases alternate over ${rounds} rounds (median of round medians).`,
  "Most of the per-view time is core's `getBuffer` / `MemoryView.from` bookkeeping (validation, leak tracking), the same for every size.",
  'The copy baselines allocate fresh memory (page faults included) on a 2-core machine shared with other jobs: they vary between runs.',
  '',
  '| case | time | baseline (same run) | ratio | goal | met? |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
reportBenchmarks('image', markdown);
