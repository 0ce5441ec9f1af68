// Fuzzing readImage with corrupt files: valid PNGs and JPEGs with flipped bytes, truncations and
// patched header sizes, and random bytes behind a valid signature, through every codec.
// Invariants: only ImageError escapes (ERR_IMAGE_CODEC_FAILED, ERR_SIZE_LIMIT,
// ERR_IMAGE_FILE_FORMAT); an image that is returned has exactly the pixels its size needs, and
// never more than maxPixels of them. CI runs a bounded number of cases; `pnpm fuzz` the long mode.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import { Image, ImageError, readImage, writeImage } from '../src/index.js';

const maxPixels = 1 << 16;
const allowed = new Set(['ERR_IMAGE_CODEC_FAILED', 'ERR_SIZE_LIMIT', 'ERR_IMAGE_FILE_FORMAT']);
const files: Record<'png' | 'jpeg', Uint8Array> = { png: new Uint8Array(0), jpeg: new Uint8Array(0) };

beforeAll(async () => {
  const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [24, 16] }).allocate();
  (image.data as Uint8Array).forEach((_, i, values) => (values[i] = (i * 31) & 255));
  files.png = await writeImage(image, { format: 'png', codec: 'fast-png' });
  files.jpeg = await writeImage(image, { format: 'jpeg', codec: 'jpeg-js' });
});

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('size' as const), width: fc.integer({ min: 0, max: 0xffffffff }), height: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ kind: fc.constant('random' as const), tail: fc.uint8Array({ maxLength: 200 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, format: 'png' | 'jpeg', change: Mutation): Uint8Array {
  if (change.kind === 'flip') {
    const copy = bytes.slice();
    for (const [position, mask] of change.edits) copy[position % copy.length] = copy[position % copy.length]! ^ mask;
    return copy;
  }
  if (change.kind === 'truncate') return bytes.slice(0, Math.floor(bytes.length * change.keep));
  if (change.kind === 'random') return Uint8Array.from([...bytes.subarray(0, format === 'png' ? 8 : 3), ...change.tail]);
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (format === 'png') {
    view.setUint32(16, change.width);
    view.setUint32(20, change.height);
  } else {
    // The baseline frame header (SOF0): FF C0, length, precision, then height and width as 16-bit.
    const sof = copy.findIndex((value, index) => value === 0xff && copy[index + 1] === 0xc0);
    if (sof >= 0) {
      view.setUint16(sof + 5, change.height & 0xffff);
      view.setUint16(sof + 7, change.width & 0xffff);
    }
  }
  return copy;
}

describe('fuzz: readImage on corrupt files', () => {
  for (const format of ['png', 'jpeg'] as const) {
    for (const codec of ['auto', 'sharp', format === 'png' ? 'fast-png' : 'jpeg-js'] as const) {
      it(
        `${format} through ${codec}: typed errors only, images exactly their size`,
        async () => {
          await fc.assert(
            fc.asyncProperty(mutation, async (change) => {
              const bytes = mutate(files[format], format, change);
              try {
                const image = await readImage(bytes, { codec, maxPixels });
                const [width, height] = image.size as [number, number];
                expect(width * height).toBeLessThanOrEqual(maxPixels);
                expect(image.data.length).toBe(width * height * image.components);
                image.release();
              } catch (error) {
                if (!ImageError.isInstance(error) || !allowed.has(error.code)) throw error;
              }
            }),
            fuzzOptions(60),
          );
        },
        fuzzTimeout,
      );
    }
  }
});
