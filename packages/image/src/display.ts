import { BufferError, halfToNumber } from '@interop/core';
import type { ComponentArray } from './component-type.js';
import { ImageError } from './errors/image-error.js';
import { attachImageMemory, Image } from './image.js';

/** A built-in colour map for one-component images. */
export type ColorMapName = 'gray' | 'hot' | 'viridis';

/** Colour stops `[r, g, b]` (0 to 255), evenly spaced from the low end to the high end, interpolated linearly. */
export type ColorStops = readonly (readonly [number, number, number])[];

/** Options of `toRGBA` and `imageDataFromImage`. */
export interface DisplayOptions {
  /** Window width (DICOM's window/level): values from `level - window / 2` to `level + window / 2` span black to white. */
  readonly window?: number;
  /** Window centre, with `window`. */
  readonly level?: number;
  /** The values shown as black and white, `[low, high]`; excludes `window` / `level`. */
  readonly range?: readonly [number, number];
  /** Colour map of one-component images (default `'gray'`). */
  readonly colorMap?: ColorMapName | ColorStops;
}

// viridis (matplotlib's default colour map) through its published colours at 0, 1/4, 1/2, 3/4, 1.
const builtInStops: Readonly<Record<Exclude<ColorMapName, 'hot'>, ColorStops>> = {
  gray: [
    [0, 0, 0],
    [255, 255, 255],
  ],
  viridis: [
    [0x44, 0x01, 0x54],
    [0x3b, 0x52, 0x8b],
    [0x21, 0x91, 0x8c],
    [0x5e, 0xc9, 0x62],
    [0xfd, 0xe7, 0x25],
  ],
};

/**
 * A 2-D RGBA `uint8` copy of an image, ready for a canvas (`imageDataFromImage`) or a PNG
 * (`writeImage`): grey images through a window/level (or `range`) and a colour map, RGB and RGBA
 * images channel by channel through the same window, NaN shown transparent. Without a window,
 * `uint8` images keep their values and other types span their finite minimum to maximum, as
 * matplotlib's `imshow` does. Spacing, origin and direction are kept.
 *
 * @example
 * ```ts
 * import { Image, toRGBA } from '@interop/image';
 * const ct = new Image({ componentType: 'int16', size: [2, 1] }).allocate();
 * ct.setPixel([1, 0], 80);
 * const rgba = toRGBA(ct, { window: 80, level: 40 });
 * rgba.getPixel([1, 0]); // [255, 255, 255, 255]
 * ```
 * @throws {ImageError} `ERR_IMAGE_DIMENSION` (not 2-D), `ERR_IMAGE_PIXEL_TYPE` (complex, or components that are neither grey, grey+alpha, RGB nor RGBA), `ERR_IMAGE_OPTIONS_CONFLICT`, `ERR_INVALID_ARGUMENT`, `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
 * @throws {BufferError} `ERR_BUFFER_DETACHED` when the pixels' ArrayBuffer was transferred away.
 */
