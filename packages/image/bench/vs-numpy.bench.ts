// vs NumPy (issue 15): arrayFromImage / imageFromArray of a 256 MiB float32 image against
// np.array(a, copy=True), with NumPy run by Python in the same benchmark, interleaved round by
// round; each with the huge-page allocator of @interop/native and without it. Run:
// `pnpm bench image vs-numpy` (from the repository root:
// `flock /tmp/interop-bench.lock pnpm --filter @interop/image bench vs-numpy`).
import { formatTime, machineInfo, reportBenchmarks } from '@interop/config/bench';
import { interleaveRounds, startPythonTimer } from '@interop/config/peer-timer';
import { timeOnce } from '@interop/config/timing';
import { allocateBuffer, MemoryView, resetAllocator } from '@interop/core';
// @interop/native is not a dependency of image: the benchmark reaches it through the workspace.
import { installNativeAllocator } from '../../native/src/index.js';
import { arrayFromImage, Image, imageFromArray } from '../src/index.js';

const MiB = 2 ** 20;
const ROUNDS = 9;
const SIZE: [number, number, number] = [512, 512, 256]; // x, y, z: 256 MiB of float32
const huge = (): void => {
  if (!installNativeAllocator({ force: true, threshold: 4 * MiB })) throw new Error('the huge-page allocator is not available (build @interop/native)');
};

const releaseView = (view: unknown): void => (view as MemoryView).release();
const releaseImage = (image: unknown): void => (image as Image).release();

const timer = await startPythonTimer(['numpy']);
try {
  if (!timer.ok) throw new Error(`NumPy is needed for this benchmark: ${timer.reason}`);
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
      { name: 'memcpy into a fresh new ArrayBuffer', run: () => timeOnce(resetAllocator, () => new Uint8Array(allocateBuffer(flat.byteLength)).set(new Uint8Array(flat.buffer))) },
    ],
    ROUNDS,
  );
  const check = arrayFromImage(image);
  if ((check.get([0, 2, 0]) as number) !== 1024) throw new Error('arrayFromImage produced wrong values');
  check.release();

  const m = (k: number): number => results[k]!.median;
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
  const row = (name: string, ours: number, goal: string, met: string): string => `| ${name} | ${formatTime(ours)} | NumPy \`np.array(a, copy=True)\` ${formatTime(m(4))} | ${ratio(ours, m(4))} | ${goal} | ${met} |`;
  reportBenchmarks(
    'vs-numpy-image',
    [
      '### @interop/image vs NumPy: copying a 256 MiB float32 image (issue 15)',
      '',
      '| case | ours | NumPy, same run | ratio | goal | met? |',
      '|---|---|---|---|---|---|',
      row('`arrayFromImage` 512 x 512 x 256 float32, huge-page allocator of @interop/native', m(0), '<= 1.5x', m(0) / m(4) <= 1.5 ? 'yes' : 'no'),
      row('`arrayFromImage`, new ArrayBuffer (without @interop/native)', m(1), 'report', '-'),
      row('`imageFromArray` of a C-contiguous array, huge-page allocator', m(2), 'report', '-'),
      row('`imageFromArray`, new ArrayBuffer', m(3), 'report', '-'),
      row('memcpy into a fresh `new ArrayBuffer` (`Uint8Array#set`)', m(5), 'context', '-'),
      '',
      `Each round runs every case once in rotated order (NumPy in one persistent Python process driven by the benchmark); medians of ${ROUNDS} rounds`,
      'after one warm-up. Both directions allocate the destination through `allocateBuffer` of @interop/core and copy once; the gap without',
      "@interop/native is the first touch of 65536 fresh 4 KiB pages, which NumPy avoids by marking its allocation `MADV_HUGEPAGE`.",
      '',
      `All samples: ${results.map((x) => `${x.name}: ${x.samples.map((s) => formatTime(s)).join(', ')}`).join('; ')}.`,
      '',
      'Figures taken under load (2 shared cores, other work running): expect noise; the ratios are from interleaved medians.',
      'Reproduce: `flock /tmp/interop-bench.lock pnpm --filter @interop/image bench vs-numpy`',
      '',
      `_Measured ${new Date().toISOString().slice(0, 10)} on ${machineInfo()}._`,
    ].join('\n'),
  );
} finally {
  if (timer.ok) timer.close();
}
