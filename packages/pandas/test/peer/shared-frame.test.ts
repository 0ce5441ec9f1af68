// Shared Arrow frames against real pyarrow and pandas: zero-copy on both sides, and what pandas copies.
import { pythonPeer } from '@interop/config/python';
import { sharedFileNames, usePythonSession } from '@interop/config/test-kit';
import { sharedDirectory } from '@interop/native';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { DataFrameView, PandasError } from '../../src/index.js';
import { createSharedFrame, openSharedFrame, unlinkSharedFrame } from '../../src/node/index.js';

const peer = pythonPeer(['numpy', 'pandas', 'pyarrow']);
const names = sharedFileNames(sharedDirectory(), 'peer_frame');
const fresh = names.fresh;

// Opens a file the way the guide tells Python users to, and reports where every buffer lives.
const prelude = `
import os, numpy as np, pandas as pd, pyarrow as pa
def open_shared(path):
    source = pa.memory_map(path, 'r')
    whole = source.read_buffer()
    source.seek(0)
    before = pa.total_allocated_bytes()
    table = pa.ipc.open_file(source).read_all()
    return source, whole, table, pa.total_allocated_bytes() - before
def inside(whole, address):
    return whole.address <= address < whole.address + whole.size
def buffers(table):
    found = []
    for name in table.column_names:
        for chunk in table.column(name).chunks:
            for buffer in chunk.buffers():
                if buffer is not None and buffer.size > 0:
                    found.append(buffer)
    return found
`;

function frameOf(rows: number): DataFrameView {
  return DataFrameView.fromColumns(
    {
      price: Float64Array.from({ length: rows }, (_, i) => i * 0.25),
      count: Int32Array.from({ length: rows }, (_, i) => i),
      city: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : `city ${i % 7}`)),
      flag: Array.from({ length: rows }, (_, i) => i % 3 === 0),
      kind: Array.from({ length: rows }, (_, i) => ['a', 'b', 'c'][i % 3]!),
    },
    { types: { kind: 'category' } },
  );
}

