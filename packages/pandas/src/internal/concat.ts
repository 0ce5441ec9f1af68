import { Column, type Validity } from '../column.js';
import { sameColumnType } from '../column-type.js';
import { PandasError } from '../errors/pandas-error.js';
import { allocateArray, allocateBytes } from './allocate.js';
import { getBit, paddedBytes } from './bits.js';
import { valuesConstructor } from './typed.js';

/** Concatenates chunks of one column into one contiguous column (one copy). */
export function concatColumns(chunks: readonly Column[], name: string): Column {
  const first = chunks[0];
  if (first === undefined) throw new PandasError('ERR_INVALID_ARGUMENT', `Column "${name}" has no chunks.`, { details: { operation: 'concat', column: name } });
  if (chunks.length === 1) return first;
  for (const chunk of chunks) {
    if (!sameColumnType(chunk.type, first.type)) {
      throw new PandasError('ERR_PANDAS_UNSUPPORTED_TYPE', `Chunks of column "${name}" disagree in type (${first.dtype} and ${chunk.dtype}).`, {
        details: { operation: 'concat', column: name },
      });
    }
  }
  const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const validity = concatValidity(chunks, length);
  const type = first.type;
  if (type.kind === 'string') {
    const bytes = chunks.reduce((sum, chunk) => sum + stringBytes(chunk), 0);
    const large = bytes > 0x7fffffff || chunks.some((chunk) => chunk.offsets instanceof BigInt64Array);
    const offsets = large ? allocateArray(BigInt64Array, length + 1, 'concat') : allocateArray(Int32Array, length + 1, 'concat');
    const data = allocateBytes(bytes, 'concat');
    let row = 0;
    let position = 0;
    for (const chunk of chunks) {
      const chunkOffsets = chunk.offsets as Int32Array | BigInt64Array;
      const start = Number(chunkOffsets[0]);
      const end = Number(chunkOffsets[chunk.length]);
      data.set((chunk.values as Uint8Array).subarray(start, end), position);
      for (let index = 0; index < chunk.length; index++) {
        const value = Number(chunkOffsets[index + 1]) - start + position;
        if (offsets instanceof BigInt64Array) offsets[row + index + 1] = BigInt(value);
        else offsets[row + index + 1] = value;
      }
      row += chunk.length;
      position += end - start;
    }
    return Column.fromParts({ type, values: data, offsets, validity });
  }
  const Constructor = valuesConstructor(type);
  if (type.kind !== 'categorical' && contiguous(chunks)) {
    // The chunks follow each other in one buffer (readArrowIPC's decode arena): view them as one.
    return Column.fromParts({ type, values: new Constructor(first.values.buffer, first.values.byteOffset, length), validity });
  }
  const values = new Constructor(allocateBytes(length * Constructor.BYTES_PER_ELEMENT, 'concat').buffer, 0, length);
  if (type.kind === 'categorical') {
    // Dictionaries may differ between chunks (Arrow replacement dictionaries): unify by value.
    const categories: unknown[] = [];
    const codeOf = new Map<unknown, number>();
    let row = 0;
    for (const chunk of chunks) {
      const chunkCategories = (chunk.categories as Column).toArray();
      const remap = chunkCategories.map((value) => {
        let code = codeOf.get(value);
        if (code === undefined) {
          code = categories.length;
          categories.push(value);
          codeOf.set(value, code);
        }
        return code;
      });
      for (let index = 0; index < chunk.length; index++) {
        const code = Number(chunk.values[index]);
        const mapped = code >= 0 ? (remap[code] ?? -1) : -1;
        if (values instanceof BigInt64Array || values instanceof BigUint64Array) values[row + index] = BigInt(mapped);
        else values[row + index] = mapped;
      }
      row += chunk.length;
    }
    const categoryColumn = Column.from(categories, (first.categories as Column).type);
    return Column.fromParts({ type, values, validity, categories: categoryColumn });
  }
  let row = 0;
  for (const chunk of chunks) {
    (values as Uint8Array).set(chunk.values as Uint8Array, row);
    row += chunk.length;
  }
  return Column.fromParts({ type, values, validity });
}

function contiguous(chunks: readonly Column[]): boolean {
  for (let index = 1; index < chunks.length; index++) {
    const previous = (chunks[index - 1] as Column).values;
    const values = (chunks[index] as Column).values;
    if (values.buffer !== previous.buffer || values.byteOffset !== previous.byteOffset + previous.byteLength) return false;
  }
  return true;
}

function stringBytes(chunk: Column): number {
  const offsets = chunk.offsets as Int32Array | BigInt64Array;
  return Number(offsets[chunk.length]) - Number(offsets[0]);
}

function concatValidity(chunks: readonly Column[], length: number): Validity | null {
  if (chunks.every((chunk) => chunk.validity === null)) return null;
  const bitmap = allocateBytes(paddedBytes(length), 'concat');
  let row = 0;
  for (const chunk of chunks) {
    const validity = chunk.validity;
    for (let index = 0; index < chunk.length; index++) {
      if (validity === null || getBit(validity.bitmap, validity.offset, index))
        bitmap[(row + index) >> 3] = (bitmap[(row + index) >> 3] ?? 0) | (1 << ((row + index) & 7));
    }
    row += chunk.length;
  }
  return { bitmap, offset: 0 };
}
