// Measures what @interop/core costs in a browser bundle (Vite, minified, tree-shaken).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

export interface BundleSize {
  readonly bytes: number;
  readonly gzip: number;
}

const workDir = join(dirname(fileURLToPath(import.meta.url)), 'out-size');

async function bundle(code: string): Promise<BundleSize> {
  const entry = join(workDir, 'entry.js');
  mkdirSync(workDir, { recursive: true });
  writeFileSync(entry, code);
  const result = await build({
    root: workDir,
    configFile: false,
    logLevel: 'silent',
    build: { write: false, lib: { entry, formats: ['es'], fileName: 'bundle' }, minify: true },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as { output: { code?: string }[] }[];
  const text = outputs.flatMap((output) => output.output.map((chunk) => chunk.code ?? '')).join('');
  return { bytes: Buffer.byteLength(text), gzip: gzipSync(text).length };
}

/** The contract alone (what an exporter or a simple consumer imports) and all of core. */
export async function measureBundles(): Promise<{ contract: BundleSize; full: BundleSize }> {
  try {
    const contract = await bundle(`export { getBuffer, releaseBuffer, exportBuffer, ExportLock, getbuffer, releasebuffer, BufferFlags } from '@interop/core';`);
    const full = await bundle(`import * as core from '@interop/core'; export default core;`);
    return { contract, full };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
