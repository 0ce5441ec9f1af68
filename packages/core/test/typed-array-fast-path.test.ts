// The TypedArray fast paths of getBuffer and MemoryView.from answer without the general
// machinery (exportBuffer, validation, leak tracking). These tests pin that they answer exactly as
// the general path would, and that they step aside whenever the general path must decide.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  BufferFlags,
  exportBuffer,
  ExportLock,
  getBuffer,
  getbuffer,
  MemoryView,
  registerExporter,
  releaseBuffer,
  releasebuffer,
  resetLeakReports,
  setExportTracing,
  type BufferInfo,
} from '@interop/core';
import { expectBufferError } from '@interop/core/testing';
import { collectLeakWarnings, settleGarbage } from './helpers.js';

/** Every flag combination a consumer can send (the 28 of the conformance kit and then some). */
const allFlags = Array.from({ length: 0x200 }, (_, flags) => flags);

/** The same export through the general path: an adapter registered for the duration of `action`. */
function throughGeneralPath<T>(action: () => T): T {
  // A registered adapter that claims nothing still disables the fast paths.
  const unregister = registerExporter({
    name: 'test-claims-nothing',
    test: (_value): _value is never => false,
    getbuffer: () => {
      throw new Error('unreachable');
    },
  });
  try {
    return action();
  } finally {
    unregister();
  }
}

/** The facts of an info that a consumer can observe. */
function factsOf(info: BufferInfo): Record<string, unknown> {
  return {
    obj: info.obj,
    buffer: info.buffer,
    byteOffset: info.byteOffset,
    byteLength: info.byteLength,
    readonly: info.readonly,
    itemsize: info.itemsize,
    format: info.format,
    ndim: info.ndim,
    shape: info.shape === null ? null : [...info.shape],
    strides: info.strides === null ? null : [...info.strides],
    suboffsets: info.suboffsets,
  };
}

