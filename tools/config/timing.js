// Timing of one call, shared by the Node benchmarks and the browser benchmark page (no Node
// built-in here, so a page can bundle it): setup (e.g. choose the allocator), a collection when
// `gc()` is exposed (node --expose-gc, Chromium --js-flags=--expose-gc), the call on the clock,
// then `dispose` (release what the call made) after the clock stops.

const collect = () => globalThis.gc?.();

/**
 * @template Value
 * @param {() => void} setup
 * @param {() => Value} fn
 * @param {(value: Value) => void} [dispose]
 * @returns {number} nanoseconds
 */
export function timeOnce(setup, fn, dispose = () => undefined) {
  setup();
  collect();
  const t0 = performance.now();
  const value = fn();
  const elapsed = (performance.now() - t0) * 1e6;
  dispose(value);
  return elapsed;
}

/**
 * @template Value
 * @param {() => void} setup
 * @param {() => Promise<Value>} fn
 * @param {(value: Value) => void} [dispose]
 * @returns {Promise<number>} nanoseconds
 */
export async function timeOnceAsync(setup, fn, dispose = () => undefined) {
  setup();
  collect();
  const t0 = performance.now();
  const value = await fn();
  const elapsed = (performance.now() - t0) * 1e6;
  dispose(value);
  return elapsed;
}
