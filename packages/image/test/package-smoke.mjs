// The packaging check's smoke example for @interop/image (tools/scripts/pack-check.mjs): run in
// plain Node ESM in a fresh project where only this package's tarball (and the @interop packages it
// needs) is installed with npm. It imports public entry points only and throws on a wrong result.
import { MemoryView } from '@interop/core';
import * as root from '@interop/image';
import { imageViewFromArray, arrayViewFromImage } from '@interop/image';
import { DataTypeId, ImageView, MultiImageView, fromArray, toArray, toArrayWithAxes } from '@interop/image/iolink';
import { readImageFile } from '@interop/image/node';

// ITK, from the main entry.
const array = MemoryView.from(new Float32Array(24)).reshape([2, 3, 4]);
const image = imageViewFromArray(array);
if (image.size.join() !== '4,3,2') throw new Error('image smoke failed: size ' + image.size);
const view = arrayViewFromImage(image);
if (view.shape.join() !== '2,3,4') throw new Error('image smoke failed: ' + view.shape);
view.release();
image.release();

// IOLink, from "@interop/image/iolink" only: the main entry no longer carries these names.
const iolinkNames = [
  ...['ImageView', 'MultiImageView', 'fromArray', 'fromArrayWithAxes', 'toArray', 'toArrayWithAxes'],
  ...['DataTypeId', 'AxesInterpretation', 'ImageAxis'],
];
for (const name of iolinkNames) {
  if (name in root) throw new Error(`image smoke failed: ${name} is exported by @interop/image; it belongs to @interop/image/iolink`);
}
const pixels = MemoryView.from(new Uint16Array([11, 12, 13, 21, 22, 23])).reshape([2, 3]);
const imageView = fromArray(pixels, 'IMAGE');
if (imageView.shape.join() !== '3,2' || imageView.getValue([2, 1]) !== 23) throw new Error('image smoke failed: fromArray gave ' + imageView.shape);
const numpyOrder = toArray(imageView);
if (numpyOrder.shape.join() !== '2,3') throw new Error('image smoke failed: toArray gave ' + numpyOrder.shape);
numpyOrder.release();
imageView.release();
pixels.release();
const volume = ImageView.allocate([6, 5, 4], DataTypeId.VEC3_UINT16, { axesInterpretation: 'VOLUME' });
const ordered = toArrayWithAxes(volume, ['ROW', 'SLICE', 'CHANNEL', 'COLUMN']);
if (ordered.shape.join() !== '5,4,3,6') throw new Error('image smoke failed: toArrayWithAxes gave ' + ordered.shape);
ordered.release();
if (new MultiImageView([volume]).frameCount !== 1) throw new Error('image smoke failed: MultiImageView');

// Node file paths, from "@interop/image/node".
if (typeof readImageFile !== 'function') throw new Error('image smoke failed: @interop/image/node has no readImageFile');
