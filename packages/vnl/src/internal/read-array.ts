import { NATIVE_ENDIANNESS, type BufferSource, type Layout } from '@interop/core';
import type { AnyData, ElementInfo } from './element-info.js';

type Getter = (view: DataView, byteOffset: number, littleEndian: boolean) => number | bigint;

const getters: Readonly<Record<string, Getter>> = {
  int8: (v, o) => v.getInt8(o),
  uint8: (v, o) => v.getUint8(o),
  int16: (v, o, le) => v.getInt16(o, le),
  uint16: (v, o, le) => v.getUint16(o, le),
  int32: (v, o, le) => v.getInt32(o, le),
  uint32: (v, o, le) => v.getUint32(o, le),
  int64: (v, o, le) => v.getBigInt64(o, le),
  uint64: (v, o, le) => v.getBigUint64(o, le),
  float32: (v, o, le) => v.getFloat32(o, le),
  float64: (v, o, le) => v.getFloat64(o, le),
  complex64: (v, o, le) => v.getFloat32(o, le),
  complex128: (v, o, le) => v.getFloat64(o, le),
};

/**
 * Copies `count` elements that start at `byteOffset` of `buffer`, `stride` bytes apart, into
 * `out` from storage index `outIndex`. Contiguous native runs are one `TypedArray.set`; aligned
 * native strided runs index a TypedArray over the whole buffer; anything else (misaligned or
 * foreign byte order) goes through a DataView. Bounds were validated by `getBuffer`.
 */
function readRun(element: ElementInfo, nativeOrder: boolean, buffer: BufferSource, byteOffset: number, count: number, stride: number, out: AnyData, outIndex: number): void {
  if (count === 0) return;
  const components = element.components;
  const size = element.componentSize;
  const aligned = byteOffset % size === 0 && stride % size === 0;
  const target = out as unknown as (number | bigint)[];
  if (nativeOrder && aligned) {
    if (stride === element.itemsize) {
      (out as unknown as { set(source: ArrayLike<unknown>, offset: number): void }).set(element.wrap(buffer, byteOffset, count * components), outIndex);
      return;
    }
    const source = element.wrap(buffer, 0, Math.floor(buffer.byteLength / size)) as unknown as (number | bigint)[];
    const step = stride / size;
    let at = byteOffset / size;
    for (let i = 0; i < count; i++, at += step) {
      target[outIndex + i * components] = source[at]!;
      if (components === 2) target[outIndex + i * components + 1] = source[at + 1]!;
    }
    return;
  }
  const view = new DataView(buffer);
  const littleEndian = (NATIVE_ENDIANNESS === 'little') === nativeOrder;
  const get = getters[element.type]!;
  let at = byteOffset;
  for (let i = 0; i < count; i++, at += stride) {
    target[outIndex + i * components] = get(view, at, littleEndian);
    if (components === 2) target[outIndex + i * components + 1] = get(view, at + size, littleEndian);
  }
}

/**
 * Copies a validated 1-D or 2-D layout (direct or indirect in dimension 0) into row-major storage.
 */
export function readLayout(element: ElementInfo, nativeOrder: boolean, layout: Layout, out: AnyData): void {
  const { shape, strides } = layout;
  const rows = layout.ndim === 1 ? 1 : shape[0]!;
  const columns = layout.ndim === 1 ? shape[0]! : shape[1]!;
  const columnStride = layout.ndim === 1 ? strides[0]! : strides[1]!;
  const components = element.components;
  if (layout.segments !== null && layout.suboffsets !== null) {
    const suboffset = layout.suboffsets[0]!;
    if (layout.ndim === 1) {
      // A 1-D indirect array: element i is the first item of segment i.
      layout.segments.forEach((segment, i) => readRun(element, nativeOrder, segment.buffer, segment.byteOffset + suboffset, 1, element.itemsize, out, i * components));
      return;
    }
    for (let i = 0; i < rows; i++) {
      const segment = layout.segments[i]!;
      readRun(element, nativeOrder, segment.buffer, segment.byteOffset + suboffset, columns, columnStride, out, i * columns * components);
    }
    return;
  }
  const rowStride = layout.ndim === 1 ? 0 : strides[0]!;
  if (nativeOrder && rows > 1 && rowStride === columns * element.itemsize && columnStride === element.itemsize) {
    readRun(element, nativeOrder, layout.buffer, layout.byteOffset, rows * columns, element.itemsize, out, 0);
    return;
  }
  for (let i = 0; i < rows; i++) readRun(element, nativeOrder, layout.buffer, layout.byteOffset + i * rowStride, columns, columnStride, out, i * columns * components);
}

