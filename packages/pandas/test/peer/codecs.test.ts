import { pythonPeer } from '@interop/config/python';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataFrameView, loadZstdEncoder, readArrowIPC, useNativeCodecs, writeArrowIPC } from '../../src/index.js';
import { setFallbackZstdEncoder } from '../../src/internal/codecs.js';

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
    q: 3 * ((rows - 1) * rows) / 2,
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
    useNativeCodecs(true);
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
});
