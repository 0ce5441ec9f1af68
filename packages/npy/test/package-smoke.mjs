// The packaging check's smoke example for @interop/npy (tools/scripts/pack-check.mjs): run in
// plain Node ESM in a fresh project where only this package's tarball (and the @interop packages it
// needs) is installed with npm. It imports public entry points only and throws on a wrong result.
import { readNpy, writeNpy } from '@interop/npy';
const bytes = writeNpy(new Float32Array([1, 2, 3]));
const array = readNpy(bytes);
if (array.shape.join() !== '3' || array.dtype !== '<f4') throw new Error('npy smoke failed');
