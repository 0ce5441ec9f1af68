import { InteropError } from '@interop/core';
import { type RecordBatch, Table as ArrowTable, type Table } from 'apache-arrow';
import { parseRecordBatch, parseTable } from 'arrow-js-ffi';
import { fromArrowTable } from '../arrow.js';
import { readArrowIPC } from '../arrow-ipc.js';
import { Column } from '../column.js';
import { DataFrameView, type FrameIndexInput } from '../data-frame-view.js';
import { concatColumns } from './concat.js';
import { PandasError } from '../errors/pandas-error.js';
import { defaultMaxDecompressedBytes } from './codecs.js';
import { readPandasMetadata } from './pandas-metadata.js';
import { checkRowGroup, footerStartOf, type ParquetBudget, type ParquetLayout, type RangeReader, readLayout } from './parquet-bounds.js';
import { loadParquetEngine, type ParquetEngine } from './parquet-engine.js';

/**
 * A Parquet file as the readers see it: the whole file in memory. parquet-wasm's asynchronous
 * range reader (ParquetFile) is not used: on a corrupt page it panics inside a callback (an
 * uncaught WebAssembly trap that would end the process) and its promise never settles, while
 * the synchronous reader returns the error.
 */
export interface ParquetSource {
  readonly name: string;
  readonly byteLength: number;
  readonly read: RangeReader;
  readonly bytes: Uint8Array;
}

/** Read options shared by every Parquet reader. */
export interface ParquetReadSettings {
  readonly columns?: readonly string[] | undefined;
  readonly rowGroups?: readonly number[] | undefined;
  readonly maxDecompressedBytes?: number | undefined;
  readonly pandasMetadata?: boolean | undefined;
  readonly batchSize?: number | undefined;
}

