// Per-element access with the detached-memory check (assertAttached at method entry):
// MemoryView.get against a plain Float64Array read, measured interleaved in the same run.
// Reproduce: `pnpm bench core` (or `cd packages/core && node ../../tools/scripts/run-bench.mjs element-access`).
import { reportElementAccess } from '@interop/config/bench';
import { MemoryView } from '../src/index.js';

using view = MemoryView.from(new Float64Array(1024).map((_, i) => i));
using strided = MemoryView.from(new Float64Array(2048)).slice('::2');
reportElementAccess({
  id: 'core-element-access',
  title: '@interop/core (element access, with the detached-memory check)',
  cases: ({ next, keep }) => [
    { name: 'MemoryView.get(i), 1-D float64 (TypedArray view)', fn: () => keep(view.get(next())) },
    { name: 'MemoryView.get(i), 1-D float64 (strided slice)', fn: () => keep(strided.get(next())) },
  ],
  reproduce: 'pnpm bench core',
});
