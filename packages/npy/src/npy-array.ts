import {
  assertAttached,
  ExportLock,
  cStrides,
  exportBuffer,
  fStrides,
  getbuffer,
  layoutExtent,
  releasebuffer,
  type BufferInfo,
  type Exporter,
  type NumpyDatetimeField,
  type NumpyDescr,
} from '@interop/core';
import { NpyError } from './errors/npy-error.js';
import { descrInfo } from './internal/descr.js';
import type { NpyVersion } from './npy-header.js';

/** How to build an `NpyArray` around existing memory. */
export interface NpyArrayInit {
  /** The memory holding the items (element [0, ...] at `data[0]` unless `strides` has negative entries). */
  readonly data: Uint8Array;
  /** The NumPy dtype: a dtype string (`'<f4'`, `'<M8[ns]'`) or a structured descr. */
  readonly descr: NumpyDescr;
  readonly shape: readonly number[];
  /** Items stored column-major (Fortran order). Ignored when `strides` is given. */
  readonly fortranOrder?: boolean;
  /** Byte strides; defaults to C (or Fortran) order. Every element must lie inside `data`. */
  readonly strides?: readonly number[];
  /** Byte offset of element [0, ...] inside `data` (needed with negative strides). Default 0. */
  readonly offset?: number;
  /** Refuse writable exports. Default false. */
  readonly readonly?: boolean;
  /** The `.npy` version the array was read from (null when it was not read from a file). */
  readonly version?: NpyVersion | null;
  /** True when the reader had to copy the data (misaligned data offset). */
  readonly copied?: boolean;
  /** Called once by `close()` (e.g. to unmap a memory-mapped file). */
  readonly onClose?: () => void;
}

let checkUnlocked: ((array: NpyArray, operation: string) => void) | undefined;

/**
 * Throws `ERR_BUFFER_EXPORTED` while `array` has live exports: for operations of subclasses in this
 * package (unlinking a shared array) that the export lock must guard like `close()`.
 *
 * @internal
 */
export function assertNpyArrayUnlocked(array: NpyArray, operation: string): void {
  checkUnlocked?.(array, operation);
}

/**
 * A NumPy array read from (or to be written to) a `.npy` file: an exporter of the buffer protocol
 * with NumPy's metadata. Reading is zero-copy when the data is aligned; Fortran-order files are
 * exposed as Fortran-strided views, big-endian files with a `>` format.
 *
 * @example
 * ```ts
 * import { MemoryView } from '@interop/core';
 * import { NpyArray } from '@interop/npy';
 * const array = new NpyArray({ data: new Uint8Array(new Float64Array([1, 2, 3, 4]).buffer), descr: '<f8', shape: [2, 2] });
 * console.log(array.format, array.shape, array.nbytes); // "<d" [2, 2] 32
 * ```
 */
export class NpyArray implements Exporter {
  static {
    checkUnlocked = (array, operation) => array.#lock.assertUnlocked(operation);
  }
  readonly #lock = new ExportLock();
  #data: Uint8Array | null;
  /** Bytes `#data` had when wrapped: fewer now means its buffer was transferred or shrank. */
  readonly #dataLength: number;
  readonly #offset: number;
  readonly #onClose: (() => void) | undefined;
  /** The dtype exactly as the header spells it (a dtype string or a structured descr). */
  readonly dtype: NumpyDescr;
  /** The PEP 3118 format of one item; big-endian dtypes start with `>`. */
  readonly format: string;
  readonly itemsize: number;
  readonly shape: readonly number[];
  /** Byte strides: C order, or Fortran order for `fortranOrder` arrays. */
  readonly strides: readonly number[];
  /** True when the items are stored column-major (the header's `fortran_order`). */
  readonly fortranOrder: boolean;
  /** The `.npy` format version read, or null for arrays not read from a file. */
  readonly version: NpyVersion | null;
  /** True when reading had to copy (the data offset was not aligned for the dtype); false for a zero-copy view. */
  readonly copied: boolean;
  readonly readonly: boolean;
  /** The unit of `datetime64` / `timedelta64` arrays (exported as int64 `q`); null otherwise. */
  readonly timeUnit: NumpyDatetimeField | null;
  /** Byte alignment the items need for zero-copy typed access. */
  readonly alignment: number;

