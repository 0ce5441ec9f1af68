// hyparquet-compressors ships types for its index only; this is the one deep module used here.
declare module 'hyparquet-compressors/src/brotli.js' {
  /** Decompresses Brotli into a buffer of `outputLength` bytes; throws when the output would be larger. */
  export function decompressBrotli(input: Uint8Array, outputLength: number): Uint8Array;
}
