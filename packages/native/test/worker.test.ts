import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { addonBinary, packageDir, sampleBinary } from './helpers/build-addons.js';

// Each worker thread is its own Node-API env with its own bridge; interop/buffer.h caches the
// bridge per thread and drops its references when the worker's env is torn down.
describe('interop/buffer.h in worker threads', () => {
  it('borrows and exports in several workers, each with its own bridge, and tears down cleanly', async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const bridgeKey = Symbol.for('@interop/native/bridge@1');
      const sample = require(workerData.sample);
      let noBridge;
      try { sample.stridedSum(new Uint8Array(2)); } catch (error) { noBridge = error.code; }
      import(workerData.entry).then(() => {
        const image = sample.createImage(4, 4, 1);
        parentPort.postMessage({ noBridge, sum: sample.stridedSum(new Float64Array([1, 2, 3])), image: sample.stridedSum(image), bridge: typeof globalThis[bridgeKey] });
      });
    `;
    const entry = new URL('../dist/index.js', import.meta.url).href;
    const { existsSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    if (!existsSync(fileURLToPath(entry))) {
      // Workers run without the TypeScript loader: they import the built package.
      const { execFileSync } = await import('node:child_process');
      const { createRequire } = await import('node:module');
      execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
        cwd: packageDir,
        stdio: 'inherit',
      });
    }
    expect(existsSync(addonBinary)).toBe(true);
    const results = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<unknown>((resolve, reject) => {
            const worker = new Worker(source, { eval: true, execArgv: [], workerData: { sample: sampleBinary, entry } });
            worker.once('message', (message) => {
              void worker.terminate().then(() => resolve(message));
            });
            worker.once('error', reject);
          }),
      ),
    );
    for (const result of results) expect(result).toEqual({ noBridge: 'ERR_NATIVE_NO_BRIDGE', sum: 6, image: 120, bridge: 'object' });
  });
});
