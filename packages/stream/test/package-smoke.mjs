// The packaging check's smoke example for @interop/stream (tools/scripts/pack-check.mjs): run in
// plain Node ESM in a fresh project where only this package's tarball (and the @interop packages it
// needs) is installed with npm. It imports public entry points only and throws on a wrong result.
import { MemoryStream } from '@interop/stream';
const stream = new MemoryStream();
stream.write(new Uint8Array([1, 2, 3]));
stream.seek(0, 0);
const bytes = stream.read(3);
if (bytes.length !== 3 || bytes[2] !== 3) throw new Error('stream smoke failed');
