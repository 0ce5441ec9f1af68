/** Runs `setup`, collects garbage when `gc()` is exposed, times one call of `fn`, then `dispose`s its result off the clock. Nanoseconds. */
export function timeOnce<Value>(setup: () => void, fn: () => Value, dispose?: (value: Value) => void): number;
/** The same for an asynchronous `fn` (the clock stops when its promise settles). */
export function timeOnceAsync<Value>(setup: () => void, fn: () => Promise<Value>, dispose?: (value: Value) => void): Promise<number>;
