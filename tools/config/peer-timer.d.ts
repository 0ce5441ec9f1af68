export interface PythonTimer {
  readonly ok: true;
  readonly python: string;
  /** Runs `code` in the persistent namespace (setup: imports, arrays), untimed. */
  exec(code: string): Promise<void>;
  /** Runs `code` once and returns its time in nanoseconds; `_` is deleted afterwards, untimed. */
  time(code: string): Promise<number>;
  close(): void;
}

/** Starts a Python process (the peer interpreter of pythonPeer) for timings interleaved with ours. */
export function startPythonTimer(modules?: string[]): Promise<PythonTimer | { ok: false; reason: string }>;

export interface RoundCase {
  readonly name: string;
  /** One timed execution; returns its own time in nanoseconds. */
  run(): number | Promise<number>;
}

/** Runs the cases once per round in rotated order (after one untimed warm-up each); medians in ns. */
export function interleaveRounds(cases: readonly RoundCase[], rounds: number): Promise<{ name: string; median: number; samples: number[] }[]>;

/** Starts the Python timer, runs `body` with it and closes it; throws when the modules cannot be imported. */
export function withPythonTimer<T>(modules: string[], body: (timer: PythonTimer) => Promise<T>): Promise<T>;

/** A `timeOnce` setup that registers @interop/native's huge-page allocator (passed in) or fails the benchmark. */
export function hugePageSetup(installNativeAllocator: (options: { force: boolean; threshold: number }) => boolean, threshold?: number): () => void;

export interface RoundsRow {
  readonly name: string;
  /** Our median, ns. */
  readonly ours: number;
  /** The baseline's name as the table shows it, e.g. "NumPy `a.copy()`". */
  readonly baselineName: string;
  /** The baseline's median of the same run, ns. */
  readonly baseline: number;
  /** Default "report". */
  readonly goal?: string;
  /** The ratio ours / baseline the goal allows: "met?" says yes or no (else "-"). */
  readonly limit?: number;
}

export interface RoundsReport {
  /** The section of docs/benchmarks.md. */
  readonly id: string;
  readonly title: string;
  readonly rounds: number;
  readonly rows: readonly RoundsRow[];
  /** What interleaveRounds returned, every list: their samples are listed. */
  readonly results: ReadonlyArray<ReadonlyArray<{ readonly name: string; readonly samples: readonly number[] }>>;
  /** The command that reproduces it. */
  readonly reproduce: string;
  /** Lines after the method. */
  readonly notes?: readonly string[];
  /** Header of the baseline column (default "baseline, same run"). */
  readonly baselineHeader?: string;
}

/** Writes a section of docs/benchmarks.md for interleaved rounds against a peer (table, method, notes, samples, how to reproduce). */
export function reportRounds(report: RoundsReport): void;
