import { allocateBuffer } from '../allocator.js';
import type { BufferInfo, BufferSegment, BufferSource, Exporter } from '../buffer-info.js';
import { copyStrided, rowBase, type IndirectPart, type StridedOperand } from '../copy/strided-copy.js';
import type { Casting } from '../copy/casting.js';
import { conversionPlan, convertStrided, type ConversionPlan, type Rounding } from '../copy/convert.js';
import { itemPlan, type ItemPlan } from '../copy/item-plan.js';
import { assertAttached, detachedMemoryError } from '../detached.js';
import { BufferError } from '../errors/buffer-error.js';
import type { BufferErrorCode } from '../errors/codes.js';
import { exportBuffer, type ExportLayout } from '../export-buffer.js';
import { ExportLock } from '../export-lock.js';
import { BufferFlags, MAX_NDIM } from '../flags.js';
import { NATIVE_ENDIANNESS, parseFormat } from '../format/parse.js';
import { mappingOfType, type TypedArrayConstructor, type TypedArrayMapping } from '../format/typed-array-format.js';
import { cStrides, fStrides, isCContiguous, isDetached, isFContiguous, layoutExtent, reshapeStrides, resolveLayout } from '../layout.js';
import {
  isSimpleRequest,
  typedArrayBuffer,
  typedArrayByteOffset,
  typedArrayKind,
  typedArrayLength,
  type TypedArrayKind,
} from '../internal/typed-array-intrinsics.js';
import { withinEngineLimits } from '../internal/allocate.js';
import { isExportTracing } from '../leaks.js';
import { getBuffer, hasRegisteredAdapters, isExporter, releaseBuffer } from '../protocol.js';
import { getbuffer, releasebuffer } from '../symbols.js';
import { codecFor, valuesEqual, type ItemCodec, type MemoryViewValue } from './codec.js';
import { parseSliceSpec, sliceIndices, type SliceSpec } from './slice.js';
import type { FormatValue, MemoryViewInput, MemoryViewList, MemoryViewTypedArrayOf, SourceValue } from './value-types.js';

export type { MemoryViewTypedArray } from './value-types.js';

/** Memory order of a copy: C (row-major), F (column-major) or A (F when the source is F-contiguous only, else C). */
export type MemoryOrder = 'C' | 'F' | 'A';

/**
 * How values are converted between numeric formats, with NumPy's rules: `casting` decides which
 * format pairs are allowed (as `np.can_cast`), `rounding` and `clamp` make float -> integer
 * conversions defined and useful (`np.clip(np.rint(x), min, max).astype(format)`).
 */
export interface ConvertOptions {
  /**
   * NumPy's casting rule: `'no'` (identical formats), `'equiv'` (byte order only), `'safe'`
   * (values always kept), `'same_kind'` (no step down bool < unsigned < signed < float <
   * complex), `'unsafe'` (anything, as `astype`). A refused pair throws `ERR_CASTING_RULE`.
   */
  readonly casting?: Casting;
  /** Round float (and complex) values first: `'rint'` (half to even, `np.rint`), `'trunc'`, `'floor'`, `'ceil'`. Default: none (float -> integer truncates). */
  readonly rounding?: Rounding;
  /**
   * Saturate to the target's range first: `np.clip(x, min, max)` with the target's integer or
   * finite float bounds (exact for 64-bit integers), so out-of-range values and ±inf become the
   * nearest bound. No effect for `?` targets.
   */
  readonly clamp?: boolean;
}

/** Options of `MemoryView.copy`. */
export interface MemoryViewCopyOptions<F extends string = string> extends ConvertOptions {
  /** Layout of the new memory (default `'C'`). */
  readonly order?: MemoryOrder;
  /** Format of the new memory (default: the source's). A different byte order is a byte swap; other formats need `casting` (or `convert`). */
  readonly format?: F;
  /** Legacy exact conversion: convert between numeric formats, refusing every value that would change (`ERR_VALUE_INVALID`). Prefer `casting`. */
  readonly convert?: boolean;
}

/** Options of `astype`: NumPy's `astype(format, order, casting)` plus rounding and clamping. */
export interface AstypeOptions extends ConvertOptions {
  /**
   * Layout of the new memory: `'C'` (the default, ready for `toTypedArray`), `'F'`, `'A'`, or
   * `'K'` (NumPy's default: the source's axis order, e.g. Fortran order for a transposed view).
   */
  readonly order?: MemoryOrder | 'K';
}

/** Options of `copyInto`. */
export interface CopyIntoOptions extends ConvertOptions {
  /** Legacy exact conversion: convert between numeric formats, refusing every value that would change (`ERR_VALUE_INVALID`). Prefer `casting`. */
  readonly convert?: boolean;
}

/** Options of `reshape`. */
export interface ReshapeOptions {
  /** `false` refuses to copy when no view can express the new shape (default `true`, as NumPy). */
  readonly copy?: boolean;
}

/** An element index: an integer (1-D views) or one integer per dimension; negative values count from the end. */
export type MemoryViewIndex = number | readonly number[];

/** The export a family of views shares: released when the last view of the family is released. */
interface ManagedBuffer {
  readonly obj: object;
  readonly info: BufferInfo | null;
  views: number;
}

interface ViewLayout extends StridedOperand {
  readonly format: string;
  readonly readonly: boolean;
}

const construct = Symbol('MemoryView.construct');

const FORMAT_AND_ND = BufferFlags.FORMAT | BufferFlags.ND;

/** Per-view values computed on first need (element codec, DataViews, frozen attribute arrays). */
class ViewCache {
  codec: ItemCodec | null = null;
  dataView: DataView | null = null;
  dataViews: Map<BufferSource, DataView> | null = null;
  shape: readonly number[] | null = null;
  strides: readonly number[] | null = null;
}

/**
 * The layout of a view of a whole TypedArray. Its ArrayBuffer is read on first use: V8 answers
 * `.buffer` in C++ (the most expensive step of MemoryView.from otherwise), and a TypedArray's
 * buffer never changes.
 */
class TypedArrayLayout implements ViewLayout {
  readonly byteOffset: number;
  readonly format: string;
  readonly itemsize: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly indirect = null;
  readonly readonly = false;
  readonly #view: ArrayBufferView;
  #buffer: BufferSource | undefined = undefined;

  constructor(view: ArrayBufferView, kind: TypedArrayKind, length: number) {
    this.#view = view;
    this.byteOffset = typedArrayByteOffset(view);
    this.format = kind.format;
    this.itemsize = kind.itemsize;
    this.shape = [length];
    this.strides = kind.strides;
  }

  get buffer(): BufferSource {
    return (this.#buffer ??= typedArrayBuffer(this.#view));
  }

  /** The TypedArray itself: its byteLength drops to 0 once its buffer is detached or shrank below it. */
  get view(): TypedArrayLike {
    return this.#view;
  }
}

function fail(code: BufferErrorCode, message: string, operation: string, extra: Record<string, unknown> = {}): never {
  throw new BufferError(code, message, { details: { operation, ...extra } });
}

// Internal layout arrays are never mutated; the public getters hand out frozen copies, made
// lazily because Object.freeze costs more than the rest of MemoryView.from together.

/**
 * Python's `memoryview` for JavaScript: a typed, shaped, strided window on the memory of any
 * exporter (TypedArrays, ArrayBuffers, `@interop/*` objects, registered adapters), holding one
 * export until released. Slicing, transposing, casting and the like return views of the same
 * memory (O(1)); `copyInto` and `MemoryView.copy` move data with the strided copy engine.
 *
 * @example
 * ```ts
 * import { MemoryView } from '@interop/core';
 * using view = MemoryView.from(new Float32Array([1, 2, 3, 4, 5, 6])).cast('B').cast('f', [2, 3]);
 * console.log(view.shape, view.get([1, 2])); // [2, 3] 6
 * ```
 */
export class MemoryView<T extends MemoryViewValue = MemoryViewValue> implements Exporter {
  readonly #managed: ManagedBuffer;
  readonly #layout: ViewLayout;
  /** Counts exports taken from this view; made on the first one (most views are never re-exported). */
  #lock: ExportLock | null = null;
  #released = false;
  /** What element access and the attribute getters compute once; made on first need, so that MemoryView.from stays light. */
  #cache: ViewCache | null = null;
  /** A TypedArray spanning the bytes this view needs (see `#checkMemory`); made on first need. */
  #probe: TypedArrayLike | null = null;
  #needed = 0;
  /** The byteLength the probe has while the memory is there (`#needed`, or 1 for an end-of-extent probe). */
  #probeBytes = 0;

