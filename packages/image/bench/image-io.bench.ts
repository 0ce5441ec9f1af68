// Decoding a 4096 x 4096 RGB PNG and JPEG with readImage, against the chosen codec's own decode
// plus a copy of its pixels (what wrapping them without adoption would cost), all in this run and
// interleaved round by round. Adoption is free when readImage costs what the bare decode costs.
// Also: the pure-JavaScript codecs (fast-png, jpeg-js, the fallback without sharp) and itk-wasm.
// Run from the repository root: `flock /tmp/interop-bench.lock pnpm bench image image-io`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTime, machineInfo, measureInterleaved, reportBenchmarks, type Timing } from '@interop/config/bench';
import { decode as fastPngDecode } from 'fast-png';
import jpeg from 'jpeg-js';
import sharp from 'sharp';
import { jpegReadImageNode, pngReadImageNode } from '@itk-wasm/image-io';
import { readImage } from '../src/index.js';
import { adoptDecoded } from '../src/internal/codecs/pixels.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const side = 4096;

// A photograph-like test card: smooth gradients plus a little noise (deterministic).
const rgb = new Uint8Array(side * side * 3);
let seed = 1;
for (let y = 0; y < side; y++) {
  for (let x = 0; x < side; x++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const noise = (seed >>> 27) & 7;
    const i = (y * side + x) * 3;
    rgb[i] = ((x >> 4) + noise) & 255;
    rgb[i + 1] = ((y >> 4) + noise) & 255;
    rgb[i + 2] = (((x + y) >> 5) + noise) & 255;
  }
}
const raw = { raw: { width: side, height: side, channels: 3 as const } };
const files = { png: new Uint8Array(await sharp(rgb, raw).png().toBuffer()), jpeg: new Uint8Array(await sharp(rgb, raw).jpeg({ quality: 90 }).toBuffer()) };
const directory = mkdtempSync(join(tmpdir(), 'interop-image-bench-'));
const paths = { png: join(directory, 'card.png'), jpeg: join(directory, 'card.jpg') };
writeFileSync(paths.png, files.png);
writeFileSync(paths.jpeg, files.jpeg);

type Case = readonly [string, () => Promise<unknown>];
async function interleave(cases: readonly Case[], rounds: number): Promise<number[]> {
  const samples: number[][] = cases.map(() => []);
  for (const [, fn] of cases) await fn(); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      gc();
      const t0 = performance.now();
      await cases[k]![1]();
      samples[k]!.push((performance.now() - t0) * 1e6);
    }
  }
  return samples.map(median);
}

const copyOf = (data: Uint8Array): Uint8Array => data.slice();
const sharpDecode = async (bytes: Uint8Array): Promise<Uint8Array> => {
  const pixels = await sharp(bytes).raw().toBuffer();
  return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength); // the same memory, no copy
};

const rows: string[] = [];
const ratios: Record<string, number> = {};
const probes: Record<string, number> = {};
for (const format of ['png', 'jpeg'] as const) {
  const bytes = files[format];
  const native = await interleave(
    [
      ['readImage (sharp)', () => readImage(bytes, { codec: 'sharp' })],
      ['sharp decode alone', () => sharpDecode(bytes)],
      ['sharp decode + copy', async () => copyOf(await sharpDecode(bytes))],
      ['sharp header probe', () => sharp(bytes).metadata()],
    ],
    11,
  );
  const pureDecode =
    format === 'png'
      ? (): Uint8Array => fastPngDecode(bytes).data as Uint8Array
      : (): Uint8Array => jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false }).data;
  const pure = await interleave(
    [
      [`readImage (${format === 'png' ? 'fast-png' : 'jpeg-js'})`, () => readImage(bytes, { codec: format === 'png' ? 'fast-png' : 'jpeg-js' })],
      ['its decode alone', () => Promise.resolve(pureDecode())],
      ['its decode + copy', () => Promise.resolve(copyOf(pureDecode()))],
      ['itk-wasm decode (file)', () => (format === 'png' ? pngReadImageNode(paths.png) : jpegReadImageNode(paths.jpeg))],
    ],
    3,
  );
  const pureName = format === 'png' ? 'fast-png' : 'jpeg-js';
  ratios[`${format} sharp`] = native[0]! / native[1]!;
  ratios[`${format} ${pureName}`] = pure[0]! / pure[1]!;
  probes[format] = native[3]!;
  rows.push(
    `| ${format.toUpperCase()} (${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB) | sharp 0.35.6 (chosen in Node) | ${formatTime(native[0]!)} | ${formatTime(native[1]!)} | ${formatTime(native[2]!)} | ${(native[0]! / native[1]!).toFixed(2)} |`,
    `| | ${pureName} (fallback, browsers) | ${formatTime(pure[0]!)} | ${formatTime(pure[1]!)} | ${formatTime(pure[2]!)} | ${(pure[0]! / pure[1]!).toFixed(2)} |`,
    `| | itk-wasm image-io 1.6.1 (from a file) | | ${formatTime(pure[3]!)} | | |`,
  );
}
rmSync(directory, { recursive: true, force: true });

// Adoption alone, on the 48 MiB of pixels sharp decoded: wrapping them as an Image vs copying them.
const decodedPixels = await sharpDecode(files.png);
const [adopt, copy] = measureInterleaved(
  [() => adoptDecoded({ width: side, height: side, channels: 3, data: decodedPixels }, 'bench'), () => decodedPixels.slice()],
  { minTimeMs: 300, warmup: 3, batch: 1, minSamples: 7 },
) as [Timing, Timing];
const adoptionShare = adopt.median / copy.median;

const markdown = [
  `Decoding a ${side} x ${side} RGB image (48 MiB of pixels) with \`readImage\`, against the codec's own decode and its decode plus one copy of the pixels, interleaved in one run (medians; 11 rounds for sharp, 3 for the rest). Adoption is free when the ratio readImage / decode alone is about 1; the copy column is what a non-adopting wrapper would add. Measured under load (2 cores shared by 8 sessions).`,
  '',
  `Adoption alone (the decoded 48 MiB becoming an \`Image\`): **${formatTime(adopt.median)}**, against ${formatTime(copy.median)} for one copy of the same pixels (${(adoptionShare * 100).toFixed(4)} %). readImage with sharp also reads the header once more than a bare decode (\`metadata()\`, to keep grey images grey and 16-bit images 16-bit): ${formatTime(probes.png!)} for the PNG, ${formatTime(probes.jpeg!)} for the JPEG. Under this load single rounds vary by tens of percent, so the readImage / decode ratio is shown, not enforced; the benchmark fails when adoption costs more than 1 % of a copy.`,
  '',
  '| file | codec | readImage | decode alone | decode + copy | readImage / decode |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `Machine: ${machineInfo()}. Reproduce: \`pnpm bench image image-io\`.`,
].join('\n');
reportBenchmarks('image-io', markdown);
if (adoptionShare > 0.01) {
  console.error(`Adopting the decoded pixels cost ${(adoptionShare * 100).toFixed(2)} % of a copy: adoption is not free.`);
  process.exitCode = 1;
}
console.log(
  `readImage / bare decode: ${Object.entries(ratios)
    .map(([name, ratio]) => `${name} ${ratio.toFixed(2)}`)
    .join(', ')}`,
);
