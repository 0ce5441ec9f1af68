import type * as ParquetWasm from 'parquet-wasm';
import { PandasError } from '../errors/pandas-error.js';

/** The parquet-wasm module (an optional peer dependency), as this package uses it. */
export type ParquetEngine = typeof ParquetWasm;

let loading: Promise<ParquetEngine> | undefined;

/**
 * Loads parquet-wasm once, on first use: its 5 MB WebAssembly module is compiled only by
 * programs that read or write Parquet. Under Node the package's `node` build instantiates
 * itself on import; the browser (`esm`) build needs its default export called once.
 */
export function loadParquetEngine(operation: string): Promise<ParquetEngine> {
  loading ??= importEngine().catch((error: unknown) => {
    loading = undefined;
    throw new PandasError(
      'ERR_PANDAS_ADAPTER_UNAVAILABLE',
      `${operation} needs the optional peer dependency parquet-wasm (0.8.x), which could not be loaded: ${error instanceof Error ? error.message : String(error)}. Install it next to @interop/pandas (e.g. \`pnpm add parquet-wasm@0.8.0\`).`,
      { cause: error, details: { operation, dependency: 'parquet-wasm' } },
    );
  });
  return loading;
}

async function importEngine(): Promise<ParquetEngine> {
  // A variable specifier keeps bundlers and TypeScript from resolving the optional peer eagerly.
  const specifier = 'parquet-wasm';
  const engine = (await import(/* @vite-ignore */ specifier)) as ParquetEngine & { default?: unknown };
  if (typeof engine.default === 'function') await (engine.default as () => Promise<unknown>)();
  return engine;
}
