// `pnpm --filter @interop/example-image-fft start [input.png|.jpg] [output.png]`: runs the FFT story
// on a file (or on a generated test card) and writes the log-magnitude spectrum as a PNG.
import { readFileSync, writeFileSync } from 'node:fs';
import { Image, releaseImageData, writeImage } from '@interop/image';
import { fftStory } from './fft-story.js';

async function testCard(): Promise<Uint8Array> {
  const card = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [320, 240] }).allocate();
  const data = card.data as Uint8Array;
  for (let y = 0; y < 240; y++)
    for (let x = 0; x < 320; x++) data.set([128 + 100 * Math.sin(x / 3), 128 + 100 * Math.cos(y / 5), (x ^ y) & 255], (y * 320 + x) * 3);
  return writeImage(card, { format: 'png' });
}

const [input, output = 'spectrum.png'] = process.argv.slice(2);
const bytes = input === undefined ? await testCard() : new Uint8Array(readFileSync(input));
const story = await fftStory(bytes, { top: 16, left: 32, size: 64, step: 2 });
writeFileSync(output, story.png);
console.log(`crop 64 x 64 (every 2nd pixel) read through a view: ${story.cropWasView}`);
console.log(`DC term ${story.spectrum[0]!.toFixed(1)}; log-magnitude written to ${output}; ImageData ${story.imageData.width} x ${story.imageData.height}`);
releaseImageData(story.imageData);
