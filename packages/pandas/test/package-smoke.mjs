// The packaging check's smoke example for @interop/pandas (tools/scripts/pack-check.mjs): run in
// plain Node ESM in a fresh project where only this package's tarball (and the @interop packages it
// needs) is installed with npm. It imports public entry points only and throws on a wrong result.
import { DataFrameView, toArrowTable } from '@interop/pandas';
const frame = DataFrameView.fromColumns({ a: new Float64Array([1, 2]), b: new Int32Array([3, 4]) });
const table = toArrowTable(frame);
if (table.numRows !== 2) throw new Error('pandas smoke failed');