export function toRGBA(image: Image, options: DisplayOptions = {}): Image {
  if (!(image instanceof Image)) throw new ImageError('ERR_INVALID_ARGUMENT', `toRGBA takes an Image; received ${image === null ? 'null' : typeof image}.`);
  if (typeof options !== 'object' || options === null)
    throw new ImageError('ERR_INVALID_ARGUMENT', 'toRGBA options must be an object such as { window: 400, level: 40 }.');
  const { componentType, pixelType, components, dimension } = image.imageType;
  const size = image.size;
  if (dimension < 2 || size.slice(2).some((extent) => extent !== 1)) {
    throw new ImageError(
      'ERR_IMAGE_DIMENSION',
      `A display shows 2-D images; this one is ${dimension}-D of size [${size.join(', ')}]. Take a slice first: imageViewFromArray(arrayViewFromImage(image).slice(z)).`,
      { details: { dimension } },
    );
  }
  if (pixelType === 'Complex') {
    throw new ImageError(
      'ERR_IMAGE_PIXEL_TYPE',
      'A complex image has no colour; show its magnitude (or log-magnitude) as a one-component float image instead.',
    );
  }
  const colour = pixelType === 'RGB' || pixelType === 'RGBA';
  const greyAlpha = !colour && components === 2 && componentType !== 'float16' && componentType !== 'float32' && componentType !== 'float64';
  if (!colour && components !== 1 && !greyAlpha) {
    throw new ImageError(
      'ERR_IMAGE_PIXEL_TYPE',
      `toRGBA shows grey (1 component), grey + alpha (2 integer components), RGB and RGBA images; this one is ${pixelType} with ${components} ${componentType} components. Pick one component first: imageViewFromArray(arrayViewFromImage(image).slice(null, null, c)).`,
    );
  }
  const colourChannels = colour ? 3 : 1;
  const hasAlpha = pixelType === 'RGBA' || greyAlpha;
  if (options.colorMap !== undefined && colour)
    throw new ImageError('ERR_INVALID_ARGUMENT', `A colour map applies to one-component images; this image is ${pixelType}. Leave colorMap out.`);
  const lut = colorTable(options.colorMap ?? 'gray');
  const data = image.data;
  if (data.length !== image.pixelCount * components) {
    // The pixels' ArrayBuffer was transferred or shrunk behind the image: never read it as zeros.
    throw new BufferError(
      'ERR_BUFFER_DETACHED',
      `toRGBA: the image's pixel buffer holds ${data.length} values where ${image.pixelCount * components} are needed; its ArrayBuffer was detached or resized. Read or copy the image again.`,
    );
  }
  const read = reader(data, componentType);
  const [low, high] = windowOf(options, componentType, data.length, components, colourChannels, read);
  const span = high - low;
  const alphaScale = alphaScaleOf(componentType);
  const width = size[0]!;
  const height = size[1]!;
  const pixelCount = width * height;
  let out: Uint8Array;
  try {
    out = new Uint8Array(pixelCount * 4);
  } catch (error) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `Cannot allocate ${pixelCount * 4} bytes for an RGBA copy of ${width} x ${height} pixels: the JavaScript engine refused. Show a smaller region (a slice of arrayViewFromImage).`,
      { cause: error },
    );
  }
  for (let pixel = 0; pixel < pixelCount; pixel++) {
    const source = pixel * components;
    const target = pixel * 4;
    if (colourChannels === 1) {
      const value = read(source);
      if (Number.isNaN(value)) continue; // transparent black
      const entry = levelOf(value, low, span) * 3;
      out[target] = lut[entry]!;
      out[target + 1] = lut[entry + 1]!;
      out[target + 2] = lut[entry + 2]!;
    } else {
      for (let channel = 0; channel < 3; channel++) {
        const value = read(source + channel);
        out[target + channel] = Number.isNaN(value) ? 0 : levelOf(value, low, span);
      }
    }
    out[target + 3] = hasAlpha ? alphaOf(read(source + components - 1), alphaScale) : 255;
  }
  const rgba = new Image({
    componentType: 'uint8',
    pixelType: 'RGBA',
    size,
    index: image.index,
    spacing: image.spacing,
    origin: image.origin,
    direction: image.direction,
    name: image.name,
  });
  attachImageMemory(rgba, out, null, false);
  return rgba;
}

/** 0..255 of `value` within [low, low + span]: clamped, rounded half up. */
function levelOf(value: number, low: number, span: number): number {
  const t = (value - low) / span;
  if (!(t > 0)) return 0;
  if (t >= 1) return 255;
  return Math.floor(t * 255 + 0.5);
}

function alphaOf(value: number, scale: number): number {
  if (Number.isNaN(value)) return 0;
  const alpha = Math.floor(value * scale + 0.5);
  return alpha < 0 ? 0 : alpha > 255 ? 255 : alpha;
}

