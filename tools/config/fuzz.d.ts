/** fast-check options for one fuzz property: CI's bounded count, or INTEROP_FUZZ_RUNS in the long mode. */
export function fuzzOptions(ciRuns: number): { numRuns: number; seed: number };
/** A vitest timeout that fits the fuzzing budget. */
export const fuzzTimeout: number;
