// JPEG encoding in browsers: jpeg-js's encoder returns a Node Buffer when bundled as CommonJS, so
// where there is no Buffer the browser's own encoder (OffscreenCanvas.convertToBlob) writes the JPEG.
import { ImageError } from '../../errors/image-error.js';
import { reasonOf, type DecodedPixels } from './pixels.js';

interface Canvas2D {
  createImageData(width: number, height: number): { data: Uint8ClampedArray };
  putImageData(data: unknown, x: number, y: number): void;
}
interface OffscreenCanvasLike {
  getContext(kind: '2d'): Canvas2D | null;
  convertToBlob(options: { type: string; quality: number }): Promise<Blob>;
}
type OffscreenCanvasConstructor = new (width: number, height: number) => OffscreenCanvasLike;

/** True where JPEG encoding must go through the browser (no Node Buffer, an OffscreenCanvas). */
export function browserJpegEncoder(): boolean {
  const scope = globalThis as { Buffer?: unknown; OffscreenCanvas?: unknown };
  return scope.Buffer === undefined && typeof scope.OffscreenCanvas === 'function';
}

/** Encodes 8-bit grey or RGB pixels as JPEG with the browser's encoder. */
export async function encodeJpegWithCanvas(pixels: DecodedPixels, quality: number): Promise<Uint8Array> {
  const { width, height, channels, data } = pixels;
  try {
    const Offscreen = (globalThis as unknown as { OffscreenCanvas: OffscreenCanvasConstructor }).OffscreenCanvas;
    const canvas = new Offscreen(width, height);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d context');
    const rgba = context.createImageData(width, height);
    for (let pixel = 0, source = 0; pixel < width * height; pixel++) {
      const target = pixel * 4;
      if (channels === 1) {
        const grey = data[source++]!;
        rgba.data[target] = grey;
        rgba.data[target + 1] = grey;
        rgba.data[target + 2] = grey;
      } else {
        rgba.data[target] = data[source++]!;
        rgba.data[target + 1] = data[source++]!;
        rgba.data[target + 2] = data[source++]!;
      }
      rgba.data[target + 3] = 255;
    }
    context.putImageData(rgba, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: quality / 100 });
    return new Uint8Array(await blob.arrayBuffer());
  } catch (error) {
    throw new ImageError('ERR_IMAGE_CODEC_FAILED', `The browser could not encode the JPEG (${reasonOf(error)}).`, { cause: error });
  }
}
