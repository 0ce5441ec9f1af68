// Minimal declarations for the scijs packages the benchmarks compare against (they ship none).
declare module 'ndarray' {
  interface NdArray {
    readonly shape: number[];
    transpose(...axes: number[]): NdArray;
  }
  function ndarray(data: ArrayLike<number>, shape?: number[], stride?: number[], offset?: number): NdArray;
  export = ndarray;
}
declare module 'ndarray-ops' {
  const ops: { assign(target: unknown, source: unknown): void };
  export = ops;
}
