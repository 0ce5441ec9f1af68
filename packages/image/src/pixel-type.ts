import { ImageError } from './errors/image-error.js';

/** ITK's pixel types (itk-wasm's `PixelTypes` names): how the components of one pixel are to be read. */
export type PixelType =
  | 'Scalar'
  | 'RGB'
  | 'RGBA'
  | 'Offset'
  | 'Vector'
  | 'Point'
  | 'CovariantVector'
  | 'SymmetricSecondRankTensor'
  | 'DiffusionTensor3D'
  | 'Complex'
  | 'FixedArray'
  | 'Array'
  | 'Matrix'
  | 'VariableLengthVector'
  | 'VariableSizeMatrix';

/** Every pixel type. */
export const pixelTypes: readonly PixelType[] = [
  'Scalar',
  'RGB',
  'RGBA',
  'Offset',
  'Vector',
  'Point',
  'CovariantVector',
  'SymmetricSecondRankTensor',
  'DiffusionTensor3D',
  'Complex',
  'FixedArray',
  'Array',
  'Matrix',
  'VariableLengthVector',
  'VariableSizeMatrix',
];

/** True when `value` names a pixel type. */
export function isPixelType(value: unknown): value is PixelType {
  return typeof value === 'string' && (pixelTypes as readonly string[]).includes(value);
}

/**
 * The number of components a pixel type implies in `dimension` dimensions, or null when any
 * positive number is allowed (Vector, VariableLengthVector, FixedArray, Array, Matrix...).
 *
 * @example
 * ```ts
 * import { pixelTypeComponents } from '@interop/image';
 * pixelTypeComponents('SymmetricSecondRankTensor', 3); // 6
 * ```
 */
export function pixelTypeComponents(pixelType: PixelType, dimension: number): number | null {
  switch (pixelType) {
    case 'Scalar':
      return 1;
    case 'RGB':
      return 3;
    case 'RGBA':
      return 4;
    case 'Complex':
      return 2;
    case 'Offset':
    case 'Point':
    case 'CovariantVector':
      return dimension;
    case 'SymmetricSecondRankTensor':
      return (dimension * (dimension + 1)) / 2;
    case 'DiffusionTensor3D':
      return 6;
    default:
      return null;
  }
}

/**
 * Resolves and checks the components per pixel of a pixel type: the implied count when the type
 * fixes one, otherwise `components` (default 1 for Scalar-like use).
 *
 * @throws {ImageError} `ERR_IMAGE_PIXEL_TYPE` for an unknown pixel type or a count that disagrees with it.
 */
export function resolveComponents(pixelType: PixelType, dimension: number, components: number | undefined): number {
  if (!isPixelType(pixelType)) {
    throw new ImageError('ERR_IMAGE_PIXEL_TYPE', `Unknown pixel type ${JSON.stringify(pixelType)}; use one of ${pixelTypes.join(', ')}.`);
  }
  const implied = pixelTypeComponents(pixelType, dimension);
  if (components !== undefined && (!Number.isSafeInteger(components) || components < 1)) {
    throw new ImageError('ERR_IMAGE_PIXEL_TYPE', `components must be a positive integer; received ${String(components)}.`, { details: { pixelType } });
  }
  if (implied === null) return components ?? 1;
  if (components !== undefined && components !== implied) {
    throw new ImageError(
      'ERR_IMAGE_PIXEL_TYPE',
      `A ${pixelType} pixel in ${dimension} dimensions has ${implied} components; received components ${components}. Omit components or use a Vector / VariableLengthVector pixel type.`,
      {
        details: { pixelType, dimension },
      },
    );
  }
  return implied;
}
