// pnpm demo: the main job, end to end, through the packages' public entry points only.
//
//   a NumPy-style volume in a .npy  ->  an image with spacing  ->  axis-reordered views
//   -> the middle slice windowed to RGBA (ImageData)  ->  statistics in a DataFrameView
//   -> Feather on disk  ->  read back  ->  NumPy and pandas check every file
//
// Each step prints how long it took and whether it copied data. Everything it writes stays in
// demo-output/ (git-ignored; INTEROP_DEMO_OUTPUT moves it), named at the end.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BufferError, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { arrayViewFromImage, imageDataFromImage, imageViewFromArray, releaseImageData, toRGBA, writeImage } from '@interop/image';
import { fromArrayWithAxes, toArrayWithAxes } from '@interop/image/iolink';
import { loadNpy, saveNpy } from '@interop/npy/node';
import { DataFrameView, readArrowIPC, writeArrowIPC } from '@interop/pandas';
import { loadParquet, saveParquet } from '@interop/pandas/node';
import { liveShare } from './live-share.js';
import { pythonVerdict, type Expected } from './python-check.js';
import { timingChart, type TimedStep } from './timing-chart.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = resolve(process.env.INTEROP_DEMO_OUTPUT ?? join(repoRoot, 'demo-output'));
mkdirSync(outDir, { recursive: true });
const written = new Map<string, string>();
const output = (file: string, what: string): string => {
  written.set(file, what);
  return join(outDir, file);
};

const steps: TimedStep[] = [];
const RUNS = 7;
/**
 * Times `action` as the median of 7 runs (the first includes loading and compiling code, which is
 * not what the step costs); the results of all but the last run are handed to `dispose`.
 */
async function step<T>(name: string, copies: boolean, note: string, action: () => T | Promise<T>, dispose?: (result: T) => void): Promise<T> {
  const times: number[] = [];
  let result: T | undefined;
  for (let run = 0; run < RUNS; run++) {
    if (run > 0) dispose?.(result as T);
    const started = performance.now();
    result = await action();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  steps.push({ step: name, ms: times[RUNS >> 1]!, copies, note });
  return result as T;
}
const say = (text: string): void => console.log(text);
/** True when two exports start at the same byte of the same memory. */
function sameMemory(a: unknown, b: unknown): boolean {
  const x = getBuffer(a);
  const y = getBuffer(b);
  try {
    return x.buffer === y.buffer && x.byteOffset === y.byteOffset;
  } finally {
    releaseBuffer(x);
    releaseBuffer(y);
  }
}
const fail = (message: string): void => {
  say(`   FAILED: ${message}`);
  process.exitCode = 1;
};

say('Interop demo: one buffer protocol from a NumPy file to a data frame on disk, checked by NumPy and pandas.\n');

// 1. A NumPy-style volume: float32, C order, shape (z, y, x) = (40, 96, 160): three different
//    lengths, so every reordering below shows. An ellipsoid phantom with one bright spot.
const [depth, height, width] = [40, 96, 160];
const voxels = new Float32Array(depth * height * width);
for (let z = 0; z < depth; z++) {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot((x - 80) / 70, (y - 48) / 40, (z - 20) / 18);
      const spot = Math.hypot((x - 110) / 9, (y - 40) / 9, (z - 20) / 4);
      voxels[(z * height + y) * width + x] = (r < 1 ? 1000 * (1 - r * r) : 0) + (spot < 1 ? 600 * (1 - spot) : 0);
    }
  }
}
const npyPath = output('volume.npy', 'the volume, as np.save writes it (np.load reads it)');
{
  using source = MemoryView.from(voxels).reshape([depth, height, width]);
  await step('saveNpy volume.npy', false, 'written straight from the array memory', () => saveNpy(npyPath, source));
}
const volume = await step(
  'loadNpy',
  false,
  'one read, straight into the array memory',
  () => loadNpy(npyPath),
  (extra) => extra.close(),
);
say(
  `1. volume.npy: dtype ${String(volume.dtype)}, shape [${volume.shape.join(', ')}] (z, y, x), format ${JSON.stringify(volume.format)}, copied on load: ${volume.copied}`,
);

// 2. An ITK-style image over the array's memory, with spacing (ITK order: x, y, z).
const image = await step(
  'imageViewFromArray',
  false,
  'the image holds an export of the array',
  () => imageViewFromArray(volume),
  (extra) => extra.release(),
);
image.setSpacing([0.5, 0.5, 2.0]);
const center = image.transformIndexToPhysicalPoint([80, 48, 20]);
say(
  `2. Image: size [${image.size.join(', ')}] (x, y, z), spacing [${image.spacing.join(', ')}] mm; voxel (80, 48, 20) is at [${center.join(', ')}] mm; shares the .npy memory: ${sameMemory(image, volume)}`,
);

