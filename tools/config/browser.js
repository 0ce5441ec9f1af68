// Shared by every program that drives a page in real Chromium (the browser tests of the examples and
// the browser benchmarks): where Debian's Chromium is, the flags it runs with, a static server on
// 127.0.0.1 for a built page, and the launch itself through playwright-core. Never downloads a
// browser: a machine without Chromium gets a reason to print instead.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

/** Where Debian's package (`apt-get install -y chromium`) and others put the browser. */
const chromiumPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The flags every launch uses (docs: /work/shared/TOOLCHAIN.md): headless, no sandbox, nothing that reaches the network. */
export const chromiumFlags = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]);

/**
 * Finds Chromium, or says why there is none. INTEROP_CHROMIUM, when set, is the only candidate (a
 * browser elsewhere, or a missing path to see what skips without one); else the usual paths.
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findChromium() {
  const chosen = process.env.INTEROP_CHROMIUM;
  const candidates = chosen !== undefined && chosen !== '' ? [chosen] : chromiumPaths;
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path !== undefined) return { ok: true, path };
  const reason = `Chromium is not installed (looked for ${candidates.join(', ')}; apt-get install -y chromium, or set INTEROP_CHROMIUM to its path)`;
  return { ok: false, reason };
}

/**
 * For a test file: the Chromium path, or undefined after printing why the browser tests skip.
 * Under CI=true a missing browser is a failure (.ci/run installs it), never a skip.
 * @param {string} [what] what skips, for the message
 * @returns {string | undefined}
 */
export function chromiumForTests(what = 'browser tests') {
  const found = findChromium();
  if (found.ok) return found.path;
  if (process.env.CI === 'true') throw new Error(`${found.reason}; .ci/run installs it, so in CI this is a failure.`);
  process.stderr.write(`[${what} skipped] ${found.reason}\n`);
  return undefined;
}

/**
 * Launches Chromium with `chromiumFlags` plus `args`.
 * @param {string} executablePath
 * @param {{ args?: readonly string[] }} [options]
 */
export function launchChromium(executablePath, options = {}) {
  return chromium.launch({ executablePath, args: [...chromiumFlags, ...(options.args ?? [])] });
}

/** Content types of what the pages here fetch; anything else is served as bytes. */
const contentTypes = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.npy': 'application/octet-stream',
  '.feather': 'application/octet-stream',
};

/**
 * Serves the folder `root` (a built page: `/` is its index.html) on 127.0.0.1 at a free port, plus
 * `files` held in memory (path -> bytes, e.g. `{ '/big.npy': bytes }`), which win over the folder.
 * A path outside `root` or a missing file answers 404. With `crossOriginIsolated`, every answer
 * carries the COOP / COEP headers that make the page cross-origin isolated (finer
 * `performance.now()`, SharedArrayBuffer).
 * @param {string} root
 * @param {{ files?: Readonly<Record<string, Uint8Array>>, crossOriginIsolated?: boolean }} [options]
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveStatic(root, options = {}) {
  const base = resolve(root);
  const files = options.files ?? {};
  const isolation = options.crossOriginIsolated === true ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  const server = createServer((request, response) => {
    const requested = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
    const name = requested === '/' ? '/index.html' : requested;
    const type = { 'content-type': contentTypes[extname(name)] ?? 'application/octet-stream', ...isolation };
    const held = Object.hasOwn(files, name) ? files[name] : undefined;
    if (held !== undefined) {
      response.writeHead(200, { ...type, 'content-length': String(held.byteLength) }).end(held);
      return;
    }
    const path = resolve(join(base, name));
    if (!path.startsWith(base + sep) || !existsSync(path) || !statSync(path).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, type).end(readFileSync(path));
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', () => ready(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done(undefined));
      }),
  };
}
