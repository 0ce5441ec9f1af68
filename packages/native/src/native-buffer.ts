import { cStrides, exportBuffer, ExportLock, getbuffer, releasebuffer, shapeSize, validateBufferInfo, type BufferInfo, type Exporter } from '@interop/core';
import { NativeError } from './errors/native-error.js';

/** How the items of a `NativeBuffer` are laid out in its memory. */
export interface NativeLayout {
  /** Byte offset of element [0, ..., 0] in the memory block. */
  readonly byteOffset: number;
  readonly format: string;
  readonly itemsize: number;
  readonly shape: readonly number[];
  /** Byte strides; absent for C order. */
  readonly strides?: readonly number[];
  readonly readonly: boolean;
}

/**
 * Native memory exported to JavaScript without a copy: an @interop/core exporter made by C/C++
 * code through `interop_export_memory` (interop/buffer.h). Its exports' `buffer` is a
 * SharedArrayBuffer over the native memory (created in O(1); it can be neither detached nor
 * transferred), or an external ArrayBuffer when the @interop/native addon itself is not built.
 * The native release callback runs once, after the last export is released and this object
 * (and every view of it) is unreachable. The memory never moves, so no operation is locked.
 *
 * @example
 * ```ts no-run
 * import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
 * const image = sampleAddon.createImage(640, 480, 3);   // a NativeBuffer made in C++
 * const info = getBuffer(image, BufferFlags.RECORDS_RO);
 * try { console.log(info.format, info.shape); } finally { releaseBuffer(info); }
 * ```
 */
export class NativeBuffer implements Exporter {
  readonly #lock = new ExportLock();
  readonly #memory: ArrayBuffer | SharedArrayBuffer;
  readonly #layout: NativeLayout;

  /**
   * Wraps `memory` with `layout` (validated against the block).
   *
   * @throws {NativeError} `ERR_BUFFER_INVALID_LAYOUT`, `ERR_BUFFER_OUT_OF_BOUNDS` when the layout does not fit.
   */
  constructor(memory: ArrayBuffer | SharedArrayBuffer, layout: NativeLayout) {
    this.#memory = memory;
    this.#layout = { ...layout, shape: [...layout.shape], ...(layout.strides === undefined ? {} : { strides: [...layout.strides] }) };
    const itemsize = layout.itemsize;
    const byteLength = shapeSize(layout.shape) * itemsize;
    try {
      validateBufferInfo({
        obj: this,
        buffer: memory,
        byteOffset: layout.byteOffset,
        byteLength,
        readonly: layout.readonly,
        itemsize,
        format: layout.format,
        ndim: layout.shape.length,
        shape: layout.shape,
        strides: layout.strides ?? null,
        suboffsets: null,
      });
    } catch (error) {
      const code = (error as { code?: string }).code === 'ERR_BUFFER_OUT_OF_BOUNDS' ? 'ERR_BUFFER_OUT_OF_BOUNDS' : 'ERR_BUFFER_INVALID_LAYOUT';
      throw new NativeError(code, `Cannot export native memory: ${(error as Error).message}`, { cause: error, details: { operation: 'exportNative' } });
    }
  }

  get format(): string {
    return this.#layout.format;
  }
  get itemsize(): number {
    return this.#layout.itemsize;
  }
  get shape(): readonly number[] {
    return this.#layout.shape;
  }
  /** Byte strides (C order when the exporter gave none). */
  get strides(): readonly number[] {
    return this.#layout.strides ?? cStrides(this.#layout.shape, this.#layout.itemsize);
  }
  get readonly(): boolean {
    return this.#layout.readonly;
  }
  /** Bytes of the logical array: itemsize x product(shape). */
  get nbytes(): number {
    return shapeSize(this.#layout.shape) * this.#layout.itemsize;
  }
  /** Live exports of this buffer. */
  get exports(): number {
    return this.#lock.exports;
  }

  [getbuffer](flags: number): BufferInfo {
    const layout = this.#layout;
    return exportBuffer(
      this,
      {
        buffer: this.#memory,
        byteOffset: layout.byteOffset,
        format: layout.format,
        itemsize: layout.itemsize,
        shape: layout.shape,
        ...(layout.strides === undefined ? {} : { strides: layout.strides }),
        readonly: layout.readonly,
      },
      flags,
      this.#lock,
    );
  }

  [releasebuffer](_info: BufferInfo): void {
    this.#lock.release();
  }
}
