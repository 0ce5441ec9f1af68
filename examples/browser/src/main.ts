// Loads an RGBA uint8 volume written as .npy, takes the middle slice as a strided-free view of the
// file's own bytes, and hands that memory to the canvas as ImageData: no pixel is copied in JS.
import { BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { readNpy } from '@interop/npy';

async function main(): Promise<void> {
  const response = await fetch('./volume.npy');
  // Without this check a missing file reaches readNpy as an HTML 404 page ("start with 3c 21 64 6f").
  if (!response.ok) {
    throw new Error(
      `GET ./volume.npy answered ${response.status} ${response.statusText}: the data file is missing. Run "pnpm dev" (it writes public/volume.npy first) or "pnpm run data".`,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const volume = readNpy(bytes);
  const [depth, height, width, channels] = volume.shape as [number, number, number, number];
  using all = MemoryView.from(volume);
  using slice = all.slice(Math.floor(depth / 2)); // an integer index drops the z dimension: (height, width, 4)
  const info = getBuffer(slice, BufferFlags.C_CONTIGUOUS);
  const pixels = new Uint8ClampedArray(info.buffer as ArrayBuffer, info.byteOffset, info.byteLength);
  const image = new ImageData(pixels, width, height);
  const canvas = document.querySelector<HTMLCanvasElement>('#slice')!;
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  const zeroCopy = pixels.buffer === bytes.buffer;
  document.querySelector('#metadata')!.textContent = [
    `dtype ${typeof volume.dtype === 'string' ? volume.dtype : JSON.stringify(volume.dtype)}`,
    `shape [${volume.shape.join(', ')}]`,
    `format ${volume.format}`,
    `slice ${Math.floor(depth / 2)}: ${height} x ${width} x ${channels}`,
    `zero-copy ${zeroCopy}`,
  ].join('\n');
  releaseBuffer(info);
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  document.querySelector('#metadata')!.textContent = `error: ${String(error)}`;
  document.body.dataset.ready = 'error';
});
