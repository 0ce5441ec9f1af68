import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { allocateBuffer, BufferFlags, getBuffer, longOperation, releaseBuffer, type LongOperationOptions } from '@interop/core';
import { readFileInto, writeFileAtomic } from '@interop/core/node';
import { ImageError } from '../errors/image-error.js';
import type { Image } from '../image.js';
import { readImage, writeImage, type ImageCodec } from '../image-file.js';
import { fromItkWasm, toItkWasm, type ItkWasmImage } from '../itk-wasm.js';
import { reasonOf } from '../internal/codecs/pixels.js';
import { loadOptional } from '../internal/optional-module.js';

/** A codec for `readImageFile` / `writeImageFile`: the raster codecs, or itk-wasm (every ITK format, PNG and JPEG too). */
export type ImageFileCodec = ImageCodec | 'itk-wasm';

/**
 * Options of `readImageFile`. `onProgress` / `signal` (LongOperationOptions): PNG and JPEG files are
 * read in 16 MiB chunks with a report per chunk; ITK formats, which itk-wasm reads in one call, get
 * a report before and after, and the signal is checked before the read and before returning.
 */
export interface ReadImageFileOptions extends LongOperationOptions {
  /** PNG / JPEG codec (default `'auto'`); other formats always use itk-wasm. */
  readonly codec?: ImageFileCodec;
  /** PNG / JPEG through `readImage`: the most pixels a file may declare (default 2^28). */
  readonly maxPixels?: number;
}

/**
 * Options of `writeImageFile`. Every format is written all or nothing: into a temporary file beside
 * the target, renamed into place when complete, so an abort of `signal` or a failure never leaves a
 * half-written file. `onProgress` reports the bytes written (PNG, JPEG) or the start and the end (ITK formats).
 */
export interface WriteImageFileOptions extends LongOperationOptions {
  /** PNG / JPEG codec (default `'auto'`); other formats always use itk-wasm. */
  readonly codec?: ImageFileCodec;
  /** JPEG quality from 1 to 100 (default 90). */
  readonly quality?: number;
  /** Compress when the format allows (NIfTI .nii.gz is always compressed; NRRD, MetaImage, TIFF on request). */
  readonly useCompression?: boolean;
}

/** File name endings that itk-wasm's image-io reads and writes, longest first (DICOM is read and written one file at a time). */
const itkExtensions = [
  'nii.gz',
  'gipl.gz',
  'mnc.gz',
  'mgh.gz',
  'iwi.cbor.zst',
  'iwi.cbor',
  'nii',
  'nia',
  'hdr',
  'nrrd',
  'nhdr',
  'mha',
  'mhd',
  'tif',
  'tiff',
  'dcm',
  'bmp',
  'gipl',
  'hdf5',
  'lsm',
  'mnc',
  'mnc2',
  'mgh',
  'mgz',
  'mrc',
  'pic',
  'vtk',
  'isq',
  'aim',
  'fdf',
  'iwi',
];

type FileKind = { readonly kind: 'raster'; readonly format: 'png' | 'jpeg' } | { readonly kind: 'itk' };

function kindOf(path: string): FileKind {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.png')) return { kind: 'raster', format: 'png' };
  if (name.endsWith('.jpg') || name.endsWith('.jpeg')) return { kind: 'raster', format: 'jpeg' };
  if (itkExtensions.some((extension) => name.endsWith(`.${extension}`))) return { kind: 'itk' };
  throw new ImageError(
    'ERR_IMAGE_FILE_FORMAT',
    `Cannot tell the image format of ${JSON.stringify(path)} from its name; use one of .png, .jpg, .jpeg, .${itkExtensions.join(', .')}.`,
  );
}

interface ImageIoModule {
  readImageNode(path: string): Promise<ItkWasmImage>;
  writeImageNode(image: ItkWasmImage, path: string, options?: { useCompression?: boolean }): Promise<void>;
}

function checkPath(path: unknown, operation: string): asserts path is string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new ImageError('ERR_INVALID_ARGUMENT', `${operation} takes a file path (a non-empty string); received ${path === null ? 'null' : typeof path}.`);
  }
}

function checkCodec(codec: unknown, kind: FileKind, path: string): void {
  if (kind.kind === 'itk' && codec !== undefined && codec !== 'auto' && codec !== 'itk-wasm') {
    throw new ImageError(
      'ERR_INVALID_ARGUMENT',
      `${JSON.stringify(path)} is read and written by itk-wasm; codec ${JSON.stringify(codec)} handles only PNG and JPEG. Leave codec out or give "itk-wasm".`,
    );
  }
}

/**
 * Reads an image file (itk python's `itk.imread`): PNG and JPEG through `readImage`'s codecs;
 * TIFF, NIfTI, NRRD, MetaImage, DICOM (one file) and ITK's other formats through
 * `@itk-wasm/image-io` (an optional peer), keeping spacing, origin, direction, pixel type and
 * components. Pixels are adopted without a copy.
 *
 * @example
 * ```ts no-run
 * import { readImageFile } from '@interop/image/node';
 * const volume = await readImageFile('brain.nii.gz');
 * volume.spacing; // [0.9, 0.9, 3]
 * ```
 * @throws {ImageError} `ERR_IMAGE_FILE_FORMAT`, `ERR_IMAGE_CODEC_MISSING` (install @itk-wasm/image-io), `ERR_IMAGE_CODEC_FAILED` (unreadable file), `ERR_INVALID_ARGUMENT`, and `fromItkWasm`'s codes.
 */
