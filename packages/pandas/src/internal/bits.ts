// Bitmaps in Arrow's layout: bit i of the run lives at bit (offset + i) of the byte array, LSB first.

export function getBit(bitmap: Uint8Array, offset: number, index: number): boolean {
  const position = offset + index;
  return ((bitmap[position >> 3] ?? 0) & (1 << (position & 7))) !== 0;
}

export function setBit(bitmap: Uint8Array, offset: number, index: number, value: boolean): void {
  const position = offset + index;
  const byte = position >> 3;
  const mask = 1 << (position & 7);
  const current = bitmap[byte] ?? 0;
  bitmap[byte] = value ? current | mask : current & ~mask;
}

export function countUnset(bitmap: Uint8Array, offset: number, length: number): number {
  let unset = 0;
  let index = 0;
  // Bit by bit up to a byte boundary, then whole bytes through a popcount table.
  while (index < length && ((offset + index) & 7) !== 0) {
    if (!getBit(bitmap, offset, index)) unset++;
    index++;
  }
  while (index + 8 <= length) {
    unset += 8 - (popcount[bitmap[(offset + index) >> 3] ?? 0] ?? 0);
    index += 8;
  }
  while (index < length) {
    if (!getBit(bitmap, offset, index)) unset++;
    index++;
  }
  return unset;
}

const popcount = new Uint8Array(256);
for (let value = 0; value < 256; value++) popcount[value] = (value & 1) + (popcount[value >> 1] ?? 0);

/** Copies `length` bits starting at `offset` into a new bitmap starting at bit 0 (padded to 8 bytes). */
export function copyBits(bitmap: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(paddedBytes(length));
  if ((offset & 7) === 0) {
    out.set(bitmap.subarray(offset >> 3, (offset >> 3) + ((length + 7) >> 3)));
    const tail = length & 7;
    if (tail !== 0) out[(length - 1) >> 3] = (out[(length - 1) >> 3] ?? 0) & ((1 << tail) - 1);
    return out;
  }
  for (let index = 0; index < length; index++) if (getBit(bitmap, offset, index)) out[index >> 3] = (out[index >> 3] ?? 0) | (1 << (index & 7));
  return out;
}

/** Bytes of a bitmap of `length` bits, rounded up to a multiple of 8 bytes as Arrow recommends. */
export function paddedBytes(length: number): number {
  return ((((length + 7) >> 3) + 7) >> 3) << 3;
}

/** Packs bytes (non-zero = true) into a bitmap. */
export function packBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedBytes(bytes.length));
  for (let index = 0; index < bytes.length; index++) if (bytes[index] !== 0) out[index >> 3] = (out[index >> 3] ?? 0) | (1 << (index & 7));
  return out;
}

/** Unpacks `length` bits from `offset` into bytes of 0/1. */
export function unpackBits(bitmap: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let index = 0; index < length; index++) out[index] = getBit(bitmap, offset, index) ? 1 : 0;
  return out;
}
