// Minimal declarations for fft.js (it ships none).
declare module 'fft.js' {
  class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Complex forward transform of interleaved [re, im, ...] values. */
    transform(output: ArrayLike<number> & { [index: number]: number }, input: ArrayLike<number>): void;
  }
  export = FFT;
}
