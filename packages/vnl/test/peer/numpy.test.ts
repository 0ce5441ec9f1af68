// Compares the algebra with NumPy on random matrices: float64 and complex128 within 1e-12 relative
// to the largest magnitude of each result (normwise; summation order differs from BLAS), integer
// results exactly, including wrap-around (NumPy's fixed-width integer arithmetic wraps like vnl's).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonPeer } from '@interop/config/python';
import { afterAll, describe, expect, it } from 'vitest';
import { VnlMatrix, VnlVector, type VnlElementType } from '../../src/index.js';

const peer = pythonPeer(['numpy']);
const directory = mkdtempSync(join(tmpdir(), 'vnl-peer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const dtypes: Partial<Record<VnlElementType, string>> = {
  float64: '<f8',
  complex128: '<c16',
  int32: '<i4',
  int64: '<i8',
  uint8: '|u1',
  int16: '<i2',
  uint32: '<u4',
};

/** A small deterministic generator (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fillRandom(type: VnlElementType, data: VnlVector['data'], next: () => number): void {
  // Integers span their whole range so products and sums overflow and must wrap like NumPy's.
  for (let i = 0; i < data.length; i++) {
    if (data instanceof BigInt64Array) data[i] = BigInt.asIntN(64, (BigInt(Math.floor(next() * 2 ** 32)) << 32n) | BigInt(Math.floor(next() * 2 ** 32)));
    else if (type === 'float64' || type === 'complex128') (data as Float64Array)[i] = next() * 2 - 1;
    else (data as Int32Array)[i] = Math.floor(next() * 2 ** 32);
  }
}

interface Operands {
  a: VnlMatrix;
  a2: VnlMatrix;
  b: VnlMatrix;
  x: VnlVector;
  x2: VnlVector;
  y: VnlVector;
  factor: number | bigint | readonly [number, number];
}

function operands(type: VnlElementType, n: number, m: number, p: number, seed: number): Operands {
  const next = random(seed);
  const matrix = (r: number, c: number): VnlMatrix => {
    const out = new VnlMatrix(type, r, c);
    fillRandom(type, out.data, next);
    return out;
  };
  const vector = (size: number): VnlVector => {
    const out = new VnlVector(type, size);
    fillRandom(type, out.data, next);
    return out;
  };
  const factor = type === 'float64' ? 2.5 : type === 'complex128' ? ([0.5, -1.5] as const) : type === 'int64' ? 3n : 3;
  return { a: matrix(n, m), a2: matrix(n, m), b: matrix(m, p), x: vector(m), x2: vector(m), y: vector(n), factor };
}

const script = `
import json, os, sys
import numpy as np
def encode(v):
    v = v.item()
    if isinstance(v, complex): return [v.real, v.imag]
    if isinstance(v, int): return str(v)
    return v
answers = []
for d in sys.argv[1:]:
  meta = json.load(open(os.path.join(d, 'meta.json')))
  dt = np.dtype(meta['dtype'])
  n, m, p = meta['n'], meta['m'], meta['p']
  def load(name, shape):
      return np.fromfile(os.path.join(d, name + '.bin'), dtype=dt).reshape(shape)
  A, A2, B = load('a', (n, m)), load('a2', (n, m)), load('b', (m, p))
  x, x2, y = load('x', (m,)), load('x2', (m,)), load('y', (n,))
  f = meta['factor']
  factor = dt.type(complex(f[0], f[1]) if isinstance(f, list) else int(f) if dt.kind in 'iu' else f)
  with np.errstate(over='ignore'):
      arrays = {'product': A @ B, 'matvec': A @ x, 'transpose': A.T, 'add': A + A2, 'subtract': A - A2, 'scale': A * factor, 'outer': np.outer(x, y)}
      scalars = {'dot': np.dot(x, x2), 'sum': np.sum(A, dtype=dt), 'vsum': np.sum(x, dtype=dt)}
      floats = {
          'mean': np.mean(A), 'vmean': np.mean(x),
          'one': np.linalg.norm(x, 1), 'two': np.linalg.norm(x.astype(np.complex128 if dt.kind == 'c' else np.float64)), 'inf': np.linalg.norm(x, np.inf),
          'op1': np.linalg.norm(A, 1), 'opinf': np.linalg.norm(A, np.inf), 'fro': np.linalg.norm(A, 'fro'),
      }
      if dt.kind != 'c':
          scalars.update({'min': A.min(), 'max': A.max(), 'vmin': x.min(), 'vmax': x.max()})
  for name, value in arrays.items():
      np.ascontiguousarray(value, dtype=dt).tofile(os.path.join(d, name + '.out'))
  answers.append({'scalars': {k: encode(v) for k, v in scalars.items()}, 'floats': {k: encode(v) for k, v in floats.items()}})
print(json.dumps(answers))
`;

function rawBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst, `${label}: max |difference| ${worst} vs scale ${scale}`).toBeLessThanOrEqual(1e-12 * scale);
}

function compareArray(type: VnlElementType, actual: ArrayBufferView, file: string, label: string): void {
  const bytes = readFileSync(file);
  if (type === 'float64' || type === 'complex128') {
    const expected = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expectClose(actual as Float64Array, expected, label);
  } else {
    // Integers: byte-for-byte identical.
    expect(Buffer.from(rawBytes(actual)).equals(bytes), label).toBe(true);
  }
}

function scalarOf(type: VnlElementType, value: unknown): number | bigint | readonly [number, number] {
  if (type === 'int64') return BigInt(value as string);
  if (typeof value === 'string') return Number(value);
  return value as number | readonly [number, number];
}

function relativeClose(actual: number, expected: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(expected), Number.MIN_VALUE));
}

interface Case {
  readonly type: VnlElementType;
  readonly label: string;
  readonly dir: string;
  readonly ops: Operands;
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [7, 5, 3],
  [33, 64, 17],
  [48, 48, 48],
];

const cases: Case[] = [];
for (const type of Object.keys(dtypes) as VnlElementType[]) {
  shapes.forEach(([n, m, p], index) => {
    const dir = mkdtempSync(join(directory, `${type}-${index}-`));
    const ops = operands(type, n, m, p, 1000 * index + type.length);
    for (const [name, value] of Object.entries(ops)) if (name !== 'factor') writeFileSync(join(dir, `${name}.bin`), rawBytes((value as VnlMatrix).data));
    writeFileSync(
      join(dir, 'meta.json'),
      JSON.stringify({ dtype: dtypes[type], n, m, p, factor: typeof ops.factor === 'bigint' ? String(ops.factor) : ops.factor }),
    );
    cases.push({ type, label: `${type} ${n}x${m}x${p}`, dir, ops });
  });
}

type Answer = { scalars: Record<string, unknown>; floats: Record<string, number | [number, number]> };
let answers: Answer[] | undefined;
/** NumPy's answers for every case, computed by one Python process (importing NumPy once). */
function numpyAnswers(): Answer[] {
  if (!peer.ok) throw new Error('no peer');
  answers ??= JSON.parse(
    peer
      .run(
        script,
        cases.map((c) => c.dir),
      )
      .toString('utf8'),
  ) as Answer[];
  return answers;
}

describe.skipIf(!peer.ok)(`peer: numpy${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  for (const type of Object.keys(dtypes) as VnlElementType[]) {
    it(`matches NumPy for ${type} algebra on random matrices`, () => {
      if (!peer.ok) return;
      const all = numpyAnswers();
      cases.forEach((testCase, index) => {
        if (testCase.type !== type) return;
        const { label, dir, ops } = testCase;
        const answer = all[index]!;
        const { a, a2, b, x, x2, y, factor } = ops;
        compareArray(type, a.multiply(b).data, join(dir, 'product.out'), `${label} A @ B`);
        compareArray(type, a.multiply(x).data, join(dir, 'matvec.out'), `${label} A @ x`);
        compareArray(type, a.transpose().data, join(dir, 'transpose.out'), `${label} A.T`);
        compareArray(type, a.add(a2).data, join(dir, 'add.out'), `${label} A + A2`);
        compareArray(type, a.subtract(a2).data, join(dir, 'subtract.out'), `${label} A - A2`);
        compareArray(type, a.scale(factor).data, join(dir, 'scale.out'), `${label} A * s`);
        compareArray(type, x.outer(y).data, join(dir, 'outer.out'), `${label} outer(x, y)`);

        const scalars = answer.scalars;
        const exactOrClose = (actual: unknown, expected: unknown, what: string): void => {
          const want = scalarOf(type, expected);
          if (Array.isArray(want)) {
            const got = actual as readonly [number, number];
            const scale = Math.max(Math.hypot(want[0], want[1]), Number.MIN_VALUE);
            expect(Math.hypot(got[0] - want[0], got[1] - want[1]), `${label} ${what}`).toBeLessThanOrEqual(1e-12 * scale);
          } else if (type === 'float64') relativeClose(actual as number, want as number, `${label} ${what}`);
          else expect(actual, `${label} ${what}`).toBe(want);
        };
        exactOrClose(x.dot(x2), scalars.dot, 'dot');
        exactOrClose(a.sum(), scalars.sum, 'sum');
        exactOrClose(x.sum(), scalars.vsum, 'vector sum');
        if (type !== 'complex128') {
          exactOrClose(a.min(), scalars.min, 'min');
          exactOrClose(a.max(), scalars.max, 'max');
          exactOrClose(x.min(), scalars.vmin, 'vector min');
          exactOrClose(x.max(), scalars.vmax, 'vector max');
        }
        const floats = answer.floats;
        const meanClose = (actual: number | readonly [number, number], expected: unknown, what: string): void => {
          if (typeof actual === 'number') {
            relativeClose(actual, expected as number, `${label} ${what}`);
            return;
          }
          const want = expected as [number, number];
          expect(Math.hypot(actual[0] - want[0], actual[1] - want[1]), `${label} ${what}`).toBeLessThanOrEqual(1e-12 * Math.hypot(want[0], want[1]));
        };
        meanClose(a.mean(), floats.mean, 'mean');
        meanClose(x.mean(), floats.vmean, 'vector mean');
        relativeClose(x.oneNorm(), floats.one as number, `${label} one norm`);
        relativeClose(x.twoNorm(), floats.two as number, `${label} two norm`);
        relativeClose(x.infNorm(), floats.inf as number, `${label} inf norm`);
        relativeClose(a.operatorOneNorm(), floats.op1 as number, `${label} operator one norm`);
        relativeClose(a.operatorInfNorm(), floats.opinf as number, `${label} operator inf norm`);
        relativeClose(a.frobeniusNorm(), floats.fro as number, `${label} Frobenius norm`);
      });
    });
  }
});
