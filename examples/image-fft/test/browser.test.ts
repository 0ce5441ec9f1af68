// The browser variant: Vite builds the page (over the built packages), a local server serves it
// with a JPEG written here, and headless Chromium (Debian's, through playwright-core; never a
// browser download) decodes the JPEG in the page and draws it and its spectrum on canvases.
// Screenshots of both canvases must show the pixels Node computes from the same bytes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumForTests, launchChromium, serveStatic, type Browser, type StaticServer } from '@interop/config/browser';
import { build } from 'vite';
import { Image, imageDataFromImage, readImage, releaseImageData, writeImage } from '@interop/image';
import { fftStory } from '../src/fft-story.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = chromiumForTests();

const [width, height] = [80, 72];

async function photograph(): Promise<Uint8Array> {
  const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [width, height] }).allocate();
  const data = image.data as Uint8Array;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([(x * 3) & 255, (y * 3) & 255, Math.round(128 + 90 * Math.sin((x + y) / 6))], (y * width + x) * 3);
  return writeImage(image, { format: 'jpeg', codec: 'jpeg-js', quality: 92 });
}

let server: StaticServer | undefined;
let browser: Browser | undefined;
let url = '';
const scratch = mkdtempSync(join(tmpdir(), 'interop-image-fft-page-'));
let jpeg: Uint8Array = new Uint8Array(0);

describe.skipIf(chromiumPath === undefined)('browser page: a JPEG and its spectrum on canvases', () => {
  beforeAll(async () => {
    jpeg = await photograph();
    const publicDir = join(scratch, 'public');
    const out = join(scratch, 'out');
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', publicDir, build: { outDir: out, emptyOutDir: true } });
    writeFileSync(join(out, 'photo.jpg'), jpeg);
    server = await serveStatic(out);
    url = server.url;
    browser = await launchChromium(chromiumPath!, { args: ['--force-color-profile=srgb'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('decodes the JPEG in the page and shows exactly the pixels Node decodes; the spectrum matches too', async () => {
    const page = await browser!.newPage({ deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url);
    await page.waitForSelector('body[data-ready]');
    expect(errors).toEqual([]);
    const text = (await page.textContent('#metadata')) ?? '';
    expect(text).toContain(`photo ${width} x ${height} RGB uint8`);
    expect(text).toContain('a view: true');
    expect(text).toContain('png round trip exact: true');
    const jpegLine = /jpeg written in the page: true, mean difference ([\d.]+)/.exec(text);
    expect(jpegLine, text).not.toBeNull();
    expect(Number(jpegLine![1])).toBeLessThan(3);

    // What Node computes from the same bytes with the same pure-JS decoder (sharp is Node-only).
    const decoded = await readImage(jpeg, { codec: 'jpeg-js' });
    const expectedPhoto = imageDataFromImage(decoded);
    const story = await fftStory(jpeg, { top: 0, left: 0, size: 32, step: 2 }, 'jpeg-js');

    for (const [id, expected] of [
      ['photo', expectedPhoto.data],
      ['spectrum', story.imageData.data],
    ] as const) {
      const shot = await readImage(await page.locator(`#${id}`).screenshot({ type: 'png' }));
      expect(shot.size).toEqual(id === 'photo' ? [width, height] : [32, 32]);
      const pixels = shot.data as Uint8Array;
      const channels = shot.components;
      let worst = 0;
      for (let pixel = 0; pixel < expected.length / 4; pixel++) {
        for (let channel = 0; channel < 3; channel++) worst = Math.max(worst, Math.abs(pixels[pixel * channels + channel]! - expected[pixel * 4 + channel]!));
      }
      expect(worst, `largest difference on the ${id} canvas`).toBe(0);
    }
    // The canvas's own pixels, read back in the page, are the same bytes.
    const probe = await page.evaluate(() => [...document.querySelector<HTMLCanvasElement>('#photo')!.getContext('2d')!.getImageData(5, 7, 1, 1).data]);
    expect(probe).toEqual(Array.from(expectedPhoto.data.subarray((7 * width + 5) * 4, (7 * width + 5) * 4 + 4)));
    releaseImageData(expectedPhoto);
    releaseImageData(story.imageData);
  }, 120_000);
});
