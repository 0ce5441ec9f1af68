// readImage / writeImage / readImageFile / writeImageFile: round trips through every codec, codecs
// cross-checked against each other, zero-copy adoption, the export held while encoding, and a
// typed error for every refusal (bad bytes, formats that cannot hold an image, missing packages).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeExporter, expectErrorCodeAsync, expectErrorCode } from '@interop/core/testing';
import { encode as encodePng } from 'fast-png';
import { Image, ImageError, readImage, toRGBA, writeImage, type ComponentType, type PixelType } from '../src/index.js';
import { readImageFile, writeImageFile } from '../src/node/index.js';
import { adoptDecoded } from '../src/internal/codecs/pixels.js';
import { decodePngPure } from '../src/internal/codecs/pure-js.js';
import { setOptionalImporter } from '../src/internal/optional-module.js';

function patterned(componentType: ComponentType, pixelType: PixelType, components: number, size: number[]): Image {
  const image = new Image({ componentType, pixelType, components, size }).allocate();
  const data = image.data as Uint8Array | Uint16Array;
  const modulus = componentType === 'uint16' ? 65536 : 256;
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + 13) % modulus;
  return image;
}

const pngCases: [ComponentType, PixelType, number][] = [
  ['uint8', 'Scalar', 1],
  ['uint8', 'Vector', 2],
  ['uint8', 'RGB', 3],
  ['uint8', 'RGBA', 4],
  ['uint16', 'Scalar', 1],
  ['uint16', 'Vector', 2],
  ['uint16', 'RGB', 3],
  ['uint16', 'RGBA', 4],
];

afterEach(() => setOptionalImporter(undefined));

describe('PNG', () => {
  for (const writer of ['fast-png', 'sharp'] as const) {
    for (const reader of ['fast-png', 'sharp'] as const) {
      it(`round-trips every PNG pixel type exactly: written by ${writer}, read by ${reader}`, async () => {
        for (const [componentType, pixelType, components] of pngCases) {
          const image = patterned(componentType, pixelType, components, [7, 5]);
          const png = await writeImage(image, { format: 'png', codec: writer });
          const back = await readImage(png, { codec: reader });
          expect(back.imageType).toEqual({ dimension: 2, componentType, pixelType, components });
          expect(back.size).toEqual([7, 5]);
          expect(Array.from(back.data as Uint8Array)).toEqual(Array.from(image.data as Uint8Array));
          expect(image.exports).toBe(0);
        }
      });
    }
  }

  it('expands palettes and scales 1/2/4-bit grey as libpng does (fast-png agrees with sharp)', async () => {
    const grey4 = encodePng({ width: 3, height: 2, data: new Uint8Array([0x0f, 0x80, 0x3c, 0x00]), channels: 1, depth: 4 });
    const pure = await readImage(grey4, { codec: 'fast-png' });
    const native = await readImage(grey4, { codec: 'sharp' });
    expect(Array.from(pure.data as Uint8Array)).toEqual([0, 255, 136, 51, 204, 0]);
    expect(Array.from(native.data as Uint8Array)).toEqual(Array.from(pure.data as Uint8Array));
    const indexed = encodePng({
      width: 2,
      height: 1,
      data: new Uint8Array([1, 0]),
      channels: 1,
      depth: 8,
      palette: [
        [10, 20, 30],
        [200, 100, 50],
      ],
    });
    const rgb = await readImage(indexed, { codec: 'fast-png' });
    expect(rgb.pixelType).toBe('RGB');
    expect(Array.from(rgb.data as Uint8Array)).toEqual([200, 100, 50, 10, 20, 30]);
    expect(Array.from((await readImage(indexed, { codec: 'sharp' })).data as Uint8Array)).toEqual([200, 100, 50, 10, 20, 30]);
  });

  it('adopts the decoded pixels without a copy, and the image is an ordinary exporter', () => {
    const pixels = new Uint16Array([1, 2, 3, 4, 5, 6]);
    const image = adoptDecoded({ width: 3, height: 2, channels: 1, data: pixels }, 'test');
    expect(image.data.buffer).toBe(pixels.buffer);
    (image.data as Uint16Array)[0] = 99;
    expect(pixels[0]).toBe(99);
    expect(image.componentType).toBe('uint16');
    expect(() => image.allocate()).not.toThrow(); // owned memory: allocate gives it new memory
  });

  it('refuses a codec answer that does not describe its pixels', () => {
    expectErrorCode(() => adoptDecoded({ width: 3, height: 2, channels: 1, data: new Uint8Array(5) }, 'test'), 'ERR_IMAGE_CODEC_FAILED');
    expectErrorCode(() => adoptDecoded({ width: 3, height: -2, channels: 1, data: new Uint8Array(6) }, 'test'), 'ERR_IMAGE_CODEC_FAILED');
    expectErrorCode(() => adoptDecoded({ width: 1, height: 1, channels: 5, data: new Uint8Array(5) }, 'test'), 'ERR_IMAGE_CODEC_FAILED');
    expectErrorCode(
      () => adoptDecoded({ width: 1, height: 1, channels: 1, data: new Float32Array(1) as unknown as Uint8Array }, 'test'),
      'ERR_IMAGE_CODEC_FAILED',
    );
  });

  it('refuses corrupt and truncated files with ERR_IMAGE_CODEC_FAILED, whatever the codec', async () => {
    const png = await writeImage(patterned('uint8', 'RGB', 3, [16, 16]), { format: 'png', codec: 'fast-png' });
    for (const codec of ['fast-png', 'sharp'] as const) {
      await expectErrorCodeAsync(() => readImage(png.subarray(0, 60), { codec }), 'ERR_IMAGE_CODEC_FAILED', { family: ImageError });
      const flipped = png.slice();
      flipped[40] = flipped[40]! ^ 0xff;
      await expectErrorCodeAsync(() => readImage(flipped, { codec }), 'ERR_IMAGE_CODEC_FAILED', { family: ImageError });
    }
  });
});

