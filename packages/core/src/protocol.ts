import type { BufferInfo, BufferSegment, BufferSource, Exporter } from './buffer-info.js';
import { BufferError } from './errors/buffer-error.js';
import { exportBuffer } from './export-buffer.js';
import { BufferFlags, describeFlags } from './flags.js';
import { captureSite, trackExport, type LeakState } from './leaks.js';
import { formatForTypedArray } from './format/typed-array-format.js';
import { describeObject, isCContiguous, isDetached, validateBufferInfo } from './layout.js';
import { getbuffer, PROTOCOL_VERSION, releasebuffer } from './symbols.js';

/**
 * Teaches the protocol a type it does not own (a class of another library).
 *
 * @example
 * ```ts
 * registerExporter({
 *   name: 'scijs-ndarray',
 *   test: (value) => isNdarray(value),
 *   getbuffer: (value, flags) => exportBuffer(value, layoutOf(value), flags),
 * });
 * ```
 */
export interface ExporterAdapter<T = never> {
  /** A unique name, for error messages and `unregisterExporter`. */
  readonly name: string;
  /** True when this adapter handles `value`. */
  test(value: unknown): value is T;
  getbuffer(value: T, flags: number): BufferInfo;
  /** Ends an export; omit when the type has nothing to unlock. */
  releasebuffer?(value: T, info: BufferInfo): void;
}

type AnyAdapter = ExporterAdapter<unknown>;

const registered: AnyAdapter[] = [];

/**
 * Registers an adapter. Precedence: an object's own `getbuffer`/`releasebuffer` hooks always win;
 * then registered adapters, the most recently registered first; then the built-ins (ArrayBuffer,
 * SharedArrayBuffer, TypedArrays, DataView, Buffer, WebAssembly.Memory).
 * Returns a function that unregisters it.
 *
 * @throws {BufferError} `ERR_BUFFER_ADAPTER` when the adapter is malformed or its name is taken.
 */
export function registerExporter<T>(adapter: ExporterAdapter<T>): () => void {
  if (typeof adapter !== 'object' || adapter === null || typeof adapter.name !== 'string' || typeof adapter.test !== 'function' || typeof adapter.getbuffer !== 'function') {
    throw new BufferError('ERR_BUFFER_ADAPTER', 'An exporter adapter needs a string `name` and `test` and `getbuffer` functions.', { details: { operation: 'registerExporter' } });
  }
  if (registered.some((existing) => existing.name === adapter.name)) {
    throw new BufferError('ERR_BUFFER_ADAPTER', `An exporter adapter named ${JSON.stringify(adapter.name)} is already registered; unregister it first or choose another name.`, {
      details: { operation: 'registerExporter' },
    });
  }
  registered.unshift(adapter);
  return () => unregisterExporter(adapter.name);
}

/** Removes the adapter registered under `name`; returns whether one was removed. */
export function unregisterExporter(name: string): boolean {
  const index = registered.findIndex((adapter) => adapter.name === name);
  if (index < 0) return false;
  registered.splice(index, 1);
  return true;
}

/** The names of the registered adapters, in precedence order. */
export function registeredExporters(): string[] {
  return registered.map((adapter) => adapter.name);
}

/** True when `value` has its own `getbuffer` and `releasebuffer` hooks. */
export function isExporter(value: unknown): value is Exporter {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Partial<Exporter>)[getbuffer] === 'function' &&
    typeof (value as Partial<Exporter>)[releasebuffer] === 'function'
  );
}

/** True when `getBuffer(value)` can be attempted: an exporter, a registered type or a built-in. */
export function supportsBuffer(value: unknown): boolean {
  return isExporter(value) || findAdapter(value) !== undefined;
}

const heldRelease = Symbol.for('interop.heldbuffer.release');

/** A `BufferInfo` held by a consumer: it remembers how to end its export exactly once. */
class HeldBuffer implements BufferInfo {
  readonly obj: object;
  readonly buffer: BufferSource;
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly readonly: boolean;
  readonly itemsize: number;
  readonly format: string | null;
  readonly ndim: number;
  readonly shape: readonly number[] | null;
  readonly strides: readonly number[] | null;
  readonly suboffsets: readonly number[] | null;
  readonly segments: readonly BufferSegment[] | undefined;
  readonly internal: unknown;
  readonly #state: LeakState;

  constructor(raw: BufferInfo, state: LeakState) {
    this.obj = raw.obj;
    this.buffer = raw.buffer;
    this.byteOffset = raw.byteOffset;
    this.byteLength = raw.byteLength;
    this.readonly = raw.readonly;
    this.itemsize = raw.itemsize;
    this.format = raw.format;
    this.ndim = raw.ndim;
    this.shape = raw.shape;
    this.strides = raw.strides;
    this.suboffsets = raw.suboffsets;
    this.segments = raw.segments;
    this.internal = raw.internal;
    this.#state = state;
  }

