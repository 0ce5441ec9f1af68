// B7: exporting native memory to JavaScript is O(1) in its size, and borrowing a JavaScript
// buffer from C (interop_get_buffer + interop_release_buffer) costs at most 1 µs, both measured
// against baselines taken in the same run.
//   flock /tmp/interop-bench.lock pnpm bench native
import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
import { formatTime, measure, measureInterleaved, measureSync, reportBenchmarks } from '@interop/config/bench';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAddon, type NativeBuffer } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, [join(packageDir, 'scripts', 'build.mjs'), '--sample', '--if-missing'], { stdio: 'inherit' });
execFileSync(process.execPath, [join(packageDir, 'scripts', 'build.mjs'), '--if-missing'], { stdio: 'inherit' });

interface Sample {
  exportRegion(size: number): NativeBuffer;
  externalArrayBuffer(size: number): ArrayBuffer;
  emptyCall(): void;
  borrowRelease(value: unknown): void;
  borrowReleaseLoop(value: unknown, count: number): void;
  callLoop(fn: () => void, count: number): void;
}
const sample = createRequire(import.meta.url)(join(packageDir, 'test', 'addon-sample', 'build', 'Release', 'interop_sample.node')) as Sample;
loadAddon(); // the export path below goes through the @interop/native addon: fail early when it is missing
const GiB = 2 ** 30;
const small = 4096;
sample.exportRegion(GiB); // allocates the block once (calloc: pages are not touched)

