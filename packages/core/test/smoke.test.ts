import { describe, expect, it } from 'vitest';
import { BufferError, BufferFlags, ExportLock, exportBuffer, getBuffer, getbuffer, releaseBuffer, releasebuffer, type BufferInfo } from '@interop/core';

class Bytes {
  readonly lock = new ExportLock();
  data = new Uint8Array(16);
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.data.buffer, byteOffset: 0, format: 'B', shape: [16] }, flags, this.lock);
  }
  [releasebuffer](): void {
    this.lock.release();
  }
  resize(n: number): void {
    this.lock.assertUnlocked('resize');
    this.data = new Uint8Array(n);
  }
}

describe('contract smoke', () => {
  it('locks and releases', () => {
    const bytes = new Bytes();
    const info = getBuffer(bytes, BufferFlags.STRIDED_RO);
    expect(info.shape).toEqual([16]);
    expect(() => bytes.resize(3)).toThrow(BufferError);
    releaseBuffer(info);
    bytes.resize(3);
    expect(() => releaseBuffer(info)).toThrowError(expect.objectContaining({ code: 'ERR_BUFFER_RELEASED' }) as Error);
  });
  it('exports typed arrays', () => {
    const info = getBuffer(new Float64Array(4), BufferFlags.FULL_RO);
    expect(info.format).toBe('d');
    expect(info.itemsize).toBe(8);
    releaseBuffer(info);
  });
});
