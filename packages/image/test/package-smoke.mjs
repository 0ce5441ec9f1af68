// The packaging check's smoke example for @interop/image (tools/scripts/pack-check.mjs): run in
// plain Node ESM in a fresh project where only this package's tarball (and the @interop packages it
// needs) is installed with npm. It imports public entry points only and throws on a wrong result.
import { MemoryView } from '@interop/core';
import { imageViewFromArray, arrayViewFromImage } from '@interop/image';
const array = MemoryView.from(new Float32Array(24)).reshape([2, 3, 4]);
const image = imageViewFromArray(array);
if (image.size.join() !== '4,3,2') throw new Error('image smoke failed: size ' + image.size);
const view = arrayViewFromImage(image);
if (view.shape.join() !== '2,3,4') throw new Error('image smoke failed: ' + view.shape);
view.release();
image.release();
