import fc from 'fast-check';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import * as wasm from 'parquet-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { Column, DataFrameView, PandasError, readParquet, readParquetBatches, writeArrowIPC, writeParquet } from '../src/index.js';
import { checkPayload, type ParquetBudget } from '../src/internal/parquet-bounds.js';

function budget(limit = 2 ** 30): ParquetBudget {
  return { limit, source: 'test', inputBytes: 0, explicit: true, operation: 'test', used: 0 };
}

async function payloadError(codec: string, payload: Uint8Array, declared: number): Promise<string | undefined> {
  try {
    await checkPayload(codec, payload, declared, 'a test page', budget());
  } catch (error) {
    return PandasError.isInstance(error) ? error.code : 'plain';
  }
  return undefined;
}

/** A file written by parquet-wasm with any of its codecs (gzip and Brotli are read-only in writeParquet). */
function wasmFile(frame: DataFrameView, compression: wasm.Compression): Uint8Array {
  const table = wasm.Table.fromIPCStream(writeArrowIPC(frame, { format: 'stream' }));
  return wasm.writeParquet(table, new wasm.WriterPropertiesBuilder().setCompression(compression).build());
}

/** Where the first page's payload of column 0, row group 0 starts, and its header. */
function firstPage(bytes: Uint8Array): { payload: number; header: ReturnType<typeof parquetHeader> } {
  const meta = parquetMetadata(bytes).row_groups[0]?.columns[0]?.meta_data;
  const start = Number(meta?.dictionary_page_offset ?? meta?.data_page_offset);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: start };
  const header = parquetHeader(reader);
  return { payload: reader.offset, header };
}

let sample: Uint8Array;

beforeAll(async () => {
  sample = await writeParquet(
    DataFrameView.fromColumns({
      f: Float64Array.from({ length: 300 }, (_, i) => i / 3),
      s: Array.from({ length: 300 }, (_, i) => (i % 5 === 0 ? null : `v${i % 11}`)),
      n: Column.from(
        Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? null : BigInt(i))),
        'int64',
      ),
      c: Column.from(
        Array.from({ length: 300 }, (_, i) => ['a', 'b', 'c'][i % 3] as string),
        'category',
      ),
    }),
    { rowGroupSize: 128 },
  );
});

