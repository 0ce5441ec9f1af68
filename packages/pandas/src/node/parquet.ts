// Node-only Parquet helpers: files on disk and hive-partitioned dataset directories.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { longOperation, type LongOperationOptions } from '@interop/core';
import { join, relative, sep } from 'node:path';
import { Column, type ColumnValue } from '../column.js';
import { DataFrameView, type FrameIndexInput } from '../data-frame-view.js';
import { PandasError } from '../errors/pandas-error.js';
import { gatherFrame } from '../internal/parquet-gather.js';
import { concatParts, inspect, invalidArgument, iterateSelection, type ParquetSource, readSelection, select } from '../internal/parquet-read.js';
import { readFileBytes, writeFileBytes } from './internal/file-bytes.js';
import { type ReadParquetBatchesOptions, type ReadParquetOptions, writeParquet, type WriteParquetOptions } from '../parquet.js';

/** Options of `loadParquetDataset` and `loadParquetDatasetBatches`. */
export interface LoadParquetDatasetOptions extends Omit<ReadParquetBatchesOptions, 'source' | 'rowGroups'>, LongOperationOptions {
  /**
   * Partition pruning: read only the files whose partition values are listed, per key (the
   * other files are not opened). Values match the directory names as strings (`2024` matches
   * `year=2024`); `null` matches `__HIVE_DEFAULT_PARTITION__`.
   */
  readonly partitions?: Readonly<Record<string, readonly (string | number | bigint | boolean | null)[]>>;
}

/** Options of `saveParquetDataset`. */
export interface SaveParquetDatasetOptions extends WriteParquetOptions, LongOperationOptions {
  /** Columns whose values name the directories (`key=value/`), in nesting order; they are not stored in the files. */
  readonly partitionBy: readonly string[];
}

/** The directory name pyarrow, Spark and Hive use for a null partition value. */
const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/**
 * Reads a Parquet file from disk (pandas' `df.to_parquet(path)`); errors name the path.
 *
 * @example
 * ```ts no-run
 * import { loadParquet } from '@interop/pandas/node';
 * const frame = await loadParquet('data.parquet', { columns: ['a', 'b'] });
 * ```
 * `onProgress` reports the bytes read (16 MiB chunks) and `signal` aborts the read
 * (`BufferError` `ERR_ABORTED`).
 * @throws {PandasError} every code of `readParquet`.
 */
export async function loadParquet(path: string, options: Omit<ReadParquetOptions, 'source'> & LongOperationOptions = {}): Promise<DataFrameView> {
  const bytes = await readFileBytes(path, 'loadParquet', options);
  const source = memory(bytes, path);
  const layout = await inspect(source, 'loadParquet');
  return readSelection(source, layout, select(layout, options, 'loadParquet'), options, 'loadParquet');
}

/**
 * Writes a frame as a Parquet file that `pd.read_parquet` reads back with the same dtypes and index.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { DataFrameView } from '@interop/pandas';
 * import { loadParquet, saveParquet } from '@interop/pandas/node';
 * const path = join(tmpdir(), 'interop-example.parquet');
 * await saveParquet(path, DataFrameView.fromColumns({ a: [1, 2] }));
 * console.log((await loadParquet(path)).column('a').toArray()); // [1, 2]
 * ```
 * The file is written to a temporary file renamed into place when complete: a failure or an abort
 * of `signal` leaves no half-written file and any earlier file untouched.
 * @throws {PandasError} every code of `writeParquet`. @throws {BufferError} `ERR_ABORTED`.
 */
export async function saveParquet(path: string, frame: DataFrameView, options: WriteParquetOptions & LongOperationOptions = {}): Promise<void> {
  longOperation('saveParquet', options, undefined);
  await writeFileBytes(path, await writeParquet(frame, options), 'saveParquet', options);
}

/**
 * Reads a Parquet file from disk one row group (or `batchSize` rows) at a time: only one row
 * group is checked and decoded at a time, so decoded memory is bounded by the largest row group.
 * The file's (compressed) bytes are held in memory while iterating; for data larger than that,
 * split it into a dataset of several files (`loadParquetDatasetBatches` holds one file at a time).
 *
 * @example
 * ```ts no-run
 * import { loadParquetBatches } from '@interop/pandas/node';
 * for await (const batch of loadParquetBatches('big.parquet', { columns: ['x'] })) console.log(batch.numRows);
 * ```
 * @throws {PandasError} every code of `readParquet`.
 */
