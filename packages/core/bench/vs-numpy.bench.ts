// vs NumPy (issue 15): MemoryView.copy of 64 MiB against ndarray.copy(), and B3 (the transposed
// 256^3 float32 copy) re-measured with huge-page buffers, with NumPy run by Python in the same
// benchmark, interleaved round by round; each with the huge-page allocator of @interop/native and
// without it. Run: `pnpm bench core vs-numpy`
// (from the repository root: `flock /tmp/interop-bench.lock pnpm --filter @interop/core bench vs-numpy`).
import { formatTime, machineInfo, reportBenchmarks } from '@interop/config/bench';
import { interleaveRounds, startPythonTimer } from '@interop/config/peer-timer';
import { timeOnce } from '@interop/config/timing';
// @interop/native is not a dependency of core: the benchmark reaches it through the workspace.
import { allocateHugePages, installNativeAllocator } from '../../native/src/index.js';
import { allocateBuffer, MemoryView, resetAllocator } from '../src/index.js';

const MiB = 2 ** 20;
const ROUNDS = 11;
const N = 256; // B3: 256^3 float32 = 64 MiB
const huge = (): void => {
  if (!installNativeAllocator({ force: true, threshold: 4 * MiB })) throw new Error('the huge-page allocator is not available (build @interop/native)');
};

const release = (view: unknown): void => (view as MemoryView).release();