describe('readParquet on hostile files', () => {
  it('refuses every truncation with ERR_PANDAS_PARQUET_INVALID', async () => {
    for (let length = 0; length < sample.byteLength; length += length < 64 ? 1 : 97) {
      await expectErrorCodeAsync(() => readParquet(sample.subarray(0, length)), 'ERR_PANDAS_PARQUET_INVALID', {
        family: PandasError,
        what: `readParquet of the first ${length} bytes`,
      });
    }
  });

  it('refuses a footer length that lies', async () => {
    for (const length of [0, 1, 7, sample.byteLength - 8, sample.byteLength, 0xffffffff]) {
      const copy = sample.slice();
      new DataView(copy.buffer).setUint32(copy.byteLength - 8, length, true);
      await expectErrorCodeAsync(() => readParquet(copy), 'ERR_PANDAS_PARQUET_INVALID', {
        family: PandasError,
        what: `readParquet with a footer length of ${length}`,
      });
    }
  });

  it('refuses a Snappy page whose preamble declares more than its page header', async () => {
    const bytes = await writeParquet(DataFrameView.fromColumns({ f: Float64Array.from({ length: 1000 }, (_, i) => i) }), { compression: 'snappy' });
    const { payload } = firstPage(bytes);
    const copy = bytes.slice();
    // Overwrite the preamble varint with the largest value of the same byte length.
    let end = payload;
    while ((copy[end] as number) >= 0x80) end++;
    for (let at = payload; at < end; at++) copy[at] = 0xff;
    copy[end] = 0x7f;
    await expectErrorCodeAsync(() => readParquet(copy), 'ERR_PANDAS_PARQUET_INVALID', { family: PandasError });
    expect((await readParquet(bytes)).numRows).toBe(1000);
  });

  it('refuses a page whose compressed size runs past its column chunk', async () => {
    const bytes = await writeParquet(DataFrameView.fromColumns({ f: Float64Array.from({ length: 1000 }, (_, i) => i) }), { compression: null });
    const { header, payload } = firstPage(bytes);
    // The header's compressed_page_size is the zigzag varint just before the payload's fields; find it by value.
    const zigzag = header.compressed_page_size * 2;
    const varint: number[] = [];
    for (let value = zigzag; ; value = Math.floor(value / 128)) {
      if (value < 128) {
        varint.push(value);
        break;
      }
      varint.push((value % 128) | 0x80);
    }
    const start = Number(parquetMetadata(bytes).row_groups[0]?.columns[0]?.meta_data?.dictionary_page_offset ?? 0);
    let found = -1;
    for (let at = start; at < payload && found < 0; at++) if (varint.every((byte, k) => bytes[at + k] === byte)) found = at;
    expect(found).toBeGreaterThan(0);
    const copy = bytes.slice();
    for (let k = 0; k < varint.length - 1; k++) copy[found + k] = 0xff;
    copy[found + varint.length - 1] = 0x7f;
    await expectErrorCodeAsync(() => readParquet(copy), 'ERR_PANDAS_PARQUET_INVALID', { family: PandasError });
  });

  it('refuses a codec it cannot read with ERR_PANDAS_CODEC_UNSUPPORTED', async () => {
    const bytes = await writeParquet(DataFrameView.fromColumns({ f: Float64Array.of(1, 2, 3) }), { compression: 'snappy' });
    const copy = bytes.slice();
    let patched = 0;
    // ColumnMetaData: path_in_schema ["f"] (field 3, a list of one binary: 0x19 0x18 0x01 "f")
    // followed by codec (field 4, an i32: header 0x15, zigzag(SNAPPY = 1) = 0x02).
    const pattern = [0x19, 0x18, 0x01, 0x66, 0x15, 0x02];
    for (let at = 0; at + pattern.length <= copy.byteLength; at++) {
      if (pattern.every((byte, k) => copy[at + k] === byte)) {
        copy[at + 5] = 0x78; // codec 60, which does not exist
        patched++;
      }
    }
    expect(patched).toBeGreaterThan(0);
    await expectErrorCodeAsync(() => readParquet(copy), 'ERR_PANDAS_CODEC_UNSUPPORTED', { family: PandasError });
  });

  it('bounds decoded rows of a tiny file by maxDecompressedBytes (a row-count bomb)', async () => {
    const bytes = await writeParquet(DataFrameView.fromColumns({ z: new Float64Array(1_000_000) }), { compression: 'zstd' });
    expect(bytes.byteLength).toBeLessThan(20_000);
    await expectErrorCodeAsync(() => readParquet(bytes, { maxDecompressedBytes: 1_000_000 }), 'ERR_SIZE_LIMIT', { family: PandasError });
    const iterate = async (): Promise<void> => {
      for await (const batch of readParquetBatches(bytes, { maxDecompressedBytes: 1_000_000 })) expect(batch).toBeDefined();
    };
    await expectErrorCodeAsync(iterate, 'ERR_SIZE_LIMIT', { family: PandasError });
    expect((await readParquet(bytes, { maxDecompressedBytes: 9_000_000 })).numRows).toBe(1_000_000);
  });

  it('bounds strings materialized from a dictionary (one long entry on every row)', async () => {
    const long = 'a'.repeat(5000);
    const values = Array.from({ length: 2000 }, () => long);
    const bytes = await writeParquet(DataFrameView.fromColumns({ s: values }));
    expect(bytes.byteLength).toBeLessThan(5000);
    // 2,000 rows x 5 kB = 10 MB of strings from a file of 2 kB.
    await expectErrorCodeAsync(() => readParquet(bytes, { maxDecompressedBytes: 8_000_000 }), 'ERR_SIZE_LIMIT', { family: PandasError });
    expect((await readParquet(bytes, { maxDecompressedBytes: 12_000_000 })).column('s').get(1999)).toBe(long);
    // As a categorical the column stays a dictionary: nothing is materialized per row.
    const categorical = await writeParquet(DataFrameView.fromColumns({ s: Column.from(values, 'category') }));
    const back = await readParquet(categorical, { maxDecompressedBytes: 1_000_000 });
    expect(back.column('s').categories?.length).toBe(1);
    expect(back.column('s').get(1999)).toBe(long);
    // A short dictionary on many rows is charged by its longest entry, not by its page size.
    const short = await writeParquet(DataFrameView.fromColumns({ s: Array.from({ length: 200_000 }, (_, i) => `v${i % 1000}`) }));
    expect((await readParquet(short, { maxDecompressedBytes: 4_000_000 })).numRows).toBe(200_000);
  });

  it('reads gzip and Brotli files and checks their pages', async () => {
    const frame = DataFrameView.fromColumns({ f: Float64Array.from({ length: 500 }, (_, i) => i * 1.5), s: Array.from({ length: 500 }, (_, i) => `t${i}`) });
    for (const compression of [wasm.Compression.GZIP, wasm.Compression.BROTLI, wasm.Compression.LZ4_RAW]) {
      const back = await readParquet(wasmFile(frame, compression));
      expect(back.column('f').toArray()).toEqual(frame.column('f').toArray());
      expect(back.column('s').toArray()).toEqual(frame.column('s').toArray());
    }
  });
});

