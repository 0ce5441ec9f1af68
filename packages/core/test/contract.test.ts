import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BufferError,
  BufferFlags,
  cStrides,
  ExportLock,
  exportBuffer,
  getBuffer,
  getbuffer,
  InteropError,
  isExporter,
  layoutExtent,
  PROTOCOL_VERSION,
  registerExporter,
  registeredExporters,
  releaseBuffer,
  releasebuffer,
  resetLeakReports,
  resolveLayout,
  setExportTracing,
  supportsBuffer,
  unregisterExporter,
  validateBufferInfo,
  type BufferInfo,
  type BufferErrorCode,
} from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { collectLeakWarnings, settleGarbage } from './helpers.js';

/** An exporter that returns whatever `make` builds, to play a buggy or hostile plugin. */
function hostile(make: (self: object, flags: number) => BufferInfo) {
  const state = { live: 0 };
  const exporter = {
    [getbuffer](flags: number): BufferInfo {
      state.live++;
      return make(exporter, flags);
    },
    [releasebuffer](): void {
      state.live--;
    },
  };
  return { exporter, state };
}

const base = (self: object, buffer: ArrayBuffer, overrides: Partial<BufferInfo> = {}): BufferInfo => ({
  obj: self,
  buffer,
  byteOffset: 0,
  byteLength: 16,
  readonly: false,
  itemsize: 4,
  format: 'i',
  ndim: 1,
  shape: [4],
  strides: [4],
  suboffsets: null,
  ...overrides,
});

describe('BufferFlags', () => {
  it("has CPython's values", () => {
    expect(BufferFlags).toEqual({
      SIMPLE: 0,
      WRITABLE: 1,
      FORMAT: 4,
      ND: 8,
      STRIDES: 24,
      C_CONTIGUOUS: 56,
      F_CONTIGUOUS: 88,
      ANY_CONTIGUOUS: 152,
      INDIRECT: 280,
      CONTIG: 9,
      CONTIG_RO: 8,
      STRIDED: 25,
      STRIDED_RO: 24,
      RECORDS: 29,
      RECORDS_RO: 28,
      FULL: 285,
      FULL_RO: 284,
    });
  });
});

describe('protocol symbols', () => {
  it('are registered symbols, shared by every copy of core', () => {
    expect(getbuffer).toBe(Symbol.for('interop.getbuffer'));
    expect(releasebuffer).toBe(Symbol.for('interop.releasebuffer'));
    expect(isExporter({ [Symbol.for('interop.getbuffer')]: () => null, [Symbol.for('interop.releasebuffer')]: () => undefined })).toBe(true);
    expect(isExporter({ [getbuffer]: () => null })).toBe(false);
  });
});