const timer = await startPythonTimer(['numpy']);
try {
  if (!timer.ok) throw new Error(`NumPy is needed for this benchmark: ${timer.reason}`);
  const flat = new Float32Array(64 * MiB / 4);
  for (let i = 0; i < flat.length; i++) flat[i] = i;
  using flatView = MemoryView.from(flat);
  await timer.exec(`import numpy as np\na = np.arange(${flat.length}, dtype=np.float32)\nt = np.arange(${N ** 3}, dtype=np.float32).reshape(${N}, ${N}, ${N})\nout = np.empty_like(t)`);

  const copy = await interleaveRounds(
    [
      { name: 'MemoryView.copy, huge-page allocator', run: () => timeOnce(huge, () => MemoryView.copy(flatView), release) },
      { name: 'MemoryView.copy, new ArrayBuffer', run: () => timeOnce(resetAllocator, () => MemoryView.copy(flatView), release) },
      { name: 'ndarray.copy()', run: () => timer.time('_ = a.copy()') },
      { name: 'memcpy into fresh new ArrayBuffer (Uint8Array#set)', run: () => timeOnce(resetAllocator, () => new Uint8Array(allocateBuffer(flat.byteLength)).set(new Uint8Array(flat.buffer))) },
    ],
    ROUNDS,
  );

  // B3: the same transposed copy as bench/memory-view.bench.ts, source and target either plain
  // ArrayBuffers or huge-page buffers; into a preallocated (already touched) target, and into
  // fresh memory (MemoryView.copy of the transposed view).
  const fill = (buffer: ArrayBuffer): Float32Array => {
    const array = new Float32Array(buffer);
    for (let i = 0; i < array.length; i++) array[i] = i;
    return array;
  };
  const plainSource = fill(new ArrayBuffer(N ** 3 * 4));
  const hugeSource = fill(allocateHugePages(N ** 3 * 4));
  const plainTarget = new Float32Array(N ** 3).fill(1);
  const hugeTarget = new Float32Array(allocateHugePages(N ** 3 * 4)).fill(1);
  const shaped = (array: Float32Array): MemoryView => MemoryView.from(array).cast('B').cast('f', [N, N, N]);
  using plainT = shaped(plainSource).transpose();
  using hugeT = shaped(hugeSource).transpose();
  using plainOut = shaped(plainTarget);
  using hugeOut = shaped(hugeTarget);
  const b3 = await interleaveRounds(
    [
      { name: 'B3 copyInto, plain buffers', run: () => timeOnce(resetAllocator, () => plainT.copyInto(plainOut)) },
      { name: 'B3 copyInto, huge-page buffers', run: () => timeOnce(resetAllocator, () => hugeT.copyInto(hugeOut)) },
      { name: 'B3 MemoryView.copy(transposed), new ArrayBuffer', run: () => timeOnce(resetAllocator, () => MemoryView.copy(plainT), release) },
      { name: 'B3 MemoryView.copy(transposed), huge-page allocator', run: () => timeOnce(huge, () => MemoryView.copy(hugeT), release) },
      { name: 'NumPy np.copyto(out, t.T)', run: () => timer.time('np.copyto(out, t.T)') },
      { name: 'NumPy t.T.copy()', run: () => timer.time('_ = t.T.copy()') },
      { name: 'memcpy 64 MiB (Uint8Array#set), plain', run: () => timeOnce(resetAllocator, () => new Uint8Array(plainTarget.buffer).set(new Uint8Array(plainSource.buffer))) },
    ],
    ROUNDS,
  );
  if (hugeTarget[1] !== hugeSource[N * N] || plainTarget[N * N + 2 * N + 3] !== plainSource[3 * N * N + 2 * N + 1]) throw new Error('the transposed copy produced wrong values');

  const m = (list: { median: number }[], k: number): number => list[k]!.median;
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
  const row = (name: string, ours: number, peerName: string, peer: number, goal: string, met: string): string => `| ${name} | ${formatTime(ours)} | ${peerName} ${formatTime(peer)} | ${ratio(ours, peer)} | ${goal} | ${met} |`;
  const samples = (list: { name: string; samples: number[] }[]): string => list.map((x) => `${x.name}: ${x.samples.map((s) => formatTime(s)).join(', ')}`).join('; ');
  reportBenchmarks(
    'vs-numpy-core',
    [
      '### @interop/core vs NumPy: fresh copies, and B3 with huge-page buffers (issue 15)',
      '',
      '| case | ours | baseline, same run | ratio | goal | met? |',
      '|---|---|---|---|---|---|',
      row('`MemoryView.copy` 64 MiB float32, huge-page allocator of @interop/native', m(copy, 0), 'NumPy `a.copy()`', m(copy, 2), '<= 1.5x', m(copy, 0) / m(copy, 2) <= 1.5 ? 'yes' : 'no'),
      row('`MemoryView.copy` 64 MiB float32, new ArrayBuffer (without @interop/native)', m(copy, 1), 'NumPy `a.copy()`', m(copy, 2), 'report', '-'),
      row('memcpy into a fresh `new ArrayBuffer` (`Uint8Array#set`)', m(copy, 3), 'NumPy `a.copy()`', m(copy, 2), 'context', '-'),
      row('B3 `copyInto`: transposed 256^3 float32 -> C order, plain buffers', m(b3, 0), 'memcpy 64 MiB', m(b3, 6), 'context (B3: <= 3x)', '-'),
      row('B3 `copyInto`, same copy between huge-page buffers', m(b3, 1), 'memcpy 64 MiB', m(b3, 6), 'context (B3: <= 3x)', m(b3, 1) / m(b3, 6) <= 3 ? 'yes' : 'no'),
      row('B3 `copyInto` huge-page vs plain buffers', m(b3, 1), 'plain buffers', m(b3, 0), 'report', '-'),
      row('B3 into fresh memory: `MemoryView.copy(transposed)`, huge-page allocator', m(b3, 3), 'NumPy `t.T.copy()`', m(b3, 5), 'report', '-'),
      row('B3 into fresh memory: `MemoryView.copy(transposed)`, new ArrayBuffer', m(b3, 2), 'NumPy `t.T.copy()`', m(b3, 5), 'report', '-'),
      row('B3 `copyInto` huge-page buffers', m(b3, 1), 'NumPy `np.copyto(out, t.T)`', m(b3, 4), 'context', '-'),
      '',
      `Each round runs every case once in rotated order (NumPy in one persistent Python process driven by the benchmark); medians of ${ROUNDS} rounds`,
      'after one warm-up. Fresh 64 MiB from `new ArrayBuffer` faults in 4 KiB pages on first touch (about 10 µs each on these VMs);',
      'with the huge-page allocator the memory is 2 MiB-aligned and `MADV_HUGEPAGE`-marked, as NumPy marks its own allocations, so',
      "the copy pays 2 MiB faults instead. B3's preallocated rows show the other effect of huge pages: the transposed walk touches a new",
      '4 KiB page at nearly every item, so 2 MiB pages also cut TLB misses.',
      '',
      `All samples: ${samples(copy)}; ${samples(b3)}.`,
      '',
      'Figures taken under load (2 shared cores, other work running): expect noise; the ratios are from interleaved medians.',
      'Reproduce: `flock /tmp/interop-bench.lock pnpm --filter @interop/core bench vs-numpy`',
      '',
      `_Measured ${new Date().toISOString().slice(0, 10)} on ${machineInfo()}._`,
    ].join('\n'),
  );
} finally {
  if (timer.ok) timer.close();
}