describeExporter('Image adopted from a decoded PNG (readImage)', () => {
  const png = encodePng({ width: 4, height: 3, data: new Uint8Array(36).fill(9), channels: 3, depth: 8 });
  const image = adoptDecoded(decodePngPure(png), 'fast-png');
  return {
    exporter: image,
    mutations: { allocate: (x) => x.allocate(), release: (x) => x.release() },
    expected: { format: 'B', shape: [3, 4, 3], itemsize: 1 },
  };
});

describe('JPEG', () => {
  it('decodes the same file alike in jpeg-js and libjpeg-turbo (sharp), and round-trips close to the original', async () => {
    const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [64, 48] }).allocate();
    const data = image.data as Uint8Array;
    for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) data.set([x * 3, y * 4, 128], (y * 64 + x) * 3);
    for (const writer of ['jpeg-js', 'sharp'] as const) {
      const jpeg = await writeImage(image, { format: 'jpeg', codec: writer, quality: 95 });
      const a = await readImage(jpeg, { codec: 'jpeg-js' });
      const b = await readImage(jpeg, { codec: 'sharp' });
      expect(a.imageType).toEqual({ dimension: 2, componentType: 'uint8', pixelType: 'RGB', components: 3 });
      expect(b.size).toEqual([64, 48]);
      // The decoders differ in IDCT rounding and chroma upsampling: small on average, a few levels at edges.
      let worstPair = 0;
      let sumPair = 0;
      let worstOriginal = 0;
      (a.data as Uint8Array).forEach((value, i) => {
        const pair = Math.abs(value - (b.data as Uint8Array)[i]!);
        worstPair = Math.max(worstPair, pair);
        sumPair += pair;
        worstOriginal = Math.max(worstOriginal, Math.abs(value - data[i]!));
      });
      expect(sumPair / data.length).toBeLessThan(1.5);
      expect(worstPair).toBeLessThanOrEqual(6);
      expect(worstOriginal).toBeLessThanOrEqual(6);
    }
  });

  it('writes grey JPEGs and refuses what JPEG cannot hold', async () => {
    const grey = new Image({ componentType: 'uint8', size: [8, 8] }).allocate().fill(77);
    for (const codec of ['jpeg-js', 'sharp'] as const) {
      const back = await readImage(await writeImage(grey, { format: 'jpeg', codec }), { codec: 'jpeg-js' });
      expect(Math.abs((back.getPixel([3, 3]) as number[])[0]! - 77)).toBeLessThanOrEqual(1);
    }
    await expectErrorCodeAsync(() => writeImage(patterned('uint8', 'RGBA', 4, [2, 2]), { format: 'jpeg' }), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    await expectErrorCodeAsync(() => writeImage(patterned('uint16', 'Scalar', 1, [2, 2]), { format: 'jpeg' }), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    await expectErrorCodeAsync(() => writeImage(grey, { format: 'jpeg', quality: 0 }), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    await expectErrorCodeAsync(() => writeImage(grey, { format: 'jpeg', quality: 90.5 }), 'ERR_INVALID_ARGUMENT', { family: ImageError });
  });
});

describe('readImage / writeImage arguments', () => {
  it('tells formats from signatures and refuses anything else with a typed error', async () => {
    await expectErrorCodeAsync(() => readImage(new Uint8Array([0x49, 0x49, 0x2a, 0]), {}), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    await expectErrorCodeAsync(() => readImage(new Uint8Array(0)), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    await expectErrorCodeAsync(() => readImage('a.png' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    await expectErrorCodeAsync(() => readImage(null as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    const moved = new Uint8Array(16);
    structuredClone(moved.buffer, { transfer: [moved.buffer] });
    await expectErrorCodeAsync(() => readImage(moved), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    await expectErrorCodeAsync(() => readImage(moved.buffer), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    await expectErrorCodeAsync(() => readImage(new Uint8Array(8), null as unknown as object), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    await expectErrorCodeAsync(() => readImage(new Uint8Array(8), { format: 'gif' as 'png' }), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    const png = await writeImage(patterned('uint8', 'Scalar', 1, [2, 2]), { format: 'png' });
    await expectErrorCodeAsync(() => readImage(png, { codec: 'jpeg-js' }), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    await expectErrorCodeAsync(() => readImage(png, { codec: 'libpng' as 'sharp' }), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    expect((await readImage(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer)).size).toEqual([2, 2]);
  });

  it('refuses images PNG cannot hold and says how to convert them', async () => {
    const float = new Image({ componentType: 'float32', size: [2, 2] }).allocate();
    const thrown = await expectErrorCodeAsync(() => writeImage(float, { format: 'png' }), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    expect(thrown.message).toContain('toRGBA');
    expect((await readImage(await writeImage(toRGBA(float), { format: 'png' }))).pixelType).toBe('RGBA');
    await expectErrorCodeAsync(() => writeImage(patterned('uint8', 'Scalar', 1, [2, 2, 2]), { format: 'png' }), 'ERR_IMAGE_FILE_FORMAT', {
      family: ImageError,
    });
    await expectErrorCodeAsync(() => writeImage(new Image({ componentType: 'uint8', size: [2, 2] }), { format: 'png' }), 'ERR_IMAGE_NOT_ALLOCATED', {
      family: ImageError,
    });
    await expectErrorCodeAsync(() => writeImage({} as Image, { format: 'png' }), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    await expectErrorCodeAsync(() => writeImage(float, { format: 'tiff' as 'png' }), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    const released = patterned('uint8', 'Scalar', 1, [2, 2]);
    released.release();
    await expectErrorCodeAsync(() => writeImage(released, { format: 'png' }), 'ERR_BUFFER_RELEASED', { family: ImageError });
  });

  it('refuses files that declare more than maxPixels before allocating them (ERR_SIZE_LIMIT)', async () => {
    const png = await writeImage(patterned('uint8', 'Scalar', 1, [4, 4]), { format: 'png' });
    const bomb = png.slice();
    new DataView(bomb.buffer).setUint32(16, 100_000);
    new DataView(bomb.buffer).setUint32(20, 100_000);
    const jpeg = await writeImage(patterned('uint8', 'RGB', 3, [64, 64]), { format: 'jpeg' });
    for (const codec of ['fast-png', 'sharp'] as const) {
      await expectErrorCodeAsync(() => readImage(bomb, { codec }), 'ERR_SIZE_LIMIT', { family: ImageError });
      await expectErrorCodeAsync(() => readImage(png, { codec, maxPixels: 15 }), 'ERR_SIZE_LIMIT', { family: ImageError });
      expect((await readImage(png, { codec, maxPixels: 16 })).size).toEqual([4, 4]);
    }
    for (const codec of ['jpeg-js', 'sharp'] as const) {
      await expectErrorCodeAsync(() => readImage(jpeg, { codec, maxPixels: 4095 }), 'ERR_SIZE_LIMIT', { family: ImageError });
      expect((await readImage(jpeg, { codec, maxPixels: 4096 })).size).toEqual([64, 64]);
    }
    await expectErrorCodeAsync(() => readImage(png, { maxPixels: 0 }), 'ERR_INVALID_ARGUMENT', { family: ImageError });
  });

  it('holds an export of the image while an asynchronous encoder reads it', async () => {
    const image = patterned('uint8', 'RGB', 3, [64, 64]);
    const pending = writeImage(image, { format: 'png', codec: 'sharp' });
    await Promise.resolve();
    await Promise.resolve();
    expect(image.exports).toBe(1);
    expectErrorCode(() => image.allocate(), 'ERR_BUFFER_EXPORTED');
    await pending;
    expect(image.exports).toBe(0);
  });

  it('without sharp: "auto" falls back to the pure-JS codecs, and codec "sharp" says what to install', async () => {
    setOptionalImporter((name) => Promise.reject(new Error(`Cannot find package '${name}'`)));
    const image = patterned('uint8', 'RGB', 3, [3, 3]);
    const png = await writeImage(image, { format: 'png' });
    expect(Array.from((await readImage(png)).data as Uint8Array)).toEqual(Array.from(image.data as Uint8Array));
    const thrown = await expectErrorCodeAsync(() => readImage(png, { codec: 'sharp' }), 'ERR_IMAGE_CODEC_MISSING', { family: ImageError });
    expect(thrown.message).toContain('npm install sharp@0.35.6');
    await expectErrorCodeAsync(() => writeImage(image, { format: 'jpeg', codec: 'sharp' }), 'ERR_IMAGE_CODEC_MISSING', { family: ImageError });
    setOptionalImporter(undefined);
    expect((await readImage(png, { codec: 'sharp' })).size).toEqual([3, 3]); // a failed load is not cached
  });
});

describe('image files (node)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'interop-image-files-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('writes and reads PNG and JPEG by path with every codec, itk-wasm included', async () => {
    const image = patterned('uint8', 'RGB', 3, [9, 4]);
    for (const codec of ['auto', 'fast-png', 'sharp', 'itk-wasm'] as const) {
      const path = join(directory, `rgb-${codec}.png`);
      await writeImageFile(image, path, { codec });
      const back = await readImageFile(path, { codec: codec === 'itk-wasm' ? 'fast-png' : 'itk-wasm' });
      expect(back.size).toEqual([9, 4]);
      expect(back.components).toBe(3);
      expect(Array.from(back.data as Uint8Array)).toEqual(Array.from(image.data as Uint8Array));
    }
    const jpegPath = join(directory, 'rgb.jpg');
    await writeImageFile(image, jpegPath, { quality: 80 });
    expect((await readImageFile(jpegPath)).size).toEqual([9, 4]);
  });

  it('round-trips spacing, origin, direction, pixel type and components through NRRD, MetaImage and NIfTI', async () => {
    const volume = new Image({
      componentType: 'float32',
      pixelType: 'Vector',
      components: 2,
      size: [4, 3, 2],
      spacing: [0.5, 0.75, 2.5],
      origin: [1, -2, 3],
      direction: [0, 1, 0, -1, 0, 0, 0, 0, 1],
    }).allocate();
    (volume.data as Float32Array).forEach((_, i, values) => (values[i] = i / 4 - 3));
    for (const name of ['v.nrrd', 'v.mha', 'v.nii.gz']) {
      const path = join(directory, name);
      await writeImageFile(volume, path, { useCompression: true });
      const back = await readImageFile(path);
      expect(back.imageType).toEqual(volume.imageType);
      expect(back.size).toEqual(volume.size);
      back.spacing.forEach((value, axis) => expect(value).toBeCloseTo(volume.spacing[axis]!, 6));
      back.origin.forEach((value, axis) => expect(value).toBeCloseTo(volume.origin[axis]!, 6));
      back.direction.forEach((value, entry) => expect(value).toBeCloseTo(volume.direction[entry]!, 6));
      expect(Array.from(back.data as Float32Array)).toEqual(Array.from(volume.data as Float32Array));
    }
  });

  it('reads and writes TIFF (pixels and type; TIFF has no origin or direction) and single-file DICOM', async () => {
    const image = patterned('uint16', 'Scalar', 1, [6, 5]);
    const tiff = join(directory, 'grey.tif');
    await writeImageFile(image, tiff);
    const back = await readImageFile(tiff);
    expect(back.componentType).toBe('uint16');
    expect(back.size).toEqual([6, 5]);
    expect(Array.from(back.data as Uint16Array)).toEqual(Array.from(image.data as Uint16Array));
    const slice = new Image({ componentType: 'int16', size: [4, 3], spacing: [0.5, 0.7] }).allocate();
    (slice.data as Int16Array).forEach((_, i, values) => (values[i] = i * 100 - 500));
    const dicom = join(directory, 'slice.dcm');
    await writeImageFile(slice, dicom);
    const read = await readImageFile(dicom);
    expect(read.size.slice(0, 2)).toEqual([4, 3]);
    expect(read.spacing.slice(0, 2)).toEqual([0.5, 0.7]);
    expect(Array.from(read.data as Int16Array)).toEqual(Array.from(slice.data as Int16Array));
  });

  it('refuses unknown names, missing files and missing packages with typed errors', async () => {
    const image = patterned('uint8', 'Scalar', 1, [2, 2]);
    await expectErrorCodeAsync(() => readImageFile(join(directory, 'x.gif')), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    await expectErrorCodeAsync(() => writeImageFile(image, join(directory, 'x')), 'ERR_IMAGE_FILE_FORMAT', { family: ImageError });
    await expectErrorCodeAsync(() => readImageFile(join(directory, 'missing.png')), 'ERR_IMAGE_CODEC_FAILED', { family: ImageError });
    await expectErrorCodeAsync(() => readImageFile(join(directory, 'missing.nrrd')), 'ERR_IMAGE_CODEC_FAILED', { family: ImageError });
    await expectErrorCodeAsync(() => readImageFile(''), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    await expectErrorCodeAsync(() => readImageFile(join(directory, 'x.nrrd'), { codec: 'sharp' }), 'ERR_INVALID_ARGUMENT', { family: ImageError });
    const corrupt = join(directory, 'corrupt.nrrd');
    writeFileSync(corrupt, 'NRRD0004\nthis is not a header\n');
    await expectErrorCodeAsync(() => readImageFile(corrupt), 'ERR_IMAGE_CODEC_FAILED', { family: ImageError });
    await expectErrorCodeAsync(
      () => writeImageFile(new Image({ componentType: 'float16', size: [2, 2] }).allocate(), join(directory, 'h.nrrd')),
      'ERR_IMAGE_COMPONENT_TYPE',
      { family: ImageError },
    );
    setOptionalImporter((name) => Promise.reject(new Error(`Cannot find package '${name}'`)));
    const thrown = await expectErrorCodeAsync(() => readImageFile(join(directory, 'v.nrrd')), 'ERR_IMAGE_CODEC_MISSING', { family: ImageError });
    expect(thrown.message).toContain('npm install @itk-wasm/image-io@1.6.1');
    await expectErrorCodeAsync(() => writeImageFile(image, join(directory, 'x.nrrd')), 'ERR_IMAGE_CODEC_MISSING', { family: ImageError });
    expect(image.exports).toBe(0);
  });
});
