// Structural checks of LZ4 and ZSTD frames before a decoder sees them. The decoders (lz4js,
// fzstd) trust the sizes in their headers: an LZ4 block may claim 2 GiB of input (a long loop
// over nothing), a ZSTD header may claim a 2 GiB window (allocated up front). These walks read
// only headers, check every size against the bytes present and the declared uncompressed length,
// and report what the decoder will allocate. They throw plain Errors; the reader wraps them.

const LZ4_MAGIC = 0x184d2204;
const ZSTD_MAGIC = 0xfd2fb528;
const LZ4_BLOCK_SIZES: Readonly<Record<number, number>> = { 4: 2 ** 16, 5: 2 ** 18, 6: 2 ** 20, 7: 2 ** 22 };
const ZSTD_MAX_BLOCK = 2 ** 17;
// fzstd refuses larger windows, and computes content sizes of 2 GiB and more incorrectly.
const ZSTD_MAX_WINDOW = 2145386496;
const ZSTD_MAX_CONTENT = 2 ** 31 - 1;

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function need(bytes: Uint8Array, end: number, what: string): void {
  if (end > bytes.byteLength) throw new Error(`the compressed buffer ends inside ${what} (${bytes.byteLength} bytes, ${end} needed)`);
}

/**
 * Checks one LZ4 frame (the Arrow LZ4_FRAME codec): header flags, a content size equal to the
 * declared length when present, and every block inside the bytes and no larger than the frame's
 * block size. Returns the most bytes the frame's blocks can decompress to (a stored block gives
 * its size; a compressed block at most its frame's block size, and at most 255 bytes per input
 * byte, LZ4's largest expansion).
 */
export function checkLz4Frame(bytes: Uint8Array, declared: number): number {
  need(bytes, 7, 'the LZ4 frame header');
  if (u32(bytes, 0) !== LZ4_MAGIC) throw new Error('an LZ4-compressed buffer does not start with the LZ4 frame magic number');
  const flags = bytes[4]!;
  if (flags >> 6 !== 1) throw new Error(`an LZ4 frame has version ${flags >> 6}; only version 1 exists`);
  if ((flags & 0x01) !== 0) throw new Error('an LZ4 frame needs a dictionary, which Arrow buffers never use');
  const blockSize = LZ4_BLOCK_SIZES[(bytes[5]! >> 4) & 7];
  if (blockSize === undefined) throw new Error(`an LZ4 frame has an invalid block size code ${(bytes[5]! >> 4) & 7}`);
  const blockChecksum = (flags & 0x10) !== 0;
  let at = 6;
  if ((flags & 0x08) !== 0) {
    need(bytes, at + 9, 'the LZ4 frame header');
    const content = Number(new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigUint64(0, true));
    if (content !== declared) throw new Error(`an LZ4 frame's header says ${content} uncompressed bytes but its Arrow prefix declares ${declared}`);
    at += 8;
  }
  at += 1; // header checksum
  let most = 0;
  for (;;) {
    need(bytes, at + 4, 'an LZ4 block header');
    const word = u32(bytes, at);
    at += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (size > blockSize) throw new Error(`an LZ4 block claims ${size} bytes, more than the frame's ${blockSize}-byte blocks`);
    most += (word & 0x80000000) !== 0 ? size : Math.min(blockSize, size * 255);
    at += size + (blockChecksum ? 4 : 0);
    need(bytes, at, 'an LZ4 block');
  }
  return most;
}

/** What fzstd allocates for a buffer: its largest window and an upper bound of its output. */
export interface ZstdAllocation {
  readonly window: number;
  readonly output: number;
}

/**
 * Checks the ZSTD frames of one buffer: headers, dictionary-free, every block inside the bytes
 * and no larger than the format allows, content sizes consistent with the blocks and (when every
 * frame has one) summing to the declared length. Returns the sizes fzstd will allocate.
 */
