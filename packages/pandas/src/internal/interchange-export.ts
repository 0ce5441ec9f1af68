import { type BufferInfo, ExportLock, exportBuffer, getbuffer, releasebuffer } from '@interop/core';
import type { Column } from '../column.js';
import type { DataFrameView } from '../data-frame-view.js';
import { PandasError } from '../errors/pandas-error.js';
import {
  dataframe,
  type InterchangeBuffer,
  type InterchangeCategoricalDescription,
  type InterchangeColumn,
  type InterchangeColumnBuffers,
  type InterchangeDataFrame,
  type InterchangeDtype,
  type InterchangeNullKind,
  type InterchangeOptions,
} from '../interchange-types.js';
import { columnDtype, scalarDtype } from './arrow-format.js';
import { copyBits } from './bits.js';
import { storageName } from './typed.js';

class MemoryBuffer implements InterchangeBuffer {
  readonly #lock = new ExportLock();
  readonly bytes: Uint8Array;
  readonly device = 'cpu' as const;

  constructor(view: ArrayBufferView) {
    this.bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }

  get bufsize(): number {
    return this.bytes.byteLength;
  }

  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.bytes.buffer, byteOffset: this.bytes.byteOffset, format: 'B', shape: [this.bytes.byteLength] }, flags, this.#lock);
  }

  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }
}

const validityDtype: InterchangeDtype = { kind: 'bool', bitWidth: 1, format: 'b', endianness: '=' };

class ColumnExchange implements InterchangeColumn {
  readonly #column: Column;
  readonly #options: InterchangeOptions;
  readonly offset = 0;
  readonly metadata: Readonly<Record<string, unknown>>;

  constructor(column: Column, options: InterchangeOptions, metadata: Readonly<Record<string, unknown>> = {}) {
    this.#column = column;
    this.#options = options;
    this.metadata = metadata;
  }

  size(): number {
    return this.#column.length;
  }

  get dtype(): InterchangeDtype {
    return columnDtype(this.#column.type, this.#column.offsets instanceof BigInt64Array);
  }

  get describeCategorical(): InterchangeCategoricalDescription | null {
    const column = this.#column;
    if (column.type.kind !== 'categorical' || column.categories === null) return null;
    return { isOrdered: column.type.ordered, isDictionary: true, categories: new ColumnExchange(column.categories, this.#options) };
  }

  get describeNull(): readonly [InterchangeNullKind, number | bigint | null] {
    if (this.#column.validity !== null) return ['bitmask', 0];
    const kind = this.#column.type.kind;
    if (this.#options.nanAsNull === true && (kind === 'float16' || kind === 'float32' || kind === 'float64')) return ['nan', null];
    return ['non-nullable', null];
  }

  get nullCount(): number | null {
    return this.#column.nullCount;
  }

  numChunks(): number {
    return 1;
  }

  *getChunks(count = 1): Iterable<InterchangeColumn> {
    for (const part of splitRanges(this.#column.length, count)) yield new ColumnExchange(this.#column.slice(part[0], part[1]), this.#options, this.metadata);
  }

  getBuffers(): InterchangeColumnBuffers {
    const column = this.#column;
    const dataDtype = column.type.kind === 'string' ? scalarDtype('uint8') : scalarDtype(storageName(column.type));
    let validity: InterchangeColumnBuffers['validity'] = null;
    if (column.validity !== null) {
      if (column.validity.offset !== 0 && this.#options.allowCopy === false) {
        throw new PandasError(
          'ERR_PANDAS_INTERCHANGE_INVALID',
          'The validity bitmap of this column starts mid-byte (a slice) and allowCopy is false; allow a copy or slice at a multiple of 8 rows.',
          { details: { operation: 'getBuffers' } },
        );
      }
      validity = [
        new MemoryBuffer(column.validity.offset === 0 ? column.validity.bitmap : copyBits(column.validity.bitmap, column.validity.offset, column.length)),
        validityDtype,
      ];
    }
    const offsets = column.offsets;
    return {
      data: [new MemoryBuffer(column.values), dataDtype],
      validity,
      offsets: offsets === null ? null : [new MemoryBuffer(offsets), scalarDtype(offsets instanceof BigInt64Array ? 'int64' : 'int32')],
    };
  }
}

class FrameExchange implements InterchangeDataFrame {
  readonly version = 0;
  readonly #frame: DataFrameView;
  readonly #options: InterchangeOptions;
  readonly metadata: Readonly<Record<string, unknown>>;

  constructor(frame: DataFrameView, options: InterchangeOptions) {
    this.#frame = frame;
    this.#options = options;
    this.metadata = { ...frame.metadata };
  }

  numColumns(): number {
    return this.#frame.numColumns;
  }

  numRows(): number {
    return this.#frame.numRows;
  }

  numChunks(): number {
    return 1;
  }

  columnNames(): string[] {
    return [...this.#frame.columnNames];
  }

  getColumn(position: number): InterchangeColumn {
    const name = this.#frame.columnNames[position];
    if (name === undefined) {
      throw new PandasError('ERR_PANDAS_COLUMN_NOT_FOUND', `Column position ${position} was asked of a frame of ${this.#frame.numColumns} columns.`, {
        details: { operation: 'getColumn', index: position },
      });
    }
    return this.getColumnByName(name);
  }

  getColumnByName(name: string): InterchangeColumn {
    return new ColumnExchange(this.#frame.column(name), this.#options, { name });
  }

  getColumns(): InterchangeColumn[] {
    return this.#frame.columnNames.map((name) => this.getColumnByName(name));
  }

  selectColumns(positions: readonly number[]): InterchangeDataFrame {
    return new FrameExchange(this.#frame.select(positions.map((position) => this.getColumnName(position))), this.#options);
  }

  selectColumnsByName(names: readonly string[]): InterchangeDataFrame {
    return new FrameExchange(this.#frame.select(names), this.#options);
  }

  *getChunks(count = 1): Iterable<InterchangeDataFrame> {
    for (const part of splitRanges(this.#frame.numRows, count)) yield new FrameExchange(this.#frame.slice(part[0], part[1]), this.#options);
  }

  [dataframe](): InterchangeDataFrame {
    return this;
  }

  private getColumnName(position: number): string {
    const name = this.#frame.columnNames[position];
    if (name === undefined)
      throw new PandasError('ERR_PANDAS_COLUMN_NOT_FOUND', `Column position ${position} was asked of a frame of ${this.#frame.numColumns} columns.`, {
        details: { operation: 'selectColumns', index: position },
      });
    return name;
  }
}

function splitRanges(length: number, count: number): [number, number][] {
  if (!Number.isInteger(count) || count < 1)
    throw new PandasError('ERR_INVALID_ARGUMENT', `getChunks: the chunk count must be a positive integer; received ${String(count)}.`, {
      details: { operation: 'getChunks' },
    });
  const size = Math.ceil(length / count);
  const out: [number, number][] = [];
  for (let part = 0; part < count; part++) out.push([Math.min(part * size, length), Math.min((part + 1) * size, length)]);
  return out;
}

export function frameToInterchange(frame: DataFrameView, options: InterchangeOptions): InterchangeDataFrame {
  return new FrameExchange(frame, options);
}
