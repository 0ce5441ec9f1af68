import { pythonPeer } from '@interop/config/python';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as nativeModule from '@interop/native';
import { DataFrameView, loadZstdEncoder, readArrowIPC, useNativeCodecs, writeArrowIPC } from '../../src/index.js';
import { setFallbackZstdEncoder } from '../../src/internal/codecs.js';
import { installSystemCodecs } from '../../src/internal/system-codecs.js';
import { decoderModes, useDecoders } from '../helpers.js';

const peer = pythonPeer(['numpy', 'pandas', 'pyarrow']);

function python(script: string, args: string[]): string {
  if (!peer.ok) throw new Error('no python peer');
  return peer.run(`import sys, json\nimport numpy as np, pandas as pd, pyarrow as pa, pyarrow.feather as feather\n${script}`, args).toString('utf8');
}

const rows = 200_000;
const frame = DataFrameView.fromColumns({
  f: Float64Array.from({ length: rows }, (_, index) => index / 8),
  i: Int32Array.from({ length: rows }, (_, index) => (index * 7) % 1001),
  q: BigInt64Array.from({ length: rows }, (_, index) => BigInt(index) * 3n),
  s: Array.from({ length: rows }, (_, index) => (index % 5 === 0 ? null : `s${index % 97}`)),
});

// pandas reads the file and prints a digest of what it found: dtypes, sums, null counts, codec.
const digest = `path = sys.argv[1]
df = pd.read_feather(path)
with open(path, 'rb') as fh: raw = fh.read()
codec = 'zstd' if b'\\x28\\xb5\\x2f\\xfd' in raw else ('lz4' if b'\\x04\\x22\\x4d\\x18' in raw else 'none')
print(json.dumps({'dtypes': [str(t) for t in df.dtypes], 'f': float(df.f.sum()), 'i': int(df.i.sum()), 'q': int(df.q.sum()), 'nulls': int(df.s.isna().sum()), 's7': df.s[7], 'codec': codec}))`;

