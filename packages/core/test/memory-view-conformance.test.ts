// A MemoryView is an exporter: it must pass core's conformance kit like any other, in its
// contiguous, strided, read-only and indirect forms.
import { describeExporter } from '@interop/core/testing';
import { BufferFlags, exportBuffer, getbuffer, MemoryView, releasebuffer, type BufferInfo } from '@interop/core';

describeExporter('MemoryView (C-contiguous float64)', () => {
  const view = MemoryView.from(new Float64Array(12), BufferFlags.FULL).reshape([3, 4]);
  return {
    exporter: view,
    mutations: { release: (v) => v.release() },
    expected: { format: 'd', itemsize: 8, shape: [3, 4], readonly: false },
    dispose: () => view.release(),
  };
});

describeExporter('MemoryView (transposed, stepped int16)', () => {
  const view = MemoryView.from(new Int16Array(24), BufferFlags.FULL).reshape([4, 6]).slice('::-2').transpose();
  return {
    exporter: view,
    mutations: { release: (v) => v.release() },
    expected: { format: 'h', itemsize: 2, shape: [6, 2], readonly: false },
    dispose: () => view.release(),
  };
});

describeExporter('MemoryView (read-only big-endian records)', () => {
  const view = MemoryView.from(new Uint8Array(24)).cast('T{>i:a:>f:b:}').toReadonly();
  return {
    exporter: view,
    mutations: { release: (v) => v.release() },
    expected: { format: 'T{>i:a:>f:b:}', itemsize: 8, shape: [3], readonly: true },
    dispose: () => view.release(),
  };
});

class Planes {
  readonly planes = [new Uint8Array(16), new Uint8Array(20), new Uint8Array(16)];
  [getbuffer](flags: number): BufferInfo {
    const segments = this.planes.map((p) => ({ buffer: p.buffer, byteOffset: p.byteOffset, byteLength: p.byteLength }));
    return exportBuffer(
      this,
      { buffer: this.planes[0]!.buffer, byteOffset: 0, format: 'B', shape: [3, 4, 4], strides: [16, 4, 1], segments, suboffset: 0 },
      flags,
    );
  }
  [releasebuffer](): void {}
}

describeExporter('MemoryView (indirect, sliced)', () => {
  const view = MemoryView.from(new Planes(), BufferFlags.FULL).slice('::-1', '1:', '::-2');
  return {
    exporter: view,
    mutations: { release: (v) => v.release() },
    expected: { format: 'B', itemsize: 1, shape: [3, 3, 2], readonly: false },
    dispose: () => view.release(),
  };
});