export async function* loadParquetBatches(
  path: string,
  options: Omit<ReadParquetBatchesOptions, 'source'> = {},
): AsyncGenerator<DataFrameView, void, undefined> {
  const source = memory(await readFileBytes(path, 'loadParquetBatches'), path);
  const layout = await inspect(source, 'loadParquetBatches');
  yield* iterateSelection(source, layout, select(layout, options, 'loadParquetBatches'), options, 'loadParquetBatches');
}

/**
 * Reads a hive-partitioned Parquet dataset directory (`key=value/.../part-0.parquet`, as
 * written by pyarrow.dataset, Spark, Dask or `saveParquetDataset`) into one frame. Partition
 * keys become categorical columns after the file columns, as pandas reads them (categories are
 * int64 when every value is an integer, else strings; `__HIVE_DEFAULT_PARTITION__` is null).
 * Files and directories whose names start with `_` or `.` (`_SUCCESS`, `.crc`) are skipped.
 *
 * @example
 * ```ts no-run
 * import { loadParquetDataset } from '@interop/pandas/node';
 * const frame = await loadParquetDataset('sales/'); // sales/year=2024/part-0.parquet, ...
 * ```
 * @throws {PandasError} every code of `readParquet`; `ERR_PANDAS_PARQUET_INVALID` (no files, or files whose columns differ).
 */
export async function loadParquetDataset(directory: string, options: LoadParquetDatasetOptions = {}): Promise<DataFrameView> {
  const parts: DataFrameView[] = [];
  for await (const part of datasetFrames(directory, options, 'loadParquetDataset', false)) parts.push(part);
  return concatParts(parts, directory, 'loadParquetDataset', { keepRange: false, noun: 'files' });
}

/**
 * Reads a hive-partitioned dataset one row group (or `batchSize` rows) of one file at a time,
 * each frame carrying its partition columns: memory stays bounded by the largest file's bytes
 * plus one decoded row group, however large the dataset.
 *
 * @example
 * ```ts no-run
 * import { loadParquetDatasetBatches } from '@interop/pandas/node';
 * for await (const batch of loadParquetDatasetBatches('sales/')) console.log(batch.numRows);
 * ```
 * @throws {PandasError} every code of `loadParquetDataset`.
 */
export async function* loadParquetDatasetBatches(directory: string, options: LoadParquetDatasetOptions = {}): AsyncGenerator<DataFrameView, void, undefined> {
  yield* datasetFrames(directory, options, 'loadParquetDatasetBatches', true);
}

/**
 * Writes a frame as a hive-partitioned dataset: one directory level per `partitionBy` column
 * (`key=value`, values percent-encoded, nulls as `__HIVE_DEFAULT_PARTITION__`) and one
 * `part-0.parquet` per partition holding the other columns. `pyarrow.dataset`,
 * `pd.read_parquet(directory)`, Spark and Dask read it. Returns the paths written.
 *
 * @example
 * ```ts
 * import { mkdtempSync, rmSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { DataFrameView } from '@interop/pandas';
 * import { loadParquetDataset, saveParquetDataset } from '@interop/pandas/node';
 * const directory = mkdtempSync(join(tmpdir(), 'interop-dataset-'));
 * await saveParquetDataset(directory, DataFrameView.fromColumns({ year: [2024, 2025, 2024], x: [1, 2, 3] }), { partitionBy: ['year'] });
 * console.log((await loadParquetDataset(directory)).numRows); // 3
 * rmSync(directory, { recursive: true });
 * ```
 * @throws {PandasError} `ERR_PANDAS_COLUMN_NOT_FOUND` (a partition column), `ERR_INVALID_ARGUMENT` (no partition columns, all columns partitioned, a file that already exists), every code of `writeParquet`.
 */
