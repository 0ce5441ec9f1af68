// 512 x 512 float64 matrix product: VnlMatrix.multiply (blocked i-k-j) against a naive i-j-k
// triple loop over the same Float64Arrays, measured in the same run, with NumPy's `@` (BLAS)
// timed by python3 in the same run for context.
import { formatTime, measure, reportBenchmarks } from '@interop/config/bench';
import { pythonPeer } from '@interop/config/python';
import { VnlMatrix } from '../src/index.js';

const goal = 2; // the vnl product must be at least this many times faster than the naive loop

function randomMatrix(n: number, seed: number): VnlMatrix<'float64'> {
  const m = new VnlMatrix('float64', n, n);
  let state = seed;
  for (let i = 0; i < m.data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    m.data[i] = state / 2 ** 32 - 0.5;
  }
  return m;
}

/** The textbook product: for each (i, j), walk row i of A and column j of B. */
function naiveProduct(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[i * n + k]! * b[k * n + j]!;
      c[i * n + j] = sum;
    }
  }
  return c;
}

interface NumpyTiming {
  threads: string;
  seconds: number;
}

function numpyTimings(n: number): NumpyTiming[] | string {
  const peer = pythonPeer(['numpy']);
  if (!peer.ok) return peer.reason;
  const results: NumpyTiming[] = [];
  for (const threads of ['1', 'default']) {
    const script = `
import os, sys
if sys.argv[1] != 'default':
    for name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[name] = sys.argv[1]
import timeit
import numpy as np
rng = np.random.default_rng(1)
a = rng.random((${n}, ${n})) - 0.5
b = rng.random((${n}, ${n})) - 0.5
a @ b
times = sorted(t / 5 for t in timeit.repeat(lambda: a @ b, number=5, repeat=15))
print(times[len(times) // 2])
`;
    results.push({ threads, seconds: Number(peer.run(script, [threads]).toString('utf8').trim()) });
  }
  return results;
}

const rows: string[] = [];
let met = true;
for (const n of [128, 512]) {
  const a = randomMatrix(n, 1);
  const b = randomMatrix(n, 2);
  // Same summation order (k ascending), so the results must agree bit for bit.
  const check = a.multiply(b).data;
  const reference = naiveProduct(a.data, b.data, n);
  for (let i = 0; i < reference.length; i++) if (check[i] !== reference[i]) throw new Error(`product differs from the naive loop at ${i}`);
  const options = n === 512 ? { minTimeMs: 4000, warmup: 1, minSamples: 5 } : { minTimeMs: 1000, warmup: 3, minSamples: 10 };
  const vnl = await measure(() => a.multiply(b), options);
  const naive = await measure(() => naiveProduct(a.data, b.data, n), options);
  const ratio = naive.median / vnl.median;
  const numpy = numpyTimings(n);
  const context =
    typeof numpy === 'string'
      ? `NumPy skipped: ${numpy}`
      : numpy
          .map(
            (t) =>
              `NumPy \`@\` (${t.threads === '1' ? '1 BLAS thread' : 'default BLAS threads'}) ${formatTime(t.seconds * 1e9)} = ${(vnl.median / (t.seconds * 1e9)).toFixed(1)}x faster than vnl`,
          )
          .join('; ');
  const ok = n !== 512 || ratio >= goal;
  if (!ok) met = false;
  const gflops = (2 * n ** 3) / vnl.median;
  rows.push(
    `| ${n}x${n} float64 product | ${formatTime(vnl.median)} (${gflops.toFixed(2)} GFLOP/s) | naive i-j-k loop ${formatTime(naive.median)} | ${ratio.toFixed(2)}x faster | ${n === 512 ? `>= ${goal}x` : 'context'} | ${n === 512 ? (ok ? 'yes' : '**no**') : '-'} | ${context} |`,
  );
}

reportBenchmarks(
  'vnl',
  `### @interop/vnl

\`VnlMatrix.multiply\` (i-k-j loop order over cache-sized blocks of B, monomorphic Float64Array loop, no per-element closures) against the textbook i-j-k triple loop over the same Float64Arrays, both in this run, results checked bit-identical. NumPy's \`@\` (OpenBLAS, measured by python3 in the same run) is shown for context: optimised, vectorised BLAS is not a goal for a JavaScript loop.

| case | vnl | baseline | ratio | goal | met? | NumPy (context) |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Reproduce: \`flock /tmp/interop-bench.lock pnpm bench vnl\``,
);
if (!met) process.exitCode = 1;
