import { isDetached } from '@interop/core';
import { ImageError } from './errors/image-error.js';
import type { Image } from './image.js';
import { browserJpegEncoder, encodeJpegWithCanvas } from './internal/codecs/canvas.js';
import { decodeJpegPure, decodePngPure, encodeJpegPure, encodePngPure } from './internal/codecs/pure-js.js';
import { adoptDecoded, endEncode, pixelsToEncode, type DecodedPixels, type RasterFormat } from './internal/codecs/pixels.js';
import { decodeWithSharp, encodeWithSharp, sharpAvailable } from './internal/codecs/sharp.js';

/** The raster formats `readImage` / `writeImage` handle in every engine. */
export type ImageRasterFormat = RasterFormat;

/**
 * Which codec decodes or encodes PNG and JPEG. `'auto'` (default) uses sharp when it is installed
 * (Node; the fastest measured) and otherwise the pure-JavaScript `'fast-png'` / `'jpeg-js'`.
 */
export type ImageCodec = 'auto' | 'sharp' | 'fast-png' | 'jpeg-js';

/** Options of `readImage`. */
export interface ReadImageOptions {
  /** The format of the bytes; default: told from their signature. */
  readonly format?: ImageRasterFormat;
  /** Default `'auto'`. */
  readonly codec?: ImageCodec;
  /**
   * The most pixels a file may declare (default 2^28, sharp's own default): a guard against
   * decompression bombs, checked before any pixel memory is allocated.
   */
  readonly maxPixels?: number;
}

/** Default of `ReadImageOptions.maxPixels`: 2^28 pixels (sharp's `limitInputPixels`). */
export const defaultMaxPixels = 2 ** 28;

/** Options of `writeImage`. */
export interface WriteImageOptions {
  readonly format: ImageRasterFormat;
  /** Default `'auto'`. */
  readonly codec?: ImageCodec;
  /** JPEG quality from 1 to 100 (default 90). */
  readonly quality?: number;
}

const codecs: readonly ImageCodec[] = ['auto', 'sharp', 'fast-png', 'jpeg-js'];

/**
 * Reads a PNG or JPEG into an `Image` (itk python's `itk.imread`, imageio's `imread`): 2-D, x
 * fastest, rows from the top; `uint8` (or `uint16` for 16-bit PNG) components; Scalar, a
 * 2-component Vector (grey + alpha), RGB or RGBA. The decoder's pixel array becomes the image's
 * memory without a copy. TIFF and the medical formats are read by `readImageFile` from
 * `@interop/image/node`.
 *
 * @example
 * ```ts
 * import { Image, readImage, writeImage } from '@interop/image';
 * const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [4, 2] }).allocate().fill([255, 0, 0]);
 * const png = await writeImage(image, { format: 'png' });
 * const back = await readImage(png);
 * back.getPixel([3, 1]); // [255, 0, 0]
 * ```
 * @throws {ImageError} `ERR_IMAGE_FILE_FORMAT` (neither PNG nor JPEG), `ERR_IMAGE_CODEC_FAILED` (corrupt bytes), `ERR_SIZE_LIMIT` (more than `maxPixels`), `ERR_IMAGE_CODEC_MISSING` (`codec: 'sharp'` without sharp), `ERR_INVALID_ARGUMENT`.
 */
export async function readImage(bytes: Uint8Array | ArrayBuffer, options: ReadImageOptions = {}): Promise<Image> {
  const input = bytesOf(bytes);
  checkOptionsObject(options, 'readImage');
  const format = options.format ?? sniffRasterFormat(input);
  if (format !== 'png' && format !== 'jpeg') {
    throw new ImageError(
      'ERR_IMAGE_FILE_FORMAT',
      options.format === undefined
        ? `readImage reads PNG and JPEG; these bytes start with neither signature (${hexStart(input)}). For TIFF, NIfTI, NRRD, MetaImage or DICOM use readImageFile from "@interop/image/node".`
        : `readImage reads the formats "png" and "jpeg"; received format ${JSON.stringify(format)}. For TIFF and medical formats use readImageFile from "@interop/image/node".`,
    );
  }
  const maxPixels = options.maxPixels ?? defaultMaxPixels;
  if (typeof maxPixels !== 'number' || !Number.isSafeInteger(maxPixels) || maxPixels < 1) {
    throw new ImageError('ERR_INVALID_ARGUMENT', `maxPixels is a positive integer; received ${String(maxPixels)}.`);
  }
  const codec = await resolveCodec(options.codec, format);
  if (format === 'png') checkPngSize(input, maxPixels);
  let decoded: DecodedPixels;
  if (codec === 'sharp') decoded = await decodeWithSharp(input, format, maxPixels);
  else if (format === 'png') decoded = decodePngPure(input);
  else decoded = decodeJpegPure(input, maxPixels);
  if (decoded.width * decoded.height > maxPixels) throw tooLarge(decoded.width, decoded.height, maxPixels);
  return adoptDecoded(decoded, codec);
}

