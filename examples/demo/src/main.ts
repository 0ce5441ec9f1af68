// pnpm demo: the buffer protocol at work, through the packages' public entry points only.
import { BufferError, BufferFlags, ExportLock, exportBuffer, getBuffer, getbuffer, releaseBuffer, releasebuffer, type BufferInfo } from '@interop/core';

/** A growable float32 signal that shares its memory through the protocol, like a NumPy array. */
class Signal {
  readonly #lock = new ExportLock();
  #samples: Float32Array;

  constructor(length: number) {
    this.#samples = Float32Array.from({ length }, (_, i) => Math.sin(i / 4));
  }

  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.#samples.buffer, byteOffset: this.#samples.byteOffset, format: 'f', shape: [this.#samples.length] }, flags, this.#lock);
  }

  [releasebuffer](): void {
    this.#lock.release();
  }

  get exports(): number {
    return this.#lock.exports;
  }

  resize(length: number): void {
    this.#lock.assertUnlocked('resize');
    const next = new Float32Array(length);
    next.set(this.#samples.subarray(0, length));
    this.#samples = next;
  }
}

const line = (text: string): void => console.log(text);
line('Interop: one buffer protocol for JavaScript (PEP 3118 semantics, export locks).\n');

const signal = new Signal(1_000_000);
line(`1. An exporter: a Signal of 1,000,000 float32 samples.`);

const started = performance.now();
const info = getBuffer(signal, BufferFlags.RECORDS_RO);
const took = performance.now() - started;
line(`2. A consumer takes an export with RECORDS_RO (first call: ${(took * 1000).toFixed(1)} µs, zero-copy):`);
line(`   format ${JSON.stringify(info.format)}, itemsize ${info.itemsize}, shape [${info.shape?.join(', ')}], strides [${info.strides?.join(', ')}], readonly ${info.readonly}`);
const samples = new Float32Array(info.buffer, info.byteOffset, info.shape?.[0]);
line(`   samples[4] = ${samples[4]?.toFixed(6)} (read through the exporter's own memory; live exports: ${signal.exports})`);

line('3. While the export is held, the exporter refuses to move its memory:');
try {
  signal.resize(2_000_000);
  line('   resize succeeded (this would be a bug)');
  process.exitCode = 1;
} catch (error) {
  if (!BufferError.isInstance(error)) throw error;
  line(`   ${error.name} ${error.code}: ${error.message}`);
}

releaseBuffer(info);
line(`4. The consumer releases its export (live exports: ${signal.exports}); now the resize is allowed:`);
signal.resize(2_000_000);
const after = getBuffer(signal, BufferFlags.STRIDED_RO);
line(`   new shape [${after.shape?.join(', ')}]`);
releaseBuffer(after);

line('5. A second release of the same export is refused, never silently ignored:');
try {
  releaseBuffer(info);
} catch (error) {
  if (!BufferError.isInstance(error)) throw error;
  line(`   ${error.code}`);
}
line('\nDone.');
