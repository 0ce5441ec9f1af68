// Through the public readImage: the array each codec hands back becomes the image's memory, not a
// copy of it. fast-png and jpeg-js are wrapped with vi.mock, sharp through the optional-package
// importer, to catch the very array the decoder returned.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as FastPng from 'fast-png';
import type * as JpegJs from 'jpeg-js';
import { Image, readImage, writeImage } from '../src/index.js';
import { setOptionalImporter } from '../src/internal/optional-module.js';

const returned: ArrayBufferView[] = [];

vi.mock('fast-png', async (importOriginal) => {
  const original = await importOriginal<typeof FastPng>();
  return {
    ...original,
    decode: (...args: Parameters<typeof original.decode>) => {
      const png = original.decode(...args);
      returned.push(png.data);
      return png;
    },
  };
});

vi.mock('jpeg-js', async (importOriginal) => {
  const original = (await importOriginal<{ default: typeof JpegJs }>()).default;
  const wrapped = {
    ...original,
    decode: (...args: Parameters<typeof original.decode>) => {
      const jpeg = original.decode(...args);
      returned.push(jpeg.data);
      return jpeg;
    },
  };
  return { ...wrapped, default: wrapped };
});

afterEach(() => {
  returned.length = 0;
  setOptionalImporter(undefined);
});

async function sample(format: 'png' | 'jpeg'): Promise<Uint8Array> {
  const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [32, 8] }).allocate().fill([10, 200, 30]);
  return writeImage(image, { format, codec: format === 'png' ? 'fast-png' : 'jpeg-js' });
}

describe('readImage adopts what the decoder returns', () => {
  it('fast-png and jpeg-js: the same ArrayBuffer, the same bytes', async () => {
    for (const format of ['png', 'jpeg'] as const) {
      const bytes = await sample(format);
      returned.length = 0;
      const image = await readImage(bytes, { codec: format === 'png' ? 'fast-png' : 'jpeg-js' });
      expect(returned).toHaveLength(1);
      const decoded = returned[0]!;
      expect(image.data.buffer).toBe(decoded.buffer);
      expect(image.data.byteOffset).toBe(decoded.byteOffset);
      (decoded as Uint8Array)[0] = 77;
      expect((image.getPixel([0, 0]) as number[])[0]).toBe(77);
    }
  });

  it('sharp: the same ArrayBuffer as its output Buffer', async () => {
    const real = (await import('sharp')).default as unknown as (...args: unknown[]) => { toBuffer: (...a: unknown[]) => Promise<{ data: Uint8Array }> };
    setOptionalImporter(() =>
      Promise.resolve({
        default: (...args: unknown[]) => {
          const instance = real(...args);
          const toBuffer = instance.toBuffer.bind(instance);
          instance.toBuffer = async (...options: unknown[]) => {
            const result = await toBuffer(...options);
            if (result.data !== undefined) returned.push(result.data);
            return result;
          };
          return instance;
        },
      }),
    );
    const image = await readImage(await sample('png'), { codec: 'sharp' });
    expect(returned).toHaveLength(1);
    expect(image.data.buffer).toBe(returned[0]!.buffer);
  });
});
