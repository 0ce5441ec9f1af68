export interface Timing {
  median: number;
  mean: number;
  samples: number;
}
export interface MeasureOptions {
  minTimeMs?: number;
  warmup?: number;
  batch?: number;
  minSamples?: number;
}
/** Times `fn`, returning nanoseconds per call (median and mean). */
export function measure(fn: () => unknown, options?: MeasureOptions): Promise<Timing>;
/** Synchronous twin of `measure` for sub-microsecond operations. */
export function measureSync(fn: () => unknown, options?: MeasureOptions): Timing;
/** Times functions against each other in alternating batches (robust ratios on a shared machine); one Timing per function. */
export function measureInterleaved(fns: ReadonlyArray<() => unknown>, options?: MeasureOptions): Timing[];
export function formatTime(ns: number): string;
export function machineInfo(): string;
/** Replaces the section `id` of docs/benchmarks.md with `markdown` (between bench markers) and prints it. */
export function reportBenchmarks(id: string, markdown: string): void;

export interface InterleavedCase {
  readonly name: string;
  /** One call of what is timed. */
  readonly fn: () => unknown;
}
/** Times each case against `baseline` in alternating batches and reports time per call and ratio into section `id` of docs/benchmarks.md. */
export function reportInterleaved(report: {
  readonly id: string;
  readonly title: string;
  readonly baseline: InterleavedCase;
  readonly cases: readonly InterleavedCase[];
  readonly options?: MeasureOptions;
  readonly reproduce: string;
}): void;

/** Element reads (one per call, indices from `next`, values to `keep`) against `Float64Array[i]`, interleaved, reported into section `id`. */
export function reportElementAccess(report: {
  readonly id: string;
  readonly title: string;
  readonly reproduce: string;
  readonly cases: (cursor: { next(): number; keep(value: number): void }) => readonly InterleavedCase[];
}): void;
