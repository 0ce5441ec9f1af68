// lz4js 0.2.0 ships no type declarations; these are the functions used here.
declare module 'lz4js' {
  /** Compresses bytes to one LZ4 frame. */
  export function compress(source: Uint8Array, maxSize?: number): Uint8Array;
  /** Decompresses one LZ4 frame. */
  export function decompress(source: Uint8Array, maxSize?: number): Uint8Array;
  /** Decompresses one LZ4 frame into `destination` (writes past its end are dropped) and returns the decompressed length. */
  export function decompressFrame(source: Uint8Array, destination: Uint8Array): number;
}
