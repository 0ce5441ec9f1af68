import type { getbuffer, releasebuffer } from './symbols.js';

/** The memory an export lives in. */
export type BufferSource = ArrayBuffer | SharedArrayBuffer;

/**
 * One separately allocated block of an indirect buffer: the JavaScript form of a PEP 3118
 * suboffset pointer. See docs/spec/buffer-protocol.md, "Indirect buffers".
 */
export interface BufferSegment {
  readonly buffer: BufferSource;
  readonly byteOffset: number;
  readonly byteLength: number;
}

/**
 * What an exporter hands a consumer: PEP 3118's `Py_buffer`, with JavaScript memory.
 *
 * Fields left `null` follow CPython: `format` is null when FORMAT was not requested (the data is
 * unsigned bytes of `itemsize`), `shape` is null without ND (a flat run of `byteLength` bytes),
 * `strides` is null without STRIDES (C-contiguous), `suboffsets` is null for direct memory.
 */
export interface BufferInfo {
  /** The exporter whose memory this is (for views of views: the original exporter). */
  readonly obj: object;
  /** The memory. For indirect buffers, the first segment's memory (see `segments`). */
  readonly buffer: BufferSource;
  /** Byte offset of element [0, 0, ...] in `buffer` (the "buf" pointer). */
  readonly byteOffset: number;
  /** Number of bytes the logical array holds: `itemsize * product(shape)` ("len"). */
  readonly byteLength: number;
  readonly readonly: boolean;
  readonly itemsize: number;
  readonly format: string | null;
  readonly ndim: number;
  readonly shape: readonly number[] | null;
  /** Byte steps per dimension; may be negative or zero. */
  readonly strides: readonly number[] | null;
  /** Non-null only for indirect buffers: `suboffsets[0] >= 0`, every other entry `-1`. */
  readonly suboffsets: readonly number[] | null;
  /** For indirect buffers: one segment per index of dimension 0, in index order. */
  readonly segments?: readonly BufferSegment[] | undefined;
  /** Exporter-private data carried to `releasebuffer` (CPython's `internal`). */
  readonly internal?: unknown;
}

/**
 * Any object that supports the buffer protocol.
 *
 * @example
 * ```ts
 * import { ExportLock, exportBuffer, getbuffer, releasebuffer, type Exporter } from '@interop/core';
 * class Bytes implements Exporter {
 *   readonly lock = new ExportLock();
 *   data = new Uint8Array(16);
 *   [getbuffer](flags: number) { return exportBuffer(this, { data: this.data }, flags, this.lock); }
 *   [releasebuffer](info: BufferInfo) { this.lock.release(info); }
 * }
 * ```
 */
export interface Exporter {
  [getbuffer](flags: number): BufferInfo;
  [releasebuffer](info: BufferInfo): void;
  /** The protocol version the exporter speaks; absent means 1. */
  readonly protocolVersion?: number;
}