  get released(): boolean {
    return this.#state.released;
  }

  [heldRelease](): void {
    const state = this.#state;
    if (state.released) {
      throw new BufferError('ERR_BUFFER_RELEASED', `This export of ${describeObject(this.obj)} was already released; release each BufferInfo exactly once.`, {
        details: { operation: 'releaseBuffer' },
      });
    }
    state.released = true;
    state.release();
  }
}

/**
 * Takes one export of `obj`'s memory, as CPython's `PyObject_GetBuffer`: asks the exporter (or
 * an adapter), validates what it returns against the buffer's bounds and the request, and counts
 * one export until `releaseBuffer(info)`.
 *
 * @example
 * ```ts
 * import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
 * const info = getBuffer(new Float32Array(6), BufferFlags.STRIDED_RO);
 * try { console.log(info.format, info.shape); } finally { releaseBuffer(info); }
 * ```
 * @throws {BufferError} `ERR_BUFFER_NOT_EXPORTER`, `ERR_BUFFER_PROTOCOL_VERSION`, any refusal of the exporter
 * (`ERR_BUFFER_READONLY`, `ERR_BUFFER_NOT_CONTIGUOUS`, `ERR_BUFFER_FLAGS_UNSUPPORTED`...), and validation
 * failures (`ERR_BUFFER_OUT_OF_BOUNDS`, `ERR_BUFFER_INVALID_LAYOUT`, `ERR_BUFFER_DETACHED`).
 */
export function getBuffer(obj: unknown, flags: number = BufferFlags.FULL_RO): BufferInfo {
  let raw: BufferInfo;
  let adapter: AnyAdapter | undefined;
  if (isExporter(obj)) {
    const version = obj.protocolVersion;
    if (version !== undefined && version !== PROTOCOL_VERSION) {
      throw new BufferError(
        'ERR_BUFFER_PROTOCOL_VERSION',
        `${describeObject(obj)} speaks buffer protocol version ${String(version)}; this @interop/core speaks version ${PROTOCOL_VERSION}. Upgrade @interop/core (or the exporter's package) so both agree.`,
        { details: { operation: 'getbuffer', requestedFlags: flags } },
      );
    }
    raw = obj[getbuffer](flags);
  } else {
    adapter = findAdapter(obj);
    if (adapter === undefined) {
      throw new BufferError(
        'ERR_BUFFER_NOT_EXPORTER',
        `${describeObject(obj)} does not support the buffer protocol: it has no [getbuffer]/[releasebuffer] hooks and no registered adapter accepts it. Pass a TypedArray, ArrayBuffer, MemoryView or exporter, or registerExporter() an adapter for its type.`,
        { details: { operation: 'getbuffer', requestedFlags: flags } },
      );
    }
    raw = adapter.getbuffer(obj, flags);
  }
  const state = new ExportState(obj as object, adapter, raw);
  try {
    validateBufferInfo(raw);
    checkObeysRequest(raw, flags);
  } catch (error) {
    state.release();
    throw error;
  }
  const held = new HeldBuffer(raw, state);
  trackExport(held, state);
  return held;
}

/** How to end one export: the exporter (or adapter) and the info it answered with. */
class ExportState implements LeakState {
  released = false;
  readonly site: string | undefined = captureSite();
  readonly #owner: object;
  readonly #adapter: AnyAdapter | undefined;
  readonly #raw: BufferInfo;

  constructor(owner: object, adapter: AnyAdapter | undefined, raw: BufferInfo) {
    this.#owner = owner;
    this.#adapter = adapter;
    this.#raw = raw;
  }

