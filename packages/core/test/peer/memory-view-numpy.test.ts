// Peer test: NumPy builds arrays of every numeric dtype in both byte orders, takes random strided
// slicings (steps, negative steps, transposes), and writes the raw bytes of the base array with
// the view's layout and its tolist(). The same layout viewed through MemoryView must give the
// same values.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonPeer } from '@interop/config/python';
import { afterAll, describe, expect, it } from 'vitest';
import { exportBuffer, getbuffer, MemoryView, releasebuffer, type BufferInfo, type MemoryViewValue } from '../../src/index.js';

const peer = pythonPeer(['numpy']);

const script = String.raw`
import json, sys, numpy as np
out, seed = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(seed)
codes = {'i1':'b','u1':'B','b1':'?','i2':'h','u2':'H','i4':'i','u4':'I','i8':'q','u8':'Q','f2':'e','f4':'f','f8':'d','c8':'Zf','c16':'Zd'}
def enc(v):
    if isinstance(v, list): return [enc(x) for x in v]
    if isinstance(v, bool): return v
    if isinstance(v, complex): return [repr(v.real), repr(v.imag)]
    return repr(v)
cases = []
n = 0
for name, code in codes.items():
    for order in '<>':
        if name in ('i1','u1','b1') and order == '>': continue
        dtype = np.dtype(order + name)
        for trial in range(6):
            ndim = int(rng.integers(1, 4))
            shape = tuple(int(x) for x in rng.integers(1, 7, size=ndim))
            count = int(np.prod(shape))
            raw = rng.integers(0, 256, size=count * dtype.itemsize, dtype=np.uint8).tobytes()
            base = np.frombuffer(raw, dtype=dtype).reshape(shape)
            index = []
            for d in shape:
                step = int(rng.choice([-3, -2, -1, 1, 1, 2, 3]))
                start = int(rng.integers(-d, d)) if rng.random() < 0.5 else None
                stop = int(rng.integers(-d - 1, d + 1)) if rng.random() < 0.5 else None
                index.append(slice(start, stop, step))
            view = base[tuple(index)]
            if rng.random() < 0.5:
                view = view.transpose(tuple(int(x) for x in rng.permutation(ndim)))
            offset = view.__array_interface__['data'][0] - base.__array_interface__['data'][0]
            name_out = f'{out}/case{n}.bin'
            with open(name_out, 'wb') as f: f.write(raw)
            cases.append({'file': name_out, 'dtype': dtype.str, 'format': order + code, 'offset': offset,
                          'shape': list(view.shape), 'strides': list(view.strides), 'values': enc(view.tolist())})
            n += 1
print(json.dumps(cases))
`;

interface PeerCase {
  readonly file: string;
  readonly dtype: string;
  readonly format: string;
  readonly offset: number;
  readonly shape: number[];
  readonly strides: number[];
  readonly values: unknown;
}

/** An exporter of one raw block with an arbitrary strided layout (as NumPy described it). */
class RawLayout {
  constructor(
    readonly bytes: Uint8Array,
    readonly peerCase: PeerCase,
  ) {}
  [getbuffer](flags: number): BufferInfo {
    const { offset, format, shape, strides } = this.peerCase;
    return exportBuffer(this, { buffer: this.bytes.buffer, byteOffset: this.bytes.byteOffset + offset, format, shape, strides }, flags);
  }
  [releasebuffer](): void {}
}

/** Decodes NumPy's repr-encoded tolist() for comparison with MemoryView values. */
function decode(value: unknown, format: string): unknown {
  const complex = format.endsWith('Zf') || format.endsWith('Zd');
  if (Array.isArray(value) && complex && typeof value[0] === 'string') return [pyFloat(value[0]), pyFloat(value[1] as string)];
  if (Array.isArray(value)) return value.map((v) => decode(v, format));
  if (typeof value === 'boolean') return value;
  const text = value as string;
  if (/[qQ]$/.test(format)) return BigInt(text);
  return pyFloat(text);
}

function pyFloat(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

function sameValues(actual: MemoryViewValue, expected: unknown): boolean {
  if (Array.isArray(actual)) return Array.isArray(expected) && actual.length === expected.length && actual.every((v, i) => sameValues(v, expected[i]));
  return Object.is(actual, expected) || (typeof actual === 'number' && typeof expected === 'number' && Number.isNaN(actual) && Number.isNaN(expected));
}

const directory = mkdtempSync(join(tmpdir(), 'interop-mv-peer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe.skipIf(!peer.ok)(`peer: numpy strided views${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  it('MemoryView over the layouts NumPy reports gives NumPy tolist() for every numeric dtype and byte order', () => {
    if (!peer.ok) return;
    const cases = JSON.parse(peer.run(script, [directory, '20261121']).toString('utf8')) as PeerCase[];
    expect(cases.length).toBeGreaterThanOrEqual(23 * 6);
    const dtypes = new Set(cases.map((c) => c.dtype));
    expect(dtypes.size).toBe(25);
    for (const peerCase of cases) {
      const bytes = new Uint8Array(readFileSync(peerCase.file));
      using view = MemoryView.from(new RawLayout(bytes, peerCase));
      expect(view.shape).toEqual(peerCase.shape);
      const expected = decode(peerCase.values, peerCase.format);
      const actual = view.toList();
      if (!sameValues(actual, expected))
        expect.fail(
          `${peerCase.dtype} shape ${JSON.stringify(peerCase.shape)} strides ${JSON.stringify(peerCase.strides)}: ${JSON.stringify(actual, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))} != ${JSON.stringify(peerCase.values)}`,
        );
      // The copy engine agrees as well: a C-ordered, native-order copy has the same values.
      using copy = MemoryView.copy(view, { format: peerCase.format.replace('>', '<') });
      if (!sameValues(copy.toList(), expected)) expect.fail(`copy of ${peerCase.dtype} differs`);
    }
  });
});
