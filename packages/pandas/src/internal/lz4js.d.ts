// lz4js 0.2.0 ships no type declarations; these are the two functions used here.
declare module 'lz4js' {
  /** Compresses bytes to one LZ4 frame. */
  export function compress(source: Uint8Array, maxSize?: number): Uint8Array;
  /** Decompresses one LZ4 frame. */
  export function decompress(source: Uint8Array, maxSize?: number): Uint8Array;
}