export async function readImageFile(path: string, options: ReadImageFileOptions = {}): Promise<Image> {
  checkPath(path, 'readImageFile');
  const kind = kindOf(path);
  checkCodec(options.codec, kind, path);
  if (kind.kind === 'raster' && options.codec !== 'itk-wasm') {
    longOperation('readImageFile', options, undefined);
    let bytes: Uint8Array;
    try {
      // Straight into memory from core's allocation seam, in 16 MiB chunks (progress, abort).
      bytes = new Uint8Array(allocateBuffer((await stat(path)).size));
      bytes = bytes.subarray(0, await readFileInto(path, bytes, { operation: 'readImageFile', signal: options.signal, onProgress: options.onProgress }));
    } catch (error) {
      if (error instanceof Error && 'code' in error && (error as { code: unknown }).code === 'ERR_ABORTED') throw error;
      throw new ImageError('ERR_IMAGE_CODEC_FAILED', `Cannot read ${JSON.stringify(path)}: ${reasonOf(error)}.`, { cause: error });
    }
    return readImage(bytes, {
      format: kind.format,
      ...(options.codec === undefined ? {} : { codec: options.codec }),
      ...(options.maxPixels === undefined ? {} : { maxPixels: options.maxPixels }),
    });
  }
  const io = await loadOptional<ImageIoModule>('@itk-wasm/image-io', `Reading ${basename(path)}`);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new ImageError('ERR_IMAGE_CODEC_FAILED', `Cannot read ${JSON.stringify(path)}: ${reasonOf(error)}.`, { cause: error });
  }
  // itk-wasm reads the file in one call: progress before and after, the signal checked around it.
  const report = longOperation('readImageFile', options, size);
  report(0);
  let itkImage: ItkWasmImage;
  try {
    itkImage = await io.readImageNode(path);
  } catch (error) {
    throw new ImageError(
      'ERR_IMAGE_CODEC_FAILED',
      `itk-wasm could not read ${JSON.stringify(path)} (${reasonOf(error)}); the file is corrupt or not of the format its name says.`,
      { cause: error },
    );
  }
  report(size);
  return fromItkWasm(itkImage);
}

/**
 * Writes an image file (itk python's `itk.imwrite`), choosing the format from the name: PNG and
 * JPEG through `writeImage`'s codecs; TIFF, NIfTI, NRRD, MetaImage, DICOM and ITK's other formats
 * through `@itk-wasm/image-io` with spacing, origin and direction. An export of the image is held
 * while the file is written.
 *
 * @example
 * ```ts no-run
 * import { Image } from '@interop/image';
 * import { writeImageFile } from '@interop/image/node';
 * const image = new Image({ componentType: 'int16', size: [64, 64, 20], spacing: [0.8, 0.8, 3] }).allocate();
 * await writeImageFile(image, 'volume.nrrd');
 * ```
 * @throws {ImageError} `ERR_IMAGE_FILE_FORMAT`, `ERR_IMAGE_CODEC_MISSING`, `ERR_IMAGE_CODEC_FAILED`, `ERR_INVALID_ARGUMENT`, `ERR_IMAGE_COMPONENT_TYPE` (float16), `ERR_IMAGE_NOT_ALLOCATED`, `ERR_BUFFER_RELEASED`.
 */
export async function writeImageFile(image: Image, path: string, options: WriteImageFileOptions = {}): Promise<void> {
  checkPath(path, 'writeImageFile');
  const kind = kindOf(path);
  checkCodec(options.codec, kind, path);
  if (kind.kind === 'raster' && options.codec !== 'itk-wasm') {
    const bytes = await writeImage(image, {
      format: kind.format,
      ...(options.codec === undefined ? {} : { codec: options.codec }),
      ...(options.quality === undefined ? {} : { quality: options.quality }),
    });
    try {
      await writeFileAtomic(path, [bytes], { operation: 'writeImageFile', bytesTotal: bytes.length, signal: options.signal, onProgress: options.onProgress });
    } catch (error) {
      if (error instanceof Error && 'code' in error && (error as { code: unknown }).code === 'ERR_ABORTED') throw error;
      throw new ImageError('ERR_IMAGE_CODEC_FAILED', `Cannot write ${JSON.stringify(path)}: ${reasonOf(error)}.`, { cause: error });
    }
    return;
  }
  const itkImage = toItkWasm(image);
  if (itkImage.data === null) throw new ImageError('ERR_IMAGE_NOT_ALLOCATED', 'Cannot write an image without pixels; call image.allocate() first.');
  const io = await loadOptional<ImageIoModule>('@itk-wasm/image-io', `Writing ${basename(path)}`);
  const report = longOperation('writeImageFile', options, undefined);
  report(0);
  // itk-wasm writes the file itself: into a temporary name beside the target that keeps the
  // extension (the format), renamed into place once written and the signal checked once more.
  const temporary = join(dirname(path), `.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp.${basename(path)}`);
  let renamed = false;
  // Hold an export while itk-wasm reads the pixels, so the image cannot be reallocated meanwhile.
  const info = getBuffer(image, BufferFlags.FULL_RO);
  try {
    try {
      await io.writeImageNode(itkImage, temporary, { useCompression: options.useCompression === true });
    } catch (error) {
      throw new ImageError('ERR_IMAGE_CODEC_FAILED', `itk-wasm could not write ${JSON.stringify(path)} (${reasonOf(error)}).`, { cause: error });
    }
    const written = (await stat(temporary)).size;
    report(written);
    await rename(temporary, path);
    renamed = true;
  } finally {
    releaseBuffer(info);
    if (!renamed) await rm(temporary, { force: true });
  }
}