/** Integer alpha spans the type's non-negative range (uint16 65535 = opaque); floats span 0..1. */
function alphaScaleOf(componentType: string): number {
  const maxima: Record<string, number> = {
    uint8: 255,
    int8: 127,
    uint16: 65535,
    int16: 32767,
    uint32: 2 ** 32 - 1,
    int32: 2 ** 31 - 1,
    uint64: 2 ** 64 - 1,
    int64: 2 ** 63 - 1,
  };
  return 255 / (maxima[componentType] ?? 1);
}

function reader(data: ComponentArray, componentType: string): (position: number) => number {
  if (componentType === 'float16') return (position) => halfToNumber(data[position] as number);
  if (componentType === 'int64' || componentType === 'uint64') return (position) => Number(data[position]);
  return (position) => data[position] as number;
}

function windowOf(
  options: DisplayOptions,
  componentType: string,
  length: number,
  components: number,
  colourChannels: number,
  read: (position: number) => number,
): [number, number] {
  const { window, level, range } = options;
  if (range !== undefined && (window !== undefined || level !== undefined)) {
    throw new ImageError('ERR_IMAGE_OPTIONS_CONFLICT', 'Give either range: [low, high] or window and level, not both.');
  }
  if (range !== undefined) {
    const [low, high] = Array.isArray(range) ? (range as [unknown, unknown]) : [undefined, undefined];
    if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high) || !(high > low)) {
      throw new ImageError('ERR_INVALID_ARGUMENT', `range must be [low, high] with finite low < high; received ${JSON.stringify(range)}.`);
    }
    return [low, high];
  }
  if (window !== undefined || level !== undefined) {
    if (typeof window !== 'number' || typeof level !== 'number' || !Number.isFinite(window) || !Number.isFinite(level) || !(window > 0)) {
      throw new ImageError(
        'ERR_INVALID_ARGUMENT',
        `window and level go together: a finite window width > 0 and a finite level (centre); received window ${String(window)}, level ${String(level)}.`,
      );
    }
    return [level - window / 2, level + window / 2];
  }
  if (componentType === 'uint8') return [0, 255];
  let low = Infinity;
  let high = -Infinity;
  for (let start = 0; start < length; start += components) {
    for (let channel = 0; channel < colourChannels; channel++) {
      const value = read(start + channel);
      if (value < low && value > -Infinity) low = value;
      if (value > high && value < Infinity) high = value;
    }
  }
  if (low === Infinity) return [0, 1]; // no finite value at all
  return high > low ? [low, high] : [low, low + 1];
}

/** 256 RGB entries of a colour map. */
function colorTable(colorMap: ColorMapName | ColorStops): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  if (colorMap === 'hot') {
    for (let index = 0; index < 256; index++) {
      const t = index / 255;
      lut[index * 3] = Math.round(clamp01(3 * t) * 255);
      lut[index * 3 + 1] = Math.round(clamp01(3 * t - 1) * 255);
      lut[index * 3 + 2] = Math.round(clamp01(3 * t - 2) * 255);
    }
    return lut;
  }
  const stops: unknown = typeof colorMap === 'string' ? (builtInStops as Record<string, ColorStops | undefined>)[colorMap] : colorMap;
  if (!isColorStops(stops)) {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `colorMap is "gray", "hot", "viridis" or at least two [r, g, b] stops with values from 0 to 255; received ${JSON.stringify(colorMap)}.`,
    );
  }
  const last = stops.length - 1;
  for (let index = 0; index < 256; index++) {
    const position = (index / 255) * last;
    const below = Math.min(Math.floor(position), last - 1);
    const fraction = position - below;
    for (let channel = 0; channel < 3; channel++) {
      const a = stops[below]![channel]!;
      const b = stops[below + 1]![channel]!;
      lut[index * 3 + channel] = Math.round(a + (b - a) * fraction);
    }
  }
  return lut;
}

function isColorStops(value: unknown): value is ColorStops {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every(
      (stop: unknown) => Array.isArray(stop) && stop.length === 3 && stop.every((entry: unknown) => typeof entry === 'number' && entry >= 0 && entry <= 255),
    )
  );
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}
