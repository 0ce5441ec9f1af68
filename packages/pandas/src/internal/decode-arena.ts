import { allocateBytes } from './allocate.js';
import type { CompressedBuffer } from './ipc-bounds.js';

/**
 * One allocation for every decompressed record batch buffer of a read, laid out column by column:
 * the chunks of one column buffer (buffer `i` of every batch) follow each other, so when each
 * chunk's length is a multiple of 8 bytes (64K-row chunks of every fixed-width type) the chunks
 * of a column are one contiguous run and concatenating them needs no copy (see concatColumns).
 * Slots are found by where the compressed bytes sit in the input; a buffer without a slot (a
 * dictionary, bytes copied by the reader) is decoded into memory of its own, as before.
 */
export interface DecodeArena {
  /** The slot planned for the compressed bytes `data` of `declared` uncompressed bytes, once. */
  take(data: Uint8Array, declared: number): Uint8Array | undefined;
}

const align8 = (offset: number): number => (offset + 7) & ~7;

export function planDecodeArena(source: Uint8Array, buffers: readonly CompressedBuffer[]): DecodeArena | null {
  if (buffers.length === 0) return null;
  const byIndex = new Map<number, CompressedBuffer[]>();
  for (const buffer of buffers) {
    const group = byIndex.get(buffer.index);
    if (group === undefined) byIndex.set(buffer.index, [buffer]);
    else group.push(buffer);
  }
  const places = new Map<number, { readonly offset: number; readonly declared: number }>();
  let size = 0;
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    for (const buffer of byIndex.get(index) ?? []) {
      size = align8(size);
      places.set(buffer.position, { offset: size, declared: buffer.declared });
      size += buffer.declared;
    }
  }
  const arena = allocateBytes(align8(size), 'readArrowIPC');
  return {
    take(data, declared) {
      if (data.buffer !== source.buffer) return undefined;
      const place = places.get(data.byteOffset);
      if (place === undefined || place.declared !== declared) return undefined;
      places.delete(data.byteOffset);
      return arena.subarray(place.offset, place.offset + declared);
    },
  };
}
