import { BufferFlags, getBuffer, isExporter, releaseBuffer } from '@interop/core';
import { Column, describe } from './column.js';
import type { ColumnType, IntegerTypeName } from './column-type.js';
import { DataFrameView } from './data-frame-view.js';
import { PandasError } from './errors/pandas-error.js';
import { dataframe, type InterchangeBuffer, type InterchangeColumn, type InterchangeDataFrame, type InterchangeDtype } from './interchange-types.js';
import { parseTimeFormat, scalarFromFormat } from './internal/arrow-format.js';
import { concatColumns } from './internal/concat.js';
import { valuesConstructor } from './internal/typed.js';

/**
 * Builds a `DataFrameView` from any object offering the dataframe interchange protocol
 * (`obj[Symbol.for('__dataframe__')]()`), or from an interchange frame itself. Single-chunk
 * columns share the producer's memory; multi-chunk columns are concatenated (one copy).
 *
 * @example
 * ```ts
 * import { DataFrameView, fromInterchange } from '@interop/pandas';
 * const source = DataFrameView.fromColumns({ a: [1, null, 3] });
 * const copy = fromInterchange(source);
 * console.log(copy.column('a').toArray()); // [1, null, 3]
 * ```
 * @throws {PandasError} `ERR_PANDAS_INTERCHANGE_INVALID` (not a protocol object, malformed buffers), `ERR_PANDAS_UNSUPPORTED_TYPE` (a dtype with no column type, named), `ERR_SHAPE_MISMATCH`, `ERR_PANDAS_DUPLICATE_NAME`.
 */
export function fromInterchange(source: unknown): DataFrameView {
  const exchange = toInterchangeFrame(source);
  const names = [...exchange.columnNames()];
  const columns = names.map((name) => {
    const column = exchange.getColumnByName(name);
    const chunks = [...column.getChunks()].map((chunk) => importColumn(chunk, name));
    return [name, chunks.length === 0 ? emptyLike(importColumn(column, name)) : concatColumns(chunks, name)] as const;
  });
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(exchange.metadata ?? {})) if (typeof value === 'string') metadata[key] = value;
  return DataFrameView.fromColumnList(columns, { metadata });
}

function toInterchangeFrame(source: unknown): InterchangeDataFrame {
  if (typeof source === 'object' && source !== null) {
    const hook = (source as Record<symbol, unknown>)[dataframe];
    if (typeof hook === 'function') {
      const frame = (hook as (options: object) => unknown).call(source, { allowCopy: true });
      if (isInterchangeFrame(frame)) return frame;
    } else if (isInterchangeFrame(source)) return source;
  }
  throw new PandasError(
    'ERR_PANDAS_INTERCHANGE_INVALID',
    `${describe(source)} does not offer the dataframe interchange protocol: it has no [Symbol.for('__dataframe__')] method returning an object with columnNames(), getColumnByName() and numRows().`,
    {
      details: { operation: 'fromInterchange' },
    },
  );
}

function isInterchangeFrame(value: unknown): value is InterchangeDataFrame {
  const frame = value as Partial<InterchangeDataFrame> | null;
  return (
    typeof frame === 'object' &&
    frame !== null &&
    typeof frame.columnNames === 'function' &&
    typeof frame.getColumnByName === 'function' &&
    typeof frame.numRows === 'function'
  );
}

function emptyLike(column: Column): Column {
  return column.slice(0, 0);
}

function bytesOf(buffer: InterchangeBuffer | undefined, what: string, name: string): Uint8Array {
  if (buffer === undefined) throw malformed(name, `the ${what} buffer is missing`);
  if (buffer.bytes instanceof Uint8Array) return buffer.bytes;
  if (isExporter(buffer)) {
    // The producer keeps ownership of its memory (as in Python's protocol): read it, then release.
    const info = getBuffer(buffer, BufferFlags.SIMPLE);
    try {
      return new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
    } finally {
      releaseBuffer(info);
    }
  }
  throw malformed(name, `the ${what} buffer has neither bytes nor the buffer protocol`);
}

function typedView(type: ColumnType, bytes: Uint8Array, offset: number, length: number, name: string): ArrayBufferView {
  const Constructor = valuesConstructor(type);
  const size = Constructor.BYTES_PER_ELEMENT;
  const start = bytes.byteOffset + offset * size;
  if ((offset + length) * size > bytes.byteLength)
    throw malformed(name, `the data buffer holds ${bytes.byteLength} bytes but ${length} values from element ${offset} need ${(offset + length) * size}`);
  if (start % size !== 0) {
    const copy = new Uint8Array(length * size);
    copy.set(bytes.subarray(offset * size, (offset + length) * size));
    return new Constructor(copy.buffer, 0, length);
  }
  return new Constructor(bytes.buffer, start, length);
}

