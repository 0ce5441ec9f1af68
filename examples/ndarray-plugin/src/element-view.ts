import { BufferError, exportBuffer, formatForTypedArray, resolveLayout, typedArrayForFormat, type BufferInfo } from '@interop/core';

/** A typed array over an export's whole buffer, plus the export's offset and strides in elements. */
export interface ElementView {
  readonly data: ArrayBufferView & { readonly length: number };
  readonly offset: number;
  readonly strides: number[];
  readonly shape: number[];
  readonly format: string;
}

/**
 * Expresses an export in the element units that ndarray libraries use. Those libraries index a
 * typed array, so the export must be native-endian and every stride and the offset must be
 * whole elements.
 */
export function elementView(info: BufferInfo): ElementView {
  const layout = resolveLayout(info);
  if (layout.segments !== null) {
    throw new BufferError(
      'ERR_BUFFER_FLAGS_UNSUPPORTED',
      'ndarray objects cannot view indirect (segmented) memory; copy it to contiguous memory first (MemoryView.copy).',
      { details: { operation: 'toNdarray' } },
    );
  }
  const Constructor = typedArrayForFormat(layout.format);
  const itemsize = layout.itemsize;
  const misaligned = layout.byteOffset % itemsize !== 0 || layout.strides.some((stride) => stride % itemsize !== 0);
  if (misaligned) {
    throw new BufferError(
      'ERR_CAST_INVALID',
      `ndarray objects index whole elements, but this export's offset ${layout.byteOffset} or strides [${layout.strides.join(', ')}] are not multiples of its itemsize ${itemsize}. Copy it first (MemoryView.copy).`,
      {
        details: { operation: 'toNdarray' },
      },
    );
  }
  const length = Math.floor(layout.buffer.byteLength / itemsize);
  const data = new Constructor(layout.buffer as ArrayBuffer, 0, length) as ArrayBufferView & { length: number };
  return {
    data,
    offset: layout.byteOffset / itemsize,
    strides: layout.strides.map((stride) => stride / itemsize),
    shape: [...layout.shape],
    format: layout.format,
  };
}

/**
 * Exports an ndarray library's object: a typed array plus an offset and strides counted in
 * elements, as both scijs and stdlib store them; the protocol wants bytes.
 */
export function exportElementStrided(
  owner: object,
  data: ArrayBufferView,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  flags: number,
): BufferInfo {
  const itemsize = (data as ArrayBufferView & { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return exportBuffer(
    owner,
    {
      buffer: data.buffer,
      byteOffset: data.byteOffset + offset * itemsize,
      format: formatForTypedArray(data),
      itemsize,
      shape,
      strides: strides.map((stride) => stride * itemsize),
    },
    flags,
  );
}
