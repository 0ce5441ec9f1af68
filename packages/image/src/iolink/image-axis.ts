import { ImageError } from '../errors/image-error.js';

/** IOLink's image axes, listed in canonical order: COLUMN, ROW, SLICE, CHANNEL, SEQUENCE. */
export const ImageAxis: {
  readonly COLUMN: 'COLUMN';
  readonly ROW: 'ROW';
  readonly SLICE: 'SLICE';
  readonly CHANNEL: 'CHANNEL';
  readonly SEQUENCE: 'SEQUENCE';
} = { COLUMN: 'COLUMN', ROW: 'ROW', SLICE: 'SLICE', CHANNEL: 'CHANNEL', SEQUENCE: 'SEQUENCE' };

/** One image axis. */
export type ImageAxis = (typeof ImageAxis)[keyof typeof ImageAxis];

/** What the dimensions of an image view mean (IOLink's `AxesInterpretationId`). */
export const AxesInterpretation: {
  readonly UNKNOWN: 'UNKNOWN';
  readonly IMAGE: 'IMAGE';
  readonly VOLUME: 'VOLUME';
  readonly SEQUENCE: 'SEQUENCE';
  readonly MULTISPECTRAL_IMAGE: 'MULTISPECTRAL_IMAGE';
  readonly MULTISPECTRAL_VOLUME: 'MULTISPECTRAL_VOLUME';
  readonly IMAGE_SEQUENCE: 'IMAGE_SEQUENCE';
  readonly VOLUME_SEQUENCE: 'VOLUME_SEQUENCE';
  readonly MULTISPECTRAL_IMAGE_SEQUENCE: 'MULTISPECTRAL_IMAGE_SEQUENCE';
  readonly MULTISPECTRAL_VOLUME_SEQUENCE: 'MULTISPECTRAL_VOLUME_SEQUENCE';
} = {
  UNKNOWN: 'UNKNOWN',
  IMAGE: 'IMAGE',
  VOLUME: 'VOLUME',
  SEQUENCE: 'SEQUENCE',
  MULTISPECTRAL_IMAGE: 'MULTISPECTRAL_IMAGE',
  MULTISPECTRAL_VOLUME: 'MULTISPECTRAL_VOLUME',
  IMAGE_SEQUENCE: 'IMAGE_SEQUENCE',
  VOLUME_SEQUENCE: 'VOLUME_SEQUENCE',
  MULTISPECTRAL_IMAGE_SEQUENCE: 'MULTISPECTRAL_IMAGE_SEQUENCE',
  MULTISPECTRAL_VOLUME_SEQUENCE: 'MULTISPECTRAL_VOLUME_SEQUENCE',
};

/** One axes interpretation. */
export type AxesInterpretation = (typeof AxesInterpretation)[keyof typeof AxesInterpretation];

/** Canonical rank of each axis: views store dimensions in this order. */
export const canonicalAxes: readonly ImageAxis[] = ['COLUMN', 'ROW', 'SLICE', 'CHANNEL', 'SEQUENCE'];

const interpretationAxisList: Readonly<Record<Exclude<AxesInterpretation, 'UNKNOWN'>, readonly ImageAxis[]>> = {
  IMAGE: ['COLUMN', 'ROW'],
  VOLUME: ['COLUMN', 'ROW', 'SLICE'],
  SEQUENCE: ['SEQUENCE'],
  MULTISPECTRAL_IMAGE: ['COLUMN', 'ROW', 'CHANNEL'],
  MULTISPECTRAL_VOLUME: ['COLUMN', 'ROW', 'SLICE', 'CHANNEL'],
  IMAGE_SEQUENCE: ['COLUMN', 'ROW', 'SEQUENCE'],
  VOLUME_SEQUENCE: ['COLUMN', 'ROW', 'SLICE', 'SEQUENCE'],
  MULTISPECTRAL_IMAGE_SEQUENCE: ['COLUMN', 'ROW', 'CHANNEL', 'SEQUENCE'],
  MULTISPECTRAL_VOLUME_SEQUENCE: ['COLUMN', 'ROW', 'SLICE', 'CHANNEL', 'SEQUENCE'],
};

