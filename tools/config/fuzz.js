// Fuzzing budget shared by every *fuzz* test: CI runs `ciRuns` cases per property with a fixed
// seed; `pnpm fuzz` sets INTEROP_FUZZ_RUNS (1,000,000 by default) and INTEROP_FUZZ_SEED. The
// hostile-exporter fuzz files (packages/core/test/hostile-fuzz.test.ts,
// packages/native/test/hostile-fuzz.test.ts) use the same budget.
const envRuns = process.env.INTEROP_FUZZ_RUNS;

/** fast-check options for one fuzz property: `{ numRuns, seed }`. */
export function fuzzOptions(ciRuns) {
  return { numRuns: envRuns === undefined ? ciRuns : Number(envRuns), seed: Number(process.env.INTEROP_FUZZ_SEED ?? 20261121) };
}

/** A vitest timeout that fits the budget (an hour per test in the long mode). */
export const fuzzTimeout = envRuns !== undefined && Number(envRuns) > 10_000 ? 3_600_000 : 120_000;
