// VnlVector.get / VnlMatrix.get (with the detached-memory check at method entry) against a plain
// Float64Array read, measured interleaved in the same run.
// Reproduce: `pnpm bench vnl` (or `cd packages/vnl && node ../../tools/scripts/run-bench.mjs element-access`).
import { reportElementAccess } from '@interop/config/bench';
import { VnlMatrix, VnlVector } from '../src/index.js';

const vector = VnlVector.from(
  'float64',
  new Float64Array(1024).map((_, i) => i),
);
const matrix = new VnlMatrix('float64', 32, 32);
const matrixGet = (index: number): number => matrix.get(index >> 5, index & 31);
reportElementAccess({
  id: 'vnl-element-access',
  title: '@interop/vnl (element access, with the detached-memory check)',
  cases: ({ next, keep }) => [
    { name: 'VnlVector.get(i), float64', fn: () => keep(vector.get(next())) },
    { name: 'VnlMatrix.get(r, c), float64', fn: () => keep(matrixGet(next())) },
  ],
  reproduce: 'pnpm bench vnl',
});