/** True when `value` is an axes interpretation name. */
export function isAxesInterpretation(value: unknown): value is AxesInterpretation {
  return typeof value === 'string' && Object.hasOwn(AxesInterpretation, value);
}

/**
 * The axes (canonical order) an interpretation gives a view of `dimensions` dimensions, or null
 * for UNKNOWN. A view with fewer dimensions than the interpretation names keeps the first ones
 * (IOLink: a 2-D VOLUME is COLUMN, ROW).
 *
 * @example
 * ```ts
 * import { interpretationAxes } from '@interop/image/iolink';
 * interpretationAxes('VOLUME', 3); // ["COLUMN", "ROW", "SLICE"]
 * ```
 * @throws {ImageError} `ERR_IMAGE_AXES_INVALID` for an unknown interpretation or more dimensions than it names.
 */
export function interpretationAxes(interpretation: AxesInterpretation, dimensions: number): ImageAxis[] | null {
  if (!isAxesInterpretation(interpretation)) {
    throw new ImageError(
      'ERR_IMAGE_AXES_INVALID',
      `Unknown axes interpretation ${JSON.stringify(interpretation)}; use one of ${Object.keys(AxesInterpretation).join(', ')}.`,
    );
  }
  if (interpretation === 'UNKNOWN') return null;
  const axes = interpretationAxisList[interpretation];
  if (dimensions > axes.length) {
    throw new ImageError(
      'ERR_IMAGE_AXES_INVALID',
      `A ${interpretation} has at most ${axes.length} dimensions (${axes.join(', ')}); the data has ${dimensions}. Use another interpretation or UNKNOWN.`,
      {
        details: { interpretation },
      },
    );
  }
  return axes.slice(0, dimensions);
}

/**
 * The interpretation of a set of axes: the one naming exactly these axes, else the smallest one
 * whose leading axes they are.
 *
 * @throws {ImageError} `ERR_IMAGE_AXES_INVALID` when the axes repeat, are unknown, or fit no interpretation.
 */
export function interpretationOfAxes(axes: readonly ImageAxis[]): AxesInterpretation {
  checkAxes(axes);
  const sorted = sortAxes(axes);
  let best: AxesInterpretation | null = null;
  let bestLength = Infinity;
  for (const [name, list] of Object.entries(interpretationAxisList) as [AxesInterpretation, readonly ImageAxis[]][]) {
    if (list.length < sorted.length) continue;
    if (sorted.every((axis, position) => list[position] === axis) && list.length < bestLength) {
      best = name;
      bestLength = list.length;
    }
  }
  if (best === null) {
    throw new ImageError(
      'ERR_IMAGE_AXES_INVALID',
      `The axes [${axes.join(', ')}] describe no known axes interpretation (e.g. COLUMN+ROW is IMAGE, COLUMN+ROW+SLICE is VOLUME).`,
    );
  }
  return best;
}

/** Throws unless `axes` are distinct image axes. */
export function checkAxes(axes: readonly unknown[]): asserts axes is readonly ImageAxis[] {
  if (!Array.isArray(axes)) throw new ImageError('ERR_IMAGE_AXES_INVALID', 'Axes must be an array of ImageAxis names.');
  const seen = new Set<unknown>();
  for (const axis of axes) {
    if (!canonicalAxes.includes(axis as ImageAxis)) {
      throw new ImageError('ERR_IMAGE_AXES_INVALID', `Unknown image axis ${JSON.stringify(axis)}; use ${canonicalAxes.join(', ')}.`);
    }
    if (seen.has(axis))
      throw new ImageError('ERR_IMAGE_AXES_INVALID', `Axis ${String(axis)} appears twice in [${axes.join(', ')}]; each axis may appear once.`);
    seen.add(axis);
  }
}

/** Axes in canonical order. */
export function sortAxes(axes: readonly ImageAxis[]): ImageAxis[] {
  return axes.slice().sort((a, b) => canonicalAxes.indexOf(a) - canonicalAxes.indexOf(b));
}