describe.skipIf(!peer.ok)(`peer: shared Arrow frames with pyarrow and pandas${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  const python = usePythonSession(peer, prelude);
  // Whatever a failed test left is removed, and still reported.
  afterAll(() => expect(names.sweep()).toEqual([]));

  it('pyarrow opens the frame Node wrote zero-copy: one batch, no compression, every buffer inside the mapping and 64-byte aligned', async () => {
    const shared = await createSharedFrame(fresh(), frameOf(1000));
    expect(shared.path).toBe(join(sharedDirectory(), `${shared.name}.arrow`));
    const report = await python.run(
      `source, whole, table, allocated = open_shared(args)
reader = pa.ipc.open_file(pa.memory_map(args, 'r'))
found = buffers(table)
result = {
  'batches': reader.num_record_batches,
  'allocated': allocated,
  'buffers': len(found),
  'inside': all(inside(whole, b.address) for b in found),
  'aligned': all((b.address - whole.address) % 64 == 0 for b in found),
  'price': table.column('price').to_pylist()[:3],
  'city': table.column('city').to_pylist()[:3],
  'flag': table.column('flag').to_pylist()[:4],
  'kind': table.column('kind').to_pylist()[:3],
  'types': [str(t) for t in table.schema.types],
}`,
      shared.path,
    );
    expect(report).toMatchObject({
      batches: 1,
      allocated: 0,
      inside: true,
      aligned: true,
      price: [0, 0.25, 0.5],
      city: [null, 'city 1', 'city 2'],
      flag: [true, false, false, true],
      kind: ['a', 'b', 'c'],
    });
    expect((report as { buffers: number }).buffers).toBeGreaterThan(6);
    shared.unlink();
  });

  it('says what pandas copies: to_pandas() copies numeric columns into its blocks; split_blocks=True keeps null-free numbers in the mapping; bools, categories and strings are copied', async () => {
    const shared = await createSharedFrame(fresh(), frameOf(1000));
    const report = (await python.run(
      `source, whole, table, allocated = open_shared(args)
def where(frame):
    places = {}
    for name in frame.columns:
        array = frame[name].array
        if hasattr(array, '_pa_array'):
            places[name] = 'arrow-in-mapping' if all(inside(whole, b.address) for c in array._pa_array.chunks for b in c.buffers() if b is not None and b.size > 0) else 'arrow-copy'
        else:
            data = np.asarray(frame[name].array._codes if hasattr(frame[name].array, '_codes') else frame[name].to_numpy())
            places[name] = 'numpy-in-mapping' if inside(whole, data.ctypes.data) else 'numpy-copy'
    return places
result = {'default': where(table.to_pandas()), 'split': where(table.to_pandas(split_blocks=True))}`,
      shared.path,
    )) as { default: Record<string, string>; split: Record<string, string> };
    expect(report.default.price).toBe('numpy-copy');
    expect(report.default.count).toBe('numpy-copy');
    expect(report.split.price).toBe('numpy-in-mapping');
    expect(report.split.count).toBe('numpy-in-mapping');
    // Bools are bits in Arrow and bytes in NumPy; categories are rebuilt as pandas codes.
    expect(report.split.flag).toBe('numpy-copy');
    expect(report.split.kind).toBe('numpy-copy');
    // pandas 3's string dtype holds a pyarrow array, but a new one (large_string): the strings are copied.
    expect(report.default.city).toBe('arrow-copy');
    expect(report.split.city).toBe('arrow-copy');
    shared.unlink();
  });

  it('Node reads the mapped file zero-copy: numbers and strings are views of the shared memory, and pyarrow sees the same bytes', async () => {
    const name = fresh();
    const shared = await createSharedFrame(name, frameOf(10));
    const reader = await openSharedFrame(name);
    const price = reader.frame.column('price').values as Float64Array;
    expect(price.buffer.byteLength).toBe(reader.byteLength);
    expect(price.byteOffset % 64).toBe(0);
    expect(Array.from(price.slice(0, 3))).toEqual([0, 0.25, 0.5]);
    expect(reader.frame.column('city').toArray().slice(0, 2)).toEqual([null, 'city 1']);
    expect(reader.frame.column('flag').toArray().slice(0, 4)).toEqual([true, false, false, true]);
    expect(reader.frame.column('kind').toArray().slice(0, 3)).toEqual(['a', 'b', 'c']);
    expect(await python.run(`source, whole, table, allocated = open_shared(args)\nresult = table.column('count').to_pylist()`, shared.path)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    shared.unlink();
    // Unlinked: both mappings stay valid.
    expect(Array.from(price.slice(0, 2))).toEqual([0, 0.25]);
    expect(await python.run(`result = table.column('price').to_pylist()[1]`)).toBe(0.25);
  });

  it('Node opens a frame pyarrow wrote into shared memory, zero-copy when uncompressed', async () => {
    const name = fresh();
    const path = join(sharedDirectory(), `${name}.arrow`);
    await python.run(
      `table = pa.table({'x': pa.array(np.arange(5, dtype=np.float32)), 'label': ['p', 'q', None, 's', 't']})
with pa.OSFile(args, 'wb') as sink:
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)`,
      path,
    );
    const shared = await openSharedFrame(name);
    const x = shared.frame.column('x').values as Float32Array;
    expect(Array.from(x)).toEqual([0, 1, 2, 3, 4]);
    expect(x.buffer.byteLength).toBe(shared.byteLength);
    expect(shared.frame.column('label').toArray()).toEqual(['p', 'q', null, 's', 't']);
    await unlinkSharedFrame(name);
    expect(existsSync(path)).toBe(false);
  });

  it('edge values arrive bit-exact in pyarrow and pandas: uint64 max, int64 extremes, NaN payloads, -0, nullable ints and bools, strings with nulls and astral characters, tz datetimes', async () => {
    const doubles = new Float64Array(3);
    const bits = new DataView(doubles.buffer);
    bits.setBigUint64(0, 0x7ff8_0000_dead_beefn, true); // a quiet NaN with a payload
    bits.setBigUint64(8, 0xfff0_0000_0000_0001n, true); // a signalling NaN
    doubles[2] = -0;
    const frame = DataFrameView.fromColumns(
      {
        u64: BigUint64Array.of(0n, 18446744073709551615n, 1n),
        i64: BigInt64Array.of(-9223372036854775808n, 9223372036854775807n, 0n),
        nan: doubles,
        s: ['a', null, 'ü😀'],
        c: ['x', 'y', 'x'],
        ni: [1, null, 3],
        dt: BigInt64Array.of(0n, 1_700_000_000_000_000_000n, -1n),
        b: [true, null, false],
      },
      { types: { c: 'category', ni: 'Int64', dt: 'datetime64[ns, Europe/Paris]', b: 'boolean' } },
    );
    const shared = await createSharedFrame(fresh(), frame);
    const report = await python.run(
      `source, whole, table, allocated = open_shared(args)
