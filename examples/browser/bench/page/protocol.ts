// What the benchmark page (main.ts) offers the Node driver (../vs-peers.bench.ts) on `window`:
// shared so that both sides agree on case names and shapes.

/** Every case the page can time; each returns its own time in nanoseconds. */
export const browserCases = [
  'readNpy copy',
  'readNpy view',
  'fetch + readNpy',
  'fresh 256 MiB memcpy',
  'MemoryView.copy',
  'fresh 64 MiB memcpy',
  'arrayFromImage',
  'readArrowIPC',
  'writeArrowIPC',
] as const;
export type BrowserCase = (typeof browserCases)[number];

export interface BenchSetup {
  /** Where the page fetches the .npy file and the Feather file (served from the driver's memory). */
  readonly npyUrl: string;
  readonly featherUrl: string;
  /** Items of the MemoryView.copy source (float32). */
  readonly copyItems: number;
  /** The image of arrayFromImage: [x, y, z], float32. */
  readonly imageSize: readonly [number, number, number];
  /** Rows of the Feather frame, for the checks. */
  readonly featherRows: number;
  /** Calls per sample for the O(1) readNpy view case. */
  readonly viewBatch: number;
}

export interface BenchInfo {
  readonly crossOriginIsolated: boolean;
  readonly gcExposed: boolean;
  /** The allocation seam of @interop/core: null means its default, `new ArrayBuffer`. */
  readonly allocator: string | null;
  readonly codecs: { readonly lz4Decode: string; readonly lz4Encode: string };
  readonly npyBytes: number;
  readonly featherBytes: number;
  readonly writtenBytes: number;
}

export interface BenchPage {
  setup(config: BenchSetup): Promise<BenchInfo>;
  /** Runs one case once (after `gc()`) and returns its time in nanoseconds. */
  run(name: BrowserCase): Promise<number>;
  /** Checks every case's result once; returns what was wrong (empty when all is right). */
  verify(): Promise<string[]>;
}

declare global {
  interface Window {
    interopBench?: BenchPage;
  }
}