// One export = interop_export_memory on a native block (a new SharedArrayBuffer and a new
// NativeBuffer each time: nothing is cached between exports, only the calloc'd block is reused, so
// every call is the first export of that memory) and the first protocol export of it from
// JavaScript, as a consumer would use it.
function exportAndView(size: number): void {
  const buffer = sample.exportRegion(size);
  const info = getBuffer(buffer, BufferFlags.RECORDS_RO);
  releaseBuffer(info);
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
// The same, then two event-loop turns: the export's size reaches V8 (napi_adjust_external_memory)
// on the next turn, and any garbage collection V8 starts for it runs there.
async function exportViewAndReport(size: number): Promise<void> {
  exportAndView(size);
  await turn();
  await turn();
}

// Zero-copy evidence: exporting (and viewing) the 1 GiB block many times touches none of its pages.
const rssBefore = process.memoryUsage().rss;
for (let index = 0; index < 200; index++) exportAndView(GiB);
const rssGrowth = process.memoryUsage().rss - rssBefore;

// Each case is measured against its baseline with measureInterleaved (batches of the two alternate
// until each has its time), so load from other processes on this shared machine and GC phases hit
// both alike; the export and borrow comparisons are repeated 3 times and every run is listed.
const median = (runs: number[]): number => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
const exportRuns = { small: [] as number[], large: [] as number[] };
const napiRuns = { small: [] as number[], large: [] as number[] };
const reportRuns = { small: [] as number[], large: [] as number[] };
for (let run = 0; run < 3; run++) {
  const [exportSmallRun, exportLargeRun] = measureInterleaved([() => exportAndView(small), () => exportAndView(GiB)], {
    minTimeMs: 400,
    warmup: 200,
    batch: 200,
  });
  exportRuns.small.push(exportSmallRun!.median);
  exportRuns.large.push(exportLargeRun!.median);
  // Not interleaved: the collections a 1 GiB Node-API buffer triggers would land in the 4 KiB batches.
  napiRuns.small.push(measureSync(() => sample.externalArrayBuffer(small), { minTimeMs: 200, warmup: 20, batch: 20 }).median);
  napiRuns.large.push(measureSync(() => sample.externalArrayBuffer(GiB), { minTimeMs: 200, warmup: 20, batch: 20 }).median);
  reportRuns.small.push((await measure(() => exportViewAndReport(small), { minTimeMs: 300, warmup: 20, batch: 20 })).median);
  reportRuns.large.push((await measure(() => exportViewAndReport(GiB), { minTimeMs: 300, warmup: 20, batch: 20 })).median);
}
const exportSmall = median(exportRuns.small);
const exportLarge = median(exportRuns.large);
const exportRatio = exportLarge / exportSmall;

const data = new Float64Array(1024);
const noop = (): void => {};
const loopCount = 1000;
const emptyRuns: number[] = [];
const borrowRuns: number[] = [];
const javascriptRuns: number[] = [];
for (let run = 0; run < 3; run++) {
  const [emptyRun, borrowRun, javascriptRun] = measureInterleaved(
    [() => sample.emptyCall(), () => sample.borrowRelease(data), () => releaseBuffer(getBuffer(data, BufferFlags.RECORDS_RO))],
    { minTimeMs: 400, batch: 2000 },
  );
  emptyRuns.push(emptyRun!.median);
  borrowRuns.push(borrowRun!.median);
  javascriptRuns.push(javascriptRun!.median);
}
const empty = median(emptyRuns);
const borrow = median(borrowRuns);
const javascriptOnly = median(javascriptRuns);
const [borrowLoop, callLoop] = measureInterleaved([() => sample.borrowReleaseLoop(data, loopCount), () => sample.callLoop(noop, loopCount)], {
  minTimeMs: 500,
  warmup: 5,
  batch: 5,
});
const borrowInC = borrowLoop!.median / loopCount;
const callIntoJavaScript = callLoop!.median / loopCount;
const borrowCost = borrow - empty;

const row = (name: string, time: number, baseline: string, baselineTime: number, goal: string, met: boolean | string): string =>
  `| ${name} | ${formatTime(time)} | ${baseline} ${formatTime(baselineTime)} | ${(time / baselineTime).toFixed(2)} | ${goal} | ${typeof met === 'string' ? met : met ? 'yes' : 'no'} |`;
const list = (runs: number[]): string => runs.map((time) => formatTime(time)).join(', ');

reportBenchmarks(
  'native',
  `## @interop/native (B7)

| case | time | baseline | ratio | goal | met? |
|---|---|---|---|---|---|
${row('export 1 GiB native buffer (interop_export_memory) + first getBuffer/releaseBuffer', exportLarge, 'same for 4 KiB', exportSmall, 'ratio <= 1.20 (O(1))', exportRatio <= 1.2)}
${row('same, then two event-loop turns (the deferred size report to V8 and any GC it starts)', median(reportRuns.large), 'same for 4 KiB', median(reportRuns.small), 'for reference: where the GC cost went', '-')}
${row('Node-API napi_create_external_arraybuffer of 1 GiB (the previous export path)', median(napiRuns.large), 'same for 4 KiB', median(napiRuns.small), 'for reference', '-')}
${row('JS -> C call that borrows a Float64Array and releases it', borrow, 'empty Node-API call', empty, 'borrow + release <= 1 µs over the empty call', borrowCost <= 1000)}
${row('borrow + release from C, in a loop inside one call (per iteration)', borrowInC, 'empty Node-API call', empty, '<= 1 µs', borrowInC <= 1000)}
${row('getBuffer + releaseBuffer in JavaScript only (no C)', javascriptOnly, 'empty Node-API call', empty, 'for reference', '-')}
${row('one call from C into a JavaScript no-op (napi_call_function, in a loop)', callIntoJavaScript, 'empty Node-API call', empty, 'for reference', '-')}

**Export (goal ${exportRatio <= 1.2 ? 'met' : 'not met'}, ratio ${exportRatio.toFixed(2)}).** Each export is the first export of the memory: \`interop_export_memory\`
makes a new SharedArrayBuffer and a new NativeBuffer every call (nothing is cached; only the calloc'd block is reused, so malloc is not
timed). The SharedArrayBuffer is made by the @interop/native addon with the V8 API; V8 does not count shared backing stores as
per-isolate external memory, so the export no longer runs V8's external-memory-pressure GC inside the call. The size is still reported to
V8 (\`napi_adjust_external_memory\`), batched, on the next event-loop turn, so that V8 keeps collecting unreachable exports promptly:
row 2 includes that turn and shows what V8 then does for 1 GiB of reported memory (the cost moved out of the export, it did not
disappear). Row 3 is the previous path, a Node-API external ArrayBuffer, whose creation pays that collection synchronously. Resident
memory grew by ${(rssGrowth / 2 ** 20).toFixed(1)} MiB over 200 exports (and views) of the 1 GiB block: no page is copied or touched.

**Borrow (goal ${borrowCost <= 1000 ? 'met' : 'not met'}).** Borrow + release cost over the empty call: **${formatTime(borrowCost)}** per call (goal <= 1 µs). \`getBuffer\` +
\`releaseBuffer\` of @interop/core alone (row 6, no C) cost ${formatTime(javascriptOnly)}, and one call from C into JavaScript (row 7)
${formatTime(callIntoJavaScript)}; a borrow makes two such calls (borrow, release), so about ${formatTime(javascriptOnly + 2 * callIntoJavaScript)} of the
${formatTime(borrowCost)} is the floor set by core and Node-API. The rest is the C bridge itself: cached references to the bridge
functions, the flags and the token passed in the shared scratch area (no JavaScript number created), a slot table instead of a
Map for the live borrows, and the bounds check in C (row 5 also opens one handle scope per 64 borrows, as a loop should).

Medians of the medians of 3 interleaved runs; every run: export ${list(exportRuns.small)} (4 KiB), ${list(exportRuns.large)} (1 GiB); with the report turn
${list(reportRuns.small)} (4 KiB), ${list(reportRuns.large)} (1 GiB); Node-API external ArrayBuffer ${list(napiRuns.small)} (4 KiB),
${list(napiRuns.large)} (1 GiB); empty call ${list(emptyRuns)}; borrow call ${list(borrowRuns)}.

Reproduce: \`flock /tmp/interop-bench.lock pnpm bench native\``,
);
