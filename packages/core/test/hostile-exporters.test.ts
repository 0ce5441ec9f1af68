// Consumer validation against hostile exporters (issue 16, findings 1, 2 and 6): every bit of the
// request is enforced, the answer is snapshotted once, null answers and Proxy buffers are typed
// errors, and a throwing releasebuffer never replaces the validation error.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BufferError, BufferFlags, getBuffer, getbuffer, InteropError, MemoryView, releaseBuffer, releasebuffer, type BufferInfo } from '@interop/core';
import {
  allRequestFlags,
  describeHostileConsumer,
  exporterFloat64Values,
  hostileCases,
  readFloat64Values,
  runHostileCase,
  type HostileCase,
  type HostileLayout,
  expectErrorCode,
} from '@interop/core/testing';
import { describe, expect, it } from 'vitest';

/** An exporter answering `answer(flags)` as is, counting exports and releases. */
function raw(answer: (flags: number, self: object) => unknown, onRelease: () => void = () => {}): { exports: number; releases: number } & object {
  const exporter = {
    exports: 0,
    releases: 0,
    [getbuffer](flags: number): BufferInfo {
      exporter.exports++;
      return answer(flags, exporter) as BufferInfo;
    },
    [releasebuffer](): void {
      exporter.releases++;
      onRelease();
    },
  };
  return exporter;
}

/** PEP 3118's reference rule: does a valid layout satisfy `flags` (independently of core)? */
function conforms(layout: HostileLayout, answeredStrides: boolean, indirect: boolean, flags: number): boolean {
  if ((flags & BufferFlags.WRITABLE) !== 0 && layout.readonly) return false;
  if (indirect && (flags & BufferFlags.INDIRECT) !== BufferFlags.INDIRECT) return false;
  if (!indirect) {
    // The flags cases answer shape, strides and format whatever was asked.
    if ((flags & BufferFlags.ND) === 0 || (flags & BufferFlags.FORMAT) === 0) return false;
    if (answeredStrides && (flags & BufferFlags.STRIDES) !== BufferFlags.STRIDES) return false;
  } else if ((flags & BufferFlags.FORMAT) === 0) {
    return false;
  }
  const strides = layout.strides ?? cOrder(layout.shape);
  const c = !indirect && strides.every((stride, k) => layout.shape[k] === 1 || stride === cOrder(layout.shape)[k]);
  const f = !indirect && strides.every((stride, k) => layout.shape[k] === 1 || stride === fOrder(layout.shape)[k]);
  if ((flags & 0x20) !== 0 && !c) return false;
  if ((flags & 0x40) !== 0 && !f) return false;
  if ((flags & 0x80) !== 0 && !c && !f) return false;
  return true;
}

function cOrder(shape: readonly number[]): number[] {
  const out: number[] = [];
  let step = 8;
  for (let k = shape.length - 1; k >= 0; k--) {
    out[k] = step;
    step *= shape[k]!;
  }
  return out;
}

function fOrder(shape: readonly number[]): number[] {
  const out: number[] = [];
  let step = 8;
  for (let k = 0; k < shape.length; k++) {
    out[k] = step;
    step *= shape[k]!;
  }
  return out;
}

describe('getBuffer against the hostile-exporter matrix', () => {
  for (const shape of [[16], [4, 4]]) {
    for (const flags of allRequestFlags()) {
      it(`shape [${shape.join(', ')}], flags ${flags}: typed refusals or exact values, exports balanced; non-conforming answers refused`, () => {
        const violations: string[] = [];
        for (const hostile of hostileCases({ shape })) {
          const { violation, error } = runHostileCase(hostile, {
            consume: (exporter) => getBuffer(exporter, flags),
            values: (info) => readFloat64Values(info),
            dispose: (info) => releaseBuffer(info),
          });
          if (violation !== null) violations.push(`${hostile.name}: ${violation}`);
          if (hostile.family === 'flags' && hostile.layout !== null) {
            const indirect = hostile.name.includes('indirect');
            const expectRefusal = !conforms(hostile.layout, true, indirect, flags);
            if (expectRefusal !== (error !== undefined))
              violations.push(
                `${hostile.name}: ${expectRefusal ? 'accepted a non-conforming answer' : `refused a conforming answer (${String((error as Error)?.message)})`}`,
              );
          }
        }
        expect(violations).toEqual([]);
      });
    }
  }
});

describeHostileConsumer('MemoryView.from', {
  consume: (exporter) => MemoryView.from(exporter),
  values: (view) => Array.from(view.copyToTypedArray() as Float64Array),
  dispose: (view) => view.release(),
});

