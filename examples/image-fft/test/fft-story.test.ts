// The example's whole story, checked: the crop is a strided view of the decoded pixels, the FFT
// equals NumPy's np.fft.fft2 of the same crop (when Python is there), the PNG decodes to the
// rendered log-magnitude, and the ImageData is ready for a canvas.
import { describe, expect, it } from 'vitest';
import { pythonPeer } from '@interop/config/python';
import { Image, readImage, releaseImageData, toRGBA, writeImage } from '@interop/image';
import { fftStory } from '../src/fft-story.js';

const peer = pythonPeer(['numpy']);
const [width, height] = [96, 80];

async function photograph(): Promise<{ png: Uint8Array; grey: Uint8Array }> {
  const image = new Image({ componentType: 'uint8', size: [width, height] }).allocate();
  const grey = image.data as Uint8Array;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) grey[y * width + x] = Math.round(128 + 60 * Math.sin(x / 2.5) + 50 * Math.cos((x + 2 * y) / 4)) & 255;
  return { png: await writeImage(image, { format: 'png' }), grey: grey.slice() };
}

const crop = { top: 8, left: 12, size: 32, step: 2 };

describe('FFT story', () => {
  it('reads the crop through a strided view and writes a PNG and an ImageData of the spectrum', async () => {
    const { png } = await photograph();
    const story = await fftStory(png, crop);
    expect(story.cropWasView).toBe(true);
    expect(story.logMagnitude.size).toEqual([32, 32]);
    expect(story.imageData.width).toBe(32);
    expect(story.imageData.data.length).toBe(32 * 32 * 4);
    const written = await readImage(story.png);
    const expected = toRGBA(story.logMagnitude, { colorMap: 'viridis' });
    expect(Array.from(written.data as Uint8Array)).toEqual(Array.from(expected.data as Uint8Array));
    expect(Array.from(story.imageData.data)).toEqual(Array.from(expected.data as Uint8Array));
    expect(releaseImageData(story.imageData)).toBe(true);
  });

  it('refuses a crop larger than the image', async () => {
    const { png } = await photograph();
    await expect(fftStory(png, { top: 0, left: 0, size: 64, step: 2 })).rejects.toThrow(/crop needs/);
  });

  describe.skipIf(!peer.ok)(`peer: np.fft.fft2${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
    it('equals np.fft.fft2 of pixels[top:top+64:2, left:left+64:2]', async () => {
      const { png, grey } = await photograph();
      const story = await fftStory(png, crop);
      if (!peer.ok) return;
      const script = String.raw`
import sys, numpy as np
w, h, top, left, size, step = (int(v) for v in sys.argv[1:7])
pixels = np.frombuffer(sys.stdin.buffer.read(), dtype=np.uint8).reshape(h, w)
spectrum = np.fft.fft2(pixels[top:top + size * step:step, left:left + size * step:step].astype(np.float64))
sys.stdout.buffer.write(np.ascontiguousarray(spectrum).view(np.float64).tobytes())
`;
      const out = peer.run(script, [width, height, crop.top, crop.left, crop.size, crop.step].map(String), Buffer.from(grey));
      const numpy = new Float64Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
      expect(numpy.length).toBe(story.spectrum.length);
      let worst = 0;
      numpy.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - story.spectrum[i]!))));
      expect(worst).toBeLessThan(1e-7 * Math.abs(numpy[0]!));
      releaseImageData(story.imageData);
    });
  });
});
