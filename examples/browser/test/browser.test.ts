// Builds the page with Vite, serves it on localhost, drives it in headless Chromium (Debian's
// package, through playwright-core; no browser download) and checks the pixels and the text.
// Also reports the bundle size of @interop/core.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumForTests, launchChromium, serveStatic, type Browser, type StaticServer } from '@interop/config/browser';
import { build } from 'vite';
import { volumeNpy, volumePixel as pixel, volumeShape } from '../src/volume.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out');
const chromiumPath = chromiumForTests();

const [depth, height, width] = volumeShape;
/** Where the test saves what the page showed, for a person to look at (git-ignored build output). */
const screenshotPath = join(out, 'screenshot.png');

function writeVolume(): void {
  mkdirSync(join(root, 'public'), { recursive: true });
  writeFileSync(join(root, 'public', 'volume.npy'), volumeNpy());
}

let server: StaticServer | undefined;
let browser: Browser | undefined;
let url = '';

describe.skipIf(chromiumPath === undefined)('browser page', () => {
  beforeAll(async () => {
    writeVolume();
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
    server = await serveStatic(out);
    url = server.url;
    browser = await launchChromium(chromiumPath!);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the middle slice on the canvas, zero-copy, with the array metadata', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url);
    await page.waitForSelector('body[data-ready]');
    expect(errors).toEqual([]);
    const text = await page.textContent('#metadata');
    expect(text).toContain('dtype |u1');
    expect(text).toContain(`shape [${depth}, ${height}, ${width}, 4]`);
    expect(text).toContain('zero-copy true');
    const samples = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#slice')!;
      const context = canvas.getContext('2d')!;
      return [
        [0, 0],
        [31, 0],
        [5, 23],
        [17, 11],
      ].map(([x, y]) => [...context.getImageData(x!, y!, 1, 1).data]);
    });
    const z = Math.floor(depth / 2);
    expect(samples).toEqual([pixel(z, 0, 0), pixel(z, 0, 31), pixel(z, 23, 5), pixel(z, 11, 17)]);
    const png = await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(existsSync(screenshotPath)).toBe(true);
  }, 60_000);

  it('says what is missing when the data file is absent, instead of a .npy parse error', async () => {
    const page = await browser!.newPage();
    await page.route('**/volume.npy', (route) => route.fulfill({ status: 404, body: '<!doctype html>not found' }));
    await page.goto(url);
    await page.waitForSelector('body[data-ready]');
    const text = (await page.textContent('#metadata')) ?? '';
    expect(text).toContain('404');
    expect(text).toContain('pnpm dev');
    expect(text).not.toContain('NpyError');
  }, 60_000);
});

describe('bundle size of @interop/core', () => {
  it('stays small and tree-shakeable (figures: pnpm bench browser)', async () => {
    const { measureBundles } = await import('../bundle-size.js');
    const { contract, full } = await measureBundles();
    expect(contract.gzip).toBeLessThan(full.gzip);
    // The contract alone (what an exporter plugin pulls in) stays small; the whole of core grows as
    // it becomes the one home of the type mappings and layout math the other packages share.
    expect(contract.gzip).toBeLessThan(16 * 1024);
    expect(full.gzip).toBeLessThan(48 * 1024);
  }, 120_000);
});
