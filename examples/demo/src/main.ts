// pnpm demo: the main job, end to end, through the packages' public entry points only.
//
//   a NumPy-style volume in a .npy  ->  an image with spacing  ->  an axis-reordered view
//   -> a slice shown as ImageData-shaped RGBA  ->  statistics in a DataFrameView
//   -> Arrow IPC (Feather) on disk  ->  read back
//
// Each step prints how long it took and whether it copied any data.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferError, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { arrayViewFromImage, fromArrayWithAxes, Image, imageDataFromImage, imageViewFromArray, releaseImageData, toArrayWithAxes } from '@interop/image';
import { loadNpy, saveNpy } from '@interop/npy/node';
import { DataFrameView, readArrowIPC, writeArrowIPC } from '@interop/pandas';

const rows: { step: string; ms: number; copied: string }[] = [];
async function step<T>(name: string, copied: string, action: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await action();
  rows.push({ step: name, ms: performance.now() - started, copied });
  return result;
}
const say = (text: string): void => console.log(text);
/** True when two exports read the same bytes of the same memory. */
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

const workDir = mkdtempSync(join(tmpdir(), 'interop-demo-'));
try {
  say('Interop demo: one buffer protocol from a NumPy file to a data frame on disk.\n');

  // 1. A NumPy-style volume: float32, C order, shape (z, y, x) = (64, 128, 128), a sphere phantom.
  const [depth, height, width] = [64, 128, 128];
  const voxels = new Float32Array(depth * height * width);
  for (let z = 0; z < depth; z++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const r = Math.hypot((x - 64) / 50, (y - 64) / 50, (z - 32) / 25);
        voxels[(z * height + y) * width + x] = r < 1 ? 1000 * (1 - r * r) : 0;
      }
    }
  }
  const npyPath = join(workDir, 'volume.npy');
  using source = MemoryView.from(voxels).reshape([depth, height, width]);
  await step('save volume.npy (np.save layout)', 'no (written from the array\'s memory)', () => saveNpy(npyPath, source));
  const volume = await step('loadNpy', 'no (a view of the file bytes)', () => loadNpy(npyPath));
  say(`1. volume.npy: dtype ${String(volume.dtype)}, shape [${volume.shape.join(', ')}], format ${JSON.stringify(volume.format)}, copied on load: ${volume.copied}`);

  // 2. An ITK-style image over the array's memory, with spacing (ITK order: x, y, z).
  const image = await step('imageViewFromArray', 'no (the image holds an export of the array)', () => imageViewFromArray(volume));
  image.setSpacing([0.5, 0.5, 2.0]);
  const center = image.transformIndexToPhysicalPoint([64, 64, 32]);
  say(`2. Image: size [${image.size.join(', ')}] (x, y, z), spacing [${image.spacing.join(', ')}] mm; voxel (64, 64, 32) is at [${center.join(', ')}] mm; shares the .npy memory: ${sameMemory(image, volume)}`);

  // The export lock at work: while a view of the image is held, reallocation is refused.
  const view = arrayViewFromImage(image);
  try {
    image.allocate();
    say('   allocate() succeeded while a view was held (a bug)');
    process.exitCode = 1;
  } catch (error) {
    if (!BufferError.isInstance(error)) throw error;
    say(`   while a view is held, image.allocate() is refused: ${error.code} (${String(error.details.liveExports)} live export(s))`);
  }
  view.release();
  say('   view released: the image may reallocate again');

  // 3. An axis-reordered view (IOLink canonical order COLUMN, ROW, SLICE) and back out as (y, x, z).
  const canonical = await step('fromArrayWithAxes (z, y, x) -> canonical', 'no (strides only)', () => fromArrayWithAxes(volume, ['SLICE', 'ROW', 'COLUMN']));
  const yxz = await step('toArrayWithAxes -> (y, x, z)', 'no (strides only)', () => toArrayWithAxes(canonical, ['ROW', 'COLUMN', 'SLICE']));
  say(`3. IOLink view shape [${canonical.shape.join(', ')}] (COLUMN, ROW, SLICE); as (ROW, COLUMN, SLICE): shape [${yxz.shape.join(', ')}], strides [${yxz.strides.join(', ')}] bytes, same memory: ${yxz.obj === volume || sameMemory(yxz.slice(0, 0), volume)}`);

  // 4. The middle slice as ImageData-shaped RGBA (a window/level colour mapping, then zero-copy ImageData).
  using volumeView = MemoryView.from(volume);
  using middle = volumeView.slice(depth / 2);
  const rgba = new Image({ componentType: 'uint8', pixelType: 'RGBA', size: [width, height] }).allocate();
  await step('window/level the middle slice to RGBA', 'yes (a colour mapping writes new pixels)', () => {
    using pixels = arrayViewFromImage(rgba);
    const out = pixels.toTypedArray() as Uint8Array;
    const values = middle.toTypedArray() as Float32Array;
    for (let i = 0; i < values.length; i++) {
      const level = Math.max(0, Math.min(255, Math.round((values[i]! / 1000) * 255)));
      out.set([level, level, Math.min(255, level + 40), 255], i * 4);
    }
  });
  const imageData = await step('imageDataFromImage', 'no (ImageData over the image\'s memory)', () => imageDataFromImage(rgba));
  say(`4. ImageData ${imageData.width} x ${imageData.height}, ${imageData.data.length} bytes; centre pixel RGBA [${[...imageData.data.subarray((64 * width + 64) * 4, (64 * width + 64) * 4 + 4)].join(', ')}]; shares the image's memory: ${sameMemory(imageData.data, rgba)}`);
  releaseImageData(imageData);

  // 5. Statistics per slice in a DataFrameView.
  const frame = await step('per-slice statistics -> DataFrameView', 'no (columns adopt their arrays)', () => {
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
  say(`5. DataFrameView ${frame.shape[0]} rows x ${frame.shape[1]} columns [${frame.columnNames.join(', ')}]; row 32: ${JSON.stringify(frame.row(32))}`);

  // 6. Arrow IPC (Feather v2, LZ4 as pandas writes it) on disk, and back.
  const featherPath = join(workDir, 'slices.feather');
  const bytes = await step('writeArrowIPC (LZ4) + write file', 'yes (serialisation)', () => {
    const encoded = writeArrowIPC(frame, { compression: 'lz4' });
    writeFileSync(featherPath, encoded);
    return encoded;
  });
  const back = await step('read file + readArrowIPC', 'decompression only', () => readArrowIPC(readFileSync(featherPath), { source: featherPath }));
  const equal = frame.columnNames.every((name) => JSON.stringify(frame.column(name).toArray()) === JSON.stringify(back.column(name).toArray()));
  say(`6. ${featherPath.slice(workDir.length + 1)}: ${bytes.length} bytes on disk; read back ${back.shape[0]} x ${back.shape[1]}, every value equal: ${equal} (pandas reads it with pd.read_feather)`);
  if (!equal) process.exitCode = 1;

  image.release();
  say('\nstep                                           time       copied data?');
  for (const row of rows) say(`${row.step.padEnd(46)} ${row.ms.toFixed(2).padStart(8)} ms  ${row.copied}`);
  say('\nDone.');
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
