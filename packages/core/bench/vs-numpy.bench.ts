// vs NumPy (issue 15): MemoryView.copy of 64 MiB against ndarray.copy(), and B3 (the transposed
// 256^3 float32 copy) re-measured with huge-page buffers, with NumPy run by Python in the same
// benchmark, interleaved round by round; each with the huge-page allocator of @interop/native and
// without it. Run: `pnpm bench core vs-numpy`
// (from the repository root: `flock /tmp/interop-bench.lock pnpm --filter @interop/core bench vs-numpy`).
import { hugePageSetup, interleaveRounds, reportRounds, withPythonTimer } from '@interop/config/peer-timer';
import { timeOnce } from '@interop/config/timing';
// @interop/native is not a dependency of core: the benchmark reaches it through the workspace.
import { allocateHugePages, installNativeAllocator } from '../../native/src/index.js';
import { allocateBuffer, MemoryView, resetAllocator } from '../src/index.js';

const MiB = 2 ** 20;
const ROUNDS = 11;
const N = 256; // B3: 256^3 float32 = 64 MiB
const huge = hugePageSetup(installNativeAllocator);
const release = (view: unknown): void => (view as MemoryView).release();

await withPythonTimer(['numpy'], async (timer) => {
  const flat = new Float32Array((64 * MiB) / 4);
  for (let i = 0; i < flat.length; i++) flat[i] = i;
  using flatView = MemoryView.from(flat);
  await timer.exec(
    `import numpy as np\na = np.arange(${flat.length}, dtype=np.float32)\nt = np.arange(${N ** 3}, dtype=np.float32).reshape(${N}, ${N}, ${N})\nout = np.empty_like(t)`,
  );

  const copy = await interleaveRounds(
    [
      { name: 'MemoryView.copy, huge-page allocator', run: () => timeOnce(huge, () => MemoryView.copy(flatView), release) },
      { name: 'MemoryView.copy, new ArrayBuffer', run: () => timeOnce(resetAllocator, () => MemoryView.copy(flatView), release) },
      { name: 'ndarray.copy()', run: () => timer.time('_ = a.copy()') },
      {
        name: 'memcpy into fresh new ArrayBuffer (Uint8Array#set)',
        run: () => timeOnce(resetAllocator, () => new Uint8Array(allocateBuffer(flat.byteLength)).set(new Uint8Array(flat.buffer))),
      },
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
      {
        name: 'memcpy 64 MiB (Uint8Array#set), plain',
        run: () => timeOnce(resetAllocator, () => new Uint8Array(plainTarget.buffer).set(new Uint8Array(plainSource.buffer))),
      },
    ],
    ROUNDS,
  );
  if (hugeTarget[1] !== hugeSource[N * N] || plainTarget[N * N + 2 * N + 3] !== plainSource[3 * N * N + 2 * N + 1])
    throw new Error('the transposed copy produced wrong values');

  const [copyHuge, copyPlain, npCopy, memcpyFresh] = copy.map((x) => x.median) as [number, number, number, number];
  const [intoPlain, intoHuge, freshPlain, freshHuge, npCopyto, npTCopy, memcpy] = b3.map((x) => x.median) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  reportRounds({
    id: 'vs-numpy-core',
    title: '@interop/core vs NumPy: fresh copies, and B3 with huge-page buffers (issue 15)',
    rounds: ROUNDS,
    rows: [
      {
        name: '`MemoryView.copy` 64 MiB float32, huge-page allocator of @interop/native',
        ours: copyHuge,
        baselineName: 'NumPy `a.copy()`',
        baseline: npCopy,
        goal: '<= 1.5x',
        limit: 1.5,
      },
      {
        name: '`MemoryView.copy` 64 MiB float32, new ArrayBuffer (without @interop/native)',
        ours: copyPlain,
        baselineName: 'NumPy `a.copy()`',
        baseline: npCopy,
      },
      {
        name: 'memcpy into a fresh `new ArrayBuffer` (`Uint8Array#set`)',
        ours: memcpyFresh,
        baselineName: 'NumPy `a.copy()`',
        baseline: npCopy,
        goal: 'context',
      },
      {
        name: 'B3 `copyInto`: transposed 256^3 float32 -> C order, plain buffers',
        ours: intoPlain,
        baselineName: 'memcpy 64 MiB',
        baseline: memcpy,
        goal: 'context (B3: <= 3x)',
      },
      {
        name: 'B3 `copyInto`, same copy between huge-page buffers',
        ours: intoHuge,
        baselineName: 'memcpy 64 MiB',
        baseline: memcpy,
        goal: 'context (B3: <= 3x)',
        limit: 3,
      },
      { name: 'B3 `copyInto` huge-page vs plain buffers', ours: intoHuge, baselineName: 'plain buffers', baseline: intoPlain },
      {
        name: 'B3 into fresh memory: `MemoryView.copy(transposed)`, huge-page allocator',
        ours: freshHuge,
        baselineName: 'NumPy `t.T.copy()`',
        baseline: npTCopy,
      },
      { name: 'B3 into fresh memory: `MemoryView.copy(transposed)`, new ArrayBuffer', ours: freshPlain, baselineName: 'NumPy `t.T.copy()`', baseline: npTCopy },
      { name: 'B3 `copyInto` huge-page buffers', ours: intoHuge, baselineName: 'NumPy `np.copyto(out, t.T)`', baseline: npCopyto, goal: 'context' },
    ],
    notes: [
      'Fresh 64 MiB from `new ArrayBuffer` faults in 4 KiB pages on first touch (about 10 µs each on these VMs);',
      'with the huge-page allocator the memory is 2 MiB-aligned and `MADV_HUGEPAGE`-marked, as NumPy marks its own allocations, so',
      "the copy pays 2 MiB faults instead. B3's preallocated rows show the other effect of huge pages: the transposed walk touches a new",
      '4 KiB page at nearly every item, so 2 MiB pages also cut TLB misses.',
    ],
    results: [copy, b3],
    reproduce: 'flock /tmp/interop-bench.lock pnpm --filter @interop/core bench vs-numpy',
  });
});
