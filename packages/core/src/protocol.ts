import type { BufferInfo, BufferSegment, BufferSource, Exporter } from './buffer-info.js';
import { BufferError } from './errors/buffer-error.js';
import { InteropError } from './errors/interop-error.js';
import { exportBuffer } from './export-buffer.js';
import { BufferFlags, describeFlags } from './flags.js';
import { forgetExportSite, noteExportSite } from './export-sites.js';
import { captureSite, trackExport, type LeakHolder, type LeakState } from './leaks.js';
import {
  isSimpleRequest,
  typedArrayBuffer,
  typedArrayByteOffset,
  typedArrayKind,
  typedArrayLength,
  type TypedArrayKind,
} from './internal/typed-array-intrinsics.js';
import { cStrides, describeObject, isCContiguous, isDetached, isFContiguous, validateSnapshot } from './layout.js';
import { snapshotBufferInfo, type BufferSnapshot } from './internal/snapshot.js';
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
  if (
    typeof adapter !== 'object' ||
    adapter === null ||
    typeof adapter.name !== 'string' ||
    typeof adapter.test !== 'function' ||
    typeof adapter.getbuffer !== 'function'
  ) {
    throw new BufferError('ERR_BUFFER_ADAPTER', 'An exporter adapter needs a string `name` and `test` and `getbuffer` functions.', {
      details: { operation: 'registerExporter' },
    });
  }
  if (registered.some((existing) => existing.name === adapter.name)) {
    throw new BufferError(
      'ERR_BUFFER_ADAPTER',
      `An exporter adapter named ${JSON.stringify(adapter.name)} is already registered; unregister it first or choose another name.`,
      {
        details: { operation: 'registerExporter' },
      },
    );
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

/** True when an adapter is registered (the TypedArray fast paths then defer to them). */
export function hasRegisteredAdapters(): boolean {
  return registered.length > 0;
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

/** How a held export ends: the exporter's own hook, an adapter's hook, or nothing to unlock. */
type EndKind = 0 | 1 | 2;
const END_HOOK = 0;
const END_ADAPTER = 1;
const END_NOTHING = 2;

/**
 * Everything needed to end an export except its holder: the leak registry keeps this when the
 * holder is collected unreleased, so it must not reference the holder.
 */
class Ending implements LeakState {
  released = false;
  readonly #end: EndKind;
  /** Who is asked to end the export: the object passed to getBuffer (a MemoryView re-exporting, say). */
  readonly #owner: object;
  readonly #adapter: AnyAdapter | undefined;
  /** The exporter's own answer, handed back to its `releasebuffer`. */
  readonly #info: BufferInfo;
  readonly site: string | undefined;

  constructor(end: EndKind, owner: object, adapter: AnyAdapter | undefined, info: BufferInfo, site: string | undefined) {
    this.#end = end;
    this.#owner = owner;
    this.#adapter = adapter;
    this.#info = info;
    this.site = site;
    if (site !== undefined) noteExportSite(owner, this);
  }

  release(): void {
    if (this.site !== undefined) forgetExportSite(this.#owner, this);
    if (this.#end === END_HOOK) (this.#owner as Exporter)[releasebuffer](this.#info);
    else if (this.#end === END_ADAPTER) this.#adapter!.releasebuffer!(this.#owner, this.#info);
  }

  describe(): string {
    try {
      return describeExport(this.#info);
    } catch {
      // A hostile answer (getters that throw): the exporter's kind is still known.
      return describeObject(this.#owner);
    }
  }

  /** What leak reports are grouped by: the call site when traced, else the exporter's kind (never its sizes). */
  key(): string {
    return this.site ?? `exporter:${describeObject(this.#owner)}`;
  }
}

/**
 * A `BufferInfo` held by a consumer: it remembers how to end its export exactly once. It is the
 * hot object of the protocol, so it stays small: built-in exports (TypedArrays) have nothing to
 * end and carry no `Ending` unless call sites are being traced.
 */
class HeldBuffer implements BufferInfo, LeakHolder {
  readonly obj: object;
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
  /**
   * The ArrayBuffer; read on first use for a TypedArray's export (`obj`), since the engine
   * answers `.buffer` in C++ and a TypedArray's buffer never changes.
   */
  #buffer: BufferSource | undefined;
  /** How to end the export; null when there is nothing to end or record. */
  readonly #ending: Ending | null;
  #released = false;

  constructor(
    ending: Ending | null,
    raw: BufferInfo | null,
    buffer: BufferSource | undefined,
    byteOffset: number,
    byteLength: number,
    itemsize: number,
    format: string | null,
    shape: readonly number[] | null,
    strides: readonly number[] | null,
    obj: object,
  ) {
    this.obj = obj;
    this.#buffer = buffer;
    this.byteOffset = byteOffset;
    this.byteLength = byteLength;
    this.itemsize = itemsize;
    this.format = format;
    this.shape = shape;
    this.strides = strides;
    if (raw === null) {
      this.readonly = false;
      this.ndim = shape === null ? 1 : shape.length;
      this.suboffsets = null;
      this.segments = undefined;
      this.internal = undefined;
    } else {
      this.readonly = raw.readonly;
      this.ndim = raw.ndim;
      // `raw` is a frozen snapshot (see holdAnswer): its arrays are already the consumer's own copies.
      this.suboffsets = raw.suboffsets;
      this.segments = raw.segments;
      this.internal = raw.internal;
    }
    this.#ending = ending;
  }

  get buffer(): BufferSource {
    return (this.#buffer ??= typedArrayBuffer(this.obj as ArrayBufferView));
  }

  get released(): boolean {
    return this.#released;
  }

  end(): void {
    if (this.#released) {
      throw new BufferError('ERR_BUFFER_RELEASED', `This export of ${describeObject(this.obj)} was already released; release each BufferInfo exactly once.`, {
        details: { operation: 'releaseBuffer' },
      });
    }
    this.#released = true;
    const ending = this.#ending;
    if (ending !== null) {
      ending.released = true;
      try {
        ending.release();
      } catch (error) {
        // The exporter's own typed errors pass through; anything else is wrapped, so that no
        // untyped error escapes a consumer because of an exporter's bug.
        if (InteropError.isInstance(error)) throw error;
        throw new BufferError(
          'ERR_BUFFER_RELEASE_FAILED',
          `The releasebuffer hook of ${describeObject(this.obj)} threw (${error instanceof Error ? error.message : 'a non-Error value'}). The export is considered ended; this is a bug in the exporter.`,
          {
            cause: error,
            details: { operation: 'releaseBuffer' },
          },
        );
      }
    }
  }

  [heldRelease](): void {
    this.end();
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
  if (isExporter(obj)) {
    const version = obj.protocolVersion;
    if (version !== undefined && version !== PROTOCOL_VERSION) {
      throw new BufferError(
        'ERR_BUFFER_PROTOCOL_VERSION',
        `${describeObject(obj)} speaks buffer protocol version ${String(version)}; this @interop/core speaks version ${PROTOCOL_VERSION}. Upgrade @interop/core (or the exporter's package) so both agree.`,
        { details: { operation: 'getbuffer', requestedFlags: flags } },
      );
    }
    return holdAnswer(obj, obj[getbuffer](flags), flags, END_HOOK, undefined);
  }
  // The hottest call of the project: a plain TypedArray, with no registered adapter that could
  // claim it first.
  const kind = registered.length === 0 ? typedArrayKind(obj) : undefined;
  const fast = kind === undefined ? undefined : exportTypedArray(obj as ArrayBufferView, kind, flags);
  if (fast !== undefined) return fast;
  const adapter = findAdapter(obj);
  if (adapter === undefined) {
    throw new BufferError(
      'ERR_BUFFER_NOT_EXPORTER',
      `${describeObject(obj)} does not support the buffer protocol: it has no [getbuffer]/[releasebuffer] hooks and no registered adapter accepts it. Pass a TypedArray, ArrayBuffer, MemoryView or exporter, or registerExporter() an adapter for its type.`,
      { details: { operation: 'getbuffer', requestedFlags: flags } },
    );
  }
  return holdAnswer(obj as object, adapter.getbuffer(obj, flags), flags, adapter.releasebuffer === undefined ? END_NOTHING : END_ADAPTER, adapter);
}

/**
 * Copies an exporter's (or adapter's) answer once into a frozen record, validates that record
 * against the buffer's bounds and against every bit of the request, and wraps it; only the record
 * is used afterwards. A refused answer is released at once; if that release throws too, the
 * validation error stays the one thrown and carries the release failure as `releaseError`.
 * Exports with something to release are watched for leaks; those with nothing to release
 * (built-in types) only while call sites are traced.
 */
function holdAnswer(owner: object, raw: BufferInfo, flags: number, end: EndKind, adapter: AnyAdapter | undefined): HeldBuffer {
  const ending = new Ending(end, owner, adapter, raw, captureSite());
  let held: HeldBuffer;
  try {
    const snapshot = snapshotBufferInfo(raw, owner);
    validateSnapshot(snapshot);
    checkObeysRequest(snapshot, flags);
    held = new HeldBuffer(
      ending,
      snapshot,
      snapshot.buffer,
      snapshot.byteOffset,
      snapshot.byteLength,
      snapshot.itemsize,
      snapshot.format,
      snapshot.shape,
      snapshot.strides,
      snapshot.obj,
    );
  } catch (error) {
    ending.released = true;
    try {
      ending.release();
    } catch (releaseError) {
      attachReleaseError(error, releaseError);
    }
    throw error;
  }
  if (end !== END_NOTHING || ending.site !== undefined) trackExport(held, ending);
  return held;
}

/** Records on `error` (the primary failure) that ending the export failed too. */
function attachReleaseError(error: unknown, releaseError: unknown): void {
  if (typeof error !== 'object' || error === null) return;
  try {
    Object.defineProperty(error, 'releaseError', { value: releaseError, enumerable: false, configurable: true, writable: false });
  } catch {
    // a frozen foreign error: the primary error still propagates
  }
}

/**
 * Ends an export taken with `getBuffer` (exactly once). Works on exports taken by any copy of
 * `@interop/core`.
 *
 * @throws {BufferError} `ERR_BUFFER_RELEASED` on a second release; `ERR_INVALID_ARGUMENT` for an object `getBuffer` did not return.
 */
export function releaseBuffer(info: BufferInfo): void {
  if (info instanceof HeldBuffer) {
    info.end();
    return;
  }
  // An export taken by another copy of @interop/core.
  const hook = (info as unknown as Partial<Record<typeof heldRelease, () => void>>)[heldRelease];
  if (typeof hook !== 'function') {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      'releaseBuffer() takes a BufferInfo returned by getBuffer(); to end an export taken by calling exporter[getbuffer] directly, call exporter[releasebuffer](info).',
      {
        details: { operation: 'releaseBuffer' },
      },
    );
  }
  hook.call(info);
}

/** True when `info` (from `getBuffer`) has been released. */
export function isReleased(info: BufferInfo): boolean {
  return (info as { released?: unknown }).released === true;
}

/**
 * The answer must obey every bit of the request (PEP 3118, as `exportBuffer` answers): an
 * exporter that ignores the flags must not hand a consumer (least of all C code) a layout it did
 * not ask for and so does not expect.
 */
function checkObeysRequest(info: BufferSnapshot, flags: number): void {
  const wrong = (what: string): never => {
    throw new BufferError(
      'ERR_BUFFER_INVALID_LAYOUT',
      `${describeObject(info.obj)} answered a ${describeFlags(flags)} request with ${what}. This is a bug in the exporter; it should use exportBuffer() from @interop/core.`,
      {
        details: { operation: 'getbuffer', requestedFlags: flags },
      },
    );
  };
  if ((flags & BufferFlags.WRITABLE) !== 0 && info.readonly) wrong('a read-only buffer');
  if ((flags & BufferFlags.ND) === 0 && info.shape !== null) wrong('a shape (ND was not requested)');
  if ((flags & BufferFlags.STRIDES) !== BufferFlags.STRIDES && info.strides !== null) wrong('strides (STRIDES was not requested)');
  if ((flags & BufferFlags.FORMAT) === 0 && info.format !== null) wrong('a format (FORMAT was not requested)');
  const indirect = info.suboffsets !== null;
  if (indirect && (flags & BufferFlags.INDIRECT) !== BufferFlags.INDIRECT) wrong('suboffsets (INDIRECT was not requested)');
  const contiguity = flags & (C_BIT | F_BIT | ANY_BIT);
  if (contiguity === 0 || info.shape === null) return;
  // Without ND the answer is a flat run of bytes: contiguous in every order.
  const strides = info.strides;
  const cOrder = !indirect && (strides === null || isCContiguous(info.shape, strides, info.itemsize));
  const fOrder =
    !indirect &&
    (strides === null ? isFContiguous(info.shape, cStrides(info.shape, info.itemsize), info.itemsize) : isFContiguous(info.shape, strides, info.itemsize));
  if ((contiguity & C_BIT) !== 0 && !cOrder) wrong('a layout that is not C-contiguous');
  if ((contiguity & F_BIT) !== 0 && !fOrder) wrong('a layout that is not Fortran-contiguous');
  if ((contiguity & ANY_BIT) !== 0 && !cOrder && !fOrder) wrong('a layout that is neither C- nor Fortran-contiguous');
}

// The contiguity bits themselves (the BufferFlags values are composites that include STRIDES).
const C_BIT = 0x20;
const F_BIT = 0x40;
const ANY_BIT = 0x80;

function describeExport(info: BufferInfo): string {
  const shape = info.shape === null ? `${info.byteLength} bytes` : `shape [${info.shape.join(', ')}]`;
  return `${describeObject(info.obj)} (format ${JSON.stringify(info.format ?? 'B')}, ${shape})`;
}

function findAdapter(value: unknown): AnyAdapter | undefined {
  for (const adapter of registered) if (adapter.test(value)) return adapter;
  for (const adapter of builtinAdapters) if (adapter.test(value)) return adapter;
  return undefined;
}

/**
 * Exports a TypedArray without the general machinery: one-dimensional, contiguous and writable
 * memory satisfies every request that is well-formed, and the intrinsic getters need no
 * validation. Returns undefined for what the general path must answer (malformed flags, FORMAT
 * without ND, an empty, detached or out-of-bounds view), which then gives the precise error.
 */
function exportTypedArray(view: ArrayBufferView, kind: TypedArrayKind, flags: number): HeldBuffer | undefined {
  if (!isSimpleRequest(flags)) return undefined;
  const length = typedArrayLength(view);
  if (length === 0) return undefined;
  const itemsize = kind.itemsize;
  const byteOffset = typedArrayByteOffset(view);
  const format = (flags & BufferFlags.FORMAT) !== 0 ? kind.format : null;
  const shape = (flags & BufferFlags.ND) !== 0 ? [length] : null;
  const strides = (flags & BufferFlags.STRIDES) === BufferFlags.STRIDES ? kind.strides : null;
  const site = captureSite();
  if (site === undefined) return new HeldBuffer(null, null, undefined, byteOffset, length * itemsize, itemsize, format, shape, strides, view);
  // A TypedArray has no lock to release; its exports are watched for leaks only while tracing.
  const buffer = typedArrayBuffer(view);
  const ending = new Ending(
    END_NOTHING,
    view,
    undefined,
    { obj: view, buffer, byteOffset, byteLength: length * itemsize, readonly: false, itemsize, format, ndim: 1, shape, strides, suboffsets: null },
    site,
  );
  const held = new HeldBuffer(ending, null, buffer, byteOffset, length * itemsize, itemsize, format, shape, strides, view);
  trackExport(held, ending);
  return held;
}

const builtinAdapters: readonly AnyAdapter[] = [
  {
    name: 'TypedArray',
    test: (value): value is ArrayBufferView => typedArrayKind(value) !== undefined,
    getbuffer(value, flags) {
      const { format, itemsize } = typedArrayKind(value)!;
      return exportBuffer(
        value as object,
        {
          buffer: typedArrayBuffer(value as ArrayBufferView),
          byteOffset: typedArrayByteOffset(value as ArrayBufferView),
          format,
          itemsize,
          shape: [typedArrayLength(value as ArrayBufferView)],
        },
        flags,
      );
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
  return new BufferError(
    'ERR_BUFFER_DETACHED',
    `The ArrayBuffer behind ${describeObject(owner)} is detached (transferred or resized away); its data is gone. Export from the object that now owns the memory.`,
    {
      details: { operation: 'getbuffer' },
    },
  );
}