describe('page payload checks (decompression bombs)', () => {
  const zeros = new Uint8Array(1 << 20);

  it('gzip: refuses a stream that inflates past its declared size, accepts an exact one', async () => {
    const bomb = new Uint8Array(gzipSync(zeros));
    expect(await payloadError('GZIP', bomb, 1000)).toBe('plain');
    expect(await payloadError('GZIP', bomb, zeros.byteLength)).toBeUndefined();
    expect(await payloadError('GZIP', bomb.subarray(0, 20), zeros.byteLength)).toBe('plain');
  });

  it('Brotli: refuses a stream that inflates past its declared size, accepts an exact one', async () => {
    const bomb = new Uint8Array(brotliCompressSync(zeros));
    expect(await payloadError('BROTLI', bomb, 1000)).toBe('plain');
    expect(await payloadError('BROTLI', bomb, zeros.byteLength)).toBeUndefined();
  });

  it('Snappy: compares the preamble with the declared size', async () => {
    expect(await payloadError('SNAPPY', Uint8Array.of(0x80, 0x80, 0x40), 100)).toBe('plain');
    expect(await payloadError('SNAPPY', Uint8Array.of(100, 0), 100)).toBeUndefined();
    expect(await payloadError('SNAPPY', Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 100)).toBe('plain');
  });

  it('ZSTD: refuses frames whose content size differs from the declared size', async () => {
    const bytes = await writeParquet(DataFrameView.fromColumns({ f: Float64Array.from({ length: 2000 }, (_, i) => i) }), {
      compression: 'zstd',
      pandasMetadata: false,
    });
    const { payload, header } = firstPage(bytes);
    const frame = bytes.subarray(payload, payload + header.compressed_page_size);
    expect(await payloadError('ZSTD', frame, header.uncompressed_page_size)).toBeUndefined();
    expect(await payloadError('ZSTD', frame, header.uncompressed_page_size + 1)).toBe('plain');
  });
});

describe('readParquet fuzzing', () => {
  it('turns every corruption of a file into a frame or a typed PandasError, and keeps working', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), async (edits) => {
        const copy = sample.slice();
        for (const [at, value] of edits) copy[at % copy.byteLength] = value;
        try {
          const frame = await readParquet(copy);
          expect(frame.numRows).toBeLessThanOrEqual(300);
        } catch (error) {
          if (!PandasError.isInstance(error)) throw error;
        }
      }),
      { numRuns: 250, seed: 18 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), async (edits) => {
        const copy = sample.slice();
        for (const [at, value] of edits) copy[at % copy.byteLength] = value;
        try {
          for await (const batch of readParquetBatches(copy, { batchSize: 50 })) expect(batch.numRows).toBeLessThanOrEqual(50);
        } catch (error) {
          if (!PandasError.isInstance(error)) throw error;
        }
      }),
      { numRuns: 120, seed: 1818 },
    );
    // The WebAssembly decoder is still usable after every failure above.
    expect((await readParquet(sample)).numRows).toBe(300);
  }, 120_000);
});
