// The example's data: an RGBA uint8 volume (z, y, x, 4) whose every pixel says where it is, written
// as .npy exactly as NumPy would write it. Shared by the dev server's data step and the browser test.
import { MemoryView } from '@interop/core';
import { writeNpy } from '@interop/npy';

/** The volume's dimensions: depth, height, width (each slice is height x width RGBA). */
export const volumeShape = [5, 24, 32] as const;

/** The pixel expected at (z, y, x): a pattern no other slice shares. */
export function volumePixel(z: number, y: number, x: number): [number, number, number, number] {
  return [(x * 8) & 0xff, (y * 10) & 0xff, z * 50, 255];
}

/** The volume as the bytes of a .npy file (dtype |u1, shape (depth, height, width, 4)). */
export function volumeNpy(): Uint8Array {
  const [depth, height, width] = volumeShape;
  const volume = new Uint8Array(depth * height * width * 4);
  for (let z = 0; z < depth; z++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) volume.set(volumePixel(z, y, x), ((z * height + y) * width + x) * 4);
    }
  }
  // A 4-D view of the flat bytes: the .npy header then records the shape, as np.save does.
  using shaped = MemoryView.from(volume).cast('B', [depth, height, width, 4]);
  return writeNpy(shaped);
}
