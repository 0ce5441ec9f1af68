// The native test scenario run under valgrind by scripts/memcheck.mjs: both directions of the C
// API, handles, mapFile and SharedMemory, many times, against the built packages (dist/), then a
// check that every native object was released; then the codecs (decompressInto,
// decompressManyInto) on valid, short, truncated and damaged frames.
import { BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { handleTypeName, heldByNative, mapFile, releaseHandle, SharedMemory } from '@interop/native';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const sample = createRequire(import.meta.url)('../addon-sample/build/Release/interop_sample.node');
const rounds = Number(process.argv[2] ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'interop-memcheck-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'data.bin');
writeFileSync(
  path,
  Float64Array.from({ length: 64 }, (_, index) => index),
);

function expectCode(code, action) {
  assert.throws(action, (error) => error.code === code);
}

// One round in its own function, so no local outlives it (a module's top-level await keeps its
// locals alive).
function runRound(round) {
  // Native -> JavaScript.
  const image = sample.createImage(16, 8, 3);
  const view = MemoryView.from(image, BufferFlags.RECORDS);
  view.set([7, 15, 2], 65535);
  view.release();
  assert.equal(sample.stridedSum(image), ((16 * 8 * 3 - 1) * (16 * 8 * 3)) / 2 - (16 * 8 * 3 - 1) + 65535);
  sample.exportBytes(4096 + round);
  for (const kind of [0, 1, 2]) expectCode(kind === 0 ? 'ERR_BUFFER_OUT_OF_BOUNDS' : 'ERR_BUFFER_INVALID_LAYOUT', () => sample.exportBadLayout(kind));

  // JavaScript -> C.
  const data = Float64Array.from({ length: 12 }, (_, index) => index);
  const flat = MemoryView.from(data);
  const grid = flat.reshape([3, 4]);
  const odd = grid.slice('::-1', '1::2');
  assert.equal(sample.stridedSum(odd), 36);
  odd.release();
  grid.release();
  flat.release();
  sample.fillFloat64(data, 0.5);
  assert.deepEqual(sample.releaseTwice(new Uint8Array(8)), [0, 5, true, 0]);
  expectCode('ERR_BUFFER_NOT_EXPORTER', () => sample.stridedSum(42));
  assert.equal(sample.holdBuffer(data), 96);
  assert.equal(sample.releaseHeld(), true);

  // Handles.
  const handle = sample.createImageHandle(4, 4, 1);
  assert.equal(handleTypeName(handle), 'Image');
  assert.deepEqual(sample.imageInfo(handle), [4, 4, 1, 2]);
  const pixels = sample.exportHandleImage(handle);
  expectCode('ERR_NATIVE_HANDLE_TYPE', () => sample.imageInfo(sample.createCounterHandle()));
  releaseHandle(handle);
  expectCode('ERR_BUFFER_RELEASED', () => sample.imageInfo(handle));
  assert.equal(sample.stridedSum(pixels), 120);

  // mmap and shared memory.
  const file = mapFile(path, { mode: round % 2 === 0 ? 'r' : 'c' });
  const bytes = MemoryView.from(file);
  const doubles = bytes.cast('d');
  assert.equal(sample.stridedSum(doubles), 2016);
  expectCode('ERR_BUFFER_EXPORTED', () => file.close());
  doubles.release();
  bytes.release();
  file.close();
  const segment = SharedMemory.create(null, 256);
  const other = SharedMemory.attach(segment.name);
  const info = getBuffer(segment, BufferFlags.CONTIG);
  new Uint8Array(info.buffer, info.byteOffset, 4).set([1, 2, 3, 4]);
  releaseBuffer(info);
  assert.equal(sample.stridedSum(other), 10);
  other.close();
  segment.close();
  segment.unlink();
}

for (let round = 0; round < rounds; round++) runRound(round);

for (let round = 0; round < 8; round++) {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
}
const counters = sample.counters();
assert.equal(heldByNative(), 0, 'C still holds borrows');
assert.equal(counters.liveImages, 0, `${counters.liveImages} C++ images were never freed`);
assert.equal(counters.releasedBlocks, rounds, `release callbacks ran ${counters.releasedBlocks} times for ${rounds} exported blocks`);

// Cross-thread: a worker exports native memory, shares its SharedArrayBuffer with this thread and
// exits; the memory must stay valid here (valgrind would report a read of freed memory) and be
// released once when this thread lets go (with env == NULL: the worker's env is gone).
{
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const sample = require(workerData.sample);
     import('@interop/core').then(async ({ getBuffer, releaseBuffer }) => {
       await import('@interop/native');
       const info = getBuffer(sample.exportPattern(4096, 0x5a));
       releaseBuffer(info);
       parentPort.postMessage(info.buffer);
     });`,
    { eval: true, workerData: { sample: createRequire(import.meta.url).resolve('../addon-sample/build/Release/interop_sample.node') } },
  );
  const refs = { shared: await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject)) };
  await worker.terminate();
  gc();
  assert.ok(
    new Uint8Array(refs.shared).every((byte) => byte === 0x5a),
    'memory shared by an ended worker was freed under this thread',
  );
  delete refs.shared;
  for (let round = 0; round < 200 && sample.counters().releasedBlocks === rounds; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(sample.counters().releasedBlocks, rounds + 1, 'the memory shared by the ended worker was never released');
}

// The huge-page allocator: regions allocated here (cache on, then off) and in a worker that ends
// are each unmapped exactly once; valgrind reports any access to an unmapped region or a leaked record.
{
  const { allocateHugePages, hugePageStats, setHugePageCache } = await import('@interop/native');
  const start = hugePageStats();
  setHugePageCache({ entries: 2, bytes: 64 << 20 });
  // A plain function: a local of this async block would stay reachable across the awaits.
  const churn = (i) => {
    const bytes = new Uint8Array(allocateHugePages((4 << 20) - i));
    assert.equal(bytes[bytes.length - 1], 0, 'a (reused) region was not zeroed');
    bytes.fill(i + 1);
    // A recycled region handed out without zeroing holds the bytes of an earlier owner.
    new Uint8Array(allocateHugePages(3 << 20, { zeroFill: false })).fill(0x44);
  };
  for (let i = 0; i < 6; i++) {
    churn(i);
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  setHugePageCache({ entries: 0 });
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const buffer = require(workerData.addon).hugeAlloc(4 << 20, false);
     new Uint8Array(buffer).fill(0x33);
     parentPort.postMessage(buffer, [buffer]);`,
    { eval: true, workerData: { addon: createRequire(import.meta.url).resolve('../../build/Release/interop_native.node') } },
  );
  const refs = { buffer: await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject)) };
  await worker.terminate();
  gc();
  assert.ok(
    new Uint8Array(refs.buffer).every((byte) => byte === 0x33),
    'a region from an ended worker was unmapped under this thread',
  );
  delete refs.buffer;
  for (let round = 0; round < 200 && hugePageStats().live !== start.live; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const end = hugePageStats();
  assert.equal(end.live, start.live, `${end.live - start.live} huge-page regions were never unmapped`);
  assert.equal(end.frees - start.frees, end.allocations - start.allocations, 'huge-page regions were not freed exactly once');
}