export function checkZstdFrames(bytes: Uint8Array, declared: number): ZstdAllocation {
  let at = 0;
  let window = 0;
  let output = 0;
  let known = 0;
  let allKnown = true;
  while (at < bytes.byteLength) {
    need(bytes, at + 8, 'a ZSTD frame header');
    const magic = u32(bytes, at);
    if (magic >>> 4 === 0x184d2a5) {
      at += 8 + u32(bytes, at + 4); // a skippable frame
      need(bytes, at, 'a skippable ZSTD frame');
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw new Error('a ZSTD-compressed buffer holds something that is not a ZSTD frame');
    const descriptor = bytes[at + 4]!;
    const sizeFlag = descriptor >> 6;
    const singleSegment = (descriptor & 0x20) !== 0;
    if ((descriptor & 0x08) !== 0) throw new Error('a ZSTD frame header sets its reserved bit');
    const checksum = (descriptor & 0x04) !== 0;
    const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
    at += 5;
    let windowSize = 0;
    if (!singleSegment) {
      const exponent = bytes[at]! >> 3;
      const base = 2 ** (10 + exponent);
      windowSize = base + (base / 8) * (bytes[at]! & 7);
      at += 1;
    }
    let dictionary = 0;
    for (let i = 0; i < dictionaryBytes; i++) dictionary += bytes[at + i]! * 2 ** (8 * i);
    if (dictionary !== 0) throw new Error('a ZSTD frame needs a dictionary, which Arrow buffers never use');
    at += dictionaryBytes;
    const sizeBytes = sizeFlag === 0 ? (singleSegment ? 1 : 0) : 2 ** sizeFlag;
    need(bytes, at + sizeBytes, 'a ZSTD frame header');
    let content: number | undefined;
    if (sizeBytes > 0) {
      content = 0;
      for (let i = 0; i < sizeBytes; i++) content += bytes[at + i]! * 2 ** (8 * i);
      if (sizeFlag === 1) content += 256;
      if (content > ZSTD_MAX_CONTENT) throw new Error(`a ZSTD frame declares ${content} bytes of content; the decoder handles less than 2 GiB per frame`);
    }
    at += sizeBytes;
    if (singleSegment) windowSize = content ?? 0;
    if (windowSize > ZSTD_MAX_WINDOW) throw new Error(`a ZSTD frame asks for a ${windowSize}-byte window, larger than the decoder supports`);
    const blockMax = Math.min(windowSize, ZSTD_MAX_BLOCK);
    let exact = 0;
    let compressedBlocks = 0;
    for (let last = false; !last;) {
      need(bytes, at + 3, 'a ZSTD block header');
      const header = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
      at += 3;
      last = (header & 1) === 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      if (type === 3) throw new Error('a ZSTD block has the reserved block type');
      if (size > blockMax) throw new Error(`a ZSTD block claims ${size} bytes, more than the frame allows (${blockMax})`);
      if (type === 1) {
        exact += size;
        at += 1;
      } else {
        if (type === 0) exact += size;
        else compressedBlocks++;
        at += size;
      }
      need(bytes, at, 'a ZSTD block');
    }
    if (checksum) at += 4;
    need(bytes, at, 'a ZSTD frame checksum');
    const most = exact + compressedBlocks * blockMax;
    if (content !== undefined && (content < exact || content > most)) {
      throw new Error(`a ZSTD frame declares ${content} bytes of content, but its blocks hold between ${exact} and ${most}`);
    }
    // fzstd allocates the content size (or, without one, the window) up front for each frame.
    window = Math.max(window, content !== undefined && content > 0 ? content : windowSize);
    output += content ?? most;
    if (content === undefined) allKnown = false;
    else known += content;
  }
  if (allKnown && known !== declared) throw new Error(`ZSTD frames holding ${known} bytes of content are declared as ${declared} uncompressed bytes`);
  return { window, output };
}