  release(): void {
    const adapter = this.#adapter;
    if (adapter === undefined) (this.#owner as Exporter)[releasebuffer](this.#raw);
    else adapter.releasebuffer?.(this.#owner, this.#raw);
  }

  describe(): string {
    return describeExport(this.#raw);
  }
}


/**
 * Ends an export taken with `getBuffer` (exactly once). Works on exports taken by any copy of
 * `@interop/core`.
 *
 * @throws {BufferError} `ERR_BUFFER_RELEASED` on a second release; `ERR_INVALID_ARGUMENT` for an object `getBuffer` did not return.
 */
export function releaseBuffer(info: BufferInfo): void {
  const hook = (info as unknown as Partial<Record<typeof heldRelease, () => void>>)[heldRelease];
  if (typeof hook !== 'function') {
    throw new BufferError('ERR_INVALID_ARGUMENT', 'releaseBuffer() takes a BufferInfo returned by getBuffer(); to end an export taken by calling exporter[getbuffer] directly, call exporter[releasebuffer](info).', {
      details: { operation: 'releaseBuffer' },
    });
  }
  hook.call(info);
}

/** True when `info` (from `getBuffer`) has been released. */
export function isReleased(info: BufferInfo): boolean {
  return (info as { released?: unknown }).released === true;
}

function checkObeysRequest(info: BufferInfo, flags: number): void {
  const wrong = (what: string): never => {
    throw new BufferError('ERR_BUFFER_INVALID_LAYOUT', `${describeObject(info.obj)} answered a ${describeFlags(flags)} request with ${what}. This is a bug in the exporter; it should use exportBuffer() from @interop/core.`, {
      details: { operation: 'getbuffer', requestedFlags: flags },
    });
  };
  if ((flags & BufferFlags.WRITABLE) !== 0 && info.readonly) wrong('a read-only buffer');
  if (info.suboffsets !== null && (flags & BufferFlags.INDIRECT) !== BufferFlags.INDIRECT) wrong('suboffsets');
  if (info.strides !== null && (flags & BufferFlags.STRIDES) !== BufferFlags.STRIDES && info.shape !== null && !isCContiguous(info.shape, info.strides, info.itemsize)) {
    wrong('a non-contiguous layout');
  }
}

function describeExport(info: BufferInfo): string {
  const shape = info.shape === null ? `${info.byteLength} bytes` : `shape [${info.shape.join(', ')}]`;
  return `${describeObject(info.obj)} (format ${JSON.stringify(info.format ?? 'B')}, ${shape})`;
}

function findAdapter(value: unknown): AnyAdapter | undefined {
  for (const adapter of registered) if (adapter.test(value)) return adapter;
  for (const adapter of builtinAdapters) if (adapter.test(value)) return adapter;
  return undefined;
}

// formatForTypedArray resolves any TypedArray (subclasses and other realms included); the export
// path caches its answer per constructor, since getBuffer on a TypedArray is the hottest call.
const typedArrayFormats = new Map<unknown, string>();

/** The PEP 3118 format of a TypedArray's elements (Buffer -> 'B', BigInt64Array -> 'q'). */
function typedArrayFormat(view: ArrayBufferView): string {
  let format = typedArrayFormats.get(view.constructor);
  if (format === undefined) {
    format = formatForTypedArray(view);
    typedArrayFormats.set(view.constructor, format);
  }
  return format;
}

const builtinAdapters: readonly AnyAdapter[] = [
  {
    name: 'TypedArray',
    test: (value): value is ArrayBufferView => ArrayBuffer.isView(value) && !(value instanceof DataView),
    getbuffer(value, flags) {
      const view = value as ArrayBufferView & { length: number };
      const format = typedArrayFormat(view);
      const itemsize = (view as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      return exportBuffer(value as object, { buffer: view.buffer, byteOffset: view.byteOffset, format, itemsize, shape: [view.length] }, flags);
    },
  },
  {
    name: 'DataView',
    test: (value): value is DataView => value instanceof DataView,
    getbuffer(value, flags) {
      const view = value as DataView;
      // A DataView over a detached buffer throws TypeError on every accessor: answer first.
      if (isDetached(view.buffer)) throw detachedError(view);
      return exportBuffer(view, { buffer: view.buffer, byteOffset: view.byteOffset, format: 'B', itemsize: 1, shape: [view.byteLength] }, flags);
    },
  },
  {
    name: 'ArrayBuffer',
    test: (value): value is BufferSource => value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer),
    getbuffer(value, flags) {
      const buffer = value as BufferSource;
      return exportBuffer(buffer, { buffer, byteOffset: 0, format: 'B', itemsize: 1, shape: [buffer.byteLength] }, flags);
    },
  },
  {
    name: 'WebAssembly.Memory',
    test: (value): value is WebAssembly.Memory => typeof WebAssembly !== 'undefined' && value instanceof WebAssembly.Memory,
    getbuffer(value, flags) {
      const buffer = (value as WebAssembly.Memory).buffer;
      return exportBuffer(value as object, { buffer, byteOffset: 0, format: 'B', itemsize: 1, shape: [buffer.byteLength] }, flags);
    },
  },
];

function detachedError(owner: object): BufferError {
  return new BufferError('ERR_BUFFER_DETACHED', `The ArrayBuffer behind ${describeObject(owner)} is detached (transferred or resized away); its data is gone. Export from the object that now owns the memory.`, {
    details: { operation: 'getbuffer' },
  });
}
