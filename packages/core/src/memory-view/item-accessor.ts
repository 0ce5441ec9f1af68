// Element access by format for code that computes its own byte offsets (an exporter's get/set):
// the item codecs of MemoryView, behind a bounds check.
import { BufferError } from '../errors/buffer-error.js';
import { parseFormat } from '../format/parse.js';
import { codecFor, type MemoryViewValue } from './codec.js';

/** Reads and writes single items of one format through a DataView; see {@link itemAccessor}. */
export interface ItemAccessor {
  /** The format the accessor was made for. */
  readonly format: string;
  /** Bytes per item. */
  readonly itemsize: number;
  /**
   * The item at `byteOffset` of `view`, as `MemoryView.get` returns it (numbers, bigints for
   * 8-byte integers, booleans, `[re, im]`, records as objects).
   *
   * @throws {BufferError} `ERR_BUFFER_OUT_OF_BOUNDS` when the item does not lie inside `view`.
   */
  read(view: DataView, byteOffset: number): MemoryViewValue;
  /**
   * Stores `value` as the item at `byteOffset` of `view`, with `MemoryView.set`'s rules (integers
   * range-checked, never wrapped; 8-byte integers from bigints or safe integers).
   *
   * @throws {BufferError} `ERR_VALUE_INVALID` when the format cannot hold `value`,
   * `ERR_BUFFER_OUT_OF_BOUNDS` when the item does not lie inside `view`.
   */
  write(view: DataView, byteOffset: number, value: unknown): void;
}

const accessors = new Map<string, ItemAccessor>();

/**
 * The reader and writer of single items of `format`, for exporters and plugins that locate items
 * themselves (an image's `getValue(index)`, a matrix's `get(row, column)`): the same value rules
 * and byte-order handling as `MemoryView.get` / `set`, with no view to build per access.
 * Accessors are cached per format string.
 *
 * @example
 * ```ts
 * import { itemAccessor } from '@interop/core';
 * const int16 = itemAccessor('>h');
 * const view = new DataView(new ArrayBuffer(4));
 * int16.write(view, 2, -2);
 * console.log(int16.read(view, 2), view.getUint8(2)); // -2 255 (big-endian)
 * ```
 * @throws {BufferError} `ERR_FORMAT_UNSUPPORTED` for items without a JavaScript value (long
 * double, objects, padding), `ERR_FORMAT_INVALID` for malformed format strings.
 */
export function itemAccessor(format: string): ItemAccessor {
  const known = accessors.get(format);
  if (known !== undefined) return known;
  const itemsize = parseFormat(format).itemsize;
  const codec = codecFor(format);
  if (!codec.itemisable) {
    throw new BufferError(
      'ERR_FORMAT_UNSUPPORTED',
      `Items of format ${JSON.stringify(format)} have no JavaScript value: ${codec.reason ?? ''}. Read their bytes instead.`,
      {
        details: { operation: 'itemAccessor', format },
      },
    );
  }
  const check = (view: DataView, byteOffset: number, operation: string): void => {
    if (!ArrayBuffer.isView(view) || typeof (view as Partial<DataView>).getUint8 !== 'function') {
      throw new BufferError('ERR_INVALID_ARGUMENT', `itemAccessor(${JSON.stringify(format)}).${operation} takes a DataView.`, {
        details: { operation, format },
      });
    }
    let length: number;
    try {
      length = view.byteLength;
    } catch (cause) {
      // A DataView over a transferred ArrayBuffer throws a TypeError for byteLength.
      throw new BufferError('ERR_BUFFER_DETACHED', `Cannot ${operation} an item: the DataView's ArrayBuffer is detached (transferred).`, {
        cause,
        details: { operation, format },
      });
    }
    if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset + itemsize > length) {
      throw new BufferError(
        'ERR_BUFFER_OUT_OF_BOUNDS',
        `Cannot ${operation} a ${itemsize}-byte item of format ${JSON.stringify(format)} at byte ${String(byteOffset)} of a ${length}-byte view.`,
        {
          details: { operation, format },
        },
      );
    }
  };
  const accessor: ItemAccessor = Object.freeze({
    format,
    itemsize,
    read(view: DataView, byteOffset: number): MemoryViewValue {
      check(view, byteOffset, 'read');
      return codec.read(view, byteOffset);
    },
    write(view: DataView, byteOffset: number, value: unknown): void {
      check(view, byteOffset, 'write');
      codec.write(view, byteOffset, value);
    },
  });
  if (accessors.size >= 256) accessors.clear();
  accessors.set(format, accessor);
  return accessor;
}
