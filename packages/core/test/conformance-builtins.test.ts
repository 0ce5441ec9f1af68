import { exportBuffer, ExportLock, getbuffer, releasebuffer, type BufferInfo, type BufferSegment } from '@interop/core';
import { describeExporter } from '@interop/core/testing';

/** A growable byte array with bytearray's lock rule, used to prove the kit itself. */
class GrowableBytes {
  readonly #lock = new ExportLock();
  #data: Uint8Array;
  constructor(size: number) {
    this.#data = new Uint8Array(size).map((_, i) => i & 0xff);
  }
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.#data.buffer, byteOffset: this.#data.byteOffset, format: 'B', shape: [this.#data.length] }, flags, this.#lock);
  }
  [releasebuffer](): void {
    this.#lock.release();
  }
  resize(size: number): void {
    this.#lock.assertUnlocked('resize');
    const next = new Uint8Array(size);
    next.set(this.#data.subarray(0, size));
    this.#data = next;
  }
}

/** A read-only, Fortran-ordered 2-D matrix. */
class FortranMatrix {
  readonly #lock = new ExportLock();
  readonly data = new Float32Array(12).map((_, i) => i);
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, format: 'f', shape: [3, 4], strides: [4, 12], readonly: true }, flags, this.#lock);
  }
  [releasebuffer](): void {
    this.#lock.release();
  }
  free(): void {
    this.#lock.assertUnlocked('free');
  }
}

/** Every other row of a C-ordered matrix: strided, neither C- nor F-contiguous. */
class EveryOtherRow {
  readonly #lock = new ExportLock();
  readonly data = new Int16Array(6 * 5).map((_, i) => i);
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, format: '<h', shape: [3, 5], strides: [20, 2] }, flags, this.#lock);
  }
  [releasebuffer](): void {
    this.#lock.release();
  }
}

/** A stack of frames in separate buffers: the indirect (suboffsets) form. */
class FrameStack {
  readonly #lock = new ExportLock();
  readonly frames: Float64Array[] = [0, 1, 2].map((k) => new Float64Array(8).fill(k));
  [getbuffer](flags: number): BufferInfo {
    const segments: BufferSegment[] = this.frames.map((frame) => ({ buffer: frame.buffer, byteOffset: frame.byteOffset, byteLength: frame.byteLength }));
    return exportBuffer(
      this,
      { buffer: this.frames[0]!.buffer, byteOffset: 0, format: 'd', shape: [3, 2, 4], strides: [0, 32, 8], segments },
      flags,
      this.#lock,
    );
  }
  [releasebuffer](): void {
    this.#lock.release();
  }
  addFrame(): void {
    this.#lock.assertUnlocked('addFrame');
    this.frames.push(new Float64Array(8));
  }
}

describeExporter('GrowableBytes', () => ({
  exporter: new GrowableBytes(32),
  mutations: { resize: (b) => b.resize(64) },
  expected: { format: 'B', shape: [32], readonly: false },
}));
describeExporter('FortranMatrix (read-only, F order)', () => ({
  exporter: new FortranMatrix(),
  mutations: { free: (m) => m.free() },
  expected: { shape: [3, 4], readonly: true },
}));
describeExporter('EveryOtherRow (strided)', () => ({ exporter: new EveryOtherRow(), expected: { format: '<h', shape: [3, 5] } }));
describeExporter('FrameStack (indirect)', () => ({ exporter: new FrameStack(), mutations: { addFrame: (s) => s.addFrame() }, expected: { shape: [3, 2, 4] } }));
describeExporter('Float64Array', () => ({ exporter: new Float64Array(10), expected: { format: 'd', shape: [10] } }));
describeExporter('BigInt64Array', () => ({ exporter: new BigInt64Array(3), expected: { format: 'q', shape: [3] } }));
describeExporter('Uint8ClampedArray', () => ({ exporter: new Uint8ClampedArray(5), expected: { format: 'B', shape: [5] } }));
describeExporter('Float32Array subarray', () => ({ exporter: new Float32Array(16).subarray(3, 9), expected: { format: 'f', shape: [6] } }));
describeExporter('ArrayBuffer', () => ({ exporter: new ArrayBuffer(12), expected: { format: 'B', shape: [12] } }));
describeExporter('SharedArrayBuffer', () => ({ exporter: new SharedArrayBuffer(12), expected: { format: 'B', shape: [12] } }));
describeExporter('DataView', () => ({ exporter: new DataView(new ArrayBuffer(10), 2, 6), expected: { format: 'B', shape: [6] } }));
describeExporter('Buffer', () => ({ exporter: Buffer.from('hello'), expected: { format: 'B', shape: [5] } }));
describeExporter('WebAssembly.Memory', () => ({ exporter: new WebAssembly.Memory({ initial: 1 }), expected: { format: 'B', shape: [65536] } }));
describeExporter('empty Int32Array', () => ({ exporter: new Int32Array(0), expected: { format: 'i', shape: [0] } }));

// Resizable ArrayBuffers: the kit shrinks the buffer behind the export and requires a typed
// error or a consistent (in-bounds) export afterwards, never stale bytes.
// ES2024's resizable constructor is not in this lib's types yet.
const ResizableArrayBuffer = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
const resizable = (length: number): ArrayBuffer => new ResizableArrayBuffer(length, { maxByteLength: length * 4 });
describeExporter('Float32Array over a resizable ArrayBuffer', () => ({
  exporter: new Float32Array(resizable(32), 0, 8),
  expected: { format: 'f', shape: [8] },
}));
describeExporter('length-tracking Int16Array over a resizable ArrayBuffer', () => ({
  exporter: new Int16Array(resizable(32)),
  expected: { format: 'h', shape: [16] },
}));
describeExporter('resizable ArrayBuffer', () => ({ exporter: resizable(24), expected: { format: 'B', shape: [24] } }));
