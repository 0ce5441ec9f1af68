// vs NumPy (issue 15): arrayFromImage / imageFromArray of a 256 MiB float32 image against
// np.array(a, copy=True), with NumPy run by Python in the same benchmark, interleaved round by
// round; each with the huge-page allocator of @interop/native and without it. Run:
// `pnpm bench image vs-numpy` (from the repository root:
// `flock /tmp/interop-bench.lock pnpm --filter @interop/image bench vs-numpy`).
import { hugePageSetup, interleaveRounds, reportRounds, withPythonTimer } from '@interop/config/peer-timer';
import { timeOnce } from '@interop/config/timing';
import { allocateBuffer, MemoryView, resetAllocator } from '@interop/core';
// @interop/native is not a dependency of image: the benchmark reaches it through the workspace.
import { installNativeAllocator } from '../../native/src/index.js';
import { arrayFromImage, Image, imageFromArray } from '../src/index.js';

const ROUNDS = 9;
const SIZE: [number, number, number] = [512, 512, 256]; // x, y, z: 256 MiB of float32
const huge = hugePageSetup(installNativeAllocator);
const releaseView = (view: unknown): void => (view as MemoryView).release();
const releaseImage = (image: unknown): void => (image as Image).release();

await withPythonTimer(['numpy'], async (timer) => {
  resetAllocator();
  const image = new Image({ componentType: 'float32', size: SIZE }).allocate();
  const pixels = image.data as Float32Array;
  for (let i = 0; i < pixels.length; i += 1024) pixels[i] = i;
  const flat = new Float32Array(pixels.length);
  flat.set(pixels);
  using array = MemoryView.from(flat).cast('B').cast('f', [SIZE[2], SIZE[1], SIZE[0]]);
  await timer.exec(`import numpy as np\na = np.zeros((${SIZE[2]}, ${SIZE[1]}, ${SIZE[0]}), dtype=np.float32)\na[...] = 1`);

  const results = await interleaveRounds(
    [
      { name: 'arrayFromImage, huge-page allocator', run: () => timeOnce(huge, () => arrayFromImage(image), releaseView) },
      { name: 'arrayFromImage, new ArrayBuffer', run: () => timeOnce(resetAllocator, () => arrayFromImage(image), releaseView) },
      { name: 'imageFromArray, huge-page allocator', run: () => timeOnce(huge, () => imageFromArray(array), releaseImage) },
      { name: 'imageFromArray, new ArrayBuffer', run: () => timeOnce(resetAllocator, () => imageFromArray(array), releaseImage) },
      { name: 'np.array(a, copy=True)', run: () => timer.time('_ = np.array(a, copy=True)') },
      {
        name: 'memcpy into a fresh new ArrayBuffer',
        run: () => timeOnce(resetAllocator, () => new Uint8Array(allocateBuffer(flat.byteLength)).set(new Uint8Array(flat.buffer))),
      },
    ],
    ROUNDS,
  );
  const check = arrayFromImage(image);
  if ((check.get([0, 2, 0]) as number) !== 1024) throw new Error('arrayFromImage produced wrong values');
  check.release();

  const [fromHuge, fromPlain, toHuge, toPlain, numpy, memcpy] = results.map((x) => x.median) as [number, number, number, number, number, number];
  const baseline = { baselineName: 'NumPy `np.array(a, copy=True)`', baseline: numpy };
  reportRounds({
    id: 'vs-numpy-image',
    title: '@interop/image vs NumPy: copying a 256 MiB float32 image (issue 15)',
    baselineHeader: 'NumPy, same run',
    rounds: ROUNDS,
    rows: [
      { name: '`arrayFromImage` 512 x 512 x 256 float32, huge-page allocator of @interop/native', ours: fromHuge, ...baseline, goal: '<= 1.5x', limit: 1.5 },
      { name: '`arrayFromImage`, new ArrayBuffer (without @interop/native)', ours: fromPlain, ...baseline },
      { name: '`imageFromArray` of a C-contiguous array, huge-page allocator', ours: toHuge, ...baseline },
      { name: '`imageFromArray`, new ArrayBuffer', ours: toPlain, ...baseline },
      { name: 'memcpy into a fresh `new ArrayBuffer` (`Uint8Array#set`)', ours: memcpy, ...baseline, goal: 'context' },
    ],
    notes: [
      'Both directions allocate the destination through `allocateBuffer` of @interop/core and copy once; the gap without',
      '@interop/native is the first touch of 65536 fresh 4 KiB pages, which NumPy avoids by marking its allocation `MADV_HUGEPAGE`.',
    ],
    results: [results],
    reproduce: 'flock /tmp/interop-bench.lock pnpm --filter @interop/image bench vs-numpy',
  });
});