// The export lock at work: while a view of the image is held, reallocation is refused.
{
  const view = arrayViewFromImage(image);
  try {
    image.allocate();
    fail('allocate() succeeded while a view was held');
  } catch (error) {
    if (!BufferError.isInstance(error)) throw error;
    say(`   while a view is held, image.allocate() is refused: ${error.code} (${String(error.details.liveExports)} live export(s))`);
  }
  view.release();
  say('   view released: the image may reallocate again');
}

// 3. Axis order: IOLink's canonical (COLUMN, ROW, SLICE) = (x, y, z), then (ROW, COLUMN, SLICE).
const canonical = await step(
  'fromArrayWithAxes -> (x, y, z)',
  false,
  'new strides over the same memory',
  () => fromArrayWithAxes(volume, ['SLICE', 'ROW', 'COLUMN']),
  (extra) => extra.release(),
);
const yxz = await step(
  'toArrayWithAxes -> (y, x, z)',
  false,
  'new strides over the same memory',
  () => toArrayWithAxes(canonical, ['ROW', 'COLUMN', 'SLICE']),
  (extra) => extra.release(),
);
say(`3. NumPy order (z, y, x): shape [${volume.shape.join(', ')}]`);
say(`   IOLink canonical (COLUMN, ROW, SLICE): shape [${canonical.shape.join(', ')}]`);
say(`   as (ROW, COLUMN, SLICE): shape [${yxz.shape.join(', ')}], strides [${yxz.strides.join(', ')}] bytes; no voxel moved`);
{
  using probe = MemoryView.from(volume);
  const a = probe.get([20, 48, 110]) as number;
  const b = yxz.get([48, 110, 20]) as number;
  if (a !== b) fail(`voxel (z 20, y 48, x 110) reads ${String(a)} in NumPy order but ${String(b)} through the reordered view`);
  else say(`   voxel (x 110, y 48, z 20) = ${String(a)} in both orders`);
}

// 4. The middle slice as a picture: a 2-D image view of the slice (no copy), window/level and a
//    colour map into RGBA (toRGBA), a PNG on disk (writeImage), and ImageData over the RGBA pixels.
using volumeView = MemoryView.from(volume);
using middle = volumeView.slice(depth / 2);
const sliceImage = imageViewFromArray(middle);
const rgba = await step(
  'toRGBA (window 1000, level 500, viridis)',
  true,
  'a colour mapping writes new pixels',
  () => toRGBA(sliceImage, { window: 1000, level: 500, colorMap: 'viridis' }),
  (extra) => extra.release(),
);
const png = await step('writeImage (PNG) + write file', true, 'encoding', async () => {
  const encoded = await writeImage(rgba, { format: 'png' });
  writeFileSync(output('middle-slice.png', 'the middle slice, windowed, as a PNG'), encoded);
  return encoded;
});
const imageData = await step(
  'imageDataFromImage',
  false,
  "ImageData over the image's memory",
  () => imageDataFromImage(rgba),
  (extra) => releaseImageData(extra),
);
const spot = (40 * width + 110) * 4;
say(
  `4. slice ${depth / 2} as a ${sliceImage.size.join(' x ')} float image (a view: ${sameMemory(sliceImage, middle)}); RGBA through viridis, middle-slice.png ${png.length} bytes`,
);
say(
  `   ImageData ${imageData.width} x ${imageData.height}, shares the RGBA image's memory: ${sameMemory(imageData.data, rgba)}; the bright spot's pixel is RGBA [${[...imageData.data.subarray(spot, spot + 4)].join(', ')}]`,
);
releaseImageData(imageData);
rgba.release();
sliceImage.release();

// 5. Statistics per slice in a DataFrameView.
const frame = await step('statistics -> DataFrameView', false, 'computed once; the columns adopt their arrays', () => {
  const mean = new Float64Array(depth);
  const maximum = new Float32Array(depth);
  const inside = new Int32Array(depth);
  const values = volumeView.toTypedArray() as Float32Array;
  for (let z = 0; z < depth; z++) {
    let sum = 0;
    let max = 0;
    let count = 0;
    for (let i = z * height * width, end = i + height * width; i < end; i++) {
      const v = values[i]!;
      sum += v;
      if (v > max) max = v;
      if (v > 0) count++;
    }
    mean[z] = sum / (height * width);
    maximum[z] = max;
    inside[z] = count;
  }
  const position = Float64Array.from({ length: depth }, (_, z) => z * image.spacing[2]!);
  return DataFrameView.fromColumns({ z_mm: position, mean, max: maximum, voxels_inside: inside });
});
say(`5. DataFrameView ${frame.shape[0]} rows x ${frame.shape[1]} columns [${frame.columnNames.join(', ')}]; row 20: ${JSON.stringify(frame.row(20))}`);
const columnValues = Object.fromEntries(frame.columnNames.map((name) => [name, Array.from(frame.column(name).toArray() as ArrayLike<number>, Number)]));

