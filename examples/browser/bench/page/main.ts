// The page of the browser benchmark (../vs-peers.bench.ts): the browser entries of the packages,
// bundled by Vite, run the same work as the Node rows "vs NumPy / pyarrow" in real Chromium. The
// driver calls `window.interopBench.run(name)` once per case and round; each call times itself
// (after `gc()`, exposed by the driver's --js-flags) so that the round trip to the driver stays
// outside the clock.
import { allocateBuffer, BufferFlags, getBuffer, MemoryView, registeredAllocator, releaseBuffer } from '@interop/core';
import { arrayFromImage, Image } from '@interop/image';
import { readNpy, type NpyArray } from '@interop/npy';
import { codecImplementations, readArrowIPC, writeArrowIPC, type DataFrameView } from '@interop/pandas';
import { timeOnce, timeOnceAsync } from '@interop/config/timing';
import type { BenchInfo, BenchPage, BenchSetup, BrowserCase } from './protocol.js';

interface State {
  readonly config: BenchSetup;
  readonly npy: Uint8Array;
  readonly feather: Uint8Array;
  readonly flat: Float32Array;
  readonly flatView: MemoryView;
  readonly image: Image;
  readonly frame: DataFrameView;
}

let state: State | undefined;

function current(): State {
  if (state === undefined) throw new Error('interopBench.setup() has not run');
  return state;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The page never changes its allocator: the seam's default is the only one a browser has. */
const none = (): void => undefined;
const close = (array: NpyArray): void => array.close();
const release = (view: MemoryView): void => view.release();

const cases: Record<BrowserCase, () => number | Promise<number>> = {
  'readNpy copy': () => timeOnce(none, () => readNpy(current().npy, { copy: true }), close),
  'readNpy view': () => {
    const { npy, config } = current();
    // O(1): a batch of calls per sample, as one call is below the clock's resolution.
    return (
      timeOnce(none, () => {
        for (let i = 0; i < config.viewBatch; i++) readNpy(npy).close();
      }) / config.viewBatch
    );
  },
  'fetch + readNpy': () => timeOnceAsync(none, async () => readNpy(await fetchBytes(current().config.npyUrl)), close),
  'fresh 256 MiB memcpy': () => timeOnce(none, () => new Uint8Array(allocateBuffer(current().npy.byteLength)).set(current().npy)),
  'MemoryView.copy': () => timeOnce(none, () => MemoryView.copy(current().flatView), release),
  'fresh 64 MiB memcpy': () => timeOnce(none, () => new Uint8Array(allocateBuffer(current().flat.byteLength)).set(new Uint8Array(current().flat.buffer))),
  arrayFromImage: () => timeOnce(none, () => arrayFromImage(current().image), release),
  readArrowIPC: () => timeOnce(none, () => readArrowIPC(current().feather)),
  writeArrowIPC: () => timeOnce(none, () => writeArrowIPC(current().frame, { compression: 'lz4' })),
};

async function setup(config: BenchSetup): Promise<BenchInfo> {
  const npy = await fetchBytes(config.npyUrl);
  const feather = await fetchBytes(config.featherUrl);
  const flat = new Float32Array(config.copyItems);
  for (let i = 0; i < flat.length; i++) flat[i] = i;
  const image = new Image({ componentType: 'float32', size: [...config.imageSize] }).allocate();
  const pixels = image.data as Float32Array;
  for (let i = 0; i < pixels.length; i += 1024) pixels[i] = i;
  const frame = readArrowIPC(feather);
  state = { config, npy, feather, flat, flatView: MemoryView.from(flat), image, frame };
  const codecs = codecImplementations();
  const registration = registeredAllocator();
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    allocator: registration === null ? null : registration.allocator.name,
    codecs: { lz4Decode: codecs.lz4Decode, lz4Encode: codecs.lz4Encode },
    npyBytes: npy.byteLength,
    featherBytes: feather.byteLength,
    writtenBytes: writeArrowIPC(frame, { compression: 'lz4' }).byteLength,
  };
}

/** The values each case produces, checked once (the timed runs drop their results). */
async function verify(): Promise<string[]> {
  const { npy, feather, config, flat, flatView, image, frame } = current();
  const problems: string[] = [];
  const expectNpy = (what: string, array: NpyArray, copied: boolean): void => {
    const values = new Float32Array(array.bytes.buffer, array.bytes.byteOffset, array.bytes.byteLength / 4);
    const n = values.length;
    if (array.copied !== copied) problems.push(`${what}: copied is ${array.copied}, expected ${copied}`);
    if (copied && values.buffer === npy.buffer) problems.push(`${what}: shares the input's memory`);
    for (const k of [0, 1, n >> 1, n - 1]) if (values[k] !== Math.fround(k * 0.5)) problems.push(`${what}: item ${k} is ${values[k]}`);
    array.close();
  };
  expectNpy('readNpy copy', readNpy(npy, { copy: true }), true);
  expectNpy('readNpy view', readNpy(npy), false);
  expectNpy('fetch + readNpy', readNpy(await fetchBytes(config.npyUrl)), false);

  const copy = MemoryView.copy(flatView);
  const last = flat.length - 1;
  const copied = getBuffer(copy, BufferFlags.SIMPLE);
  if (copy.get([last]) !== last || copy.get([12345]) !== 12345 || copied.buffer === flat.buffer) {
    problems.push('MemoryView.copy: wrong values or shared memory');
  }
  releaseBuffer(copied);
  copy.release();

  const [x, y] = config.imageSize;
  const array = arrayFromImage(image);
  if (array.get([0, 2, 0]) !== 2 * x || array.get([1, 0, 0]) !== x * y || array.shape.join() !== [...config.imageSize].reverse().join()) {
    problems.push(`arrayFromImage: shape ${array.shape.join('x')} or values wrong`);
  }
  array.release();

  const read = readArrowIPC(feather);
  const rows = config.featherRows;
  if (read.numRows !== rows || read.column('b').get(rows - 1) !== BigInt(rows - 1)) {
    problems.push(`readArrowIPC: ${read.numRows} rows, b[-1] = ${String(read.column('b').get(rows - 1))}`);
  }
  const again = readArrowIPC(writeArrowIPC(frame, { compression: 'lz4' }));
  if (again.numRows !== rows || again.column('a').get(rows - 1) !== frame.column('a').get(rows - 1)) {
    problems.push('writeArrowIPC: the LZ4 bytes do not read back to the same frame');
  }
  return problems;
}

window.interopBench = { setup, run: async (name) => cases[name](), verify } satisfies BenchPage;
document.querySelector('#status')!.textContent = 'ready';
document.body.dataset.ready = 'true';
