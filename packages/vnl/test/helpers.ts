import { ExportLock, exportBuffer, getbuffer, NATIVE_ENDIANNESS, releasebuffer, type BufferInfo, type BufferSegment, type Exporter } from '@interop/core';
import type { VnlArray } from '../src/index.js';

// The kit's assertion serves every package's tests.
export { expectBufferError } from '@interop/core/testing';

/**
 * A minimal test-only n-d array exporter: float64 / int32 / int16 / complex128 values written in
 * any order, byte order, stride, offset, or as indirect rows, so the vnl functions can be
 * checked on layouts TypedArrays cannot express.
 */
export class TestArray implements Exporter {
  readonly lock = new ExportLock();
  constructor(
    readonly bytes: Uint8Array,
    readonly layout: { format: string; shape: number[]; strides?: number[]; byteOffset?: number; readonly?: boolean; segments?: BufferSegment[] },
  ) {}

  [getbuffer](flags: number): BufferInfo {
    const { format, shape, strides, byteOffset = 0, readonly = false, segments } = this.layout;
    return exportBuffer(
      this,
      {
        buffer: this.bytes.buffer,
        byteOffset: this.bytes.byteOffset + byteOffset,
        format,
        shape,
        readonly,
        ...(strides === undefined ? {} : { strides }),
        ...(segments === undefined ? {} : { segments }),
      },
      flags,
      this.lock,
    );
  }

  [releasebuffer](): void {
    this.lock.release();
  }
}

type Code = 'd' | 'i' | 'h' | 'Zd' | 'q';
const sizes: Record<Code, number> = { d: 8, i: 4, h: 2, Zd: 16, q: 8 };

function writeItem(view: DataView, at: number, code: Code, value: number | bigint | readonly [number, number], little: boolean): void {
  if (code === 'd') view.setFloat64(at, value as number, little);
  else if (code === 'i') view.setInt32(at, value as number, little);
  else if (code === 'h') view.setInt16(at, value as number, little);
  else if (code === 'q') view.setBigInt64(at, value as bigint, little);
  else {
    const [re, im] = value as readonly [number, number];
    view.setFloat64(at, re, little);
    view.setFloat64(at + 8, im, little);
  }
}

export interface MakeOptions {
  /** Memory order of the 2-D data. */
  order?: 'C' | 'F';
  /** Byte order written in the format ('<' or '>'); default native with no prefix. */
  byteOrder?: '<' | '>';
  /** Gap (in items) after each item along the last axis: 1 makes a stride-2 array. */
  gap?: number;
  /** Bytes before the first item. */
  offset?: number;
  readonly?: boolean;
  /** Reverse the rows (a negative row stride). */
  reverseRows?: boolean;
}

/** A 2-D TestArray holding `rows` in the requested layout. */
export function makeMatrixArray(code: Code, rows: readonly (readonly (number | bigint | readonly [number, number])[])[], options: MakeOptions = {}): TestArray {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const size = sizes[code];
  const step = size * (1 + (options.gap ?? 0));
  const offset = options.offset ?? 0;
  const strides = options.order === 'F' ? [step, step * r] : [step * c, step];
  const bytes = new Uint8Array(offset + step * r * c + 16);
  const view = new DataView(bytes.buffer);
  const little = options.byteOrder === undefined ? NATIVE_ENDIANNESS === 'little' : options.byteOrder === '<';
  let first = offset;
  if (options.reverseRows === true && r > 0) {
    first = offset + (r - 1) * strides[0]!;
    strides[0] = -strides[0]!;
  }
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) writeItem(view, first + i * strides[0]! + j * strides[1]!, code, rows[i]![j]!, little);
  return new TestArray(bytes, { format: `${options.byteOrder ?? ''}${code}`, shape: [r, c], strides, byteOffset: first, readonly: options.readonly ?? false });
}

/** A 1-D TestArray holding `values` in the requested layout. */
export function makeVectorArray(code: Code, values: readonly (number | bigint | readonly [number, number])[], options: MakeOptions = {}): TestArray {
  const matrix = makeMatrixArray(code, [values], options);
  const { strides = [], shape } = matrix.layout;
  return new TestArray(matrix.bytes, { ...matrix.layout, shape: [shape[1]!], strides: [strides[1]!] });
}

/** A 2-D indirect TestArray: each row in its own buffer, reached through segments (PEP 3118 suboffsets). */
export function makeIndirectMatrix(rows: readonly (readonly number[])[]): TestArray {
  const c = rows[0]?.length ?? 0;
  const segments = rows.map((row) => {
    const data = new Float64Array(row);
    return { buffer: data.buffer, byteOffset: 0, byteLength: data.byteLength };
  });
  return new TestArray(new Uint8Array(0), { format: 'd', shape: [rows.length, c], strides: [8 * c, 8], segments });
}

/** Ends a view returned by the array functions. */
export function releaseArray(array: VnlArray): void {
  array.release();
}

/** Something the buffer protocol accepts that shows the same elements as `array`. */
export function arraySource(array: VnlArray): unknown {
  return array;
}