export async function saveParquetDataset(directory: string, frame: DataFrameView, options: SaveParquetDatasetOptions): Promise<string[]> {
  const operation = 'saveParquetDataset';
  if (!(frame instanceof DataFrameView)) throw invalidArgument(operation, 'expects a DataFrameView.');
  const keys = options.partitionBy as readonly unknown[] | undefined;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'string'))
    throw invalidArgument(operation, 'partitionBy must be a non-empty array of column names.');
  const partitionColumns = keys.map((key) => frame.column(key));
  const stored = frame.columnNames.filter((name) => !keys.includes(name));
  if (stored.length === 0) throw invalidArgument(operation, 'every column is a partition column; at least one column must be stored in the files.');
  const groups = new Map<string, number[]>();
  for (let row = 0; row < frame.numRows; row++) {
    const segments = partitionColumns.map((column, position) => `${keys[position] as string}=${segment(column.get(row))}`);
    const path = segments.join('/');
    let rows = groups.get(path);
    if (rows === undefined) groups.set(path, (rows = []));
    rows.push(row);
  }
  const { partitionBy: _partitionBy, signal, onProgress, ...writeOptions } = options;
  const report = longOperation(operation, { signal, onProgress }, undefined);
  let done = 0;
  report(done);
  const written: string[] = [];
  try {
    for (const [path, rows] of groups) {
      const target = join(directory, ...path.split('/'), 'part-0.parquet');
      if (existsSync(target)) throw invalidArgument(operation, `${target} already exists; write the dataset to an empty directory.`);
      const part = gatherFrame(frame, Int32Array.from(rows), stored);
      const bytes = await writeParquet(part, writeOptions);
      mkdirSync(join(directory, ...path.split('/')), { recursive: true });
      await writeFileBytes(target, bytes, operation, { signal });
      written.push(target);
      report((done += bytes.length));
    }
  } catch (error) {
    // All or nothing: a failure or an abort removes the files this call wrote (the directories stay).
    for (const target of written) rmSync(target, { force: true });
    throw error;
  }
  return written;
}

function segment(value: ColumnValue): string {
  if (value === null) return NULL_PARTITION;
  return encodeURIComponent(String(value));
}

interface DatasetFile {
  readonly path: string;
  readonly partitions: readonly (readonly [string, string | null])[];
}

