import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo } from '@interop/core';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadAddon, type NativeBuffer } from '../src/index.js';
import { packageDir, sampleBinary } from './helpers/build-addons.js';
import { collectGarbage, sample } from './helpers/sample.js';

const MiB = 2 ** 20;

/** Lets the event loop run a few turns (the deferred report arrives through a thread-safe function). */
async function nextTurns(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Collects until `done()` holds, for at most 10 s: V8 frees backing stores on a background
 * thread, and the release callbacks then arrive on a later event-loop turn.
 */
async function collectUntil(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done() && Date.now() < deadline) {
    await collectGarbage(1);
    await nextTurns();
  }
}

// interop_export_memory goes through the @interop/native addon's O(1) path: a SharedArrayBuffer
// that V8 does not count as per-isolate external memory at export time (addon/shared_export.cc).
describe('interop_export_memory (SharedArrayBuffer export path)', () => {
  it('hands JavaScript a SharedArrayBuffer over the native memory, which Atomics can use', () => {
    const buffer = sample.exportBytes(64);
    const info = getBuffer(buffer, BufferFlags.RECORDS);
    try {
      expect(info.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(info.buffer.byteLength).toBe(64);
      const words = new Int32Array(info.buffer, info.byteOffset, 16);
      expect(Atomics.add(words, 3, 7)).toBe(0);
      expect(Atomics.load(words, 3)).toBe(7);
    } finally {
      releaseBuffer(info);
    }
    // C++ reads the same bytes: 7 in little-endian int32 slot 3 is byte 12.
    expect(sample.stridedSum(buffer)).toBe(7);
  });

  it('cannot be detached or transferred away from the views made over it', () => {
    const info = getBuffer(sample.exportBytes(32));
    try {
      const memory = info.buffer as unknown as ArrayBuffer;
      expect(() => structuredClone(memory, { transfer: [memory] })).toThrow();
      // A structured clone shares (does not copy) the native memory.
      const clone = structuredClone(info.buffer);
      new Uint8Array(clone)[5] = 9;
      expect(new Uint8Array(info.buffer)[5]).toBe(9);
    } finally {
      releaseBuffer(info);
    }
  });

  it('runs every release callback once, on the JavaScript thread, and none while an export is held', async () => {
    await collectGarbage();
    const addon = loadAddon();
    const before = sample.counters();
    const refs: { buffers?: NativeBuffer[]; info?: BufferInfo } = { buffers: Array.from({ length: 50 }, (_, index) => sample.exportBytes(4096 + index)) };
    refs.info = getBuffer(refs.buffers![7]!);
    delete refs.buffers;
    await collectUntil(() => sample.counters().releasedBlocks >= before.releasedBlocks + 49);
    expect(sample.counters().releasedBlocks).toBe(before.releasedBlocks + 49);
    expect(addon.pendingReleases()).toBeGreaterThanOrEqual(1);
    releaseBuffer(refs.info);
    delete refs.info;
    await collectUntil(() => sample.counters().releasedBlocks >= before.releasedBlocks + 50);
    await collectGarbage();
    const after = sample.counters();
    expect(after.releasedBlocks).toBe(before.releasedBlocks + 50);
    expect(after.releasedOffThread).toBe(before.releasedOffThread);
  });

  it('reports the exported size to V8 on the next event-loop turn, not during the export, and takes it back on release', async () => {
    await collectGarbage();
    const addon = loadAddon();
    const base = addon.externalMemory();
    const refs: { buffer?: NativeBuffer } = { buffer: sample.exportBytes(256 * MiB) };
    expect(addon.externalMemory() - base).toBeLessThan(16 * MiB);
    await nextTurns();
    // (Other exports of this file may be released meanwhile: allow a little drift.)
    expect(addon.externalMemory() - base).toBeGreaterThan(250 * MiB);
    const released = sample.counters().releasedBlocks;
    delete refs.buffer;
    await collectUntil(() => sample.counters().releasedBlocks > released);
    expect(sample.counters().releasedBlocks).toBe(released + 1);
    expect(addon.externalMemory() - base).toBeLessThan(16 * MiB);
  });

  it('keeps the memory alive while another thread still holds the SharedArrayBuffer, then releases it once', async () => {
    await collectGarbage();
    const released = sample.counters().releasedBlocks;
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       let kept;
       parentPort.on('message', (message) => {
         if (message.keep) { kept = message.keep; parentPort.postMessage('kept'); }
         else { parentPort.postMessage(new Uint8Array(kept).reduce((sum, byte) => sum + byte, 0)); kept = undefined; }
       });`,
      { eval: true },
    );
    const reply = (): Promise<unknown> => new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    try {
      await (async () => {
        const buffer = sample.exportBytes(1024);
        const info = getBuffer(buffer, BufferFlags.WRITABLE);
        new Uint8Array(info.buffer).fill(3);
        worker.postMessage({ keep: info.buffer });
        releaseBuffer(info);
        expect(await reply()).toBe('kept');
      })();
      // This thread has let go of everything; the worker still reads the native memory.
      await collectGarbage();
      expect(sample.counters().releasedBlocks).toBe(released);
      worker.postMessage({});
      expect(await reply()).toBe(3 * 1024);
    } finally {
      await worker.terminate();
    }
    await collectUntil(() => sample.counters().releasedBlocks > released);
    expect(sample.counters().releasedBlocks).toBe(released + 1);
    expect(sample.counters().releasedOffThread).toBe(0);
  });

  it('exports a 1 GiB block without touching its pages (zero-copy)', () => {
    const before = process.memoryUsage().rss;
    const buffer = sample.exportBytes(2 ** 30);
    const info = getBuffer(buffer);
    expect(info.byteLength).toBe(2 ** 30);
    releaseBuffer(info);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MiB);
  });

  it('falls back to Node-API external ArrayBuffers when INTEROP_NATIVE_EXPORT=arraybuffer (per thread, read once)', async () => {
    const entry = join(packageDir, 'dist', 'index.js');
    if (!existsSync(entry)) {
      // Workers run without the TypeScript loader: they import the built package.
      execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
        cwd: packageDir,
        stdio: 'inherit',
      });
    }
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const sample = require(workerData.sample);
      require('node:v8').setFlagsFromString('--expose-gc');
      const collect = require('node:vm').runInNewContext('gc');
      (async () => {
        const core = require('node:module').createRequire(workerData.entryPath).resolve('@interop/core');
        const { getBuffer, releaseBuffer } = await import(require('node:url').pathToFileURL(core).href);
        await import(workerData.entry);
        const before = sample.counters().releasedBlocks;
        const kind = (() => {
          const info = getBuffer(sample.exportBytes(64));
          releaseBuffer(info);
          return info.buffer.constructor.name;
        })();
        for (let round = 0; round < 50 && sample.counters().releasedBlocks === before; round++) {
          collect();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        parentPort.postMessage({ kind, released: sample.counters().releasedBlocks - before });
      })();`;
    const worker = new Worker(source, {
      eval: true,
      env: { ...process.env, INTEROP_NATIVE_EXPORT: 'arraybuffer' },
      // No TypeScript loader in the worker: it imports the built package (and core's dist).
      execArgv: [],
      workerData: { sample: sampleBinary, entry: pathToFileURL(entry).href, entryPath: entry },
    });
    try {
      const result = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
      expect(result).toEqual({ kind: 'ArrayBuffer', released: 1 });
    } finally {
      await worker.terminate();
    }
  });

  it('never frees memory another thread still holds when the exporting thread ends first', async () => {
    const entry = join(packageDir, 'dist', 'index.js');
    if (!existsSync(entry)) {
      execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
        cwd: packageDir,
        stdio: 'inherit',
      });
    }
    await collectGarbage();
    const before = sample.counters().releasedBlocks;
    // A worker exports native memory (bytes 0x5A) and shares its SharedArrayBuffer with this thread, then ends.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const sample = require(workerData.sample);
       (async () => {
         const core = require('node:module').createRequire(workerData.entryPath).resolve('@interop/core');
         const { getBuffer, releaseBuffer } = await import(require('node:url').pathToFileURL(core).href);
         await import(workerData.entry);
         const info = getBuffer(sample.exportPattern(4096, 0x5a));
         releaseBuffer(info);
         parentPort.postMessage(info.buffer);
       })();`,
      { eval: true, execArgv: [], workerData: { sample: sampleBinary, entry: pathToFileURL(entry).href, entryPath: entry } },
    );
    const refs: { shared?: SharedArrayBuffer } = {};
    refs.shared = await new Promise<SharedArrayBuffer>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    await collectGarbage();
    // The worker's environment is gone; this thread still reads the memory it exported, intact.
    expect(new Uint8Array(refs.shared).every((byte) => byte === 0x5a)).toBe(true);
    expect(sample.counters().releasedBlocks).toBe(before);
    delete refs.shared;
    await collectUntil(() => sample.counters().releasedBlocks > before);
    expect(sample.counters().releasedBlocks).toBe(before + 1);
  });
});