function importColumn(column: InterchangeColumn, name: string): Column {
  const length = column.size();
  const offset = column.offset ?? 0;
  const dtype = column.dtype;
  const buffers = column.getBuffers();
  const data = bytesOf(buffers.data[0], 'data', name);
  const [nullKind, nullValue] = column.describeNull;
  let validity: { bitmap: Uint8Array; offset: number } | undefined;
  let validityBytes: Uint8Array | undefined;
  if (nullKind === 'bitmask' || nullKind === 'bytemask') {
    if (buffers.validity === null) throw malformed(name, `describeNull says ${nullKind} but getBuffers() has no validity buffer`);
    const raw = bytesOf(buffers.validity[0], 'validity', name);
    if (nullKind === 'bitmask') {
      // Python's protocol lets the null bit be 0 or 1; Arrow's (and ours) is "set = valid".
      const bitmap = nullValue === 1 ? raw.map((byte) => ~byte & 0xff) : raw;
      validity = { bitmap, offset };
    } else {
      const slice = raw.subarray(offset, offset + length);
      validityBytes = nullValue === 1 ? slice.map((byte) => (byte === 0 ? 1 : 0)) : slice.map((byte) => (byte === 0 ? 0 : 1));
    }
  } else if (nullKind === 'sentinel' && dtype.kind !== 'categorical') {
    throw new PandasError(
      'ERR_PANDAS_UNSUPPORTED_TYPE',
      `Column "${name}" marks nulls with a sentinel value (${String(nullValue)}); only bitmask, bytemask, NaN and non-nullable columns are supported.`,
      { details: { operation: 'fromInterchange', column: name } },
    );
  }
  const nulls = validityBytes !== undefined ? { validityBytes } : validity !== undefined ? { validity } : {};
  if (dtype.kind === 'string') {
    if (buffers.offsets === null) throw malformed(name, 'a string column has no offsets buffer');
    const offsetBytes = bytesOf(buffers.offsets[0], 'offsets', name);
    const large = buffers.offsets[1].bitWidth === 64;
    const offsets = typedView(large ? { kind: 'int64' } : { kind: 'int32' }, offsetBytes, offset, length + 1, name) as Int32Array | BigInt64Array;
    return Column.fromParts({ type: 'string', values: data, offsets, length, ...nulls });
  }
  if (dtype.kind === 'categorical') {
    const description = column.describeCategorical;
    if (description === null || description.categories === null || !description.isDictionary)
      throw malformed(name, 'a categorical column has no categories dictionary');
    const categories = importColumn(description.categories, `${name} (categories)`);
    const codesName = scalarFromFormat(buffers.data[1].format);
    if (codesName === undefined || !codesName.includes('int')) throw unsupported(name, buffers.data[1]);
    const type: ColumnType = { kind: 'categorical', codes: codesName as IntegerTypeName, ordered: description.isOrdered };
    const values = typedView(type, data, offset, length, name);
    if (nullKind === 'sentinel') {
      const bytes = new Uint8Array(length);
      for (let index = 0; index < length; index++) bytes[index] = Number((values as Int32Array)[index]) === Number(nullValue) ? 0 : 1;
      return Column.fromParts({ type, values, categories, validityBytes: bytes });
    }
    return Column.fromParts({ type, values, categories, ...nulls });
  }
  let type: ColumnType;
  if (dtype.kind === 'datetime') {
    const time = parseTimeFormat(dtype.format);
    if (time === null) throw unsupported(name, dtype);
    type = time;
  } else if (dtype.kind === 'bool' && dtype.bitWidth === 1) {
    return Column.fromParts({ type: 'bool', values: data, bitPacked: true, bitOffset: offset, length, ...nulls });
  } else {
    const scalar = scalarFromFormat(dtype.format);
    if (scalar === undefined) throw unsupported(name, dtype);
    type = { kind: scalar };
  }
  return Column.fromParts({ type, values: typedView(type, data, offset, length, name), length, ...nulls });
}

function unsupported(name: string, dtype: InterchangeDtype): PandasError {
  return new PandasError(
    'ERR_PANDAS_UNSUPPORTED_TYPE',
    `Column "${name}" has interchange dtype ${dtype.kind} (format "${dtype.format}", ${dtype.bitWidth} bits), which has no DataFrameView column type.`,
    {
      details: { operation: 'fromInterchange', column: name, format: dtype.format },
    },
  );
}

function malformed(name: string, message: string): PandasError {
  return new PandasError('ERR_PANDAS_INTERCHANGE_INVALID', `Column "${name}": ${message}.`, { details: { operation: 'fromInterchange', column: name } });
}
