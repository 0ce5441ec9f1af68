// The story PEP 3118 was written for, end to end: an image library decodes a photograph, a numeric
// library runs an FFT on a crop of its pixels reached through a strided view (no copy), and the
// result goes back to a file and to the screen.
import { arrayViewFromImage, Image, imageDataFromImage, readImage, toRGBA, writeImage, type ImageCodec, type ImageDataLike } from '@interop/image';
import FFT from 'fft.js';

/** Which part of the picture to transform: a strided crop, as NumPy's `pixels[top:top+2*n:2, left:left+2*n:2]`. */
export interface Crop {
  readonly top: number;
  readonly left: number;
  /** Side of the (square) crop, a power of two (fft.js's requirement). */
  readonly size: number;
  /** Take every `step`-th pixel along both axes. */
  readonly step: number;
}

/** What the story produces. */
export interface FftStory {
  /** The crop's 2-D spectrum, row-major, interleaved [re, im] (what `np.fft.fft2` returns). */
  readonly spectrum: Float64Array;
  /** log(1 + |F|), centred (`np.fft.fftshift`), as a float32 image. */
  readonly logMagnitude: Image;
  /** That image as a PNG (viridis colour map). */
  readonly png: Uint8Array;
  /** That image ready for `context.putImageData` (release with `releaseImageData`). */
  readonly imageData: ImageDataLike;
  /** True when the crop view shared the decoded image's memory. */
  readonly cropWasView: boolean;
}

/** Runs the story on the bytes of a PNG or JPEG (grey or colour; colour is reduced to luma), decoded by `codec` (default "auto"). */
export async function fftStory(file: Uint8Array, crop: Crop, codec: ImageCodec = 'auto'): Promise<FftStory> {
  const image = await readImage(file, { codec });
  const { size, step, top, left } = crop;
  using pixels = arrayViewFromImage(image); // [height, width] or [height, width, channels], zero-copy
  using region = pixels.slice(`${top}:${top + size * step}:${step}`, `${left}:${left + size * step}:${step}`);
  // A view, not a copy: its strides step over the decoded rows and columns, and the image is locked meanwhile.
  const cropWasView = region.strides[0] === pixels.strides[0]! * step && region.strides[1] === pixels.strides[1]! * step && image.exports > 0;
  if (region.shape[0] !== size || region.shape[1] !== size)
    throw new Error(`The crop needs ${size * step} x ${size * step} pixels from (${top}, ${left}); the image is ${image.size.join(' x ')}.`);

  // The FFT's complex input: luma of the strided view, read in place (Rec. 601 weights for colour).
  const fft = new FFT(size);
  const rows = new Float64Array(2 * size * size);
  const colour = region.ndim === 3;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const value = colour
        ? 0.299 * (region.get([y, x, 0]) as number) + 0.587 * (region.get([y, x, 1]) as number) + 0.114 * (region.get([y, x, 2]) as number)
        : (region.get([y, x]) as number);
      rows[2 * (y * size + x)] = value;
    }
  }
  const spectrum = fft2(fft, rows, size);

  const logMagnitude = new Image({ componentType: 'float32', size: [size, size] }).allocate();
  const magnitudes = logMagnitude.data as Float32Array;
  const half = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const source = 2 * (y * size + x);
      const target = ((y + half) % size) * size + ((x + half) % size); // fftshift
      magnitudes[target] = Math.log1p(Math.hypot(spectrum[source]!, spectrum[source + 1]!));
    }
  }
  const png = await writeImage(toRGBA(logMagnitude, { colorMap: 'viridis' }), { format: 'png' });
  const imageData = imageDataFromImage(logMagnitude, { colorMap: 'viridis' });
  return { spectrum, logMagnitude, png, imageData, cropWasView };
}

/** 2-D FFT by rows then columns with fft.js's 1-D complex transform. */
function fft2(fft: FFT, input: Float64Array, size: number): Float64Array {
  const out = new Float64Array(input.length);
  const line = new Float64Array(2 * size);
  const transformed = new Float64Array(2 * size);
  for (let y = 0; y < size; y++) {
    fft.transform(transformed, input.subarray(2 * y * size, 2 * (y + 1) * size));
    out.set(transformed, 2 * y * size);
  }
  for (let x = 0; x < size; x++) {
    for (let y = 0; y < size; y++) {
      line[2 * y] = out[2 * (y * size + x)]!;
      line[2 * y + 1] = out[2 * (y * size + x) + 1]!;
    }
    fft.transform(transformed, line);
    for (let y = 0; y < size; y++) {
      out[2 * (y * size + x)] = transformed[2 * y]!;
      out[2 * (y * size + x) + 1] = transformed[2 * y + 1]!;
    }
  }
  return out;
}
