import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonPeer } from '@interop/config/python';
import { afterAll, describe, expect, it } from 'vitest';
import { NpyArray, readNpy, readNpz, writeNpy, writeNpz } from '../../src/index.js';

const peer = pythonPeer(['numpy']);
const dir = mkdtempSync(join(tmpdir(), 'interop-npy-peer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One array per dtype and layout; NaN payloads and signed zeros included.
const arrays = `
import numpy as np
nan_payload = np.array([0x7fc00001, 0xffc12345, 0x7f800001], dtype='<u4').view('<f4')
arrays = {
  'b1': np.array([True, False, True]),
  'f4_nan_payloads': nan_payload,
  'f8_nan_payload_be': np.array([0x7ff8000000000abc, 0xfff0000000000001], dtype='>u8').view('>f8'),
  'f2': np.array([0.5, -0.0, np.inf, np.nan, 65504], dtype='<f2'),
  'c8_be': np.array([1+2j, np.nan-1j], dtype='>c8'),
  'c16': np.array([[1+2j, -0.0+np.inf*1j]], dtype='<c16'),
  'S4': np.array([b'ab', b'\\x00\\xff', b'abcd'], dtype='S4'),
  'U3_be': np.array(['\\u00e9t\\u00e9', 'x', ''], dtype='>U3'),
  'V2': np.array([b'\\x01\\x02', b'\\x00\\x00'], dtype='V2'),
  'M8_ps': np.array([1, -1, np.iinfo('i8').min], dtype='<M8[ps]'),
  'm8_W_be': np.array([3, 4], dtype='>m8[W]'),
  'zero_d': np.array(np.uint64(2**64 - 1)),
  'empty': np.zeros((3, 0, 2), dtype='<i2'),
  'fortran': np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4)),
  'many_dims': np.arange(64, dtype='u1').reshape((2,) * 6 + (1,) * 26),
  'struct': np.array([(1, (2.5, b'x'), [[1, 2], [3, 4]])], dtype=[('a', '>i8'), ('n', [('f', '<f8'), ('s', 'S1')]), ('m', '<u2', (2, 2))]),
  'struct_aligned': np.zeros(3, dtype=np.dtype([('a', 'u1'), ('b', '<f8'), ('c', '<i4')], align=True)),
  'struct_titles_utf8': np.zeros(2, dtype=[(('title', 'x'), '<f4'), ('\\u00fc', '<M8[D]')]),
}
for code in ['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f4', 'f8']:
  for order in '<>':
    info = np.iinfo(code) if code[0] in 'iu' else np.finfo(code)
    arrays[code + order.replace('<', '_le').replace('>', '_be')] = np.array([info.min, info.max, 0, 1], dtype=order + code)
`;

describe.skipIf(!peer.ok)(`peer: numpy${peer.ok ? '' : ` (skipped: ${peer.ok ? '' : peer.reason})`}`, () => {
  it('an archive with x.npy and x.npy.npy: get() picks the same member as np.load for every key', () => {
    if (!peer.ok) return;
    const path = join(dir, 'both.npz');
    writeFileSync(path, writeNpz({ x: new Int8Array([1]), 'x.npy': new Int8Array([2, 2]) }));
    const out = peer
      .run(`import numpy as np, sys, json\nz = np.load(sys.argv[1])\nprint(json.dumps({k: z[k].tolist() for k in ['x', 'x.npy', 'x.npy.npy']}))`, [path])
      .toString('utf8');
    const numpy = JSON.parse(out) as Record<string, number[]>;
    const npz = readNpz(readFileSync(path));
    for (const key of ['x', 'x.npy', 'x.npy.npy']) expect([key, npz.get(key).shape[0]]).toEqual([key, numpy[key]!.length]);
    expect(numpy['x.npy']).toEqual([1]);
  });

  it('NumPy writes -> readNpy -> writeNpy -> NumPy reads the same dtype and bits, for every dtype', () => {
    if (!peer.ok) return;
    peer.run(`${arrays}\nimport sys, os\nfor name, a in arrays.items():\n  np.save(os.path.join(sys.argv[1], name + '.npy'), a)\n`, [dir]);
    const names = readdirSync(dir)
      .filter((f) => f.endsWith('.npy'))
      .map((f) => f.slice(0, -4));
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      const array = readNpy(readFileSync(join(dir, `${name}.npy`)));
      writeFileSync(join(dir, `${name}.ours`), writeNpy(array));
    }
    const report = peer
      .run(
        `${arrays}
import sys, os, json
out = {}
for name, a in arrays.items():
  b = np.load(os.path.join(sys.argv[1], name + '.ours'))
  same_bytes = np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()
  if a.dtype.kind in 'fcMm':
    equal = bool(np.array_equal(a, b, equal_nan=True))
  else:
    equal = bool(np.array_equal(a, b)) if a.dtype.kind != 'V' or a.dtype.names is None else same_bytes
  out[name] = [a.dtype == b.dtype, a.shape == b.shape, equal, same_bytes, bool(a.flags.f_contiguous) == bool(b.flags.f_contiguous)]
print(json.dumps(out))
`,
        [dir],
      )
      .toString();
    const results = JSON.parse(report) as Record<string, boolean[]>;
    for (const [name, checks] of Object.entries(results)) expect(checks, name).toEqual([true, true, true, true, true]);
  });

  it('arrays written in JavaScript -> NumPy reads the intended values', () => {
    if (!peer.ok) return;
    const files: Record<string, Uint8Array> = {
      f32: writeNpy(new Float32Array([1.5, Number.NaN, -0, Infinity])),
      i64: writeNpy(new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n])),
      fortran: writeNpy(new NpyArray({ data: new Uint8Array(new Float64Array([0, 3, 1, 4, 2, 5]).buffer), descr: '<f8', shape: [2, 3], fortranOrder: true })),
      big: writeNpy(new NpyArray({ data: new Uint8Array([0, 1, 0, 2]), descr: '>u2', shape: [2] })),
      dt: writeNpy(new BigInt64Array([86400n * 1_000_000_000n]), { descr: '<M8[ns]' }),
      rec: writeNpy(
        new NpyArray({
          data: new Uint8Array([7, 0, 0, 0, 0x20, 0x40, 0x61, 0x62]),
          descr: [
            ['a', '<i2'],
            ['b', '<f4'],
            ['c', '|S2'],
          ],
          shape: [1],
        }),
      ),
      unicode: writeNpy(new NpyArray({ data: new Uint8Array(new Uint32Array([0xe9, 0x4e2d]).buffer), descr: '<U2', shape: [] })),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, `js_${name}.npy`), bytes);
    writeFileSync(join(dir, 'js.npz'), writeNpz({ a: new Int8Array([1, 2]), b: new Float64Array([0.25]) }, { compress: true }));
    const script = `
import sys, os, json
import numpy as np
d = sys.argv[1]
L = lambda n: np.load(os.path.join(d, 'js_' + n + '.npy'))
checks = {
  'f32': bool(np.array_equal(L('f32'), np.array([1.5, np.nan, -0.0, np.inf], dtype='<f4'), equal_nan=True)) and L('f32').dtype == '<f4' and np.signbit(L('f32')[2]),
  'i64': L('i64').tolist() == [-2**63, 2**63 - 1],
  'fortran': L('fortran').tolist() == [[0, 1, 2], [3, 4, 5]] and L('fortran').flags.f_contiguous,
  'big': L('big').dtype == '>u2' and L('big').tolist() == [1, 2],
  'dt': str(L('dt')[0]) == '1970-01-02T00:00:00.000000000',
  'rec': L('rec').dtype.names == ('a', 'b', 'c') and L('rec')['a'][0] == 7 and L('rec')['b'][0] == 2.5 and L('rec')['c'][0] == b'ab',
  'unicode': L('unicode').item() == '\\u00e9\\u4e2d',
}
z = np.load(os.path.join(d, 'js.npz'))
checks['npz'] = sorted(z.files) == ['a', 'b'] and z['a'].tolist() == [1, 2] and z['b'].tolist() == [0.25]
print(json.dumps({k: bool(v) for k, v in checks.items()}))
`;
    const results = JSON.parse(peer.run(script, [dir]).toString()) as Record<string, boolean>;
    for (const [name, ok] of Object.entries(results)) expect(ok, name).toBe(true);
  });

  it('np.savez / np.savez_compressed archives written now read back value by value', () => {
    if (!peer.ok) return;
    peer.run(
      `import numpy as np, sys, os\nnp.savez(os.path.join(sys.argv[1], 's.npz'), x=np.arange(10.0), y=np.eye(3, dtype='>f4'))\nnp.savez_compressed(os.path.join(sys.argv[1], 'c.npz'), x=np.arange(10.0))`,
      [dir],
    );
    for (const file of ['s.npz', 'c.npz']) {
      const npz = readNpz(readFileSync(join(dir, file)));
      const x = npz.get('x');
      expect([...new Float64Array(x.bytes.slice().buffer)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(readNpz(readFileSync(join(dir, 's.npz'))).get('y').format).toBe('>f');
  });
});