  private constructor(key: symbol, managed: ManagedBuffer, layout: ViewLayout) {
    if (key !== construct) fail('ERR_INVALID_ARGUMENT', 'MemoryView has no public constructor; use MemoryView.from(obj).', 'MemoryView');
    this.#managed = managed;
    this.#layout = layout;
    managed.views++;
  }

  /**
   * Takes an export of `obj` (FULL_RO by default, as CPython's `memoryview(obj)`; add
   * `BufferFlags.WRITABLE` to require writable memory) and wraps it. From a MemoryView, the new
   * view shares that view's export: `obj` stays the original exporter.
   *
   * @example
   * ```ts
   * import { BufferFlags, MemoryView } from '@interop/core';
   * const view = MemoryView.from(new Int16Array(4), BufferFlags.FULL);
   * view.set(0, -3);
   * view.release();
   * ```
   * @throws {BufferError} `ERR_BUFFER_NOT_EXPORTER`, `ERR_BUFFER_RELEASED` (a released MemoryView), and every refusal of the exporter (`ERR_BUFFER_READONLY`, `ERR_BUFFER_NOT_CONTIGUOUS`, `ERR_BUFFER_FLAGS_UNSUPPORTED`...).
   */
  static from<V extends MemoryViewValue>(obj: MemoryView<V>, flags?: number): MemoryView<V>;
  static from(obj: BigInt64Array | BigUint64Array, flags?: number): MemoryView<bigint>;
  static from(obj: ArrayBufferView | ArrayBufferLike, flags?: number): MemoryView<number>;
  static from(obj: unknown, flags?: number): MemoryView;
  static from(obj: unknown, flags: number = BufferFlags.FULL_RO): MemoryView {
    if (obj instanceof MemoryView) {
      obj.#checkMemory('MemoryView.from');
      // Check the request against this view's layout without counting an export on it: the new
      // view joins the family that shares the original export.
      const info = exportBuffer(obj.#managed.obj, obj.#exportLayout(), flags);
      return new MemoryView(construct, obj.#managed, layoutOf(info));
    }
    // The hottest call: a TypedArray with nothing to release (no adapter that could claim it, no
    // call sites traced) needs no export record; its layout is the engine's own facts.
    if ((flags & FORMAT_AND_ND) === FORMAT_AND_ND && isSimpleRequest(flags) && !hasRegisteredAdapters() && !isExportTracing() && !isExporter(obj)) {
      const kind = typedArrayKind(obj);
      const length = kind === undefined ? 0 : typedArrayLength(obj as ArrayBufferView);
      if (length > 0)
        return new MemoryView(construct, { obj: obj as object, info: null, views: 0 }, new TypedArrayLayout(obj as ArrayBufferView, kind!, length));
    }
    const info = getBuffer(obj, flags);
    let layout: ViewLayout;
    try {
      layout = layoutOf(info);
    } catch (error) {
      releaseBuffer(info);
      throw error;
    }
    return new MemoryView(construct, { obj: info.obj, info, views: 0 }, layout);
  }

  /**
   * Copies any view (or exporter) into new memory of the given order, optionally converting the
   * format. The result owns its memory (`obj` is the new ArrayBuffer) and is writable.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using source = MemoryView.from(new Float32Array([1, 2, 3, 4, 5, 6])).cast('B').cast('f', [2, 3]);
   * using columns = MemoryView.copy(source.transpose(), { order: 'C' });
   * console.log(columns.toList()); // [[1, 4], [2, 5], [3, 6]]
   * ```
   * With a `format` of other values, pass `casting` (and `rounding`, `clamp`) to convert with
   * NumPy's rules, as `astype`; `rounding` or `clamp` alone imply `casting: 'unsafe'`.
   *
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_BUFFER_NOT_EXPORTER`, `ERR_FORMAT_INVALID`, `ERR_FORMAT_UNSUPPORTED` (formats of other values without `casting`, or without numeric conversion), `ERR_CASTING_RULE` (the pair is not allowed under `casting`), `ERR_VALUE_INVALID` (legacy `convert`: a value that does not fit), `ERR_INVALID_ARGUMENT` (unknown order or option).
   */
  static copy<S, F extends string = never>(src: S, options: MemoryViewCopyOptions<F> = {}): MemoryView<[F] extends [never] ? SourceValue<S> : FormatValue<F>> {
    return withView(src, BufferFlags.FULL_RO, (view) => view.#copy(options, 'MemoryView.copy')) as MemoryView<
      [F] extends [never] ? SourceValue<S> : FormatValue<F>
    >;
  }

  #copy(options: MemoryViewCopyOptions, operation: string): MemoryView {
    this.#checkMemory(operation);
    const order = resolveOrder(options.order ?? 'C', this, operation);
    const format = options.format ?? this.#layout.format;
    const itemsize = parseFormat(format).itemsize;
    const plan = copyPlan(this.#layout.format, format, options, operation);
    const target = MemoryView.#allocate(format, itemsize, this.#layout.shape, order);
    try {
      runPlan(this.#layout, target.#layout, plan);
    } catch (error) {
      target.release();
      throw error;
    }
    return target;
  }

  static #allocate(format: string, itemsize: number, shape: readonly number[], order: 'C' | 'F'): MemoryView {
    let count = 1;
    for (const dim of shape) count *= dim;
    const buffer = allocateBuffer(count * itemsize);
    const strides = order === 'C' ? cStrides(shape, itemsize) : fStrides(shape, itemsize);
    return new MemoryView(
      construct,
      { obj: buffer, info: null, views: 0 },
      { buffer, byteOffset: 0, format, itemsize, shape: shape.slice(), strides, indirect: null, readonly: false },
    );
  }

  /** A view of the same export whose layout is this one's with `changes` applied. */
  #derive<U extends MemoryViewValue = T>(changes: Partial<ViewLayout>): MemoryView<U> {
    const base = this.#layout;
    return new MemoryView<U>(construct, this.#managed, {
      buffer: changes.buffer ?? base.buffer,
      byteOffset: changes.byteOffset ?? base.byteOffset,
      format: changes.format ?? base.format,
      itemsize: changes.itemsize ?? base.itemsize,
      shape: changes.shape ?? base.shape,
      strides: changes.strides ?? base.strides,
      indirect: changes.indirect === undefined ? base.indirect : changes.indirect,
      readonly: changes.readonly ?? base.readonly,
    });
  }

  #check(operation: string): void {
    if (this.#released) {
      fail(
        'ERR_BUFFER_RELEASED',
        `Cannot ${operation} a released MemoryView. Keep the view (or take a new one with MemoryView.from) until you are done with it.`,
        operation,
      );
    }
  }

