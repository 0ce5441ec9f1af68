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
