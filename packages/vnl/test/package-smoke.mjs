// The packaging check's smoke example for @interop/vnl (tools/scripts/pack-check.mjs): run in
// plain Node ESM in a fresh project where only this package's tarball (and the @interop packages it
// needs) is installed with npm. It imports public entry points only and throws on a wrong result.
import { VnlMatrix } from '@interop/vnl';
const m = VnlMatrix.identity('float64', 3);
if (m.get(1, 1) !== 1 || m.get(0, 1) !== 0) throw new Error('vnl smoke failed');
