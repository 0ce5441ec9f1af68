// PNG and JPEG through sharp (libvips with libspng and libjpeg-turbo): the fastest codec measured
// here (see bench/image-io.bench.ts), native and Node-only, hence an optional peer dependency.
import { ImageError } from '../../errors/image-error.js';
import { loadOptional, probeOptional } from '../optional-module.js';
import { reasonOf, type DecodedPixels, type RasterFormat } from './pixels.js';

/** The part of sharp's API used here (no type dependency on sharp). */
interface SharpInstance {
  metadata(): Promise<{ depth?: string; channels?: number }>;
  raw(options?: { depth?: 'uchar' | 'ushort' }): SharpInstance;
  toColourspace(space: string): SharpInstance;
  png(options?: { compressionLevel?: number }): SharpInstance;
  jpeg(options?: { quality?: number }): SharpInstance;
  toBuffer(options: { resolveWithObject: true }): Promise<{ data: Uint8Array; info: { width: number; height: number; channels: number; depth?: string } }>;
  toBuffer(): Promise<Uint8Array>;
}
type SharpFactory = (
  input: Uint8Array | Uint16Array,
  options?: { raw?: { width: number; height: number; channels: number }; failOn?: string; limitInputPixels?: number | boolean },
) => SharpInstance;
interface SharpModule {
  readonly default: SharpFactory;
}

async function factory(purpose: string): Promise<SharpFactory> {
  return (await loadOptional<SharpModule>('sharp', purpose)).default;
}

/** True when sharp loads (for `codec: 'auto'`). */
export async function sharpAvailable(): Promise<boolean> {
  return (await probeOptional<SharpModule>('sharp')) !== undefined;
}

/** Decodes PNG or JPEG with sharp, keeping 16-bit samples 16-bit and the channel count of the file. */
export async function decodeWithSharp(bytes: Uint8Array, format: RasterFormat, maxPixels: number): Promise<DecodedPixels> {
  const sharp = await factory(`Decoding ${format.toUpperCase()} with codec "sharp"`);
  try {
    const options = { failOn: 'error', limitInputPixels: maxPixels };
    const { depth, channels } = await sharp(bytes, options).metadata();
    const wide = depth === 'ushort';
    const grey = channels === 1 || channels === 2;
    // Without a colour space sharp hands grey files back as sRGB; 'b-w' would drop an 8-bit alpha.
    let pipeline = sharp(bytes, options);
    if (grey && (wide || channels === 1)) pipeline = pipeline.toColourspace(wide ? 'grey16' : 'b-w');
    else if (wide) pipeline = pipeline.toColourspace('rgb16');
    const { data, info } = await pipeline.raw({ depth: wide ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    const samples = info.depth === 'ushort' ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1) : data;
    if (grey && !wide && channels === 2 && info.channels === 4)
      return { width: info.width, height: info.height, channels: 2, data: greyAlphaOf(samples as Uint8Array) };
    return { width: info.width, height: info.height, channels: info.channels, data: samples };
  } catch (error) {
    if (/pixel limit/i.test(reasonOf(error)))
      throw new ImageError(
        'ERR_SIZE_LIMIT',
        `The ${format.toUpperCase()} declares more pixels than maxPixels (${maxPixels}); nothing was decoded. Pass a larger maxPixels to readImage if the file is trusted.`,
        { cause: error },
      );
    throw new ImageError(
      'ERR_IMAGE_CODEC_FAILED',
      `sharp could not decode the ${format.toUpperCase()} (${reasonOf(error)}); the bytes are corrupt, truncated or of another format.`,
      { cause: error },
    );
  }
}

/** Encodes 2-D pixels as PNG or JPEG with sharp. */
export async function encodeWithSharp(pixels: DecodedPixels, format: RasterFormat, quality: number): Promise<Uint8Array> {
  const sharp = await factory(`Encoding ${format.toUpperCase()} with codec "sharp"`);
  const { width, height, channels, data } = pixels;
  const wide = data instanceof Uint16Array;
  try {
    // sharp reads the sample depth from the TypedArray; the colour space keeps grey grey and 16 bits 16 bits.
    let pipeline = sharp(data, { raw: { width, height, channels } });
    if (channels <= 2) pipeline = pipeline.toColourspace(wide ? 'grey16' : 'b-w');
    else if (wide) pipeline = pipeline.toColourspace('rgb16');
    pipeline = format === 'png' ? pipeline.png() : pipeline.jpeg({ quality });
    const encoded = await pipeline.toBuffer();
    return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  } catch (error) {
    throw new ImageError('ERR_IMAGE_CODEC_FAILED', `sharp could not encode the image as ${format.toUpperCase()} (${reasonOf(error)}).`, { cause: error });
  }
}

/** Grey + alpha from sharp's RGBA rendering of an 8-bit grey + alpha file (R = G = B there). */
function greyAlphaOf(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length >> 1);
  for (let source = 0, target = 0; source < rgba.length; source += 4, target += 2) {
    out[target] = rgba[source]!;
    out[target + 1] = rgba[source + 3]!;
  }
  return out;
}