describe.skipIf(!peer.ok)(`peer: codecs against pyarrow${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  let directory = '';
  const expected = {
    dtypes: ['float64', 'int32', 'int64', 'str'],
    f: ((rows - 1) * rows) / 2 / 8,
    i: Array.from({ length: rows }, (_, index) => (index * 7) % 1001).reduce((a, b) => a + b, 0),
    q: (3 * ((rows - 1) * rows)) / 2,
    nulls: rows / 5,
    s7: 's7',
  };

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'interop-pandas-codecs-'));
  });
  afterAll(() => {
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });
  afterEach(() => {
    useDecoders('napi');
    setFallbackZstdEncoder(undefined);
  });

  for (const [label, native] of [
    ['native', true],
    ['pure-JS / WebAssembly', false],
  ] as const) {
    it(`pyarrow reads LZ4 and ZSTD Feather written with the ${label} encoders, as pandas' to_feather writes them`, async () => {
      useNativeCodecs(native);
      if (!native) await loadZstdEncoder();
      for (const compression of ['lz4', 'zstd'] as const) {
        const path = join(directory, `${compression}-${native ? 'native' : 'js'}.feather`);
        writeFileSync(path, writeArrowIPC(frame, { compression }));
        expect(JSON.parse(python(digest, [path]))).toEqual({ ...expected, codec: compression });
      }
    });
  }

  it('reads pandas LZ4 and ZSTD Feather (64K-row batches) with both implementations, each column one contiguous view', () => {
    const lz4 = join(directory, 'pandas-lz4.feather');
    const zstd = join(directory, 'pandas-zstd.feather');
    python(
      `n = ${rows}
df = pd.DataFrame({'f': np.arange(n) / 8, 'i': (np.arange(n, dtype='int64') * 7 % 1001).astype('int32'), 'q': np.arange(n, dtype='int64') * 3, 's': pd.Series([None if k % 5 == 0 else f's{k % 97}' for k in range(n)], dtype='str')})
df.to_feather(sys.argv[1])
df.to_feather(sys.argv[2], compression='zstd')`,
      [lz4, zstd],
    );
    for (const native of [true, false]) {
      useNativeCodecs(native);
      for (const path of [lz4, zstd]) {
        const read = readArrowIPC(readFileSync(path));
        for (const name of frame.columnNames) expect(read.column(name).toArray()).toEqual(frame.column(name).toArray());
        // 200K rows are 4 batches; their decompressed chunks were placed one after the other.
        const f = read.column('f').values;
        const q = read.column('q').values;
        expect(f.buffer).toBe(q.buffer);
        expect(f.byteLength).toBe(rows * 8);
      }
    }
  });

  it('reads what pandas writes bit for bit with every decoder: numbers (NaN payloads too), nulls, strings, categoricals', () => {
    const lz4 = join(directory, 'exact-lz4.feather');
    const zstd = join(directory, 'exact-zstd.feather');
    const dump = join(directory, 'exact-raw');
    // pandas writes the files (64K-row batches; categorical dictionaries in compressed dictionary
    // batches); numpy dumps each numeric column's bytes and every column's validity, to compare
    // with what we decode. pyarrow stores pandas' NaN as null and keeps the NaN bits in the data.
    const answer = JSON.parse(
      python(
        `n = 150_000
rng = np.random.default_rng(15)
f = rng.standard_normal(n)
f[::1000] = np.nan
f.view('uint64')[5::997] = 0x7ff8dead00000000 + np.arange(len(f[5::997]), dtype='uint64')  # NaNs with payloads
df = pd.DataFrame({
    'f': f, 'b': np.arange(n, dtype='int64') * 3, 'i': rng.integers(-2**31, 2**31 - 1, n).astype('int32'), 'g': rng.random(n).astype('float32'),
    'm': pd.array([None if k % 7 == 0 else k for k in range(n)], dtype='Int64'),
    's': pd.Series([None if k % 11 == 0 else f'v{k % 300}' for k in range(n)], dtype='str'),
    'c': pd.Categorical([f'cat{k % 37}' for k in range(n)]),
})
df.to_feather(sys.argv[1])
df.to_feather(sys.argv[2], compression='zstd')
for name in ['f', 'b', 'i', 'g']:
    with open(sys.argv[3] + '-' + name, 'wb') as fh: fh.write(np.ascontiguousarray(df[name].to_numpy()).tobytes())
with open(sys.argv[3] + '-m', 'wb') as fh: fh.write(df['m'].to_numpy(dtype='int64', na_value=0).tobytes())
for name in df.columns:  # validity, one byte per row (pyarrow stores pandas' NaN as null)
    with open(sys.argv[3] + '-valid-' + name, 'wb') as fh: fh.write((~df[name].isna()).to_numpy().astype('uint8').tobytes())
print(json.dumps({'m_nulls': [int(k) for k in np.flatnonzero(df['m'].isna())][:20], 's': [None if pd.isna(v) else v for v in df['s'][:40]], 's_nulls': int(df['s'].isna().sum()), 'c': [str(v) for v in df['c'][:40]], 'categories': [str(v) for v in df['c'].cat.categories]}))`,
        [lz4, zstd, dump],
      ),
    ) as { m_nulls: number[]; s: (string | null)[]; s_nulls: number; c: string[]; categories: string[] };
    const raw = (name: string): Buffer => readFileSync(`${dump}-${name}`);
    for (const [label, mode] of decoderModes) {
      let into = 0;
      useDecoders(mode);
      if (mode === 'system') {
        // Counts the buffers decoded one at a time (the dictionary batches), to see that path run too.
        installSystemCodecs({
          ...nativeModule,
          decompressInto: (...args: Parameters<typeof nativeModule.decompressInto>) => (into++, nativeModule.decompressInto(...args)),
        });
      }
      for (const path of [lz4, zstd]) {
        const read = readArrowIPC(readFileSync(path));
        for (const name of ['f', 'b', 'i', 'g']) {
          const values = read.column(name).values;
          expect(Buffer.compare(Buffer.from(values.buffer, values.byteOffset, values.byteLength), raw(name)), `${label}, ${path}, ${name}`).toBe(0);
        }
        for (const name of read.columnNames) {
          const valid = read.column(name).validityBytes() ?? new Uint8Array(read.numRows).fill(1);
          expect(Buffer.compare(Buffer.from(valid.map((byte) => (byte === 0 ? 0 : 1))), raw(`valid-${name}`)), `${label}, ${path}, validity of ${name}`).toBe(
            0,
          );
        }
        const m = read.column('m');
        const masked = BigInt64Array.from(m.values as BigInt64Array, (value, index) => (m.isValid(index) ? value : 0n));
        expect(Buffer.compare(Buffer.from(masked.buffer), raw('m'))).toBe(0);
        expect(
          Array.from({ length: 1000 }, (_, index) => index)
            .filter((index) => !m.isValid(index))
            .slice(0, 20),
        ).toEqual(answer.m_nulls);
        expect(read.column('s').toArray().slice(0, 40)).toEqual(answer.s);
        expect(read.column('s').nullCount).toBe(answer.s_nulls);
        expect(read.column('c').toArray().slice(0, 40)).toEqual(answer.c);
        expect(read.column('c').categories?.toArray()).toEqual(answer.categories);
      }
      if (mode === 'system' && process.platform === 'linux') expect(into).toBeGreaterThan(0);
    }
  });
});
