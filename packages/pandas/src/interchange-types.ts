import type { Exporter } from '@interop/core';

/**
 * The well-known symbol of the JavaScript dataframe interchange protocol, modelled on Python's
 * `__dataframe__`: `table[dataframe](options?)` returns an `InterchangeDataFrame`. It is
 * `Symbol.for('__dataframe__')`, so a library can offer or consume it without importing this package.
 *
 * @example
 * ```ts
 * import { DataFrameView, dataframe } from '@interop/pandas';
 * const exchange = DataFrameView.fromColumns({ a: [1, 2] })[dataframe]();
 * console.log(exchange.numRows()); // 2
 * ```
 */
export const dataframe: unique symbol = Symbol.for('__dataframe__');

/** Options of `[dataframe](options)`, as Python's `__dataframe__(nan_as_null, allow_copy)`. */
export interface InterchangeOptions {
  /** Describe NaN in float columns as null (default false). */
  readonly nanAsNull?: boolean;
  /** Allow the producer to copy to satisfy the protocol (default true); false makes it refuse instead. */
  readonly allowCopy?: boolean;
}

/** Kinds of `InterchangeDtype` (Python's `DtypeKind`; timedeltas are `datetime` with an Arrow `tD*` format, as in Python). */
export type InterchangeDtypeKind = 'int' | 'uint' | 'float' | 'bool' | 'string' | 'datetime' | 'categorical';

/** A data type: kind, bit width, Arrow C data interface format string and byte order. */
export interface InterchangeDtype {
  readonly kind: InterchangeDtypeKind;
  readonly bitWidth: number;
  /** Arrow C data interface format string (`"l"`, `"g"`, `"u"`, `"U"`, `"tsn:UTC"`, `"tDs"`...). */
  readonly format: string;
  /** `"="` native, `"<"` little, `">"` big, `"|"` not applicable (as Python's protocol). */
  readonly endianness: '=' | '<' | '>' | '|';
}

/** How missing values are represented (Python's `ColumnNullType`). */
export type InterchangeNullKind = 'non-nullable' | 'nan' | 'sentinel' | 'bitmask' | 'bytemask';

/**
 * A contiguous block of memory: `bufsize` bytes, readable as `bytes` or through the buffer
 * protocol (`getBuffer(buffer)`), which is how the JS protocol replaces Python's `ptr`.
 */
export interface InterchangeBuffer extends Exporter {
  readonly bufsize: number;
  /** The memory as bytes (a view, no copy). */
  readonly bytes: Uint8Array;
  /** Where the memory lives; always `"cpu"` in JavaScript. */
  readonly device: 'cpu';
}

/** A buffer with the dtype of its items. */
export type InterchangeTypedBuffer = readonly [InterchangeBuffer, InterchangeDtype];

/** The buffers of one column chunk (Python's `ColumnBuffers`). */
export interface InterchangeColumnBuffers {
  readonly data: InterchangeTypedBuffer;
  readonly validity: InterchangeTypedBuffer | null;
  readonly offsets: InterchangeTypedBuffer | null;
}

/** Describes a categorical column (Python's `CategoricalDescription`). */
export interface InterchangeCategoricalDescription {
  readonly isOrdered: boolean;
  /** True when `categories` maps codes to values. */
  readonly isDictionary: boolean;
  readonly categories: InterchangeColumn | null;
}

/** One column of an interchange frame (Python's `Column`). */
export interface InterchangeColumn {
  size(): number;
  /** Offset of the first element in the data buffer, in elements (bits, for bit-packed buffers). */
  readonly offset: number;
  readonly dtype: InterchangeDtype;
  /** Null for columns that are not categorical. */
  readonly describeCategorical: InterchangeCategoricalDescription | null;
  /** The null representation and its value (the sentinel, or the bit/byte that marks null). */
  readonly describeNull: readonly [InterchangeNullKind, number | bigint | null];
  readonly nullCount: number | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  numChunks(): number;
  getChunks(count?: number): Iterable<InterchangeColumn>;
  getBuffers(): InterchangeColumnBuffers;
}

/** A frame offered through the protocol (Python's `DataFrame` of the interchange protocol). */
export interface InterchangeDataFrame {
  /** Protocol version (0, as Python's). */
  readonly version: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  numColumns(): number;
  numRows(): number | null;
  numChunks(): number;
  columnNames(): Iterable<string>;
  getColumn(position: number): InterchangeColumn;
  getColumnByName(name: string): InterchangeColumn;
  getColumns(): Iterable<InterchangeColumn>;
  selectColumns(positions: readonly number[]): InterchangeDataFrame;
  selectColumnsByName(names: readonly string[]): InterchangeDataFrame;
  getChunks(count?: number): Iterable<InterchangeDataFrame>;
  /** Returns itself (Python's `__dataframe__` on the interchange object). */
  [dataframe](options?: InterchangeOptions): InterchangeDataFrame;
}

/** Anything that offers the protocol. */
export interface InterchangeSource {
  [dataframe](options?: InterchangeOptions): InterchangeDataFrame;
}
