import { allocateBytes } from './allocate.js';
import type { CompressedBuffer } from './ipc-bounds.js';
import type { SystemDecoder, SystemRange } from './system-codecs.js';

/** A planned slot of the arena: where one compressed buffer decompresses to. */
export interface ArenaSlot {
  /** `declared` bytes of the arena. */
  readonly bytes: Uint8Array;
  /** True when `decodeAhead` has already decompressed the buffer into it (length checked). */
  readonly decoded: boolean;
}

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
  take(data: Uint8Array, declared: number): ArenaSlot | undefined;
  /**
   * Decompresses every planned buffer of `codec` now, with one call of a system decoder (which
   * spreads the buffers over threads). `check` runs on each buffer's compressed bytes first (the
   * frame header checks every decoder gets). Throws when a buffer does not decompress to exactly
   * its declared length.
   */
  decodeAhead(codec: 'lz4' | 'zstd', decoder: SystemDecoder, check: (bytes: Uint8Array, declared: number) => void): void;
}

interface Place {
  readonly offset: number;
  readonly declared: number;
  readonly compressed: number;
  readonly codec: 'lz4' | 'zstd';
  decoded: boolean;
}

const align8 = (offset: number): number => (offset + 7) & ~7;

/**
 * Plans (and allocates) the arena for `buffers`, the compressed buffers `checkIpcBounds` found in
 * `source`. `limit` is the read's maxDecompressedBytes: a plan larger than it is refused by
 * `refuse` (which throws the typed limit error) before anything is allocated. `filledAhead(codec)`
 * says whether `decodeAhead` will fill every slot of that codec before the arena is used: when it
 * holds for every buffer, the arena is allocated without zero-filling (recycled memory keeps old
 * bytes until the decoders overwrite them; the padding between slots is zeroed here).
 */
export function planDecodeArena(
  source: Uint8Array,
  buffers: readonly CompressedBuffer[],
  limit: number,
  refuse: (total: number) => never,
  filledAhead: (codec: 'lz4' | 'zstd') => boolean,
): DecodeArena | null {
  if (buffers.length === 0) return null;
  const byIndex = new Map<number, CompressedBuffer[]>();
  for (const buffer of buffers) {
    const group = byIndex.get(buffer.index);
    if (group === undefined) byIndex.set(buffer.index, [buffer]);
    else group.push(buffer);
  }
  const places = new Map<number, Place>();
  let size = 0;
  let declaredTotal = 0;
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    for (const buffer of byIndex.get(index) ?? []) {
      declaredTotal += buffer.declared;
      // Two buffers of a (crafted) file may point at the same compressed bytes: one slot serves the
      // first; the second decodes into memory of its own. A slot reserved for it would never be
      // written, and with zeroFill: false it would show whatever recycled memory held before.
      if (places.has(buffer.position)) continue;
      size = align8(size);
      places.set(buffer.position, { offset: size, declared: buffer.declared, compressed: buffer.compressed, codec: buffer.codec, decoded: false });
      size += buffer.declared;
    }
  }
  // Each batch was checked against the limit on its own; the read as a whole must fit it too.
  if (declaredTotal > limit) refuse(declaredTotal);
  // An arena whose every slot a system decoder fills ahead (else one slot could be left unwritten
  // by a read that fails after it) need not be zeroed first; its padding is zeroed below.
  const overwritten = buffers.every((buffer) => filledAhead(buffer.codec));
  const arena = allocateBytes(align8(size), 'readArrowIPC', overwritten ? { zeroFill: false } : undefined);
  if (overwritten) {
    const ends = [...places.values()].map((place) => place.offset + place.declared).sort((a, b) => a - b);
    for (const end of ends) arena.fill(0, end, align8(end));
  }
  return {
    take(data, declared) {
      if (data.buffer !== source.buffer) return undefined;
      const place = places.get(data.byteOffset);
      if (place === undefined || place.declared !== declared) return undefined;
      places.delete(data.byteOffset);
      return { bytes: arena.subarray(place.offset, place.offset + declared), decoded: place.decoded };
    },
    decodeAhead(codec, decoder, check) {
      const chosen: Place[] = [];
      const ranges: SystemRange[] = [];
      for (const [position, place] of places) {
        if (place.codec !== codec || place.decoded) continue;
        const sourceOffset = position - source.byteOffset;
        check(source.subarray(sourceOffset, sourceOffset + place.compressed), place.declared);
        chosen.push(place);
        ranges.push({ sourceOffset, sourceLength: place.compressed, destinationOffset: place.offset, destinationLength: place.declared });
      }
      if (ranges.length === 0) return;
      const written = decoder.many(source, arena, ranges);
      chosen.forEach((place, i) => {
        if (written[i] !== place.declared) {
          throw new Error(
            `a ${codec.toUpperCase()}-compressed buffer declares ${place.declared} uncompressed bytes in its prefix but decompresses to ${String(written[i])} bytes`,
          );
        }
      });
      for (const place of chosen) place.decoded = true;
    },
  };
}