/** The data files of a dataset directory, sorted by path, with their `key=value` segments. */
function datasetFiles(directory: string, operation: string): DatasetFile[] {
  let root;
  try {
    root = statSync(directory);
  } catch (error) {
    throw invalidArgument(operation, `cannot open the dataset directory ${directory}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  if (!root.isDirectory()) throw invalidArgument(operation, `${directory} is not a directory.`);
  const files: DatasetFile[] = [];
  const walk = (current: string): void => {
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const partitions = relative(directory, current)
          .split(sep)
          .filter((part) => part.includes('='))
          .map((part) => {
            const at = part.indexOf('=');
            const raw = part.slice(at + 1);
            return [part.slice(0, at), raw === NULL_PARTITION ? null : safeDecode(raw)] as const;
          });
        files.push({ path, partitions });
      }
    }
  };
  walk(directory);
  if (files.length === 0)
    throw new PandasError('ERR_PANDAS_PARQUET_INVALID', `${operation}: the dataset directory ${directory} holds no data files.`, {
      details: { operation, source: directory },
    });
  const keys = files[0]?.partitions.map(([key]) => key).join('/');
  for (const file of files) {
    if (file.partitions.map(([key]) => key).join('/') !== keys) {
      throw new PandasError(
        'ERR_PANDAS_PARQUET_INVALID',
        `${operation}: ${file.path} is partitioned by ${file.partitions.map(([key]) => key).join('/') || 'nothing'} but ${files[0]?.path ?? ''} by ${keys ?? ''}; a hive dataset uses the same keys in every directory.`,
        {
          details: { operation, source: directory },
        },
      );
    }
  }
  return files;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The partition columns of a dataset: categorical, integer categories when every value is an integer. */
function partitionCategories(files: readonly DatasetFile[]): Map<string, { values: (string | null)[]; categories: Column; codes: Map<string, number> }> {
  const result = new Map<string, { values: (string | null)[]; categories: Column; codes: Map<string, number> }>();
  const count = files[0]?.partitions.length ?? 0;
  for (let position = 0; position < count; position++) {
    const key = files[0]?.partitions[position]?.[0] ?? '';
    const values = files.map((file) => file.partitions[position]?.[1] ?? null);
    const distinct = [...new Set(values.filter((value): value is string => value !== null))];
    const integers = distinct.length > 0 && distinct.every((value) => /^-?\d{1,18}$/.test(value));
    if (integers) distinct.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    else distinct.sort();
    const categories = integers
      ? Column.from(
          distinct.map((value) => BigInt(value)),
          'int64',
        )
      : Column.from(distinct, 'string');
    result.set(key, { values, categories, codes: new Map(distinct.map((value, code) => [value, code])) });
  }
  return result;
}

async function* datasetFrames(
  directory: string,
  options: LoadParquetDatasetOptions,
  operation: string,
  batches: boolean,
): AsyncGenerator<DataFrameView, void, undefined> {
  const files = datasetFiles(directory, operation);
  const partitions = partitionCategories(files);
  const keys = [...partitions.keys()];
  const requested = options.columns;
  const fileColumns = requested === undefined ? undefined : requested.filter((name) => !partitions.has(name));
  const wanted = prune(files, options.partitions, keys, operation);
  // When no file matches, the first file's schema (zero row groups) still gives the columns.
  const positions = wanted.length === 0 ? [0] : wanted;
  const { partitions: _partitions, signal, onProgress, ...readOptions } = options;
  // Progress counts the bytes of every file read so far; the signal is checked for every 16 MiB.
  const report = longOperation(operation, { signal, onProgress }, undefined);
  let done = 0;
  report(done);
  for (const position of positions) {
    const file = files[position] as DatasetFile;
    const settings = { ...readOptions, ...(fileColumns === undefined ? {} : { columns: fileColumns }), ...(wanted.length === 0 ? { rowGroups: [] } : {}) };
    const bytes = await readFileBytes(file.path, operation, { signal });
    report((done += bytes.length));
    const source = memory(bytes, file.path);
    {
      const layout = await inspect(source, operation);
      const selection = select(layout, settings, operation);
      const frames = batches
        ? iterateSelection(source, layout, selection, settings, operation)
        : once(readSelection(source, layout, selection, settings, operation));
      for await (const frame of frames) {
        const columns: (readonly [string, Column])[] = frame.columnNames.map((name) => [name, frame.column(name)] as const);
        for (const key of keys) {
          if (requested !== undefined && !requested.includes(key)) continue;
          const partition = partitions.get(key) as { values: (string | null)[]; categories: Column; codes: Map<string, number> };
          const value = partition.values[position] ?? null;
          const code = value === null ? -1 : (partition.codes.get(value) as number);
          const codes = new Int32Array(frame.numRows).fill(code);
          const validityBytes = value === null ? new Uint8Array(frame.numRows) : undefined;
          columns.push([
            key,
            Column.fromParts({
              type: { kind: 'categorical', codes: 'int32', ordered: false },
              values: codes,
              categories: partition.categories,
              ...(validityBytes === undefined ? {} : { validityBytes }),
            }),
          ]);
        }
        const ordered = requested === undefined ? columns : requested.map((name) => columns.find(([column]) => column === name) as readonly [string, Column]);
        yield DataFrameView.fromColumnList(ordered, { index: frame.index as FrameIndexInput, metadata: frame.metadata });
      }
    }
  }
}

/** The positions of the files whose partition values pass `filter`. */
function prune(files: readonly DatasetFile[], filter: LoadParquetDatasetOptions['partitions'], keys: readonly string[], operation: string): number[] {
  const all = files.map((_, position) => position);
  if (filter === undefined) return all;
  if (typeof filter !== 'object' || filter === null) throw invalidArgument(operation, 'partitions must be an object of partition key -> allowed values.');
  const tests = Object.entries(filter).map(([key, values]) => {
    const position = keys.indexOf(key);
    if (position < 0)
      throw new PandasError(
        'ERR_PANDAS_COLUMN_NOT_FOUND',
        `${operation}: ${JSON.stringify(key)} is not a partition key of the dataset; its keys are ${keys.map((name) => JSON.stringify(name)).join(', ') || 'none'}.`,
        { details: { operation, column: key } },
      );
    if (!Array.isArray(values)) throw invalidArgument(operation, `partitions.${key} must be an array of values.`);
    const allowed = new Set((values as readonly (string | number | bigint | boolean | null)[]).map((value) => (value === null ? null : String(value))));
    return (file: DatasetFile): boolean => allowed.has(file.partitions[position]?.[1] ?? null);
  });
  return all.filter((position) => tests.every((test) => test(files[position] as DatasetFile)));
}

async function* once(frame: Promise<DataFrameView>): AsyncGenerator<DataFrameView, void, undefined> {
  yield await frame;
}

function memory(bytes: Uint8Array, name: string): ParquetSource {
  return { name, byteLength: bytes.byteLength, bytes, read: (start, end) => bytes.subarray(start, end) };
}
