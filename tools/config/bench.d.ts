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
