// PNG through fast-png and JPEG through jpeg-js: small pure-JavaScript codecs that run in every
// engine (Node, browsers, workers), the fallback when sharp is not installed.
import { convertIndexedToRgb, decode as decodePng, encode as encodePng, type DecodedPng } from 'fast-png';
import jpeg from 'jpeg-js';
import { ImageError } from '../../errors/image-error.js';
import { reasonOf, type DecodedPixels } from './pixels.js';

/** Decodes a PNG with fast-png: 8- and 16-bit samples kept, palettes expanded, 1/2/4-bit grey scaled to 8 bits (as libpng's expand). */
export function decodePngPure(bytes: Uint8Array): DecodedPixels {
  let png: DecodedPng;
  try {
    png = decodePng(bytes);
  } catch (error) {
    throw new ImageError('ERR_IMAGE_CODEC_FAILED', `fast-png could not decode the PNG (${reasonOf(error)}); the bytes are corrupt, truncated or not a PNG.`, {
      cause: error,
    });
  }
  const { width, height } = png;
  if (png.palette !== undefined) {
    const rgb = convertIndexedToRgb(png);
    return { width, height, channels: rgb.length / (width * height), data: rgb };
  }
  if (png.depth < 8) return { width, height, channels: png.channels, data: unpackLowDepth(png) };
  const data = png.data instanceof Uint16Array ? png.data : new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  return { width, height, channels: png.channels, data };
}

/** Rows of 1/2/4-bit samples (each row starting on a byte) unpacked to bytes, scaled to 0..255. */
function unpackLowDepth(png: DecodedPng): Uint8Array {
  const { width, height, depth, channels } = png;
  const packed = png.data as Uint8Array;
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  if (packed.length < rowBytes * height)
    throw new ImageError('ERR_IMAGE_CODEC_FAILED', `fast-png returned ${packed.length} bytes for ${height} rows of ${rowBytes}; the PNG is corrupt.`);
  const out = new Uint8Array(perRow * height);
  const mask = (1 << depth) - 1;
  const scale = 255 / mask;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < perRow; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)]!;
      out[y * perRow + x] = Math.round(((byte >> (8 - depth - (bit & 7))) & mask) * scale);
    }
  }
  return out;
}

/** Encodes pixels as PNG with fast-png (8 or 16 bits, 1 to 4 channels). */
export function encodePngPure(pixels: DecodedPixels): Uint8Array {
  try {
    return encodePng({
      width: pixels.width,
      height: pixels.height,
      data: pixels.data,
      channels: pixels.channels,
      depth: pixels.data instanceof Uint16Array ? 16 : 8,
    });
  } catch (error) {
    throw new ImageError('ERR_IMAGE_CODEC_FAILED', `fast-png could not encode the image (${reasonOf(error)}).`, { cause: error });
  }
}

/** Decodes a JPEG with jpeg-js: always RGB (grey JPEGs come back as three equal channels, as jpeg-js gives them). */
export function decodeJpegPure(bytes: Uint8Array, maxPixels: number): DecodedPixels {
  try {
    // jpeg-js checks its limits from the header, before it allocates the pixels.
    const { width, height, data } = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 8) / 2 ** 20)),
    });
    return { width, height, channels: 3, data };
  } catch (error) {
    if (/maxResolutionInMP/.test(reasonOf(error)))
      throw new ImageError(
        'ERR_SIZE_LIMIT',
        `The JPEG declares more pixels than maxPixels (${maxPixels}); nothing was decoded. Pass a larger maxPixels to readImage if the file is trusted.`,
        { cause: error },
      );
    throw new ImageError('ERR_IMAGE_CODEC_FAILED', `jpeg-js could not decode the JPEG (${reasonOf(error)}); the bytes are corrupt, truncated or not a JPEG.`, {
      cause: error,
    });
  }
}

/** Encodes 8-bit grey or RGB pixels as a baseline JPEG with jpeg-js (which needs RGBA input, so this builds it). */
export function encodeJpegPure(pixels: DecodedPixels, quality: number): Uint8Array {
  const { width, height, channels, data } = pixels;
  let rgba: Uint8Array;
  try {
    rgba = new Uint8Array(width * height * 4);
  } catch (error) {
    throw new ImageError(
      'ERR_IMAGE_CODEC_FAILED',
      `jpeg-js needs an RGBA copy of ${width} x ${height} pixels, which the JavaScript engine could not allocate; use codec "sharp".`,
      { cause: error },
    );
  }
  for (let pixel = 0, source = 0, target = 0; pixel < width * height; pixel++, target += 4) {
    if (channels === 1) {
      const grey = data[source++]!;
      rgba[target] = grey;
      rgba[target + 1] = grey;
      rgba[target + 2] = grey;
    } else {
      rgba[target] = data[source++]!;
      rgba[target + 1] = data[source++]!;
      rgba[target + 2] = data[source++]!;
    }
    rgba[target + 3] = 255;
  }
  let encoded: Uint8Array;
  try {
    encoded = jpeg.encode({ width, height, data: rgba }, quality).data;
  } catch (error) {
    // jpeg-js returns a Node Buffer when it believes it runs under CommonJS, which bundled browser code can do.
    throw new ImageError(
      'ERR_IMAGE_CODEC_FAILED',
      `jpeg-js could not encode the image (${reasonOf(error)}). In a browser, draw the image with imageDataFromImage() and use canvas.toBlob("image/jpeg") instead.`,
      { cause: error },
    );
  }
  return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.length);
}
