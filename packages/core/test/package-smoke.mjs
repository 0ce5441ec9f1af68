// The packaging check's smoke example for @interop/core (tools/scripts/pack-check.mjs): run in
// plain Node ESM in a fresh project where only this package's tarball (and the @interop packages it
// needs) is installed with npm. It imports public entry points only and throws on a wrong result.
import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
const info = getBuffer(new Float64Array(4), BufferFlags.FULL_RO);
if (info.format !== 'd' || info.shape[0] !== 4) throw new Error('core smoke failed');
releaseBuffer(info);
