// Helpers shared by core's test files.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

/** `bytes` pseudo-random bytes from `seed` (a linear congruential generator): reproducible data for copy tests. */
export function filled(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let state = seed >>> 0;
  for (let i = 0; i < bytes; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Lets end-of-task leak registration, garbage collection and finalizers run (10 rounds). */
export async function settleGarbage(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
  }
}

/** Collects the InteropLeakWarning process warnings emitted until `stop()`. */
export function collectLeakWarnings(): { readonly warnings: Error[]; stop(): void } {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => {
    if ((warning as { code?: string }).code === 'INTEROP_LEAKED_EXPORT') warnings.push(warning);
  };
  process.on('warning', onWarning);
  return { warnings, stop: () => process.off('warning', onWarning) };
}