// The codecs (liblz4 / libzstd through dlopen): every fixture frame decoded whole, into a
// destination one byte short, truncated and damaged, one at a time and many at once on several
// threads; valgrind reports any read or write outside the views and any context not freed.
let codecCalls = 0;
{
  const { codecLibrary, decompressInto, decompressManyInto } = await import('@interop/native');
  const fixtures = readFileSync(new URL('../fixtures/codec-frames.ts', import.meta.url), 'utf8');
  const frames = new Map(
    [...fixtures.matchAll(/export const (\w+): Uint8Array = decode\('([^']+)'\)/g)].map(([, name, text]) => [
      name,
      new Uint8Array(Buffer.from(text, 'base64')),
    ]),
  );
  const attempt = (action) => {
    codecCalls++;
    try {
      return action();
    } catch (error) {
      assert.ok(['ERR_NATIVE_CORRUPT_DATA', 'ERR_NATIVE_DESTINATION_TOO_SMALL'].includes(error.code), `unexpected ${error.code}: ${error.message}`);
      return -1;
    }
  };
  for (const codec of ['lz4', 'zstd']) {
    assert.ok(codecLibrary(codec).available, `${codec}: ${codecLibrary(codec).reason}`);
    const chosen = [...frames].filter(([name]) => name.startsWith(codec)).map(([, frame]) => frame);
    const lengths = chosen.map((frame) => decompressInto(codec, frame, new Uint8Array(300_000)));
    chosen.forEach((frame, index) => {
      const length = lengths[index];
      assert.equal(
        attempt(() => decompressInto(codec, frame, new Uint8Array(length))),
        length,
      );
      assert.equal(
        attempt(() => decompressInto(codec, frame, new Uint8Array(length - 1))),
        -1,
      );
      for (const cut of [1, 7, 20, frame.length >> 1, frame.length - 1]) attempt(() => decompressInto(codec, frame.subarray(0, cut), new Uint8Array(length)));
      for (let position = 0; position < frame.length; position += Math.max(1, frame.length >> 5)) {
        const damaged = frame.slice();
        damaged[position] ^= 0x5a;
        attempt(() => decompressInto(codec, damaged, new Uint8Array(length)));
      }
    });
    const source = Buffer.concat(chosen);
    let sourceOffset = 0;
    let destinationOffset = 0;
    const ranges = chosen.map((frame, index) => {
      const range = { sourceOffset, sourceLength: frame.length, destinationOffset, destinationLength: lengths[index] };
      sourceOffset += frame.length;
      destinationOffset += lengths[index];
      return range;
    });
    for (const threads of [1, 3]) {
      codecCalls++;
      assert.deepEqual(decompressManyInto(codec, source, new Uint8Array(destinationOffset), ranges, { threads }), lengths);
      const short = ranges.map((range, index) => (index === 1 ? { ...range, destinationLength: range.destinationLength - 1 } : range));
      assert.equal(
        attempt(() => decompressManyInto(codec, source, new Uint8Array(destinationOffset), short, { threads })),
        -1,
      );
    }
  }
}

console.log(
  `memcheck scenario: ${rounds} rounds, every native object released (${counters.releasedBlocks} release callbacks, 0 live images); memory shared by an ended worker released once; huge-page regions unmapped exactly once; ${codecCalls} codec calls`,
);
