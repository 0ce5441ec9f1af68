/**
 * Every fresh large byte buffer the Parquet code allocates itself (file ranges read from disk,
 * scratch for page checks) comes from here, so that one place can later be routed to core's
 * allocator seam (huge-page-friendly allocation) without touching the readers.
 */
export function allocateBytes(byteLength: number): Uint8Array {
  return new Uint8Array(byteLength);
}