function outcome(action: () => BufferInfo): Record<string, unknown> {
  try {
    const info = action();
    const facts = factsOf(info);
    releaseBuffer(info);
    return facts;
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

describe('getBuffer fast path for TypedArrays', () => {
  const arrays = [
    new Float64Array(new ArrayBuffer(256), 8, 16),
    new Int8Array(3),
    new Uint8ClampedArray(5),
    new BigUint64Array(2),
    new Uint16Array(new SharedArrayBuffer(64), 2, 7),
    Buffer.from('bytes'),
  ];

  it('answers every flag combination exactly as the general path does', () => {
    for (const array of arrays) {
      for (const flags of allFlags) {
        const fast = outcome(() => getBuffer(array, flags));
        const general = throughGeneralPath(() => outcome(() => getBuffer(array, flags)));
        expect(fast, `${array.constructor.name} flags 0x${flags.toString(16)}`).toEqual(general);
      }
    }
  });

  it("refuses malformed flags with the general path's typed error", () => {
    const array = new Float32Array(4);
    for (const flags of [-1, 0x200, 1.5, Number.NaN]) expectBufferError(() => getBuffer(array, flags), 'ERR_INVALID_ARGUMENT');
    expectBufferError(() => getBuffer(array, BufferFlags.FORMAT), 'ERR_BUFFER_FLAGS_UNSUPPORTED');
  });

  it('reports a detached TypedArray as detached, never as empty memory', () => {
    const array = new Float32Array(8);
    structuredClone(array.buffer, { transfer: [array.buffer] });
    expectBufferError(() => getBuffer(array), 'ERR_BUFFER_DETACHED');
    expectBufferError(() => MemoryView.from(array), 'ERR_BUFFER_DETACHED');
  });

  it('exports an empty TypedArray as shape [0]', () => {
    const info = getBuffer(new Float64Array(0));
    expect(info.shape).toEqual([0]);
    expect(info.byteLength).toBe(0);
    releaseBuffer(info);
  });

  it("answers with the engine's facts, whatever a subclass or an own property claims", () => {
    class Lying extends Float32Array {
      override get length(): number {
        return 1_000_000;
      }
      override get byteOffset(): number {
        return 4096;
      }
    }
    const lying = new Lying(4);
    Object.defineProperty(lying, 'buffer', { value: new ArrayBuffer(1 << 20) });
    const info = getBuffer(lying);
    expect(info.shape).toEqual([4]);
    expect(info.byteOffset).toBe(0);
    expect(info.byteLength).toBe(16);
    expect(info.buffer.byteLength).toBe(16);
    expect(info.format).toBe('f');
    releaseBuffer(info);
    using view = MemoryView.from(lying);
    expect(view.shape).toEqual([4]);
    view.set(3, 2.5);
    expect(Float32Array.prototype.at.call(lying, 3)).toBe(2.5);
  });

  it('works on TypedArrays of another realm', () => {
    const foreign = runInNewContext('new Int16Array([1, -2, 3])') as Int16Array;
    const info = getBuffer(foreign);
    expect(info.format).toBe('h');
    expect(info.itemsize).toBe(2);
    releaseBuffer(info);
    using view = MemoryView.from(foreign);
    expect(view.toList()).toEqual([1, -2, 3]);
  });

  it("gives the TypedArray's own buffer, even for small arrays V8 keeps inside the object", () => {
    const small = new Uint8Array([1, 2, 3]);
    const info = getBuffer(small, BufferFlags.FULL);
    expect(info.buffer).toBe(small.buffer);
    new Uint8Array(info.buffer, info.byteOffset, info.byteLength)[1] = 9;
    expect(small[1]).toBe(9);
    releaseBuffer(info);
    using view = MemoryView.from(new Float64Array([1, 2]), BufferFlags.FULL);
    view.set(0, 7);
    expect(view.toList()).toEqual([7, 2]);
  });

  it("shares frozen strides between exports, so no consumer can change another's layout", () => {
    const a = getBuffer(new Float64Array(4));
    const b = getBuffer(new Float64Array(9));
    expect(Object.isFrozen(a.strides)).toBe(true);
    expect(() => (a.strides as number[]).push(1)).toThrow(TypeError);
    expect(b.strides).toEqual([8]);
    releaseBuffer(a);
    releaseBuffer(b);
  });

  it('releases each export exactly once', () => {
    const info = getBuffer(new Int32Array(2));
    releaseBuffer(info);
    expectBufferError(() => releaseBuffer(info), 'ERR_BUFFER_RELEASED');
  });
});

describe('precedence over the fast paths', () => {
  it('lets a TypedArray subclass with its own hooks answer', () => {
    const lock = new ExportLock();
    class Hooked extends Float32Array {
      [getbuffer](flags: number): BufferInfo {
        return exportBuffer(this, { buffer: this.buffer, byteOffset: this.byteOffset, format: 'f', shape: [2, 2] }, flags, lock);
      }
      [releasebuffer](): void {
        lock.release();
      }
    }
    const hooked = new Hooked(4);
    const info = getBuffer(hooked);
    expect(info.shape).toEqual([2, 2]);
    expect(lock.exports).toBe(1);
    releaseBuffer(info);
    const view = MemoryView.from(hooked);
    expect(view.shape).toEqual([2, 2]);
    expect(lock.exports).toBe(1);
    view.release();
    expect(lock.exports).toBe(0);
  });

  it('lets a registered adapter claim TypedArrays first', () => {
    let exports = 0;
    const unregister = registerExporter({
      name: 'test-float32-as-matrix',
      test: (value): value is Float32Array => value instanceof Float32Array,
      getbuffer: (value, flags) => {
        exports++;
        return exportBuffer(value, { buffer: value.buffer, byteOffset: value.byteOffset, format: 'f', shape: [2, value.length / 2] }, flags);
      },
      releasebuffer: () => {
        exports--;
      },
    });
    try {
      const info = getBuffer(new Float32Array(6));
      expect(info.shape).toEqual([2, 3]);
      expect(exports).toBe(1);
      releaseBuffer(info);
      using view = MemoryView.from(new Float32Array(4));
      expect(view.shape).toEqual([2, 2]);
      expect(exports).toBe(1);
    } finally {
      unregister();
    }
    expect(exports).toBe(0);
  });

  it('gives MemoryView.from the same view through the fast and the general path, for every request', () => {
    const describeView = (array: ArrayBufferView, flags: number): Record<string, unknown> => {
      try {
        using view = MemoryView.from(array, flags);
        return {
          obj: view.obj,
          format: view.format,
          itemsize: view.itemsize,
          shape: view.shape,
          strides: view.strides,
          readonly: view.readonly,
          bytes: view.toBytes(),
          contiguous: view.cContiguous,
        };
      } catch (error) {
        return { error: (error as { code?: string }).code ?? String(error) };
      }
    };
    for (const array of [new Float64Array([1.5, -2]), new Uint8Array(new ArrayBuffer(8), 3, 4), new BigInt64Array([-1n])]) {
      for (const flags of allFlags) {
        expect(describeView(array, flags), `${array.constructor.name} flags 0x${flags.toString(16)}`).toEqual(
          throughGeneralPath(() => describeView(array, flags)),
        );
      }
    }
  });

  it('gives MemoryView.from the general layout for requests without FORMAT or ND', () => {
    using bytes = MemoryView.from(new Float64Array(2), BufferFlags.SIMPLE);
    expect(bytes.format).toBe('B');
    expect(bytes.shape).toEqual([16]);
    using untyped = MemoryView.from(new Float64Array(2), BufferFlags.ND);
    expect(untyped.format).toBe('8s');
    expect(untyped.shape).toEqual([2]);
  });
});

describe('leaks of TypedArray exports', () => {
  it('reports a leaked TypedArray export while call sites are traced', async () => {
    resetLeakReports();
    setExportTracing(true);
    const { warnings, stop } = collectLeakWarnings();
    const leakTypedArrayExport = (): void => {
      getBuffer(new Float32Array(8));
    };
    try {
      leakTypedArrayExport();
      await settleGarbage();
    } finally {
      stop();
      setExportTracing(false);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('leakTypedArrayExport');
  });

  it('does not watch TypedArray exports otherwise: there is no lock a leak could hold', async () => {
    resetLeakReports();
    const { warnings, stop } = collectLeakWarnings();
    try {
      getBuffer(new Float32Array(8));
      MemoryView.from(new Float32Array(8));
      await settleGarbage();
    } finally {
      stop();
    }
    expect(warnings).toHaveLength(0);
  });
});