  /**
   * Wraps `init.data` (no copy).
   *
   * @throws {NpyError} `ERR_NPY_BAD_DESCR`, `ERR_NPY_UNSUPPORTED_DTYPE`, `ERR_NPY_OBJECT_DTYPE`, `ERR_INVALID_ARGUMENT` (shape, strides or data size).
   */
  constructor(init: NpyArrayInit) {
    const info = descrInfo(init.descr);
    const shape = [...init.shape];
    if (shape.length > 64 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      invalid(`shape ${JSON.stringify(init.shape)} must be at most 64 non-negative integers`);
    if (!(init.data instanceof Uint8Array)) invalid('data must be a Uint8Array');
    const fortranOrder = init.fortranOrder === true;
    const strides = init.strides === undefined ? (fortranOrder ? fStrides(shape, info.itemsize) : cStrides(shape, info.itemsize)) : [...init.strides];
    if (strides.length !== shape.length || !strides.every((s) => Number.isSafeInteger(s)))
      invalid(`strides ${JSON.stringify(init.strides)} must be ${shape.length} integers`);
    const offset = init.offset ?? 0;
    if (!Number.isSafeInteger(offset) || offset < 0) invalid(`offset ${String(offset)} must be a non-negative integer`);
    let nbytes = info.itemsize;
    for (const dim of shape) {
      nbytes *= dim;
      if (!Number.isSafeInteger(nbytes)) invalid(`shape ${JSON.stringify(shape)} is too large`);
    }
    const extent = layoutExtent(shape, strides, info.itemsize);
    if (extent !== null && (offset + extent.low < 0 || offset + extent.high > init.data.length)) {
      invalid(`the elements span bytes [${offset + extent.low}, ${offset + extent.high}) but data has ${init.data.length} bytes`);
    }
    this.#data = init.data;
    this.#dataLength = init.data.length;
    this.#offset = offset;
    this.#onClose = init.onClose;
    this.dtype = init.descr;
    this.format = info.format;
    this.itemsize = info.itemsize;
    this.alignment = info.alignment;
    this.shape = Object.freeze(shape);
    this.strides = Object.freeze(strides);
    this.fortranOrder = init.strides === undefined ? fortranOrder : false;
    this.version = init.version ?? null;
    this.copied = init.copied === true;
    this.readonly = init.readonly === true;
    this.timeUnit = info.timeUnit;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of items (product of the shape). */
  get size(): number {
    let count = 1;
    for (const dim of this.shape) count *= dim;
    return count;
  }

  get nbytes(): number {
    return this.size * this.itemsize;
  }

  /** Live exports (views) of this array; `close()` is refused while there are any. */
  get exports(): number {
    return this.#lock.exports;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#data === null;
  }

  /**
   * The raw item bytes, in storage order (C or Fortran, as in the file). A view, not a copy.
   *
   * @throws {NpyError} `ERR_BUFFER_RELEASED` after `close()`.
   */
  get bytes(): Uint8Array {
    const data = this.#live('bytes');
    const extent = layoutExtent(this.shape, this.strides, this.itemsize);
    if (extent === null) return data.subarray(this.#offset, this.#offset);
    return data.subarray(this.#offset + extent.low, this.#offset + extent.high);
  }

  #live(operation: string): Uint8Array {
    if (this.#data === null) {
      throw new NpyError('ERR_BUFFER_RELEASED', `Cannot ${operation}: this NpyArray was closed. Read the file again to get a new array.`, {
        details: { operation },
      });
    }
    // The bytes may have been transferred or shrunk behind the array's back.
    assertAttached(this.#data.byteLength, this.#dataLength, 'NpyArray', operation);
    return this.#data;
  }

  [getbuffer](flags: number): BufferInfo {
    const data = this.#live('getbuffer');
    return exportBuffer(
      this,
      {
        buffer: data.buffer,
        byteOffset: data.byteOffset + this.#offset,
        format: this.format,
        itemsize: this.itemsize,
        shape: this.shape,
        strides: this.strides,
        readonly: this.readonly,
      },
      flags,
      this.#lock,
    );
  }

  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }

  /**
   * Drops this array's hold on its memory (and unmaps a memory-mapped file). Refused while any
   * view of it is held.
   *
   * @example
   * ```ts no-run
   * const array = await loadNpy('big.npy', { mmap: true });
   * array.close();
   * ```
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while exports are held.
   */
  close(): void {
    this.#lock.assertUnlocked('close');
    if (this.#data === null) return;
    this.#data = null;
    this.#onClose?.();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function invalid(message: string): never {
  throw new NpyError('ERR_INVALID_ARGUMENT', `Cannot build an NpyArray: ${message}.`);
}