df = table.to_pandas()
result = {
  'allocated': allocated,
  'types': [str(t) for t in table.schema.types],
  'u64': [str(v) for v in table.column('u64').to_pylist()],
  'i64': [str(v) for v in table.column('i64').to_pylist()],
  'nan': table.column('nan').chunk(0).buffers()[1].to_pybytes()[:24].hex(),
  'nan_pandas': df['nan'].to_numpy().tobytes().hex(),
  's': table.column('s').to_pylist(),
  'c': table.column('c').to_pylist(),
  'ni': table.column('ni').to_pylist(),
  'dt': [str(v) for v in df['dt']],
  'b': table.column('b').to_pylist(),
  'dtypes': {k: str(v) for k, v in df.dtypes.items()},
}`,
      shared.path,
    );
    const hex = Buffer.from(doubles.buffer).toString('hex');
    expect(report).toMatchObject({
      allocated: 0,
      types: ['uint64', 'int64', 'double', 'string', 'dictionary<values=string, indices=int32, ordered=0>', 'int64', 'timestamp[ns, tz=Europe/Paris]', 'bool'],
      u64: ['0', '18446744073709551615', '1'],
      i64: ['-9223372036854775808', '9223372036854775807', '0'],
      nan: hex,
      nan_pandas: hex,
      s: ['a', null, 'ü😀'],
      c: ['x', 'y', 'x'],
      ni: [1, null, 3],
      dt: ['1970-01-01 01:00:00+01:00', '2023-11-14 23:13:20+01:00', '1970-01-01 00:59:59.999999999+01:00'],
      b: [true, null, false],
      dtypes: { u64: 'uint64', i64: 'int64', nan: 'float64', ni: 'Int64', dt: 'datetime64[ns, Europe/Paris]', b: 'boolean' },
    });
    // And back in Node, from the mapping: the same bits.
    const again = await openSharedFrame(shared.name);
    expect(Buffer.from((again.frame.column('nan').values as Float64Array).slice().buffer).toString('hex')).toBe(hex);
    expect(again.frame.column('u64').toArray()).toEqual([0n, 18446744073709551615n, 1n]);
    shared.unlink();
  });

  it('reads pyarrow files with several batches, ZSTD bodies and dictionaries correctly; those are copies, one uncompressed batch is not', async () => {
    const cases = [
      [
        'two_batches',
        `t = pa.table({'x': [1.0, 2.0]})\nw = pa.ipc.new_file(args, t.schema)\nw.write_table(t)\nw.write_table(t)\nw.close()`,
        [1, 2, 1, 2],
        true,
      ],
      [
        'zstd',
        `t = pa.table({'x': np.arange(4.0)})\nw = pa.ipc.new_file(args, t.schema, options=pa.ipc.IpcWriteOptions(compression='zstd'))\nw.write_table(t)\nw.close()`,
        [0, 1, 2, 3],
        true,
      ],
      ['one_batch', `t = pa.table({'x': np.arange(3.0)})\nw = pa.ipc.new_file(args, t.schema)\nw.write_table(t)\nw.close()`, [0, 1, 2], false],
    ] as const;
    for (const [label, code, values, copied] of cases) {
      const name = fresh();
      await python.run(code, join(sharedDirectory(), `${name}.arrow`));
      const shared = await openSharedFrame(name);
      expect(shared.frame.column('x').toArray(), label).toEqual(values);
      const buffer = (shared.frame.column('x').values as Float64Array).buffer;
      expect(buffer.byteLength !== shared.byteLength, label).toBe(copied);
      shared.unlink();
    }
    const name = fresh();
    await python.run(
      `s = pa.schema([('d', pa.dictionary(pa.int32(), pa.string()))])
w = pa.ipc.new_file(args, s)
w.write_batch(pa.record_batch([pa.DictionaryArray.from_arrays(pa.array([1, 0, 1], pa.int32()), pa.array(['a', 'b']))], schema=s))
w.close()`,
      join(sharedDirectory(), `${name}.arrow`),
    );
    const dictionary = await openSharedFrame(name);
    expect(dictionary.frame.column('d').toArray()).toEqual(['b', 'a', 'b']);
    dictionary.unlink();
  });

  it('a Python process that exits first leaves the frame readable; names are validated', async () => {
    if (!peer.ok) return;
    const name = fresh();
    const shared = await createSharedFrame(name, frameOf(4));
    const sum = peer.run(
      `import sys, pyarrow as pa\nt = pa.ipc.open_file(pa.memory_map(sys.argv[1], 'r')).read_all()\nprint(sum(t.column('count').to_pylist()))\n`,
      [shared.path],
    );
    expect(sum.toString().trim()).toBe('6');
    expect(Array.from(shared.frame.column('count').values as Int32Array)).toEqual([0, 1, 2, 3]);
    for (const bad of ['../x', 'a/b', '..', '.x', '', 'with space']) {
      await expectErrorCodeAsync(() => createSharedFrame(bad, frameOf(1)), 'ERR_SHARED_INVALID_NAME', {
        family: PandasError,
        what: `createSharedFrame(${JSON.stringify(bad)})`,
      });
      await expectErrorCodeAsync(() => openSharedFrame(bad), 'ERR_SHARED_INVALID_NAME', {
        family: PandasError,
        what: `openSharedFrame(${JSON.stringify(bad)})`,
      });
    }
    await expectErrorCodeAsync(() => createSharedFrame(name, frameOf(1)), 'ERR_SHARED_EXISTS', { family: PandasError });
    shared.unlink();
    expect(() => shared.unlink()).toThrow(PandasError);
    await expectErrorCodeAsync(() => openSharedFrame(name), 'ERR_SHARED_NOT_FOUND', { family: PandasError });
    await expectErrorCodeAsync(() => unlinkSharedFrame(name), 'ERR_SHARED_NOT_FOUND', { family: PandasError });
  });
});