describe('exportBuffer request rules', () => {
  const data = new Float64Array(12);
  const layout = (overrides: object = {}) => ({ buffer: data.buffer, byteOffset: 0, format: 'd', shape: [3, 4], ...overrides });
  it('refuses WRITABLE on read-only memory', () => {
    expectErrorCode(() => exportBuffer(data, layout({ readonly: true }), BufferFlags.STRIDED), 'ERR_BUFFER_READONLY', { family: BufferError });
    expect(exportBuffer(data, layout({ readonly: true }), BufferFlags.STRIDED_RO).readonly).toBe(true);
  });
  it('refuses FORMAT without ND', () => {
    expectErrorCode(() => exportBuffer(data, layout(), BufferFlags.FORMAT), 'ERR_BUFFER_FLAGS_UNSUPPORTED', { family: BufferError });
  });
  it('presents the buffer as bytes without ND, and keeps itemsize without FORMAT', () => {
    const info = exportBuffer(data, layout(), BufferFlags.SIMPLE);
    expect(info.shape).toBeNull();
    expect(info.strides).toBeNull();
    expect(info.format).toBeNull();
    expect(info.itemsize).toBe(8);
    expect(info.byteLength).toBe(96);
    expect(resolveLayout(info)).toMatchObject({ format: 'B', itemsize: 1, shape: [96], strides: [1] });
  });
  it('omits strides without STRIDES and refuses non-C-contiguous memory then', () => {
    expect(exportBuffer(data, layout(), BufferFlags.CONTIG_RO).strides).toBeNull();
    const fortran = layout({ strides: [8, 24] });
    expectErrorCode(() => exportBuffer(data, fortran, BufferFlags.CONTIG_RO), 'ERR_BUFFER_NOT_CONTIGUOUS', { family: BufferError });
    expect(exportBuffer(data, fortran, BufferFlags.STRIDED_RO).strides).toEqual([8, 24]);
  });
  it('checks C, F and ANY contiguity requests', () => {
    const fortran = layout({ strides: [8, 24] });
    expectErrorCode(() => exportBuffer(data, fortran, BufferFlags.C_CONTIGUOUS), 'ERR_BUFFER_NOT_CONTIGUOUS', { family: BufferError });
    expect(exportBuffer(data, fortran, BufferFlags.F_CONTIGUOUS).strides).toEqual([8, 24]);
    expect(exportBuffer(data, fortran, BufferFlags.ANY_CONTIGUOUS).strides).toEqual([8, 24]);
    const strided = layout({ shape: [2, 4], strides: [64, 8] });
    expectErrorCode(() => exportBuffer(data, strided, BufferFlags.ANY_CONTIGUOUS), 'ERR_BUFFER_NOT_CONTIGUOUS', { family: BufferError });
  });
  it('treats dimensions of length 1 and empty arrays as contiguous, as CPython does', () => {
    expect(exportBuffer(data, layout({ shape: [1, 4], strides: [999, 8] }), BufferFlags.C_CONTIGUOUS).shape).toEqual([1, 4]);
    expect(exportBuffer(data, layout({ shape: [0, 4], strides: [7, 3] }), BufferFlags.C_CONTIGUOUS).byteLength).toBe(0);
  });
  it('refuses more than 64 dimensions', () => {
    expectErrorCode(() => exportBuffer(data, layout({ shape: new Array(65).fill(1) }), BufferFlags.FULL_RO), 'ERR_BUFFER_TOO_MANY_DIMENSIONS', {
      family: BufferError,
    });
    expect(exportBuffer(data, layout({ shape: new Array(64).fill(1) }), BufferFlags.FULL_RO).ndim).toBe(64);
  });
  it('needs INDIRECT for indirect layouts', () => {
    const frames = [new Float64Array(4), new Float64Array(4)];
    const segments = frames.map((f) => ({ buffer: f.buffer, byteOffset: 0, byteLength: 32 }));
    const indirect = { buffer: frames[0]!.buffer, byteOffset: 0, format: 'd', shape: [2, 4], strides: [0, 8], segments };
    expectErrorCode(() => exportBuffer(frames, indirect, BufferFlags.STRIDED_RO), 'ERR_BUFFER_FLAGS_UNSUPPORTED', { family: BufferError });
    const info = exportBuffer(frames, indirect, BufferFlags.FULL_RO);
    expect(info.suboffsets).toEqual([0, -1]);
    expect(info.segments).toHaveLength(2);
  });
  it('counts one export per successful request and none for a refused one', () => {
    const lock = new ExportLock();
    exportBuffer(data, layout(), BufferFlags.FULL_RO, lock);
    expect(() => exportBuffer(data, layout({ readonly: true }), BufferFlags.FULL, lock)).toThrow(BufferError);
    expect(lock.exports).toBe(1);
  });
});

