// The huge-page allocator (issue 15): the cost of fresh memory, first touch included, from
// new ArrayBuffer, from the huge-page allocator as ArrayBuffer and as SharedArrayBuffer with the
// cache of freed regions off, and with it on (the default), zero-filled or not (zeroFill: false,
// for memory the caller overwrites); and the cost of allocation alone while garbage accumulates (where
// V8's external-memory accounting of ArrayBuffers starts garbage collections). Interleaved rounds,
// medians. Run: `pnpm bench native huge-pages`
// (from the repository root: `flock /tmp/interop-bench.lock pnpm --filter @interop/native bench huge-pages`).
import { readFileSync } from 'node:fs';
import { formatTime, machineInfo, reportBenchmarks } from '@interop/config/bench';
import { interleaveRounds } from '@interop/config/peer-timer';
import { allocateHugePages, allocateSharedHugePages, DEFAULT_HUGE_PAGE_CACHE, hugePageStats, setHugePageCache } from '../src/index.js';

const MiB = 2 ** 20;
const ROUNDS = 11;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function touch(allocate: (n: number) => ArrayBufferLike, size: number, cache: number): () => number {
  return () => {
    setHugePageCache({ ...DEFAULT_HUGE_PAGE_CACHE, entries: cache, bytes: 2 ** 30 });
    gc();
    const t0 = performance.now();
    new Uint8Array(allocate(size)).fill(1);
    return (performance.now() - t0) * 1e6;
  };
}

const kinds: [string, (n: number) => ArrayBufferLike, number][] = [
  ['new ArrayBuffer', (n) => new ArrayBuffer(n), 0],
  ['huge pages, ArrayBuffer, no cache', (n) => allocateHugePages(n), 0],
  ['huge pages, SharedArrayBuffer, no cache', (n) => allocateSharedHugePages(n), 0],
  ['huge pages, ArrayBuffer, cache of 4 freed regions (the default)', (n) => allocateHugePages(n), 4],
  ['the same, `zeroFill: false` (memory the caller overwrites)', (n) => allocateHugePages(n, { zeroFill: false }), 4],
];

const thp = ((): string => {
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').trim();
  } catch {
    return 'unavailable';
  }
})();
const lines: string[] = [];
const all: string[] = [];
for (const size of [64 * MiB, 256 * MiB]) {
  const hitsBefore = hugePageStats().cacheHits;
  const results = await interleaveRounds(
    kinds.map(([name, allocate, cache]) => ({ name, run: touch(allocate, size, cache) })),
    ROUNDS,
  );
  const hits = hugePageStats().cacheHits - hitsBefore;
  const base = results[0]!.median;
  for (const result of results)
    lines.push(`| allocate ${size / MiB} MiB + first write (fill) | ${result.name} | ${formatTime(result.median)} | ${(result.median / base).toFixed(2)}x |`);
  lines.push(`| | (cache hits in these rounds: ${hits}) | | |`);
  all.push(...results.map((r) => `${size / MiB} MiB ${r.name}: ${r.samples.map((s) => formatTime(s)).join(', ')}`));
}
setHugePageCache({ entries: 0 });

// Allocation alone, 24 x 256 MiB, each dropped at once and never touched: no gc() in between, so
// garbage accumulates as in a program that loads file after file.
const allocationOnly: string[] = [];
for (const [name, allocate] of kinds.slice(0, 3)) {
  gc();
  const times: number[] = [];
  for (let i = 0; i < 24; i++) {
    const t0 = performance.now();
    allocate(256 * MiB);
    times.push((performance.now() - t0) * 1e6);
  }
  times.sort((a, b) => a - b);
  allocationOnly.push(
    `| allocate 256 MiB (untouched), 24 in a row, garbage accumulating | ${name} | median ${formatTime(times[12]!)}, max ${formatTime(times[23]!)} | total ${formatTime(times.reduce((a, b) => a + b, 0))} |`,
  );
}

reportBenchmarks(
  'native-huge-pages',
  [
    '### @interop/native: the huge-page allocator (issue 15)',
    '',
    '| case | memory from | time (median) | vs new ArrayBuffer |',
    '|---|---|---|---|',
    ...lines,
    ...allocationOnly,
    '',
    `Transparent huge pages here: \`${thp}\`. Each round allocates and fills once with every kind, in rotated order, after \`gc()\`;`,
    `medians of ${ROUNDS} rounds. The cache keeps freed regions for an allocation of about their size and zeroes them again before reuse, unless the request says \`zeroFill: false\`.`,
    'On these virtual machines memory given back to the kernel in large blocks soon costs first-touch faults again (the hypervisor takes it back),',
    'which is why the cache is on by default: a region kept mapped stays warm.',
    '',
    `All samples: ${all.join('; ')}.`,
    '',
    'Figures taken under load (2 shared cores, other work running): expect noise.',
    'Reproduce: `flock /tmp/interop-bench.lock pnpm --filter @interop/native bench huge-pages`',
    '',
    `_Measured ${new Date().toISOString().slice(0, 10)} on ${machineInfo()}._`,
  ].join('\n'),
);
