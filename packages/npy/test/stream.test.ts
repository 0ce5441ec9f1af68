import { BufferError } from '@interop/core';
import { MemoryStream } from '@interop/stream';
import { describe, expect, it } from 'vitest';
import { expectErrorCodeAsync } from '@interop/core/testing';
import { readNpy, readNpyFromStream, readNpyHeaderFromStream, readNpyInto, writeNpy, writeNpyToStream, NpyError } from '../src/index.js';
import { decodeAll, fixture } from './helpers.js';

describe('streams', () => {
  it('reads only the header and leaves the position at the data', async () => {
    const stream = new MemoryStream(fixture('v2_explicit.npy'));
    const header = await readNpyHeaderFromStream(stream);
    expect(header.version).toBe('2.0');
    expect(stream.tell()).toBe(header.dataOffset);
  });

  it('reads the data straight into a destination exporter', async () => {
    const target = new Float64Array(12);
    const header = await readNpyInto(new MemoryStream(fixture('fortran_f8_3x4.npy')), target);
    expect(header.fortranOrder).toBe(true);
    expect([...target]).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });

  it('refuses destinations that would misread or do not fit', async () => {
    await expectErrorCodeAsync(() => readNpyInto(new MemoryStream(fixture('f8_le.npy')), new Float64Array(3)), 'ERR_NPY_DESTINATION_MISMATCH', {
      family: NpyError,
    });
    await expectErrorCodeAsync(() => readNpyInto(new MemoryStream(fixture('f8_be.npy')), new Float64Array(10)), 'ERR_NPY_DESTINATION_MISMATCH', {
      family: NpyError,
    });
    await expectErrorCodeAsync(() => readNpyInto(new MemoryStream(fixture('i8_le.npy')), new Float64Array(6)), 'ERR_NPY_DESTINATION_MISMATCH', {
      family: NpyError,
    });
    // Raw bytes always fit.
    const raw = new Uint8Array(80);
    await readNpyInto(new MemoryStream(fixture('f8_be.npy')), raw);
    expect(raw[0]).toBe(0);
  });

  it('refuses a read-only destination with a BufferError', async () => {
    const readonly = readNpy(writeNpy(new Float32Array(3)), { readonly: true });
    await expect(readNpyInto(new MemoryStream(writeNpy(new Float32Array(3))), readonly)).rejects.toSatisfy(
      (error: unknown) => BufferError.isInstance(error) && error.code === 'ERR_BUFFER_READONLY',
    );
  });

  it('reads a whole array from a stream and detects truncated data', async () => {
    const array = await readNpyFromStream(new MemoryStream(fixture('struct_nested.npy')));
    expect(decodeAll(array)).toEqual(decodeAll(readNpy(fixture('struct_nested.npy'))));
    const cut = fixture('f8_le.npy').subarray(0, 150);
    await expectErrorCodeAsync(() => readNpyFromStream(new MemoryStream(cut)), 'ERR_NPY_DATA_TRUNCATED', { family: NpyError });
    await expectErrorCodeAsync(() => readNpyFromStream(new MemoryStream(cut.subarray(0, 20))), 'ERR_NPY_TRUNCATED', { family: NpyError });
  });

  it('checks maxHeaderSize before reading the header', async () => {
    const bytes = fixture('f8_le.npy').slice();
    new DataView(bytes.buffer).setUint16(8, 60000, true);
    await expectErrorCodeAsync(() => readNpyHeaderFromStream(new MemoryStream(bytes)), 'ERR_NPY_HEADER_TOO_LARGE', { family: NpyError });
  });

  it('writes an array to a stream, byte-identical to writeNpy', async () => {
    const stream = new MemoryStream();
    const source = readNpy(fixture('fortran_i2_2x3x4.npy'));
    const count = await writeNpyToStream(stream, source);
    expect(count).toBe(stream.size);
    expect(Buffer.from(stream.getValue()).equals(Buffer.from(writeNpy(source)))).toBe(true);
    const strided = new MemoryStream();
    await writeNpyToStream(strided, source, { order: 'C' });
    expect(decodeAll(readNpy(strided.getValue()))).toEqual(decodeAll(source));
  });
});
