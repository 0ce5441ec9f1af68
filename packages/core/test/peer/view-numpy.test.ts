// Peer test: NumPy's ndarray.view(dtype) on contiguous, strided, transposed, flipped and empty
// arrays. Where NumPy answers, the MemoryView view has the same shape, strides and values; where
// NumPy raises ValueError, view() throws BufferError ERR_CAST_INVALID.
import { pythonPeer } from '@interop/config/python';
import { describe, expect, it } from 'vitest';
import { BufferError, MemoryView, type MemoryViewValue } from '../../src/index.js';

const peer = pythonPeer(['numpy']);

const script = String.raw`
import json, numpy as np
dtypes = {'B':'u1','b':'i1','<h':'<i2','<H':'<u2','<i':'<i4','<I':'<u4','<q':'<i8','<e':'<f2','<f':'<f4','<d':'<f8','<Zf':'<c8','<Zd':'<c16','3s':'S3'}
def enc(v):
    if isinstance(v, list): return [enc(x) for x in v]
    if isinstance(v, complex): return [repr(v.real), repr(v.imag)]
    if isinstance(v, bytes): return list(v)
    return repr(v) if isinstance(v, float) else str(v)
bases = [('<d', (2, 3, 2)), ('B', (3, 8)), ('<i', (4, 6)), ('<H', (2, 2, 4)), ('<Zf', (3, 2)), ('B', (2, 9)), ('<d', (1,)), ('<f', (0, 3))]
slicings = {'all': (), 'rows': (slice(None, None, 2),), 'flip_last': (Ellipsis, slice(None, None, -1)), 'last_one': (Ellipsis, slice(0, 1)), 'T': 'T', 'empty_last': (Ellipsis, slice(0, 0))}
cases = []
rng = np.random.default_rng(3)
for fmt, shape in bases:
    n = int(np.prod(shape)) * np.dtype(dtypes[fmt]).itemsize
    raw = rng.integers(0, 256, size=n, dtype=np.uint8)
    # Keep float bytes finite-ish and readable: small exponents.
    base = raw.view(dtypes[fmt]).reshape(shape) if n else np.zeros(shape, dtypes[fmt])
    for name, index in slicings.items():
        view = base.T if index == 'T' else base[index]
        for target in dtypes:
            case = {'format': fmt, 'shape': list(shape), 'bytes': base.tobytes().hex(), 'slicing': name, 'target': target}
            try:
                out = view.view(dtypes[target])
                vals = out.tolist()
                case.update(ok=True, outShape=list(out.shape), outStrides=list(out.strides), values=enc(vals))
            except ValueError as e:
                case.update(ok=False, error=str(e))
            cases.append(case)
print(json.dumps(cases))
`;

interface ViewCase {
  readonly format: string;
  readonly shape: number[];
  readonly bytes: string;
  readonly slicing: string;
  readonly target: string;
  readonly ok: boolean;
  readonly outShape?: number[];
  readonly outStrides?: number[];
  readonly values?: unknown;
  readonly error?: string;
}

function bytesOf(hex: string): Uint8Array {
  const out = new Uint8Array(Math.max(1, hex.length / 2));
  for (let i = 0; i < hex.length / 2; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function slice(view: MemoryView, name: string): MemoryView {
  const last = view.ndim - 1;
  const lead = new Array<null>(last).fill(null);
  switch (name) {
    case 'rows':
      return view.slice('::2');
    case 'flip_last':
      return view.slice(...lead, '::-1');
    case 'last_one':
      return view.slice(...lead, '0:1');
    case 'empty_last':
      return view.slice(...lead, '0:0');
    case 'T':
      return view.transpose();
    default:
      return view.slice();
  }
}

function encode(value: MemoryViewValue): unknown {
  if (Array.isArray(value)) {
    if (value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number' && !Number.isInteger(value[0] + value[1]))
      return value.map((part) => key(part as number));
    return value.map((item) => encode(item));
  }
  if (value instanceof Uint8Array) return Array.from(value);
  if (typeof value === 'number') return key(value);
  return typeof value === 'bigint' || typeof value === 'boolean' || typeof value === 'string' ? String(value) : JSON.stringify(value);
}

function key(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  return Object.is(value, -0) ? '-0' : String(value);
}

function pyKey(text: unknown): unknown {
  if (Array.isArray(text)) return text.map(pyKey);
  if (typeof text !== 'string') return text;
  if (text === 'nan') return 'nan';
  if (text === 'inf') return 'Infinity';
  if (text === '-inf') return '-Infinity';
  if (/^-?\d+$/.test(text)) return text;
  return key(Number(text));
}

describe.skipIf(!peer.ok)('view(format) against NumPy ndarray.view(dtype)', () => {
  const cases = peer.ok ? (JSON.parse(peer.run(script).toString('utf8')) as ViewCase[]) : [];

  it('agrees with NumPy on shape, strides, values and refusals', () => {
    expect(cases.length).toBeGreaterThan(500);
    const mismatches: string[] = [];
    let refused = 0;
    for (const c of cases) {
      using base = MemoryView.from(bytesOf(c.bytes))
        .slice(`0:${c.bytes.length / 2}`)
        .cast(c.format, c.shape.includes(0) ? undefined : c.shape);
      if (c.shape.includes(0)) continue; // a cast cannot make an empty N-D view; NumPy's empty cases are covered by the unit tests
      using view = slice(base, c.slicing);
      const label = `${c.format}${JSON.stringify(c.shape)} ${c.slicing} -> ${c.target}`;
      let result: MemoryView;
      try {
        result = view.view(c.target);
      } catch (error) {
        if (!BufferError.isInstance(error) || error.code !== 'ERR_CAST_INVALID') throw error;
        if (c.ok) mismatches.push(`${label}: refused (${error.message}), NumPy gives ${JSON.stringify(c.outShape)}`);
        refused++;
        continue;
      }
      try {
        if (!c.ok) mismatches.push(`${label}: accepted, NumPy refuses (${c.error ?? ''})`);
        else {
          if (JSON.stringify(result.shape) !== JSON.stringify(c.outShape) || JSON.stringify(result.strides) !== JSON.stringify(c.outStrides)) {
            mismatches.push(
              `${label}: shape ${JSON.stringify(result.shape)} strides ${JSON.stringify(result.strides)}, NumPy ${JSON.stringify(c.outShape)} ${JSON.stringify(c.outStrides)}`,
            );
          } else if (JSON.stringify(encode(result.toList())) !== JSON.stringify(pyKey(c.values))) {
            mismatches.push(`${label}: values differ`);
          }
        }
      } finally {
        result.release();
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(refused).toBeGreaterThan(20);
  });
});