describeHostileConsumer(
  'MemoryView.copy (2-D)',
  {
    consume: (exporter) => MemoryView.copy(exporter),
    values: (view) => Array.from(view.copyToTypedArray() as Float64Array),
    dispose: (view) => view.release(),
  },
  { shape: [4, 4] },
);

describe('consumer validation: every bit of the request (finding 1)', () => {
  const data = new ArrayBuffer(32);
  const answer =
    (patch: Partial<BufferInfo>) =>
    (flags: number, self: object): BufferInfo => ({
      obj: self,
      buffer: data,
      byteOffset: 0,
      byteLength: 32,
      readonly: false,
      itemsize: 8,
      format: (flags & BufferFlags.FORMAT) !== 0 ? 'd' : null,
      ndim: 1,
      shape: [4],
      strides: [8],
      suboffsets: null,
      ...patch,
    });

  it('refuses a C_CONTIGUOUS request answered with negative strides (the fillFloat64 crash), and releases the export', () => {
    const exporter = raw(answer({ byteOffset: 24, strides: [-8] }));
    expectErrorCode(() => getBuffer(exporter, BufferFlags.C_CONTIGUOUS | BufferFlags.FORMAT | BufferFlags.WRITABLE), 'ERR_BUFFER_INVALID_LAYOUT', {
      family: BufferError,
    });
    expect([exporter.exports, exporter.releases]).toEqual([1, 1]);
  });

  it('refuses Fortran and transposed layouts for C_CONTIGUOUS, and C layouts for F_CONTIGUOUS', () => {
    const fortran = raw(answer({ ndim: 2, shape: [2, 2], strides: [8, 16] }));
    expectErrorCode(() => getBuffer(fortran, BufferFlags.C_CONTIGUOUS), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    const c = raw(answer({ ndim: 2, shape: [2, 2], strides: [16, 8] }));
    expectErrorCode(() => getBuffer(c, BufferFlags.F_CONTIGUOUS), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    const gaps = raw(answer({ ndim: 1, shape: [2], strides: [16], byteLength: 16 }));
    expectErrorCode(() => getBuffer(gaps, BufferFlags.ANY_CONTIGUOUS), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    releaseBuffer(getBuffer(raw(answer({ ndim: 2, shape: [2, 2], strides: [8, 16] })), BufferFlags.F_CONTIGUOUS));
    releaseBuffer(getBuffer(raw(answer({ ndim: 2, shape: [2, 2], strides: [8, 16] })), BufferFlags.ANY_CONTIGUOUS));
  });

  it('refuses a shape without ND, strides without STRIDES, a format without FORMAT, suboffsets without INDIRECT and read-only memory for WRITABLE', () => {
    expectErrorCode(() => getBuffer(raw(answer({ strides: null })), BufferFlags.SIMPLE), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    expectErrorCode(() => getBuffer(raw(answer({})), BufferFlags.ND), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    expectErrorCode(() => getBuffer(raw(answer({ strides: null, format: 'd' })), BufferFlags.ND), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    expectErrorCode(() => getBuffer(raw(answer({ readonly: true })), BufferFlags.STRIDED), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
    const segments = [0, 1, 2, 3].map((i) => ({ buffer: data, byteOffset: i * 8, byteLength: 8 }));
    expectErrorCode(() => getBuffer(raw(answer({ suboffsets: [0], strides: [0], segments })), BufferFlags.STRIDED_RO), 'ERR_BUFFER_INVALID_LAYOUT', {
      family: BufferError,
    });
    releaseBuffer(getBuffer(raw(answer({ suboffsets: [0], strides: [0], segments })), BufferFlags.FULL_RO));
  });
});

describe('snapshot of the answer (finding 2)', () => {
  it('uses the first reading of a byteOffset getter that flips from 0 to 56', () => {
    const memory = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]);
    let reads = 0;
    const exporter = raw((_flags, self) => ({
      obj: self,
      buffer: memory.buffer,
      get byteOffset() {
        return reads++ === 0 ? 0 : 56;
      },
      byteLength: 64,
      readonly: false,
      itemsize: 8,
      format: 'd',
      ndim: 1,
      shape: [8],
      strides: [8],
      suboffsets: null,
    }));
    const info = getBuffer(exporter, BufferFlags.RECORDS_RO);
    expect(readFloat64Values(info)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(info.byteOffset).toBe(0);
    expect(Object.isFrozen(info.shape)).toBe(true);
    releaseBuffer(info);
    expect(reads).toBe(1);
  });

  it('copies the layout arrays: the exporter mutating its own arrays later changes nothing', () => {
    const shape = [8];
    const strides = [8];
    const exporter = raw((_flags, self) => ({
      obj: self,
      buffer: new ArrayBuffer(64),
      byteOffset: 0,
      byteLength: 64,
      readonly: false,
      itemsize: 8,
      format: 'd',
      ndim: 1,
      shape,
      strides,
      suboffsets: null,
    }));
    const info = getBuffer(exporter, BufferFlags.RECORDS_RO);
    shape[0] = 1e6;
    strides[0] = -8;
    expect([info.shape, info.strides]).toEqual([[8], [8]]);
    releaseBuffer(info);
  });

  it('gives typed errors for null and undefined answers and for a Proxy buffer, and releases', () => {
    for (const value of [null, undefined, 5, 'info']) {
      const exporter = raw(() => value);
      expectErrorCode(() => getBuffer(exporter), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
      expect(exporter.releases).toBe(1);
    }
    const proxied = raw((_flags, self) => ({
      obj: self,
      buffer: new Proxy(new ArrayBuffer(8), {}),
      byteOffset: 0,
      byteLength: 8,
      readonly: false,
      itemsize: 1,
      format: 'B',
      ndim: 1,
      shape: [8],
      strides: [1],
      suboffsets: null,
    }));
    expectErrorCode(() => getBuffer(proxied), 'ERR_BUFFER_INVALID_LAYOUT', { family: BufferError });
  });
});

describe('a throwing releasebuffer (finding 6)', () => {
  it('keeps the validation error primary and attaches the release failure as releaseError', () => {
    const failure = new Error('release exploded');
    const exporter = raw(
      (_flags, self) => ({
        obj: self,
        buffer: new ArrayBuffer(8),
        byteOffset: 16,
        byteLength: 8,
        readonly: false,
        itemsize: 1,
        format: 'B',
        ndim: 1,
        shape: [8],
        strides: [1],
        suboffsets: null,
      }),
      () => {
        throw failure;
      },
    );
    const caught = expectErrorCode(() => getBuffer(exporter), 'ERR_BUFFER_OUT_OF_BOUNDS', { family: BufferError });
    expect((caught as { releaseError?: unknown }).releaseError).toBe(failure);
  });

  it('wraps a plain error thrown by an explicit release in ERR_BUFFER_RELEASE_FAILED, with the cause', () => {
    const failure = new TypeError('nope');
    const exporter = raw(
      (_flags, self) => ({
        obj: self,
        buffer: new ArrayBuffer(8),
        byteOffset: 0,
        byteLength: 8,
        readonly: false,
        itemsize: 1,
        format: 'B',
        ndim: 1,
        shape: [8],
        strides: [1],
        suboffsets: null,
      }),
      () => {
        throw failure;
      },
    );
    const info = getBuffer(exporter);
    expect(expectErrorCode(() => releaseBuffer(info), 'ERR_BUFFER_RELEASE_FAILED', { family: BufferError }).cause).toBe(failure);
    expectErrorCode(() => releaseBuffer(info), 'ERR_BUFFER_RELEASED', { family: BufferError });
  });

  it('does not end the process when a leaked export of such an exporter is collected: it warns', () => {
    const script = fileURLToPath(new URL('./fixtures/leak-throwing-release.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--expose-gc', '--conditions=@interop/source', '--import', 'tsx', script], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain('INTEROP_RELEASE_FAILED');
    expect(lines).toContain('INTEROP_LEAKED_EXPORT');
    expect(lines.at(-1)).toBe('alive');
  });
});

describe('hostile matrix sanity', () => {
  it('has cases of every family, and refuses-only cases have no values', () => {
    const cases: HostileCase[] = hostileCases();
    for (const family of ['field', 'getter', 'proxy', 'flags', 'null', 'release']) expect(cases.some((c) => c.family === family)).toBe(true);
    for (const c of cases) if (c.layout === null) expect(c.values).toBeNull();
    expect(cases.length).toBeGreaterThan(50);
  });
});

describe('exporterFloat64Values', () => {
  it("reads an exporter's float64 values in logical C order and releases its export", () => {
    using view = MemoryView.from(new Float64Array([1, 2, 3, 4, 5, 6]))
      .cast('B')
      .cast('d', [2, 3]);
    using transposed = view.transpose();
    expect(exporterFloat64Values(transposed)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(exporterFloat64Values(new Float64Array([0.5, -0]))).toEqual([0.5, -0]);
  });

  it('fails the test, rather than throwing a typed error a hostile case would accept, when the result is not float64', () => {
    expect(() => exporterFloat64Values(new Float32Array([1, 2]))).toThrow(/not float64/);
    let typed = false;
    try {
      exporterFloat64Values(new Int32Array(2));
    } catch (error) {
      typed = InteropError.isInstance(error);
    }
    expect(typed).toBe(false);
  });
});
