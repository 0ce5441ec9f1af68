import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo } from '@interop/core';
import { componentArray } from '../../component-type.js';
import { ImageError } from '../../errors/image-error.js';
import { attachImageMemory, Image } from '../../image.js';
import type { PixelType } from '../../pixel-type.js';

/** What a raster codec hands back: rows from the top, x fastest, channels interleaved. */
export interface DecodedPixels {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array | Uint16Array;
}

/** A 2-D image's pixels lent to an encoder, with the export that keeps them in place meanwhile. */
export interface PixelsToEncode extends DecodedPixels {
  readonly info: BufferInfo;
}

const pixelTypeOfChannels: readonly (PixelType | undefined)[] = [undefined, 'Scalar', 'Vector', 'RGB', 'RGBA'];

/**
 * Adopts decoded pixels as an image without a copy. The codec's answer is untrusted: it is
 * snapshotted and checked (sizes, array kind, length) before its memory becomes the image's.
 */
export function adoptDecoded(decoded: DecodedPixels, codec: string): Image {
  const { width, height, channels, data } = decoded;
  const valid =
    Number.isSafeInteger(width) &&
    Number.isSafeInteger(height) &&
    width > 0 &&
    height > 0 &&
    Number.isInteger(channels) &&
    channels >= 1 &&
    channels <= 4 &&
    (data instanceof Uint8Array || data instanceof Uint16Array);
  if (!valid || data.length !== width * height * channels) {
    throw new ImageError(
      'ERR_IMAGE_CODEC_FAILED',
      `The ${codec} decoder returned pixels that do not describe themselves (${String(width)} x ${String(height)} x ${String(channels)} channels, ${valid ? `${data.length} values` : 'an unexpected array'}); the file is probably corrupt.`,
    );
  }
  const componentType = data instanceof Uint16Array ? 'uint16' : 'uint8';
  const image = new Image({ componentType, pixelType: pixelTypeOfChannels[channels]!, components: channels, size: [width, height] });
  // The same memory under a plain TypedArray (a Node Buffer or a Uint8ClampedArray would leak its class).
  attachImageMemory(image, componentArray(componentType, data.buffer, data.byteOffset, data.length), null, false);
  return image;
}

/** The formats a raster codec writes. */
export type RasterFormat = 'png' | 'jpeg';

/**
 * Lends a 2-D image's pixels to an encoder: checks that `format` can hold the image type and
 * takes an export, so the image cannot be reallocated while an asynchronous encoder reads it.
 * The caller releases `info` when the encoder is done.
 */
export function pixelsToEncode(image: Image, format: RasterFormat): PixelsToEncode {
  if (!(image instanceof Image))
    throw new ImageError('ERR_INVALID_ARGUMENT', `Writing ${format.toUpperCase()} takes an Image; received ${image === null ? 'null' : typeof image}.`);
  const { dimension, componentType, components, pixelType } = image.imageType;
  const name = format.toUpperCase();
  const depths = format === 'png' ? ['uint8', 'uint16'] : ['uint8'];
  const channelCounts = format === 'png' ? [1, 2, 3, 4] : [1, 3];
  if (dimension !== 2) {
    throw new ImageError(
      'ERR_IMAGE_FILE_FORMAT',
      `${name} holds 2-D images; this image is ${dimension}-D. Take a slice first (arrayViewFromImage(image).slice(z) then imageViewFromArray), or write a volume format such as NRRD or NIfTI.`,
      { details: { dimension } },
    );
  }
  if (!depths.includes(componentType) || !channelCounts.includes(components) || pixelType === 'Complex') {
    throw new ImageError(
      'ERR_IMAGE_FILE_FORMAT',
      `${name} holds ${depths.join(' or ')} pixels of ${channelCounts.join(', ')} components; this image has ${components} ${componentType} components (${pixelType}). Convert it for display with toRGBA(image, { window, level }), or write TIFF, NRRD or NIfTI to keep the values.`,
    );
  }
  const info = getBuffer(image, BufferFlags.CONTIG_RO);
  const [width, height] = image.size as [number, number];
  const data =
    componentType === 'uint16'
      ? new Uint16Array(info.buffer, info.byteOffset, info.byteLength / 2)
      : new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
  return { width, height, channels: components, data, info };
}

/** Ends the export `pixelsToEncode` took. */
export function endEncode(pixels: PixelsToEncode): void {
  releaseBuffer(pixels.info);
}

/** The message of a codec's own error, first line only. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
