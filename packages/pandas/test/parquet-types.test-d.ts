import { describe, expectTypeOf, it } from 'vitest';
import { type DataFrameView, type ReadParquetOptions, readParquet, readParquetBatches, writeParquet, type WriteParquetOptions } from '../src/index.js';
import { loadParquet, loadParquetDataset, loadParquetDatasetBatches, saveParquetDataset, type SaveParquetDatasetOptions } from '../src/node/index.js';

describe('Parquet types', () => {
  it('reads and writes asynchronously', () => {
    expectTypeOf(readParquet).returns.toEqualTypeOf<Promise<DataFrameView>>();
    expectTypeOf(writeParquet).returns.toEqualTypeOf<Promise<Uint8Array>>();
    expectTypeOf(readParquetBatches).returns.toEqualTypeOf<AsyncGenerator<DataFrameView, void, undefined>>();
    expectTypeOf(loadParquet).returns.toEqualTypeOf<Promise<DataFrameView>>();
    expectTypeOf(loadParquetDataset).returns.toEqualTypeOf<Promise<DataFrameView>>();
    expectTypeOf(loadParquetDatasetBatches).returns.toEqualTypeOf<AsyncGenerator<DataFrameView, void, undefined>>();
    expectTypeOf(saveParquetDataset).returns.toEqualTypeOf<Promise<string[]>>();
  });

  it('limits options to what exists', () => {
    expectTypeOf<WriteParquetOptions['compression']>().toEqualTypeOf<'snappy' | 'zstd' | null | undefined>();
    expectTypeOf<ReadParquetOptions['rowGroups']>().toEqualTypeOf<readonly number[] | undefined>();
    expectTypeOf<SaveParquetDatasetOptions['partitionBy']>().toEqualTypeOf<readonly string[]>();
    // @ts-expect-error gzip is read-only
    void writeParquet({} as DataFrameView, { compression: 'gzip' });
  });
});
