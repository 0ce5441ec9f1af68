import { type BufferInfo, exportBuffer, type Exporter, ExportLock, getbuffer, type NumpyDatetimeField, type NumpyDescr, releasebuffer } from '@interop/core';

/**
 * A 1-D structured (record) buffer, as `toRecords` makes it: `length` records of `itemsize`
 * bytes, exported through the buffer protocol with a named struct format (`T{<i:a:2w:b:}`), the
 * layout of a NumPy structured array. `dtype` is the same layout as a NumPy descr, with the
 * datetime units the format cannot hold.
 *
 * @example
 * ```ts
 * import { getBuffer, releaseBuffer } from '@interop/core';
 * import { DataFrameView, toRecords } from '@interop/pandas';
 * const records = toRecords(DataFrameView.fromColumns({ a: Int32Array.of(1, 2) }));
 * const info = getBuffer(records); // format "T{<i:a:}", shape [2], itemsize 4
 * releaseBuffer(info);
 * ```
 */
export class RecordArray implements Exporter {
  readonly #lock = new ExportLock();
  readonly #data: Uint8Array;
  /** The PEP 3118 struct format of one record. */
  readonly format: string;
  /** Bytes per record. */
  readonly itemsize: number;
  /** Number of records. */
  readonly length: number;
  /** The NumPy descr of one record (what `np.save` writes into a `.npy` header). */
  readonly dtype: NumpyDescr;
  /** The int64 fields that hold datetime64 / timedelta64 values, with their units. */
  readonly datetimes: readonly NumpyDatetimeField[];

  /** @internal Built by `toRecords`. */
  constructor(data: Uint8Array, format: string, itemsize: number, length: number, dtype: NumpyDescr, datetimes: readonly NumpyDatetimeField[]) {
    this.#data = data;
    this.format = format;
    this.itemsize = itemsize;
    this.length = length;
    this.dtype = dtype;
    this.datetimes = datetimes;
  }

  /** `[length]`. */
  get shape(): [number] {
    return [this.length];
  }

  /** The record bytes (zero-copy). */
  get bytes(): Uint8Array {
    return this.#data;
  }

  /** Live exports of the records. */
  get exports(): number {
    return this.#lock.exports;
  }

  /** Exports the records: 1-D, `itemsize`-byte items of the struct `format`, writable. */
  [getbuffer](flags: number): BufferInfo {
    const data = this.#data;
    return exportBuffer(
      this,
      { buffer: data.buffer, byteOffset: data.byteOffset, format: this.format, itemsize: this.itemsize, shape: [this.length] },
      flags,
      this.#lock,
    );
  }

  /** Ends one export. */
  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }
}