describe('ExportLock', () => {
  it('refuses operations while exported, naming the operation and the live exports', () => {
    const lock = new ExportLock();
    lock.acquire();
    lock.acquire();
    const error = expectErrorCode(() => lock.assertUnlocked('resize'), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(error.details).toMatchObject({ operation: 'resize', liveExports: 2 });
    lock.release();
    lock.release();
    expect(() => lock.assertUnlocked('resize')).not.toThrow();
    expectErrorCode(() => lock.release(), 'ERR_BUFFER_RELEASED', { family: BufferError });
  });
});

describe('BufferError', () => {
  it('is recognised across copies of core through its Symbol.for brand', () => {
    const foreign = Object.assign(new Error('from another copy'), { code: 'ERR_BUFFER_EXPORTED' });
    expect(BufferError.isInstance(foreign)).toBe(false);
    Object.defineProperty(foreign, Symbol.for('@interop/core/BufferError'), { value: true });
    Object.defineProperty(foreign, Symbol.for('@interop/error'), { value: true });
    expect(BufferError.isInstance(foreign)).toBe(true);
    expect(InteropError.isInstance(foreign)).toBe(true);
    const own = new BufferError('ERR_BUFFER_DETACHED', 'x');
    expect(own).toBeInstanceOf(Error);
    expect(own.name).toBe('BufferError');
    expect(InteropError.isInstance(own)).toBe(true);
  });
});

describe('getBuffer / releaseBuffer', () => {
  it('refuses objects without the protocol', () => {
    expectErrorCode(() => getBuffer({}), 'ERR_BUFFER_NOT_EXPORTER', { family: BufferError });
    expectErrorCode(() => getBuffer(42), 'ERR_BUFFER_NOT_EXPORTER', { family: BufferError });
    expectErrorCode(() => getBuffer(null), 'ERR_BUFFER_NOT_EXPORTER', { family: BufferError });
    expect(supportsBuffer([1, 2, 3])).toBe(false);
  });
  it('refuses unknown protocol versions and accepts the current one', () => {
    const { exporter } = hostile((self) => base(self, new ArrayBuffer(16)));
    expectErrorCode(() => getBuffer(Object.assign(Object.create(exporter) as object, { protocolVersion: 2 })), 'ERR_BUFFER_PROTOCOL_VERSION', {
      family: BufferError,
    });
    const current = Object.assign(Object.create(exporter) as object, { protocolVersion: PROTOCOL_VERSION });
    releaseBuffer(getBuffer(current));
  });
  it('releases exactly once', () => {
    const info = getBuffer(new Uint8Array(4));
    releaseBuffer(info);
    expectErrorCode(() => releaseBuffer(info), 'ERR_BUFFER_RELEASED', { family: BufferError });
    expectErrorCode(() => releaseBuffer(base({}, new ArrayBuffer(16))), 'ERR_INVALID_ARGUMENT', { family: BufferError });
  });
  it('exports every built-in with its format', () => {
    const cases: [unknown, string, number][] = [
      [new Int8Array(2), 'b', 1],
      [new Uint8Array(2), 'B', 1],
      [new Uint8ClampedArray(2), 'B', 1],
      [new Int16Array(2), 'h', 2],
      [new Uint16Array(2), 'H', 2],
      [new Int32Array(2), 'i', 4],
      [new Uint32Array(2), 'I', 4],
      [new Float32Array(2), 'f', 4],
      [new Float64Array(2), 'd', 8],
      [new BigInt64Array(2), 'q', 8],
      [new BigUint64Array(2), 'Q', 8],
      [Buffer.alloc(2), 'B', 1],
    ];
    for (const [value, format, itemsize] of cases) {
      const info = getBuffer(value, BufferFlags.FULL_RO);
      expect([info.format, info.itemsize, info.shape]).toEqual([format, itemsize, [2]]);
      releaseBuffer(info);
    }
  });
  it('refuses a detached ArrayBuffer instead of reading zeros', () => {
    const buffer = new ArrayBuffer(16);
    const view = new Float32Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expectErrorCode(() => getBuffer(buffer), 'ERR_BUFFER_DETACHED', { family: BufferError });
    expectErrorCode(() => getBuffer(view), 'ERR_BUFFER_DETACHED', { family: BufferError });
  });
});

describe('validation of what exporters return', () => {
  const cases: [string, (self: object) => BufferInfo, BufferErrorCode][] = [
    ['reaches past the end', (self) => base(self, new ArrayBuffer(12)), 'ERR_BUFFER_OUT_OF_BOUNDS'],
    ['negative offset', (self) => base(self, new ArrayBuffer(16), { byteOffset: -4 }), 'ERR_BUFFER_OUT_OF_BOUNDS'],
    ['negative stride before the start', (self) => base(self, new ArrayBuffer(16), { strides: [-4] }), 'ERR_BUFFER_OUT_OF_BOUNDS'],
    ['negative shape', (self) => base(self, new ArrayBuffer(16), { shape: [-4], byteLength: -16 }), 'ERR_BUFFER_INVALID_LAYOUT'],
    ['fractional shape', (self) => base(self, new ArrayBuffer(16), { shape: [1.5] }), 'ERR_BUFFER_INVALID_LAYOUT'],
    ['itemsize disagrees with format', (self) => base(self, new ArrayBuffer(16), { format: 'd' }), 'ERR_BUFFER_INVALID_LAYOUT'],
    ['malformed format', (self) => base(self, new ArrayBuffer(16), { format: 'T{i' }), 'ERR_FORMAT_INVALID'],
    ['shape length differs from ndim', (self) => base(self, new ArrayBuffer(16), { ndim: 2 }), 'ERR_BUFFER_INVALID_LAYOUT'],
    ['byteLength wrong', (self) => base(self, new ArrayBuffer(16), { byteLength: 12 }), 'ERR_BUFFER_INVALID_LAYOUT'],
    [
      'size overflows',
      (self) => base(self, new ArrayBuffer(16), { ndim: 3, shape: [2 ** 30, 2 ** 30, 2 ** 30], strides: [0, 0, 0], byteLength: 2 ** 92 }),
      'ERR_BUFFER_INVALID_LAYOUT',
    ],
    ['huge stride', (self) => base(self, new ArrayBuffer(16), { strides: [2 ** 40] }), 'ERR_BUFFER_OUT_OF_BOUNDS'],
    ['unsafe stride', (self) => base(self, new ArrayBuffer(16), { strides: [2 ** 60] }), 'ERR_BUFFER_INVALID_LAYOUT'],
    ['not a buffer', (self) => base(self, [1, 2] as unknown as ArrayBuffer), 'ERR_BUFFER_INVALID_LAYOUT'],
    [
      'too many dimensions',
      (self) => base(self, new ArrayBuffer(16), { ndim: 65, shape: new Array(65).fill(1), strides: new Array(65).fill(0), byteLength: 4 }),
      'ERR_BUFFER_TOO_MANY_DIMENSIONS',
    ],
    ['ignores WRITABLE', (self) => base(self, new ArrayBuffer(16), { readonly: true }), 'ERR_BUFFER_INVALID_LAYOUT'],
    ['suboffsets without INDIRECT', (self) => base(self, new ArrayBuffer(16), { suboffsets: [0] }), 'ERR_BUFFER_INVALID_LAYOUT'],
  ];
  for (const [name, make, code] of cases) {
    it(`refuses an exporter whose answer ${name}, and ends its export`, () => {
      const { exporter, state } = hostile(make);
      expectErrorCode(() => getBuffer(exporter, BufferFlags.STRIDED), code, { family: BufferError });
      expect(state.live).toBe(0);
    });
  }
  it('refuses indirect segments too small for their elements', () => {
    const small = new ArrayBuffer(8);
    const { exporter, state } = hostile((self) =>
      base(self, small, {
        shape: [2, 4],
        ndim: 2,
        strides: [0, 4],
        byteLength: 32,
        suboffsets: [0, -1],
        segments: [
          { buffer: small, byteOffset: 0, byteLength: 8 },
          { buffer: small, byteOffset: 0, byteLength: 8 },
        ],
      }),
    );
    expectErrorCode(() => getBuffer(exporter, BufferFlags.FULL_RO), 'ERR_BUFFER_OUT_OF_BOUNDS', { family: BufferError });
    expect(state.live).toBe(0);
  });
  it('accepts a layout exactly when every element lies inside the buffer (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }),
        fc.array(fc.integer({ min: -24, max: 24 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 0, max: 96 }),
        fc.constantFrom(1, 2, 4, 8),
        (shape, strideSeeds, byteOffset, bufferLength, itemsize) => {
          const strides = shape.map((_, i) => strideSeeds[i]!);
          const format = { 1: 'B', 2: 'h', 4: 'i', 8: 'd' }[itemsize];
          const info: BufferInfo = {
            obj: {},
            buffer: new ArrayBuffer(bufferLength),
            byteOffset,
            byteLength: shape.reduce((a, b) => a * b, 1) * itemsize,
            readonly: false,
            itemsize,
            format,
            ndim: shape.length,
            shape,
            strides,
            suboffsets: null,
          };
          // Brute force: visit every element's byte range.
          let inside = true;
          const visit = (dim: number, offset: number): void => {
            if (dim === shape.length) {
              if (offset < 0 || offset + itemsize > bufferLength) inside = false;
              return;
            }
            for (let i = 0; i < shape[dim]!; i++) visit(dim + 1, offset + i * strides[dim]!);
          };
          visit(0, byteOffset);
          const empty = shape.includes(0);
          const expected = empty ? byteOffset <= bufferLength : inside;
          let accepted = true;
          try {
            validateBufferInfo(info);
          } catch (error) {
            expect(BufferError.isInstance(error)).toBe(true);
            accepted = false;
          }
          expect(accepted).toBe(expected);
        },
      ),
      { numRuns: 1000, seed: 20261121 },
    );
  });
  it('refuses strides, suboffsets or partial items without a shape (an export without ND is flat bytes)', () => {
    const flat = {
      obj: {},
      buffer: new ArrayBuffer(8),
      byteOffset: 0,
      byteLength: 8,
      readonly: false,
      itemsize: 1,
      format: null,
      ndim: 1,
      shape: null,
    } as const;
    expect(() => validateBufferInfo({ ...flat, strides: null, suboffsets: null })).not.toThrow();
    expectErrorCode(() => validateBufferInfo({ ...flat, strides: [], suboffsets: null }), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    expectErrorCode(() => validateBufferInfo({ ...flat, strides: null, suboffsets: [0] }), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    expectErrorCode(() => validateBufferInfo({ ...flat, itemsize: 3, strides: null, suboffsets: null }), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    expectErrorCode(() => validateBufferInfo({ ...flat, itemsize: 2 ** 31, strides: null, suboffsets: null }), 'ERR_BUFFER_INVALID_LAYOUT', {
      family: BufferError,
    });
    expect(() => validateBufferInfo({ ...flat, itemsize: 8, format: null, strides: null, suboffsets: null })).not.toThrow();
  });
  it('computes extents that match a brute-force walk (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: -16, max: 16 })), { maxLength: 4 }), (dims) => {
        const shape = dims.map(([n]) => n);
        const strides = dims.map(([, s]) => s);
        const extent = layoutExtent(shape, strides, 4)!;
        let low = 0;
        let high = 4;
        for (let i = 0; i < shape.length; i++) {
          const reach = (shape[i]! - 1) * strides[i]!;
          low = Math.min(low, low + Math.min(0, reach));
          high += Math.max(0, reach);
        }
        expect(extent).toEqual({ low, high });
        expect(cStrides(shape, 4).length).toBe(shape.length);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('registerExporter', () => {
  class Foreign {
    constructor(readonly values: Float32Array) {}
  }
  it('teaches the protocol a foreign type, with a defined precedence, and unregisters', () => {
    const released: BufferInfo[] = [];
    const unregister = registerExporter<Foreign>({
      name: 'test-foreign',
      test: (value): value is Foreign => value instanceof Foreign,
      getbuffer: (value, flags) => exportBuffer(value, { buffer: value.values.buffer, byteOffset: 0, format: 'f', shape: [value.values.length] }, flags),
      releasebuffer: (_value, info) => void released.push(info),
    });
    const foreign = new Foreign(new Float32Array(3));
    const info = getBuffer(foreign, BufferFlags.FULL_RO);
    expect(info.obj).toBe(foreign);
    releaseBuffer(info);
    expect(released).toHaveLength(1);
    expect(registeredExporters()).toContain('test-foreign');
    expectErrorCode(() => registerExporter({ name: 'test-foreign', test: (_v): _v is never => false, getbuffer: () => info }), 'ERR_BUFFER_ADAPTER', {
      family: BufferError,
    });
    unregister();
    expectErrorCode(() => getBuffer(foreign), 'ERR_BUFFER_NOT_EXPORTER', { family: BufferError });
    expect(unregisterExporter('test-foreign')).toBe(false);
  });
  it('lets the latest registration win over earlier ones and over built-ins, but never over own hooks', () => {
    const seen: string[] = [];
    const adapter = (name: string) =>
      registerExporter<Uint16Array>({
        name,
        test: (value): value is Uint16Array => value instanceof Uint16Array,
        getbuffer: (value, flags) => {
          seen.push(name);
          return exportBuffer(value, { buffer: value.buffer, byteOffset: 0, format: '<H', shape: [value.length] }, flags);
        },
      });
    const first = adapter('first');
    const second = adapter('second');
    const info = getBuffer(new Uint16Array(2), BufferFlags.FULL_RO);
    expect(seen).toEqual(['second']);
    expect(info.format).toBe('<H');
    releaseBuffer(info);
    second();
    first();
    const plain = getBuffer(new Uint16Array(2), BufferFlags.FULL_RO);
    expect(plain.format).toBe('H');
    releaseBuffer(plain);
    const own = Object.assign(new Uint16Array(2), {
      [getbuffer]: (flags: number) => exportBuffer(own, { buffer: own.buffer, byteOffset: 0, format: '>H', shape: [2] }, flags),
      [releasebuffer]: () => undefined,
    });
    const unregister = adapter('third');
    const hooked = getBuffer(own, BufferFlags.FULL_RO);
    expect(hooked.format).toBe('>H');
    releaseBuffer(hooked);
    unregister();
  });
});

describe('leaked exports', () => {
  it('releases an export whose holder was collected and warns once per site', async () => {
    resetLeakReports();
    setExportTracing(true);
    const { warnings, stop } = collectLeakWarnings();
    const lock = new ExportLock();
    const data = new Uint8Array(64);
    const exporter = {
      [getbuffer]: (flags: number) => exportBuffer(exporter, { buffer: data.buffer, byteOffset: 0, shape: [64] }, flags, lock),
      [releasebuffer]: () => lock.release(),
    };
    const leakHere = (): void => {
      getBuffer(exporter);
    };
    for (let i = 0; i < 5; i++) leakHere();
    expect(lock.exports).toBe(5);
    await settleGarbage();
    stop();
    setExportTracing(false);
    expect(lock.exports).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('leakHere');
  });
  it('never releases an export that is still held', async () => {
    const lock = new ExportLock();
    const data = new Uint8Array(8);
    const exporter = {
      [getbuffer]: (flags: number) => exportBuffer(exporter, { buffer: data.buffer, byteOffset: 0, shape: [8] }, flags, lock),
      [releasebuffer]: () => lock.release(),
    };
    const held = getBuffer(exporter);
    await settleGarbage();
    expect(lock.exports).toBe(1);
    releaseBuffer(held);
    expect(lock.exports).toBe(0);
  });
});
