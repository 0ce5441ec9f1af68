// Shared benchmark helpers: timing with warm-up and medians, machine facts, and the writer that
// puts each package's results into its own section of docs/benchmarks.md.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const benchmarksDoc = join(repoRoot, 'docs', 'benchmarks.md');

/**
 * Times `fn` (sync or async): runs it for at least `minTimeMs` after `warmup` calls, in `batch`-sized
 * groups, and returns the median and mean time per call in nanoseconds.
 * @param {() => unknown} fn
 * @param {{ minTimeMs?: number, warmup?: number, batch?: number, minSamples?: number }} [options]
 */
export async function measure(fn, options = {}) {
  const { minTimeMs = 500, warmup = 3, batch = 1, minSamples = 5 } = options;
  for (let i = 0; i < warmup; i++) for (let j = 0; j < batch; j++) await fn();
  const samples = [];
  const start = performance.now();
  while (performance.now() - start < minTimeMs || samples.length < minSamples) {
    const t0 = performance.now();
    for (let j = 0; j < batch; j++) await fn();
    samples.push(((performance.now() - t0) * 1e6) / batch);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { median, mean, samples: samples.length };
}

/** Synchronous twin of `measure` for sub-microsecond operations (no await between calls). */
export function measureSync(fn, options = {}) {
  const { minTimeMs = 500, warmup = 1000, batch = 1000, minSamples = 5 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  const start = performance.now();
  while (performance.now() - start < minTimeMs || samples.length < minSamples) {
    const t0 = performance.now();
    for (let j = 0; j < batch; j++) fn();
    samples.push(((performance.now() - t0) * 1e6) / batch);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  return { median, mean: samples.reduce((a, b) => a + b, 0) / samples.length, samples: samples.length };
}

/**
 * Times several sub-microsecond functions against each other by alternating batches of each
 * (A, B, C, A, B, C...) until every one has `minTimeMs` of samples. On a shared machine, load
 * that comes and goes then hits every candidate alike, so their ratios stay meaningful where
 * back-to-back runs (`measureSync` one after the other) drift apart. Returns one result per
 * function, in order.
 * @param {Array<() => unknown>} fns
 * @param {{ minTimeMs?: number, warmup?: number, batch?: number, minSamples?: number }} [options]
 */
export function measureInterleaved(fns, options = {}) {
  const { minTimeMs = 500, warmup = 1000, batch = 1000, minSamples = 5 } = options;
  for (const fn of fns) for (let i = 0; i < warmup; i++) fn();
  const samples = fns.map(() => []);
  const start = performance.now();
  while (performance.now() - start < minTimeMs * fns.length || samples[0].length < minSamples) {
    for (let k = 0; k < fns.length; k++) {
      const fn = fns[k];
      const t0 = performance.now();
      for (let j = 0; j < batch; j++) fn();
      samples[k].push(((performance.now() - t0) * 1e6) / batch);
    }
  }
  return samples.map((list) => {
    list.sort((a, b) => a - b);
    return { median: list[Math.floor(list.length / 2)], mean: list.reduce((a, b) => a + b, 0) / list.length, samples: list.length };
  });
}

/** Formats nanoseconds for tables. */
export function formatTime(ns) {
  if (ns < 1e3) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** One line describing the machine, for every results section. */
export function machineInfo() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${cpus().length} x ${cpu.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}`;
}

/**
 * Replaces (or appends) the section `id` of docs/benchmarks.md with `markdown`, and prints it.
 * Sections are delimited by `<!-- bench:id:start -->` / `<!-- bench:id:end -->` markers.
 * @param {string} id
 * @param {string} markdown
 */
export function reportBenchmarks(id, markdown) {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${markdown.trim()}\n\n_Measured ${new Date().toISOString().slice(0, 10)} on ${machineInfo()}._\n${end}`;
  let doc = existsSync(benchmarksDoc) ? readFileSync(benchmarksDoc, 'utf8') : '# Benchmarks\n';
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  doc = from >= 0 && to > from ? doc.slice(0, from) + block + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(benchmarksDoc, doc);
  process.stdout.write(`${markdown}\n`);
}

/**
 * Times each case against `baseline` in alternating batches (`measureInterleaved`) and reports its
 * time per call and its ratio to the baseline of the same run into the section `id` of
 * docs/benchmarks.md.
 * @param {{ id: string, title: string, baseline: { name: string, fn: () => unknown }, cases: Array<{ name: string, fn: () => unknown }>, options?: object, reproduce: string }} report
 */
export function reportInterleaved({ id, title, baseline, cases, options, reproduce }) {
  const [base, ...times] = measureInterleaved([baseline.fn, ...cases.map((item) => item.fn)], options);
  const row = (item, k) => {
    const time = times[k].median;
    return `| ${item.name} | ${formatTime(time)} | ${baseline.name} ${formatTime(base.median)} | ${(time / base.median).toFixed(1)}x |`;
  };
  reportBenchmarks(
    id,
    [
      `### ${title}`,
      '',
      '| case | time per call | baseline (same run) | ratio |',
      '|---|---|---|---|',
      ...cases.map(row),
      '',
      `Medians of interleaved batches. Reproduce: \`${reproduce}\`.`,
    ].join('\n'),
  );
}

/**
 * For element-access benchmarks: `next()` cycles through the indices 0..length-1, and `keep(value)`
 * adds each read value to a sink the engine cannot prove unused, so no read is optimized away:
 * `fn: () => keep(view.get(next()))`.
 * @param {number} length
 */
function elementCursor(length) {
  let index = 0;
  let sink = 0;
  return {
    next() {
      const current = index;
      index = index + 1 === length ? 0 : index + 1;
      return current;
    },
    keep(value) {
      sink += value;
    },
    get sink() {
      return sink;
    },
  };
}

/**
 * The element-access benchmark: each case reads one element per call (`fn: () => keep(view.get(next()))`,
 * with `next` and `keep` of `elementCursor(1024)`, given to `cases`), timed against a plain
 * `Float64Array[i]` read of 1024 values in alternating batches, reported as time per call and ratio.
 * @param {{ id: string, title: string, reproduce: string, cases: (cursor: { next: () => number, keep: (value: number) => void }) => Array<{ name: string, fn: () => unknown }> }} report
 */
export function reportElementAccess({ id, title, reproduce, cases }) {
  const data = new Float64Array(1024).map((_, i) => i);
  const cursor = elementCursor(data.length);
  const { next, keep } = cursor;
  reportInterleaved({
    id,
    title,
    baseline: { name: '`Float64Array[i]`', fn: () => keep(data[next()]) },
    cases: cases(cursor),
    options: { minTimeMs: 1500, batch: 100_000, warmup: 200_000 },
    reproduce,
  });
}