// 6. Feather (Arrow IPC, LZ4 as pandas writes it) and Parquet (Snappy, pandas' default) on disk, and back.
const featherPath = output('slices.feather', 'the statistics as Feather/LZ4 (pd.read_feather reads it)');
const bytes = await step('writeArrowIPC (LZ4) + write file', true, 'serialisation and compression', () => {
  const encoded = writeArrowIPC(frame, { compression: 'lz4' });
  writeFileSync(featherPath, encoded);
  return encoded;
});
const back = await step('read file + readArrowIPC', true, 'decompression only', () => readArrowIPC(readFileSync(featherPath), { source: featherPath }));
const parquetPath = output('slices.parquet', 'the statistics as Parquet/Snappy (pd.read_parquet reads it)');
await step('saveParquet (Snappy)', true, 'serialisation and compression', () => saveParquet(parquetPath, frame));
const fromParquet = await step('loadParquet', true, 'decompression and decoding', () => loadParquet(parquetPath));
const equal = frame.columnNames.every(
  (name) => JSON.stringify(columnValues[name]) === JSON.stringify(Array.from(back.column(name).toArray() as ArrayLike<number>, Number)),
);
say(`6. slices.feather: ${bytes.length} bytes; read back ${back.shape[0]} x ${back.shape[1]}, every value equal: ${equal}`);
if (!equal) fail('the Feather file did not read back identically');
const parquetEqual = frame.columnNames.every(
  (name) => JSON.stringify(columnValues[name]) === JSON.stringify(Array.from(fromParquet.column(name).toArray() as ArrayLike<number>, Number)),
);
say(`   slices.parquet: read back ${fromParquet.shape[0]} x ${fromParquet.shape[1]}, every value equal: ${parquetEqual}`);
if (!parquetEqual) fail('the Parquet file did not read back identically');
image.release();

// 7. The other side of the boundary: NumPy and pandas open the same files.
const expected: Expected = {
  npy: { path: npyPath, shape: [depth, height, width], dtype: 'float32', sha256: createHash('sha256').update(new Uint8Array(voxels.buffer)).digest('hex') },
  tables: [
    { path: featherPath, reader: 'feather', columns: columnValues },
    { path: parquetPath, reader: 'parquet', columns: columnValues },
  ],
};
const verdict = pythonVerdict(expected);
if ('skipped' in verdict) {
  say(`7. Python check skipped: ${verdict.skipped}`);
} else {
  say(`7. ${verdict.versions} checked the files:`);
  for (const line of verdict.lines) say(`   ${line}`);
  say(`   verdict: ${verdict.ok ? 'every file reads back identically in Python' : 'MISMATCH'}`);
  if (!verdict.ok) process.exitCode = 1;
}

// 8. Live: one array shared with a Python process, both writing to the same memory.
const live = await liveShare();
if ('skipped' in live) {
  say(`8. Live sharing with Python skipped: ${live.skipped}`);
} else {
  say('8. Live sharing with Python (a .npy in shared memory, createSharedNpy):');
  for (const line of live.lines) say(`   ${line}`);
  if (!live.ok) fail('Node did not see the value Python wrote into the shared array');
}

// The timings, as a table and as a chart.
say(`\nstep (median of ${RUNS} runs)                      time        copied data?`);
for (const row of steps) say(`${row.step.padEnd(42)} ${row.ms.toFixed(3).padStart(9)} ms  ${row.copies ? 'yes' : 'no'}: ${row.note}`);
writeFileSync(output('timings.svg', 'the table above as a chart (zero-copy steps vs copies)'), timingChart(steps, 'pnpm demo: time per step (log scale)'));

say(`\nOutputs, in ${relative(process.cwd(), outDir) || '.'} (${outDir}):`);
for (const [file, what] of written) say(`  ${file.padEnd(20)} ${what}`);
say(process.exitCode === 1 ? '\nDone, with failures (see above).' : '\nDone.');
