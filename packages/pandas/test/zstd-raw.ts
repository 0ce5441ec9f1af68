// A minimal ZSTD "encoder" for tests: frames of raw (stored) and RLE blocks, with the header
// fields the tests want to control. This package only decodes ZSTD, so tests build frames by hand.

export interface RawZstdOptions {
  /** Write the content size (as a single-segment frame). Default true. */
  readonly contentSize?: boolean;
  /** log2 of the window size when no content size is written (10..41). Default 17. */
  readonly windowLog?: number;
}

/** One ZSTD frame holding `data` in blocks of at most 128 KiB: RLE where a block repeats one byte, raw otherwise. */
export function rawZstdFrame(data: Uint8Array, options: RawZstdOptions = {}): Uint8Array {
  const withSize = options.contentSize ?? true;
  const header: number[] = [0x28, 0xb5, 0x2f, 0xfd];
  if (withSize) {
    header.push(0xa0); // 4-byte content size, single segment
    header.push(data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff, (data.length >>> 24) & 0xff);
  } else {
    header.push(0x00, ((options.windowLog ?? 17) - 10) << 3);
  }
  const blocks: number[] = [];
  let at = 0;
  do {
    const size = Math.min(2 ** 17, data.length - at);
    const last = at + size >= data.length ? 1 : 0;
    const block = data.subarray(at, at + size);
    const repeated = size > 0 && block.every((byte) => byte === block[0]);
    const word = last | (repeated ? 2 : 0) | (size << 3);
    blocks.push(word & 0xff, (word >> 8) & 0xff, (word >> 16) & 0xff);
    if (repeated) blocks.push(block[0]!);
    else for (const byte of block) blocks.push(byte);
    at += size;
  } while (at < data.length);
  return Uint8Array.from([...header, ...blocks]);
}