/**
 * Encodes a 2-D image as PNG (`uint8` / `uint16`, 1 to 4 components) or JPEG (`uint8` grey or
 * RGB) and returns the file's bytes (itk python's `itk.imwrite`, imageio's `imwrite`). The image
 * is read in place; an export is held while the encoder runs. In browsers (no Node `Buffer`,
 * which jpeg-js's encoder needs) JPEG is written by the browser's own encoder
 * (`OffscreenCanvas.convertToBlob`). Other image types are refused
 * with a message that says how to convert them (`toRGBA` for display).
 *
 * @example
 * ```ts
 * import { Image, writeImage } from '@interop/image';
 * const grey = new Image({ componentType: 'uint16', size: [3, 3] }).allocate().fill(1000);
 * const bytes = await writeImage(grey, { format: 'png' }); // a 16-bit grey PNG
 * ```
 * @throws {ImageError} `ERR_IMAGE_FILE_FORMAT` (the format cannot hold the image type), `ERR_IMAGE_CODEC_FAILED`, `ERR_IMAGE_CODEC_MISSING`, `ERR_INVALID_ARGUMENT`, `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
 */
export async function writeImage(image: Image, options: WriteImageOptions): Promise<Uint8Array> {
  checkOptionsObject(options, 'writeImage');
  const { format } = options;
  if (format !== 'png' && format !== 'jpeg') {
    throw new ImageError(
      'ERR_IMAGE_FILE_FORMAT',
      `writeImage writes the formats "png" and "jpeg"; received format ${JSON.stringify(format)}. For TIFF and medical formats use writeImageFile from "@interop/image/node".`,
    );
  }
  const quality = options.quality ?? 90;
  if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new ImageError('ERR_INVALID_ARGUMENT', `JPEG quality is an integer from 1 to 100; received ${String(quality)}.`);
  }
  const codec = await resolveCodec(options.codec, format);
  const pixels = pixelsToEncode(image, format);
  try {
    if (codec === 'sharp') return await encodeWithSharp(pixels, format, quality);
    if (format === 'png') return encodePngPure(pixels);
    return browserJpegEncoder() ? await encodeJpegWithCanvas(pixels, quality) : encodeJpegPure(pixels, quality);
  } finally {
    endEncode(pixels);
  }
}

/** Refuses a PNG whose header (IHDR, right after the signature) declares more than `maxPixels`. */
function checkPngSize(bytes: Uint8Array, maxPixels: number): void {
  if (bytes.length < 24) return; // too short to hold a header: the decoder reports it
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width * height > maxPixels) throw tooLarge(width, height, maxPixels);
}

function tooLarge(width: number, height: number, maxPixels: number): ImageError {
  return new ImageError(
    'ERR_SIZE_LIMIT',
    `The file declares ${width} x ${height} pixels, more than maxPixels (${maxPixels}); nothing was allocated. Pass a larger maxPixels to readImage if the file is trusted.`,
  );
}

/** The raster format of bytes from their signature, or undefined. */
export function sniffRasterFormat(bytes: Uint8Array): ImageRasterFormat | undefined {
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47 &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  )
    return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** The concrete codec for a request: `'auto'` prefers sharp when it loads. */
export async function resolveCodec(requested: unknown, format: ImageRasterFormat): Promise<'sharp' | 'fast-png' | 'jpeg-js'> {
  const codec = requested ?? 'auto';
  if (!codecs.includes(codec as ImageCodec)) {
    throw new ImageError('ERR_INVALID_ARGUMENT', `Unknown codec ${JSON.stringify(codec)}; use one of ${codecs.join(', ')}.`);
  }
  const pure = format === 'png' ? 'fast-png' : 'jpeg-js';
  if (codec === 'auto') return (await sharpAvailable()) ? 'sharp' : pure;
  if (codec !== 'sharp' && codec !== pure) {
    throw new ImageError('ERR_INVALID_ARGUMENT', `Codec ${JSON.stringify(codec)} does not handle ${format.toUpperCase()}; use "auto", "sharp" or "${pure}".`);
  }
  return codec as 'sharp' | 'fast-png' | 'jpeg-js';
}

function bytesOf(bytes: unknown): Uint8Array {
  const buffer = bytes instanceof ArrayBuffer ? bytes : ArrayBuffer.isView(bytes) && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : undefined;
  if (buffer !== undefined && isDetached(buffer)) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      'readImage was given bytes whose ArrayBuffer was detached (transferred to a worker or structuredClone); pass the bytes before transferring them, or read them again.',
    );
  }
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new ImageError(
    'ERR_INVALID_ARGUMENT',
    `readImage takes the file's bytes (a Uint8Array or ArrayBuffer); received ${bytes === null ? 'null' : typeof bytes}. In Node, readImageFile(path) from "@interop/image/node" reads a path.`,
  );
}

function checkOptionsObject(options: unknown, operation: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `${operation} options must be an object such as { format: "png" }; received ${options === null ? 'null' : typeof options}.`,
    );
  }
}

function hexStart(bytes: Uint8Array): string {
  return bytes.length === 0 ? 'no bytes at all' : Array.from(bytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}