/** Wraps anything that is not already typed as a corrupt-file error naming the source. */
export function parquetInvalid(error: unknown, source: string, operation: string): InteropError<string> {
  if (InteropError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new PandasError(
    'ERR_PANDAS_PARQUET_INVALID',
    `Cannot read ${source} as Parquet: ${reason}. Check that it is a complete Parquet file (pandas' to_parquet, pyarrow.parquet.write_table), not truncated or corrupted.`,
    {
      cause: error,
      details: { operation, source },
    },
  );
}

export function invalidArgument(operation: string, message: string): PandasError {
  return new PandasError('ERR_INVALID_ARGUMENT', `${operation}: ${message}`, { details: { operation } });
}

export function budgetFor(settings: ParquetReadSettings, source: ParquetSource, operation: string): ParquetBudget {
  const explicit = settings.maxDecompressedBytes !== undefined;
  const limit = settings.maxDecompressedBytes ?? defaultMaxDecompressedBytes(source.byteLength);
  if (typeof limit !== 'number' || !(limit >= 0) || (!Number.isSafeInteger(limit) && limit !== Number.POSITIVE_INFINITY)) {
    throw invalidArgument(operation, `maxDecompressedBytes must be a non-negative integer or Infinity; received ${String(limit)}.`);
  }
  return { limit, source: source.name, inputBytes: source.byteLength, explicit, operation, used: 0 };
}

/** Reads and checks the footer of a source. */
export async function inspect(source: ParquetSource, operation: string): Promise<ParquetLayout> {
  try {
    if (source.byteLength < 12) footerStartOf(new Uint8Array(8), source.byteLength);
    const last8 = await source.read(source.byteLength - 8, source.byteLength);
    const footerStart = footerStartOf(last8, source.byteLength);
    const head = await source.read(0, 4);
    const tail = await source.read(footerStart, source.byteLength);
    return readLayout(head, tail, source.byteLength, footerStart);
  } catch (error) {
    throw parquetInvalid(error, source.name, operation);
  }
}

/** The row groups and columns a read selects, validated against the file. */
export interface Selection {
  readonly rowGroups: readonly number[];
  /** Field names to decode (null: all), including pandas index columns. */
  readonly fields: readonly string[] | null;
  /** The columns the caller asked for, in the order asked (null: all). */
  readonly requested: readonly string[] | null;
}

export function select(layout: ParquetLayout, settings: ParquetReadSettings, operation: string): Selection {
  const count = layout.metadata.row_groups.length;
  let rowGroups: number[];
  if (settings.rowGroups === undefined) rowGroups = Array.from({ length: count }, (_, index) => index);
  else {
    if (!Array.isArray(settings.rowGroups)) throw invalidArgument(operation, 'rowGroups must be an array of row group numbers.');
    rowGroups = [...(settings.rowGroups as readonly unknown[])].map((group) => {
      if (typeof group !== 'number' || !Number.isSafeInteger(group) || group < 0 || group >= count) {
        throw new PandasError(
          'ERR_INDEX_OUT_OF_RANGE',
          `${operation}: row group ${String(group)} does not exist; the file has ${count} row groups (0..${count - 1}).`,
          { details: { operation, rowGroup: String(group), rowGroups: count } },
        );
      }
      return group;
    });
  }
  if (settings.columns === undefined) return { rowGroups, fields: null, requested: null };
  if (!Array.isArray(settings.columns)) throw invalidArgument(operation, 'columns must be an array of column names.');
  const requested = [...(settings.columns as readonly unknown[])].map((name) => {
    if (typeof name !== 'string' || !layout.fields.includes(name)) {
      throw new PandasError(
        'ERR_PANDAS_COLUMN_NOT_FOUND',
        `${operation}: column ${JSON.stringify(name)} is not in the file; its columns are ${layout.fields.map((field) => JSON.stringify(field)).join(', ')}.`,
        { details: { operation, column: String(name) } },
      );
    }
    return name;
  });
  const fields = new Set(requested);
  // pandas reads the index columns with any column selection; so do we.
  const pandas = settings.pandasMetadata === false ? null : readPandasMetadata(layout.keyValueMetadata['pandas']);
  for (const entry of pandas?.index_columns ?? []) if (typeof entry === 'string' && layout.fields.includes(entry)) fields.add(entry);
  return { rowGroups, fields: layout.fields.filter((field) => fields.has(field)), requested };
}

/** The first row of each row group. */
function rowGroupStarts(layout: ParquetLayout): number[] {
  const starts: number[] = [];
  let row = 0;
  for (const group of layout.metadata.row_groups) {
    starts.push(row);
    row += Number(group.num_rows);
  }
  return starts;
}

/** Checks the selected chunks, then decodes them with parquet-wasm into one frame. */
export async function readSelection(
  source: ParquetSource,
  layout: ParquetLayout,
  selection: Selection,
  settings: ParquetReadSettings,
  operation: string,
): Promise<DataFrameView> {
  const budget = budgetFor(settings, source, operation);
  const fieldSet = selection.fields === null ? null : new Set(selection.fields);
  try {
    for (const group of selection.rowGroups) await checkRowGroup(layout, group, fieldSet, source.read, budget);
  } catch (error) {
    throw parquetInvalid(error, source.name, operation);
  }
  const engine = await loadParquetEngine(operation);
  const rows = selection.rowGroups.reduce((sum, group) => sum + Number(layout.metadata.row_groups[group]?.num_rows ?? 0), 0);
  // arrow-rs merges the per-row-group dictionaries of a categorical by re-encoding them in order
  // of first appearance, losing pandas' category order: such selections are read one row group
  // per call (each keeps its dictionary page as written) and concatenated, which unifies the
  // categories in the order of the first row group's dictionary.
  const groups = selection.rowGroups.length > 1 && hasCategorical(layout, selection) ? selection.rowGroups.map((group) => [group]) : [selection.rowGroups];
  const parts: DataFrameView[] = [];
  if (rows === 0) {
    let ipc: Uint8Array;
    try {
      ipc = engine.readSchema(source.bytes).intoIPCStream();
    } catch (error) {
      throw parquetInvalid(error, source.name, operation);
    }
    parts.push(fromIpc(ipc, source, settings, operation));
  }
  for (const part of rows === 0 ? [] : groups) {
    const partRows = part.reduce((sum, group) => sum + Number(layout.metadata.row_groups[group]?.num_rows ?? 0), 0);
    const options = { batchSize: Math.max(1, partRows), rowGroups: [...part], ...(selection.fields === null ? {} : { columns: [...selection.fields] }) };
    parts.push(fromArrow(decodeCopied(engine, source, options, operation), source, settings, operation));
  }
  const frame = concatParts(parts, source.name, operation);
  return finish(frame, layout, selection, selection.rowGroups, 0);
}

/**
 * Yields the selection one row group (or `batchSize` rows of one) at a time: only that row
 * group's pages are checked, read and decoded, so memory is bounded by the largest row group.
 */
export async function* iterateSelection(
  source: ParquetSource,
  layout: ParquetLayout,
  selection: Selection,
  settings: ParquetReadSettings,
  operation: string,
): AsyncGenerator<DataFrameView, void, undefined> {
  const batchSize = settings.batchSize;
  if (batchSize !== undefined && (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1))
    throw invalidArgument(operation, `batchSize must be a positive integer; received ${String(batchSize)}.`);
  const fieldSet = selection.fields === null ? null : new Set(selection.fields);
  const engine: ParquetEngine = await loadParquetEngine(operation);
  for (const group of selection.rowGroups) {
    const budget = budgetFor(settings, source, operation);
    try {
      await checkRowGroup(layout, group, fieldSet, source.read, budget);
    } catch (error) {
      throw parquetInvalid(error, source.name, operation);
    }
    const rows = Number(layout.metadata.row_groups[group]?.num_rows ?? 0);
    if (rows === 0) continue;
    const options = {
      batchSize: Math.max(1, Math.min(batchSize ?? rows, rows)),
      rowGroups: [group],
      ...(selection.fields === null ? {} : { columns: [...selection.fields] }),
    };
    // One row group decoded at a time; its batches are handed over one by one.
    let table: ReturnType<ParquetEngine['readParquet']>;
    try {
      table = engine.readParquet(source.bytes, options);
    } catch (error) {
      throw parquetInvalid(error, source.name, operation);
    }
    try {
      let offset = 0;
      for (let index = 0; index < table.numBatches; index++) {
        let batch: Table;
        try {
          const wasmBatch = table.recordBatch(index);
          if (wasmBatch === undefined) throw new Error(`record batch ${index} of row group ${group} is missing`);
          const ffi = wasmBatch.intoFFI();
          try {
            batch = new ArrowTable([copyBatch(engine.wasmMemory().buffer, ffi.arrayAddr(), ffi.schemaAddr(), true)]);
          } finally {
            ffi.free();
          }
        } catch (error) {
          throw parquetInvalid(error, source.name, operation);
        }
        const frame = finish(fromArrow(batch, source, settings, operation), layout, selection, [group], offset);
        offset += frame.numRows;
        yield frame;
      }
    } finally {
      table.free();
    }
  }
}

function hasCategorical(layout: ParquetLayout, selection: Selection): boolean {
  // Fields the Arrow schema stores as dictionaries, or pandas marks categorical.
  return [...layout.categoricals].some((field) => selection.fields === null || selection.fields.includes(field));
}

/**
 * Concatenates frames with the same columns (one copy per column); a column index is concatenated,
 * a range index is the first part's (`keepRange`, parts of one file) or restarts at 0 (files of a
 * dataset). `noun` names the parts in the error message.
 */
export function concatParts(
  parts: readonly DataFrameView[],
  source: string,
  operation: string,
  { keepRange = true, noun = 'parts' }: { readonly keepRange?: boolean; readonly noun?: string } = {},
): DataFrameView {
  const first = parts[0];
  if (first === undefined) throw parquetInvalid(new Error('no data was decoded'), source, operation);
  if (parts.length === 1) return first;
  const names = first.columnNames;
  for (const part of parts) {
    if (part.columnNames.join('\u0000') !== names.join('\u0000')) {
      throw new PandasError(
        'ERR_PANDAS_PARQUET_INVALID',
        `${operation}: the ${noun} of ${source} have different columns (${names.join(', ')} and ${part.columnNames.join(', ')}).`,
        { details: { operation, source } },
      );
    }
  }
  const columns = names.map(
    (name) =>
      [
        name,
        concatColumns(
          parts.map((part) => part.column(name)),
          name,
        ),
      ] as const,
  );
  const indexed = parts.every((part) => part.index.kind === 'column');
  const index: FrameIndexInput = indexed
    ? {
        kind: 'column',
        column: concatColumns(
          parts.map((part) => (part.index as { column: Column }).column),
          'index',
        ),
        name: first.index.name,
      }
    : keepRange && first.index.kind === 'range'
      ? { kind: 'range', start: first.index.start, step: first.index.step, name: first.index.name }
      : { kind: 'range', start: 0, step: 1, name: null };
  return DataFrameView.fromColumnList(columns, { index, metadata: first.metadata });
}

/**
 * Decodes with parquet-wasm and copies the result out of WebAssembly memory through the Arrow C
 * data interface (arrow-js-ffi, `copy = true`): one copy per buffer, where the IPC hand-over
 * serializes inside WebAssembly and copies again. The structures are parquet-wasm's own output
 * (the file's sizes were checked before decoding), and the copies never alias WebAssembly memory,
 * which a later read may grow (detaching views of it).
 */
// arrow-js-ffi's declarations re-export apache-arrow generics that typescript-eslint cannot
// resolve through its package layout; this is its signature as used here.
const copyTable = parseTable as unknown as (buffer: ArrayBuffer, arrayPointers: Uint32Array, schemaPointer: number, copy: true) => Table;

const copyBatch = parseRecordBatch as unknown as (buffer: ArrayBuffer, arrayPointer: number, schemaPointer: number, copy: true) => RecordBatch;

function decodeCopied(
  engine: ParquetEngine,
  source: ParquetSource,
  options: { batchSize: number; rowGroups: number[]; columns?: string[] },
  operation: string,
): Table {
  try {
    const stream = engine.readParquet(source.bytes, options).intoFFI();
    try {
      return copyTable(engine.wasmMemory().buffer, stream.arrayAddrs(), stream.schemaAddr(), true);
    } finally {
      stream.drop();
    }
  } catch (error) {
    throw parquetInvalid(error, source.name, operation);
  }
}

function fromArrow(table: Table, source: ParquetSource, settings: ParquetReadSettings, operation: string): DataFrameView {
  try {
    return fromArrowTable(table, settings.pandasMetadata === undefined ? {} : { pandasMetadata: settings.pandasMetadata });
  } catch (error) {
    throw parquetInvalid(error, source.name, operation);
  }
}

function fromIpc(ipc: Uint8Array, source: ParquetSource, settings: ParquetReadSettings, operation: string): DataFrameView {
  try {
    return readArrowIPC(ipc, {
      source: source.name,
      maxDecompressedBytes: Number.POSITIVE_INFINITY,
      ...(settings.pandasMetadata === undefined ? {} : { pandasMetadata: settings.pandasMetadata }),
    });
  } catch (error) {
    if (PandasError.isInstance(error) && error.code !== 'ERR_PANDAS_IPC_INVALID') throw error;
    throw parquetInvalid(error, source.name, operation);
  }
}

/**
 * Puts the requested columns in the requested order and makes a RangeIndex describe the rows
 * actually read: pandas' metadata describes the whole file, a row-group read starts elsewhere.
 */
function finish(frame: DataFrameView, layout: ParquetLayout, selection: Selection, groups: readonly number[], offsetInGroup: number): DataFrameView {
  let result = selection.requested === null ? frame : frame.select(selection.requested);
  const index = result.index;
  const all = groups.length === layout.metadata.row_groups.length && groups.every((group, position) => group === position);
  if (index.kind !== 'range' || (all && offsetInGroup === 0)) return result;
  const starts = rowGroupStarts(layout);
  const contiguous = groups.every((group, position) => position === 0 || group === (groups[position - 1] as number) + 1);
  const columns = result.columnNames.map((name) => [name, result.column(name)] as const);
  const metadata = result.metadata;
  if (contiguous) {
    const first = (starts[groups[0] ?? 0] ?? 0) + offsetInGroup;
    result = DataFrameView.fromColumnList(columns, {
      metadata,
      index: { kind: 'range', start: index.start + index.step * first, step: index.step, name: index.name },
    });
    return result;
  }
  const labels = new BigInt64Array(result.numRows);
  let at = 0;
  for (const group of groups) {
    const start = starts[group] ?? 0;
    const rows = Number(layout.metadata.row_groups[group]?.num_rows ?? 0);
    for (let row = 0; row < rows && at < labels.length; row++) labels[at++] = BigInt(index.start + index.step * (start + row));
  }
  return DataFrameView.fromColumnList(columns, {
    metadata,
    index: { kind: 'column', column: Column.fromParts({ type: 'int64', values: labels }), name: index.name },
  });
}