  /**
   * `#check` plus core's detached-memory check, at the entry of every method (attributes only
   * describe the view and stay readable): a view whose buffer was transferred or shrank throws
   * `ERR_BUFFER_DETACHED` instead of an engine TypeError or zeros.
   */
  #checkMemory(operation: string): void {
    if (this.#released) this.#check(operation);
    const probe = this.#probe ?? this.#makeProbe(operation);
    // A fixed-length TypedArray over the bytes this view needs (or over its last byte) has
    // byteLength 0 once its buffer is detached or shrank below it (byteLength, not length: see
    // assertAttached).
    if (probe.byteLength < this.#probeBytes) throw detachedMemoryError(probe.buffer.byteLength, this.#needed, 'MemoryView', operation);
  }

  #makeProbe(operation: string): TypedArrayLike {
    const layout = this.#layout;
    if (layout.indirect !== null) {
      // Segments are checked one by one (no probe is kept for them).
      for (const segment of layout.indirect.segments)
        assertAttached(segment.buffer.byteLength, segment.byteOffset + segment.byteLength, 'MemoryView', operation);
      return EMPTY_PROBE;
    }
    if (layout instanceof TypedArrayLayout) {
      this.#needed = this.#probeBytes = layout.shape[0]! * layout.itemsize;
      return (this.#probe = layout.view);
    }
    const extent = layoutExtent(layout.shape, layout.strides, layout.itemsize);
    const needed = extent === null ? 0 : layout.byteOffset + extent.high;
    // An empty view needs no bytes, but its DataView would still throw on a detached buffer.
    if (isDetached(layout.buffer) || layout.buffer.byteLength < needed) throw detachedMemoryError(layout.buffer.byteLength, needed, 'MemoryView', operation);
    // An empty view keeps no probe, so that a later detach is still seen by isDetached above.
    if (needed === 0) return EMPTY_PROBE;
    // One byte at the end of the extent: it goes out of bounds exactly when the memory does, and a
    // Uint8Array over the whole extent would be refused by engines above 2^32 - 1 bytes.
    this.#needed = needed;
    this.#probeBytes = 1;
    return (this.#probe = new Uint8Array(layout.buffer, needed - 1, 1));
  }

  // ---------------------------------------------------------------- attributes
  // Every attribute reads like CPython's, e.g.
  //   MemoryView.from(new Int16Array(6)).reshape([2, 3]).strides  -> [6, 2]
  // and throws BufferError ERR_BUFFER_RELEASED once the view is released.

  /** The exporter whose memory this is (for views of views: the original exporter). @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get obj(): object {
    this.#check('read obj of');
    return this.#managed.obj;
  }

  /** The PEP 3118 struct format of one item. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get format(): string {
    this.#check('read format of');
    return this.#layout.format;
  }

  /** Bytes per item. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get itemsize(): number {
    this.#check('read itemsize of');
    return this.#layout.itemsize;
  }

  /** Number of dimensions. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get ndim(): number {
    this.#check('read ndim of');
    return this.#layout.shape.length;
  }

  /** Items per dimension (frozen). @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get shape(): readonly number[] {
    this.#check('read shape of');
    const cache = (this.#cache ??= new ViewCache());
    return (cache.shape ??= Object.freeze(this.#layout.shape.slice()));
  }

  /** Byte step per dimension, possibly negative or zero (frozen). @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get strides(): readonly number[] {
    this.#check('read strides of');
    const cache = (this.#cache ??= new ViewCache());
    return (cache.strides ??= Object.freeze(this.#layout.strides.slice()));
  }

  /** `[]` for direct memory; `[s0, -1, ...]` for indirect (segmented) memory, as CPython. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get suboffsets(): readonly number[] {
    this.#check('read suboffsets of');
    const indirect = this.#layout.indirect;
    if (indirect === null) return [];
    const extent = layoutExtent(this.#layout.shape.slice(1), this.#layout.strides.slice(1), this.#layout.itemsize) ?? { low: 0, high: 0 };
    const first = indirect.suboffset + extent.low >= 0 ? indirect.suboffset : -extent.low;
    return Object.freeze([first, ...new Array<number>(this.#layout.shape.length - 1).fill(-1)]);
  }

  /** True when writes are refused. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get readonly(): boolean {
    this.#check('read readonly of');
    return this.#layout.readonly;
  }

  /** Bytes the items occupy: `itemsize * product(shape)`. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get nbytes(): number {
    this.#check('read nbytes of');
    let count = this.#layout.itemsize;
    for (const dim of this.#layout.shape) count *= dim;
    return count;
  }

  /** True when the items are in C (row-major) order without gaps. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get cContiguous(): boolean {
    this.#check('read cContiguous of');
    const layout = this.#layout;
    return layout.indirect === null && isCContiguous(layout.shape, layout.strides, layout.itemsize);
  }

  /** True when the items are in Fortran (column-major) order without gaps. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get fContiguous(): boolean {
    this.#check('read fContiguous of');
    const layout = this.#layout;
    return layout.indirect === null && isFContiguous(layout.shape, layout.strides, layout.itemsize);
  }

  /** True when C- or Fortran-contiguous. @throws {BufferError} `ERR_BUFFER_RELEASED`. */
  get contiguous(): boolean {
    return this.cContiguous || this.fContiguous;
  }

  /** True once `release()` has ended this view (readable after release). */
  get released(): boolean {
    return this.#released;
  }

  /** Length of dimension 0, as Python's `len(view)`. @throws {BufferError} `ERR_BUFFER_RELEASED`; `ERR_INVALID_ARGUMENT` for a 0-d view. */
  get length(): number {
    this.#check('read length of');
    const first = this.#layout.shape[0];
    if (first === undefined) fail('ERR_INVALID_ARGUMENT', 'A 0-dimensional MemoryView has no length; read its value with get([]).', 'length');
    return first;
  }

  // ---------------------------------------------------------------- release and re-export

  /**
   * Ends this view. The export of the original exporter ends when the last view sharing it is
   * released. Releasing twice does nothing (as CPython); releasing while a consumer still holds
   * an export of this view is refused.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * const view = MemoryView.from(new Uint8Array(8));
   * view.release();
   * view.release(); // no-op
   * ```
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while exports taken from this view are live.
   */
  release(): void {
    if (this.#released) return;
    this.#lock?.assertUnlocked('release this MemoryView');
    this.#released = true;
    this.#cache = null;
    const managed = this.#managed;
    managed.views--;
    if (managed.views === 0 && managed.info !== null) releaseBuffer(managed.info);
  }

  /** Releases the view at the end of a `using` block. @throws {BufferError} `ERR_BUFFER_EXPORTED`. */
  [Symbol.dispose](): void {
    this.release();
  }

  /**
   * Exports this view's memory (a MemoryView is itself an exporter). The export is counted on
   * this view, which refuses `release()` until it ends.
   *
   * @example
   * ```ts
   * import { BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
   * using view = MemoryView.from(new Float32Array(8)).slice('::2');
   * const info = getBuffer(view, BufferFlags.STRIDED_RO); // strides [8]
   * releaseBuffer(info);
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED` and the request refusals of `exportBuffer`.
   */
  [getbuffer](flags: number): BufferInfo {
    this.#checkMemory('export');
    return exportBuffer(this.#managed.obj, this.#exportLayout(), flags, (this.#lock ??= new ExportLock()));
  }

  /** Ends an export taken with `[getbuffer]`. @throws {BufferError} `ERR_BUFFER_RELEASED` for an unbalanced release. */
  [releasebuffer](_info: BufferInfo): void {
    (this.#lock ??= new ExportLock()).release();
  }

  #exportLayout(): ExportLayout {
    const layout = this.#layout;
    const indirect = layout.indirect;
    if (indirect === null) {
      return {
        buffer: layout.buffer,
        byteOffset: layout.byteOffset,
        format: layout.format,
        itemsize: layout.itemsize,
        shape: layout.shape,
        strides: layout.strides,
        readonly: layout.readonly,
      };
    }
    // Segments are handed out as the exporter gave them when the suboffset is still >= 0;
    // otherwise (slicing moved it below the segment start) each is re-based at its lowest
    // touched byte, so that suboffsets[0] stays >= 0 as PEP 3118 requires.
    const extent = layoutExtent(layout.shape.slice(1), layout.strides.slice(1), layout.itemsize) ?? { low: 0, high: 0 };
    const keep = indirect.suboffset + extent.low >= 0;
    const segments: BufferSegment[] = [];
    for (let i = 0; i < layout.shape[0]!; i++) {
      const segment = indirect.segments[indirect.start + i * indirect.step]!;
      if (keep) segments.push(segment);
      else segments.push({ buffer: segment.buffer, byteOffset: segment.byteOffset + indirect.suboffset + extent.low, byteLength: extent.high - extent.low });
    }
    return {
      buffer: segments[0]?.buffer ?? layout.buffer,
      byteOffset: 0,
      format: layout.format,
      itemsize: layout.itemsize,
      shape: layout.shape,
      strides: layout.strides,
      readonly: layout.readonly,
      segments,
      suboffset: keep ? indirect.suboffset : -extent.low,
    };
  }

  // ---------------------------------------------------------------- elements

  #itemCodec(): ItemCodec {
    const cache = (this.#cache ??= new ViewCache());
    return (cache.codec ??= codecFor(this.#layout.format));
  }

  #viewOf(buffer: BufferSource): DataView {
    const cache = (this.#cache ??= new ViewCache());
    if (this.#layout.indirect === null) return (cache.dataView ??= new DataView(buffer));
    const map = (cache.dataViews ??= new Map<BufferSource, DataView>());
    let view = map.get(buffer);
    if (view === undefined) {
      view = new DataView(buffer);
      map.set(buffer, view);
    }
    return view;
  }

  /** Buffer and byte offset of the item at `index` (validated). */
  #locate(index: MemoryViewIndex, operation: string): [BufferSource, number] {
    const { shape, strides, indirect } = this.#layout;
    const ndim = shape.length;
    let offset = 0;
    let buffer = this.#layout.buffer;
    let base = this.#layout.byteOffset;
    let indexes: readonly number[];
    if (typeof index === 'number') {
      if (ndim !== 1) {
        fail(
          'ERR_INVALID_ARGUMENT',
          `A single integer index addresses a 1-D view; this view has ${ndim} dimensions. Pass one index per dimension, e.g. get([${new Array<number>(ndim).fill(0).join(', ')}]), or slice() to drop dimensions.`,
          operation,
        );
      }
      indexes = [index];
    } else {
      indexes = index;
      if (!isList(indexes) || indexes.length !== ndim) {
        fail(
          'ERR_INVALID_ARGUMENT',
          `Expected an index with ${ndim} entr${ndim === 1 ? 'y' : 'ies'} (one per dimension); received ${isList(indexes) ? `${indexes.length}` : typeof indexes}.`,
          operation,
        );
      }
    }
    for (let k = 0; k < ndim; k++) {
      const length = shape[k]!;
      let i = indexes[k]!;
      if (!Number.isInteger(i)) fail('ERR_INVALID_ARGUMENT', `Index ${String(i)} for dimension ${k} is not an integer.`, operation, { dimension: k });
      if (i < 0) i += length;
      if (i < 0 || i >= length) {
        fail('ERR_INDEX_OUT_OF_RANGE', `Index ${indexes[k]} is out of range for dimension ${k} of length ${length}.`, operation, {
          dimension: k,
          index: indexes[k],
          length,
        });
      }
      if (k === 0 && indirect !== null) [buffer, base] = rowBase(this.#layout, i);
      else offset += i * strides[k]!;
    }
    return [buffer, base + offset];
  }

  /**
   * Reads one item: `get(i)` on a 1-D view, `get([i, j, ...])` with one index per dimension,
   * `get([])` on a 0-d view. Negative indexes count from the end.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new BigInt64Array([1n, -2n]));
   * view.get(-1); // -2n
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_INDEX_OUT_OF_RANGE` (naming the dimension), `ERR_INVALID_ARGUMENT` (wrong index arity), `ERR_FORMAT_UNSUPPORTED` (formats without a JavaScript value).
   */
  get(index: MemoryViewIndex = []): T {
    this.#checkMemory('get an item of');
    const [buffer, offset] = this.#locate(index, 'get');
    return this.#itemCodec().read(this.#viewOf(buffer), offset) as T;
  }

  /**
   * Writes one item, refusing values that do not fit the format (never wrapping).
   *
   * @example
   * ```ts
   * import { BufferFlags, MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Uint8Array(4), BufferFlags.FULL);
   * view.set(0, 255);
   * // view.set(1, 256) throws BufferError ERR_VALUE_INVALID
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_BUFFER_READONLY`, `ERR_INDEX_OUT_OF_RANGE`, `ERR_INVALID_ARGUMENT`, `ERR_VALUE_INVALID`, `ERR_FORMAT_UNSUPPORTED`.
   */
  set(index: MemoryViewIndex, value: MemoryViewInput<T>): void {
    this.#checkMemory('set an item of');
    if (this.#layout.readonly)
      fail('ERR_BUFFER_READONLY', 'Cannot write through a read-only MemoryView. Take the view with BufferFlags.FULL (writable) from writable memory.', 'set');
    const [buffer, offset] = this.#locate(index, 'set');
    this.#itemCodec().write(this.#viewOf(buffer), offset, value);
  }

  // ---------------------------------------------------------------- views (O(1))

  /**
   * A view of part of this one: one spec per leading dimension, each an integer (selects one
   * index and drops the dimension), `null` (the whole dimension), `{ start, stop, step }` or a
   * Python slice string such as `'1:5'`, `'::-1'` or `'-1'`. Bounds clamp as in Python.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Int32Array([0, 1, 2, 3, 4, 5]));
   * view.slice('::-2').toList(); // [5, 3, 1]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_INDEX_OUT_OF_RANGE` (integer index or too many specs), `ERR_INVALID_ARGUMENT` (step 0, malformed spec).
   */
  slice(...specs: SliceSpec[]): MemoryView<T> {
    this.#checkMemory('slice');
    const layout = this.#layout;
    if (specs.length > layout.shape.length) {
      fail('ERR_INDEX_OUT_OF_RANGE', `Too many indices: ${specs.length} for a ${layout.shape.length}-dimensional view.`, 'slice');
    }
    let { buffer, byteOffset, indirect } = layout;
    const shape: number[] = [];
    const strides: number[] = [];
    for (let k = 0; k < layout.shape.length; k++) {
      const length = layout.shape[k]!;
      const stride = layout.strides[k]!;
      const spec = parseSliceSpec(k < specs.length ? specs[k] : null, k);
      const inner = indirect !== null && k > 0;
      if (typeof spec === 'number') {
        let i = spec;
        if (i < 0) i += length;
        if (i < 0 || i >= length)
          fail('ERR_INDEX_OUT_OF_RANGE', `Index ${spec} is out of range for dimension ${k} of length ${length}.`, 'slice', {
            dimension: k,
            index: spec,
            length,
          });
        if (k === 0 && indirect !== null) {
          [buffer, byteOffset] = rowBase(layout, i);
          indirect = null;
        } else if (inner) {
          indirect = { ...indirect!, suboffset: indirect!.suboffset + i * stride };
        } else {
          byteOffset += i * stride;
        }
        continue;
      }
      const [start, count, step] = sliceIndices(spec, length, k);
      if (k === 0 && indirect !== null) {
        if (count > 0) indirect = { ...indirect, start: indirect.start + start * indirect.step, step: indirect.step * step };
      } else if (count > 0) {
        if (inner) indirect = { ...indirect!, suboffset: indirect!.suboffset + start * stride };
        else byteOffset += start * stride;
      }
      shape.push(count);
      strides.push(stride * step);
    }
    return this.#derive({ buffer, byteOffset, indirect, shape: shape, strides: strides });
  }

  /**
   * The view with its dimensions permuted (default: reversed, as NumPy's `.T`).
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Float64Array(6)).cast('B').cast('d', [2, 3]);
   * view.transpose().shape; // [3, 2]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_INVALID_ARGUMENT` (not a permutation; moving the indirect dimension 0).
   */
  transpose(axes?: readonly number[]): MemoryView<T> {
    this.#checkMemory('transpose');
    const layout = this.#layout;
    const ndim = layout.shape.length;
    const order = axes === undefined ? Array.from({ length: ndim }, (_, k) => ndim - 1 - k) : axes.map((axis) => normalizeAxis(axis, ndim, 'transpose'));
    if (order.length !== ndim || new Set(order).size !== ndim) {
      fail('ERR_INVALID_ARGUMENT', `transpose() needs a permutation of the ${ndim} axes; received [${String(axes)}].`, 'transpose');
    }
    if (layout.indirect !== null && order[0] !== 0) {
      fail(
        'ERR_INVALID_ARGUMENT',
        'Dimension 0 of an indirect (segmented) view must stay first; copy it first with MemoryView.copy(view) to transpose freely.',
        'transpose',
      );
    }
    return this.#derive({ shape: order.map((k) => layout.shape[k]!), strides: order.map((k) => layout.strides[k]!) });
  }

  /**
   * The view with the order of items reversed along `axis` (default: every axis), as NumPy's `flip`.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Uint8Array([1, 2, 3]));
   * view.flip().toList(); // [3, 2, 1]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_INVALID_ARGUMENT` (axis out of range).
   */
  flip(axis?: number): MemoryView<T> {
    this.#checkMemory('flip');
    const layout = this.#layout;
    const ndim = layout.shape.length;
    const axes = axis === undefined ? Array.from({ length: ndim }, (_, k) => k) : [normalizeAxis(axis, ndim, 'flip')];
    let { byteOffset, indirect } = layout;
    const strides = layout.strides.slice();
    for (const k of axes) {
      const length = layout.shape[k]!;
      if (length === 0) continue;
      if (k === 0 && indirect !== null) indirect = { ...indirect, start: indirect.start + (length - 1) * indirect.step, step: -indirect.step };
      else if (indirect !== null) indirect = { ...indirect, suboffset: indirect.suboffset + (length - 1) * strides[k]! };
      else byteOffset += (length - 1) * strides[k]!;
      strides[k] = -strides[k]!;
    }
    return this.#derive({ byteOffset, indirect, strides: strides });
  }

  /**
   * The same items in a new shape (C order), as NumPy's `reshape`: a view when the strides
   * allow one, otherwise a C-ordered copy (refused with `{ copy: false }`). One entry may be -1.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Int32Array(12)).reshape([3, -1]);
   * view.shape; // [3, 4]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_SHAPE_MISMATCH` (different size), `ERR_INVALID_ARGUMENT` (bad entries), `ERR_CAST_INVALID` (a copy would be needed and `copy` is false).
   */
  reshape(shape: readonly number[], options: ReshapeOptions = {}): MemoryView<T> {
    this.#checkMemory('reshape');
    const layout = this.#layout;
    const size = layout.shape.reduce((a, b) => a * b, 1);
    const target = resolveShape(shape, size);
    const strides = layout.indirect === null ? reshapeStrides(layout.shape, layout.strides, target, layout.itemsize) : null;
    if (strides !== null) return this.#derive({ shape: target, strides: strides });
    if (options.copy === false) {
      fail(
        'ERR_CAST_INVALID',
        `Cannot reshape [${layout.shape.join(', ')}] to [${target.join(', ')}] without copying: the strides do not allow a view. Pass { copy: true } or copy first.`,
        'reshape',
      );
    }
    const copy = this.#copy({ order: 'C' }, 'reshape') as MemoryView<T>;
    try {
      return copy.reshape(target);
    } finally {
      copy.release();
    }
  }

  /**
   * Reinterprets the bytes of a C-contiguous view with CPython's rules: one side must be a byte
   * format (`B`, `b`, `c`), sizes must agree. Extensions: the destination may be any PEP 3118
   * format (explicit byte order, records) and an N-D view may be cast to N-D directly.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using bytes = MemoryView.from(new Uint8Array(8));
   * bytes.cast('<I', [2]).shape; // [2]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_CAST_INVALID` (non-contiguous source, two non-byte formats, size disagreement, zeros in shape), `ERR_FORMAT_INVALID`, `ERR_BUFFER_TOO_MANY_DIMENSIONS`.
   */
  cast<F extends string>(format: F, shape?: readonly number[]): MemoryView<FormatValue<F>> {
    this.#checkMemory('cast');
    const layout = this.#layout;
    if (layout.indirect !== null || !isCContiguous(layout.shape, layout.strides, layout.itemsize)) {
      fail('ERR_CAST_INVALID', 'Casts are restricted to C-contiguous views (as CPython); copy first with MemoryView.copy(view).', 'cast');
    }
    const parsed = parseFormat(format);
    if (!isByteFormat(layout.format) && !isByteFormat(format)) {
      fail(
        'ERR_CAST_INVALID',
        `Cannot cast between two non-byte formats (${JSON.stringify(layout.format)} -> ${JSON.stringify(format)}); cast to "B" first.`,
        'cast',
      );
    }
    const nbytes = layout.shape.reduce((a, b) => a * b, layout.itemsize);
    const itemsize = parsed.itemsize;
    let target: number[];
    if (shape === undefined) {
      if (nbytes % itemsize !== 0)
        fail('ERR_CAST_INVALID', `Cannot cast ${nbytes} bytes to items of ${itemsize} bytes: the length is not a multiple of the itemsize.`, 'cast');
      target = [nbytes / itemsize];
    } else {
      if (!Array.isArray(shape)) fail('ERR_INVALID_ARGUMENT', 'cast() takes a shape as an array of integers.', 'cast');
      if (shape.length > MAX_NDIM) fail('ERR_BUFFER_TOO_MANY_DIMENSIONS', `A cast to ${shape.length} dimensions exceeds the limit of ${MAX_NDIM}.`, 'cast');
      if (layout.shape.includes(0)) fail('ERR_CAST_INVALID', 'Cannot cast a view with zeros in its shape to a new shape.', 'cast');
      for (const dim of shape)
        if (!Number.isSafeInteger(dim) || dim <= 0)
          fail('ERR_CAST_INVALID', `Elements of a cast shape must be integers > 0; received [${shape.join(', ')}].`, 'cast');
      target = Array.from(shape, Number);
      const product = target.reduce((a, b) => a * b, itemsize);
      if (product !== nbytes) fail('ERR_CAST_INVALID', `product(shape) * itemsize = ${product} differs from the view's ${nbytes} bytes.`, 'cast');
    }
    return this.#derive<FormatValue<F>>({ format, itemsize, shape: target, strides: cStrides(target, itemsize) });
  }

  /**
   * NumPy's `ndarray.view(dtype)`: the same memory read as items of another format, zero-copy.
   * With an equal itemsize only the format changes; otherwise the last axis is re-divided (a
   * `'d'` view `[h, w, 2]` read as `'Zd'` is `[h, w, 1]`, as in NumPy: `slice(null, null, 0)`
   * drops that axis; a `'B'` view `[n, 8]` read as `'<d'` is `[n, 1]`), with NumPy's rules: the last axis must be contiguous (unless it has length 1 or
   * the view is empty), a smaller itemsize must divide the old one, a larger one must divide the
   * bytes of the last axis, and a 0-d view keeps its itemsize. Unlike `cast`, neither side needs
   * to be a byte format and the other axes may be strided. As in NumPy the result may be
   * unaligned: `get`, `toList` and copies read it; `toTypedArray` refuses it (`ERR_BUFFER_MISALIGNED`).
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using pairs = MemoryView.from(new Float64Array([1, 2, 3, 4])).reshape([2, 2]);
   * using complex = pairs.view('Zd'); // shape [2, 1]
   * using column = complex.slice(null, 0); // shape [2]
   * column.get(1); // [3, 4]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_FORMAT_INVALID`, `ERR_CAST_INVALID` (`details.reason`: `'0-d'`, `'indirect'`, `'not-contiguous'`, `'not-divisible'`, `'zero-itemsize'`).
   */
  view<F extends string>(format: F): MemoryView<FormatValue<F>> {
    this.#checkMemory('view');
    const layout = this.#layout;
    if (typeof format !== 'string') fail('ERR_INVALID_ARGUMENT', `view() takes a format string; received ${typeof format}.`, 'view');
    const itemsize = parseFormat(format).itemsize;
    const old = layout.itemsize;
    if (itemsize === old) return this.#derive<FormatValue<F>>({ format });
    const refuse = (reason: string, message: string): never => fail('ERR_CAST_INVALID', message, 'view', { reason, format, from: layout.format });
    const ndim = layout.shape.length;
    if (itemsize === 0) refuse('zero-itemsize', `Cannot view items as format ${JSON.stringify(format)}: it has no bytes.`);
    if (ndim === 0) {
      refuse(
        '0-d',
        `A 0-d view keeps its itemsize: ${JSON.stringify(layout.format)} has ${old} bytes, ${JSON.stringify(format)} has ${itemsize}. Reshape it to [1] first.`,
      );
    }
    if (ndim === 1 && layout.indirect !== null) {
      refuse(
        'indirect',
        'The last axis of this view is its indirect (segmented) dimension, which has no byte layout to re-divide; copy it first with MemoryView.copy(view).',
      );
    }
    const last = ndim - 1;
    const length = layout.shape[last]!;
    const size = layout.shape.reduce((a, b) => a * b, 1);
    if (length !== 1 && size !== 0 && layout.strides[last] !== old) {
      refuse(
        'not-contiguous',
        `To view items of ${old} bytes as ${itemsize}-byte ${JSON.stringify(format)}, the last axis must be contiguous (stride ${old}); it has stride ${layout.strides[last]}. Copy first with MemoryView.copy(view), or transpose so the contiguous axis is last.`,
      );
    }
    let count: number;
    if (itemsize < old) {
      if (old % itemsize !== 0)
        refuse(
          'not-divisible',
          `A smaller itemsize must divide the old one: ${itemsize} does not divide ${old} (${JSON.stringify(layout.format)} -> ${JSON.stringify(format)}).`,
        );
      count = length * (old / itemsize);
    } else {
      const bytes = length * old;
      if (bytes % itemsize !== 0)
        refuse(
          'not-divisible',
          `A larger itemsize must divide the bytes of the last axis: ${itemsize} does not divide ${bytes} (${length} items of ${old} bytes). Slice the last axis to a multiple first.`,
        );
      count = bytes / itemsize;
    }
    const shape = layout.shape.slice();
    const strides = layout.strides.slice();
    shape[last] = count;
    strides[last] = itemsize;
    return this.#derive<FormatValue<F>>({ format, itemsize, shape, strides });
  }

  /**
   * NumPy's `astype`: a copy converted to `format`, in new memory of the given order (default
   * C). `casting` defaults to `'unsafe'` as in NumPy; `'no'`, `'equiv'`, `'safe'` and
   * `'same_kind'` refuse pairs `np.can_cast` refuses (`ERR_CASTING_RULE`). Values convert as
   * NumPy's: integers wrap, floats truncate toward zero, complex -> real drops the imaginary part,
   * anything -> `?` is "not zero", 64-bit integers are exact. Where NumPy's own result is
   * undefined (float -> integer of NaN, ±inf or out-of-range values), the result here is
   * ECMAScript's ToIntN: NaN and ±inf give 0, others truncate and wrap modulo 2^N. Use
   * `rounding` and `clamp: true` for a meaningful result:
   * `astype('B', { rounding: 'rint', clamp: true })` is `np.clip(np.rint(a), 0, 255).astype(np.uint8)`.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using floats = MemoryView.from(new Float64Array([-3.5, 0.5, 1.5, 254.5, 300]));
   * using pixels = floats.astype('B', { rounding: 'rint', clamp: true });
   * pixels.toList(); // [0, 0, 2, 254, 255]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_FORMAT_INVALID`, `ERR_FORMAT_UNSUPPORTED` (formats without numeric conversion), `ERR_CASTING_RULE`, `ERR_INVALID_ARGUMENT` (unknown order, casting or rounding).
   */
  astype<F extends string>(format: F, options: AstypeOptions = {}): MemoryView<FormatValue<F>> {
    this.#checkMemory('astype');
    if (typeof format !== 'string') fail('ERR_INVALID_ARGUMENT', `astype() takes a format string; received ${typeof format}.`, 'astype');
    const { order, ...rest } = options;
    const copyOptions = { ...rest, format, casting: options.casting ?? 'unsafe' };
    if (order !== 'K') return this.#copy({ ...copyOptions, ...(order === undefined ? {} : { order }) }, 'astype') as MemoryView<FormatValue<F>>;
    // 'K': allocate C order over the axes sorted by decreasing |stride| (dimension 0 of an
    // indirect view stays first), then present the result in the original axis order.
    const layout = this.#layout;
    const axes = layout.shape.map((_, k) => k);
    const sorted = layout.indirect === null ? axes.slice().sort((a, b) => Math.abs(layout.strides[b]!) - Math.abs(layout.strides[a]!) || a - b) : axes;
    const inverse = new Array<number>(sorted.length);
    sorted.forEach((axis, k) => (inverse[axis] = k));
    const permuted = this.#derive({ shape: sorted.map((k) => layout.shape[k]!), strides: sorted.map((k) => layout.strides[k]!) });
    try {
      const copy = permuted.#copy({ ...copyOptions, order: 'C' }, 'astype');
      try {
        return copy.#derive<FormatValue<F>>({ shape: inverse.map((k) => copy.#layout.shape[k]!), strides: inverse.map((k) => copy.#layout.strides[k]!) });
      } finally {
        copy.release();
      }
    } finally {
      permuted.release();
    }
  }

  /**
   * A read-only view of the same memory (shares this view's export).
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Uint8Array(2)).toReadonly();
   * view.readonly; // true
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`.
   */
  toReadonly(): MemoryView<T> {
    this.#checkMemory('toReadonly');
    return this.#derive({ readonly: true });
  }

  // ---------------------------------------------------------------- data out

  /**
   * The items as nested arrays (a 0-d view gives its single value), as Python's `tolist()`.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Uint16Array([1, 2, 3, 4])).reshape([2, 2]);
   * view.toList(); // [[1, 2], [3, 4]]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_FORMAT_UNSUPPORTED`.
   */
  toList(): MemoryViewList<T> {
    this.#checkMemory('toList');
    const codec = this.#itemCodec();
    const layout = this.#layout;
    if (!codec.itemisable) codec.read(new DataView(new ArrayBuffer(0)), 0);
    const { shape, strides } = layout;
    const walk = (dim: number, view: DataView, offset: number): MemoryViewValue => {
      if (dim === shape.length) return codec.read(view, offset);
      const length = shape[dim]!;
      const out = new Array<MemoryViewValue>(length);
      for (let i = 0; i < length; i++) {
        if (dim === 0 && layout.indirect !== null) {
          const [buffer, base] = rowBase(layout, i);
          out[i] = walk(1, this.#viewOf(buffer), base);
        } else {
          out[i] = walk(dim + 1, view, offset + i * strides[dim]!);
        }
      }
      return out;
    };
    return walk(0, this.#viewOf(layout.buffer), layout.byteOffset) as MemoryViewList<T>;
  }

  /**
   * A copy of the bytes in C, Fortran or any (`'A'`: Fortran only when the view is Fortran- and
   * not C-contiguous) order, as Python's `tobytes(order)`.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Uint8Array([1, 2, 3, 4])).cast('B', [2, 2]);
   * view.toBytes('F'); // Uint8Array [1, 3, 2, 4]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_INVALID_ARGUMENT` (unknown order).
   */
  toBytes(order: MemoryOrder = 'C'): Uint8Array {
    this.#checkMemory('toBytes');
    const layout = this.#layout;
    const resolved = resolveOrder(order, this, 'toBytes');
    const count = layout.shape.reduce((a, b) => a * b, 1);
    const buffer = allocateBuffer(count * layout.itemsize);
    if (count > 0) {
      const strides = resolved === 'C' ? cStrides(layout.shape, layout.itemsize) : fStrides(layout.shape, layout.itemsize);
      copyStrided(layout, { buffer, byteOffset: 0, shape: layout.shape, strides, itemsize: layout.itemsize, indirect: null }, { kind: 'move' });
    }
    return withinEngineLimits('toBytes', () => new Uint8Array(buffer));
  }

  /**
   * The bytes (C order) as hexadecimal, as Python's `hex(sep, bytes_per_sep)`: a one-character
   * ASCII separator every `bytesPerSep` bytes, counted from the right (from the left when negative).
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
   * view.hex(':', 2); // 'dead:beef'
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_INVALID_ARGUMENT` (separator not one ASCII character, non-integer group size).
   */
  hex(sep?: string, bytesPerSep = 1): string {
    this.#checkMemory('hex');
    if (sep !== undefined && (typeof sep !== 'string' || sep.length !== 1 || sep.charCodeAt(0) > 127)) {
      fail('ERR_INVALID_ARGUMENT', `hex() needs a separator of exactly one ASCII character; received ${JSON.stringify(sep)}.`, 'hex');
    }
    if (!Number.isSafeInteger(bytesPerSep)) fail('ERR_INVALID_ARGUMENT', `hex() needs an integer bytesPerSep; received ${String(bytesPerSep)}.`, 'hex');
    const bytes = this.toBytes('C');
    let digits = '';
    for (let i = 0; i < bytes.length; i++) digits += HEX[bytes[i]!]!;
    const group = Math.abs(bytesPerSep);
    if (sep === undefined || group === 0 || bytes.length <= group) return digits;
    const parts: string[] = [];
    if (bytesPerSep > 0) {
      // Groups counted from the right: the first group takes the remainder.
      const first = bytes.length % group;
      if (first > 0) parts.push(digits.slice(0, first * 2));
      for (let i = first; i < bytes.length; i += group) parts.push(digits.slice(i * 2, (i + group) * 2));
    } else {
      for (let i = 0; i < bytes.length; i += group) parts.push(digits.slice(i * 2, (i + group) * 2));
    }
    return parts.join(sep);
  }

  /**
   * Format-aware equality, as CPython's `memoryview ==`: shapes must match and every pair of
   * items must compare equal as values (so `'B'` and `'i'` views of the same numbers are equal,
   * and a NaN item makes a view unequal even to itself). Formats without JavaScript values are
   * equal only to the same view object. `other` may be any exporter.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using a = MemoryView.from(new Uint8Array([1, 2]));
   * a.equals(new Int32Array([1, 2])); // true
   * ```
   * @throws {BufferError} `ERR_BUFFER_NOT_EXPORTER`-free: non-exporters simply compare unequal.
   */
  equals(other: unknown): boolean {
    if (this.#released || (other instanceof MemoryView && other.#released)) return this === other;
    this.#checkMemory('equals');
    if (isMemoryView(other)) {
      try {
        other.#checkMemory('equals');
      } catch {
        return false;
      }
      return this.#equalsView(other);
    }
    let view: MemoryView;
    try {
      view = MemoryView.from(other);
    } catch {
      return false;
    }
    try {
      return this.#equalsView(view);
    } finally {
      view.release();
    }
  }

  #equalsView(other: MemoryView): boolean {
    const a = this.#layout;
    const b = other.#layout;
    if (a.shape.length !== b.shape.length) return false;
    for (let k = 0; k < a.shape.length; k++) if (a.shape[k] !== b.shape[k]) return false;
    const codecA = this.#itemCodec();
    const codecB = other.#itemCodec();
    if (!codecA.itemisable || !codecB.itemisable) return this === other;
    const shape = a.shape;
    const walk = (dim: number, viewA: DataView, offsetA: number, viewB: DataView, offsetB: number): boolean => {
      if (dim === shape.length) return valuesEqual(codecA.read(viewA, offsetA), codecB.read(viewB, offsetB));
      for (let i = 0; i < shape[dim]!; i++) {
        let nextA = viewA;
        let nextB = viewB;
        let baseA = offsetA + i * a.strides[dim]!;
        let baseB = offsetB + i * b.strides[dim]!;
        if (dim === 0 && a.indirect !== null) {
          const [buffer, base] = rowBase(a, i);
          nextA = this.#viewOf(buffer);
          baseA = base;
        }
        if (dim === 0 && b.indirect !== null) {
          const [buffer, base] = rowBase(b, i);
          nextB = other.#viewOf(buffer);
          baseB = base;
        }
        if (!walk(dim + 1, nextA, baseA, nextB, baseB)) return false;
      }
      return true;
    };
    return walk(0, this.#viewOf(a.buffer), a.byteOffset, other.#viewOf(b.buffer), b.byteOffset);
  }

  /**
   * A TypedArray over the same memory (zero-copy) when the view is C-contiguous, aligned for
   * the element type and in native byte order; otherwise a `BufferError` saying which condition
   * failed (use `copyToTypedArray()` then). Complex formats give interleaved [re, im] pairs; the
   * array is not tracked by the export lock, so keep the view until you are done with it.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * const data = new Float32Array([1, 2, 3]);
   * using view = MemoryView.from(data);
   * view.toTypedArray()[0] === data[0]; // true, same memory
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_BUFFER_NOT_CONTIGUOUS`, `ERR_BUFFER_MISALIGNED`, `ERR_FORMAT_UNSUPPORTED` (non-native byte order, records, float16 without Float16Array).
   */
  toTypedArray(): MemoryViewTypedArrayOf<T> {
    this.#checkMemory('toTypedArray');
    const layout = this.#layout;
    const mapping = viewMapping(layout.format, 'toTypedArray');
    if (mapping === null) {
      fail(
        'ERR_FORMAT_UNSUPPORTED',
        `Format ${JSON.stringify(layout.format)} (float16) needs Float16Array, which this JavaScript engine lacks. Use copyToTypedArray() for a Float32Array copy.`,
        'toTypedArray',
      );
    }
    if (mapping.byteSwap !== 0) {
      fail(
        'ERR_FORMAT_UNSUPPORTED',
        `Format ${JSON.stringify(layout.format)} is in non-native byte order; a TypedArray reads native (${NATIVE_ENDIANNESS}-endian) order. Use copyToTypedArray() for a byte-swapped copy.`,
        'toTypedArray',
      );
    }
    if (layout.indirect !== null || !isCContiguous(layout.shape, layout.strides, layout.itemsize)) {
      fail(
        'ERR_BUFFER_NOT_CONTIGUOUS',
        'A zero-copy TypedArray needs a C-contiguous view; this view is strided or indirect. Use copyToTypedArray() for a copy.',
        'toTypedArray',
      );
    }
    const count = layout.shape.reduce((a, b) => a * b, 1) * mapping.elementsPerItem;
    const constructor = mapping.arrayConstructor as ViewArrayConstructor;
    const elementSize = constructor.BYTES_PER_ELEMENT;
    if (layout.byteOffset % elementSize !== 0) {
      fail(
        'ERR_BUFFER_MISALIGNED',
        `The view starts at byte ${layout.byteOffset}, not a multiple of ${elementSize} (the ${constructor.name} element size). Use copyToTypedArray() for an aligned copy.`,
        'toTypedArray',
      );
    }
    return withinEngineLimits('toTypedArray', () => new constructor(layout.buffer as ArrayBuffer, layout.byteOffset, count)) as MemoryViewTypedArrayOf<T>;
  }

  /**
   * A new TypedArray holding a copy of the items in C order and native byte order, from any
   * layout (strided, indirect, byte-swapped). Float16 without Float16Array gives a Float32Array.
   *
   * @example
   * ```ts
   * import { MemoryView } from '@interop/core';
   * using view = MemoryView.from(new Float64Array([1, 2, 3, 4])).slice('::2');
   * view.copyToTypedArray(); // Float64Array [1, 3]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_FORMAT_UNSUPPORTED` (records, formats without a TypedArray).
   */
  copyToTypedArray(): MemoryViewTypedArrayOf<T> {
    this.#checkMemory('copyToTypedArray');
    const layout = this.#layout;
    const mapping = viewMapping(layout.format, 'copyToTypedArray');
    const constructor = (mapping?.arrayConstructor ?? Float32Array) as ViewArrayConstructor;
    const itemsize = mapping === null ? 4 : layout.itemsize;
    const count = layout.shape.reduce((a, b) => a * b, 1);
    const buffer = allocateBuffer(count * itemsize);
    const plan: ItemPlan =
      mapping === null ? itemPlan(layout.format, 'f', true) : mapping.byteSwap === 0 ? { kind: 'move' } : { kind: 'swap', unit: mapping.byteSwap };
    copyStrided(layout, { buffer, byteOffset: 0, shape: layout.shape, strides: cStrides(layout.shape, itemsize), itemsize, indirect: null }, plan);
    return withinEngineLimits('copyToTypedArray', () => new constructor(buffer)) as MemoryViewTypedArrayOf<T>;
  }

  /**
   * Copies this view's items into `dst` (a MemoryView or any writable exporter) of the same
   * shape, with memmove semantics when the two overlap. A format differing only in byte order is
   * byte-swapped; other numeric formats need `casting` (NumPy's `np.copyto(dst, src, casting)`,
   * with `rounding` and `clamp` as in `astype`; those two alone imply `'unsafe'`) or the legacy
   * exact `{ convert: true }`.
   *
   * @example
   * ```ts
   * import { BufferFlags, MemoryView } from '@interop/core';
   * const out = new Float64Array(3);
   * using source = MemoryView.from(new Float64Array([1, 2, 3])).flip();
   * source.copyInto(out);
   * console.log(out); // Float64Array [3, 2, 1]
   * ```
   * @throws {BufferError} `ERR_BUFFER_RELEASED`, `ERR_BUFFER_READONLY`, `ERR_SHAPE_MISMATCH`, `ERR_FORMAT_UNSUPPORTED`, `ERR_CASTING_RULE`, `ERR_VALUE_INVALID` (legacy `convert`), `ERR_INVALID_ARGUMENT`, plus export refusals of `dst`.
   */
  copyInto(dst: unknown, options: CopyIntoOptions = {}): void {
    this.#checkMemory('copyInto');
    withView(dst, BufferFlags.FULL, (target) => {
      target.#checkMemory('copyInto');
      const a = this.#layout;
      const b = target.#layout;
      if (b.readonly) fail('ERR_BUFFER_READONLY', 'The destination of copyInto is read-only.', 'copyInto');
      if (a.shape.length !== b.shape.length || a.shape.some((dim, k) => dim !== b.shape[k])) {
        fail(
          'ERR_SHAPE_MISMATCH',
          `copyInto needs equal shapes; source [${a.shape.join(', ')}], destination [${b.shape.join(', ')}]. Slice or reshape one side first.`,
          'copyInto',
        );
      }
      runPlan(a, b, copyPlan(a.format, b.format, options, 'copyInto'));
    });
  }

  /** A short description, e.g. `<MemoryView format="f" shape=[2, 3]>`. */
  toString(): string {
    if (this.#released) return '<released MemoryView>';
    return `<MemoryView format=${JSON.stringify(this.#layout.format)} shape=[${this.#layout.shape.join(', ')}]${this.#layout.readonly ? ' readonly' : ''}>`;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

/**
 * The plan of a copy from `srcFormat` to `dstFormat`: without conversion options, today's rule
 * (the same values, byte order may differ; legacy `convert` for exact conversion); with
 * `casting`, `rounding` or `clamp`, NumPy's conversion (`rounding`/`clamp` alone imply 'unsafe').
 */
function copyPlan(srcFormat: string, dstFormat: string, options: CopyIntoOptions, operation: string): ItemPlan | ConversionPlan {
  const { casting, rounding, clamp } = options;
  if (casting === undefined && rounding === undefined && clamp === undefined) return itemPlan(srcFormat, dstFormat, options.convert === true);
  if (options.convert === true) {
    fail(
      'ERR_INVALID_ARGUMENT',
      'Pass either convert: true (exact conversion, refusing values that change) or casting/rounding/clamp (NumPy conversion), not both.',
      operation,
    );
  }
  return conversionPlan(srcFormat, dstFormat, { casting: casting ?? 'unsafe', rounding, clamp }, operation);
}

function runPlan(src: StridedOperand, dst: StridedOperand, plan: ItemPlan | ConversionPlan): void {
  if (plan.kind === 'values') convertStrided(src, dst, plan);
  else copyStrided(src, dst, plan);
}

/** `instanceof` with the wide value type (instanceof alone narrows to `MemoryView<any>`). */
function isMemoryView(value: unknown): value is MemoryView {
  return value instanceof MemoryView;
}

function withView<T>(value: unknown, flags: number, body: (view: MemoryView) => T): T {
  if (isMemoryView(value)) return body(value);
  const view = MemoryView.from(value, flags);
  try {
    return body(view);
  } finally {
    view.release();
  }
}

// The layout arrays of `info` are this package's own and never mutated: getBuffer snapshots an
// exporter's, and exportBuffer from a view hands back that view's. So views share them.
function layoutOf(info: BufferInfo): ViewLayout {
  const resolved = resolveLayout(info);
  let indirect: IndirectPart | null = null;
  if (resolved.segments !== null && resolved.suboffsets !== null) {
    indirect = { segments: resolved.segments, start: 0, step: 1, suboffset: resolved.suboffsets[0]! };
  }
  return {
    buffer: resolved.buffer,
    byteOffset: resolved.byteOffset,
    format: resolved.format,
    itemsize: resolved.itemsize,
    shape: resolved.shape,
    strides: resolved.strides,
    indirect,
    readonly: resolved.readonly,
  };
}

/** What the detached check reads of a probe. */
interface TypedArrayLike {
  readonly byteLength: number;
  readonly buffer: ArrayBufferLike;
}

// Indirect views check their segments each time; their probe is this empty, never-detached array.
const EMPTY_PROBE = new Uint8Array(0);

function resolveOrder(order: MemoryOrder, view: MemoryView, operation: string): 'C' | 'F' {
  if (order === 'C' || order === 'F') return order;
  if (order === 'A') return view.fContiguous && !view.cContiguous ? 'F' : 'C';
  return fail('ERR_INVALID_ARGUMENT', `Order must be 'C', 'F' or 'A'; received ${JSON.stringify(order)}.`, operation);
}

function normalizeAxis(axis: number, ndim: number, operation: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    fail('ERR_INVALID_ARGUMENT', `Axis ${String(axis)} is out of range for a ${ndim}-dimensional view.`, operation);
  }
  return axis < 0 ? axis + ndim : axis;
}

function isByteFormat(format: string): boolean {
  return format === 'B' || format === 'b' || format === 'c' || format === '@B' || format === '@b' || format === '@c';
}

function resolveShape(input: readonly number[], size: number): number[] {
  const shape: readonly number[] = input;
  if (!Array.isArray(input)) fail('ERR_INVALID_ARGUMENT', 'reshape() takes a shape as an array of integers.', 'reshape');
  if (shape.length > MAX_NDIM) fail('ERR_BUFFER_TOO_MANY_DIMENSIONS', `A reshape to ${shape.length} dimensions exceeds the limit of ${MAX_NDIM}.`, 'reshape');
  let unknown = -1;
  let known = 1;
  for (let k = 0; k < shape.length; k++) {
    const dim = shape[k]!;
    if (dim === -1 && unknown < 0) unknown = k;
    else if (!Number.isSafeInteger(dim) || dim < 0)
      fail('ERR_INVALID_ARGUMENT', `Shape entries must be integers >= 0 (one may be -1); received [${shape.join(', ')}].`, 'reshape');
    else known *= dim;
  }
  const target: number[] = Array.from(shape, Number);
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) fail('ERR_SHAPE_MISMATCH', `Cannot reshape ${size} items into [${shape.join(', ')}].`, 'reshape');
    target[unknown] = size / known;
  } else if (known !== size) {
    fail('ERR_SHAPE_MISMATCH', `Cannot reshape ${size} items into [${shape.join(', ')}] (${known} items).`, 'reshape');
  }
  return target;
}

/**
 * The TypedArray mapping of a view's format, or null for float16 on an engine without
 * Float16Array (copyToTypedArray then converts to float32).
 */
/** The constructors toTypedArray answers with (the mapping never answers Uint8ClampedArray). */
type ViewArrayConstructor = Exclude<TypedArrayConstructor, Uint8ClampedArrayConstructor>;

function viewMapping(format: string, operation: string): TypedArrayMapping | null {
  const type = parseFormat(format).type;
  if (type.kind === 'scalar' && type.valueKind === 'float' && type.size === 2 && (globalThis as { Float16Array?: unknown }).Float16Array === undefined)
    return null;
  return mappingOfType(type, format, operation);
}
