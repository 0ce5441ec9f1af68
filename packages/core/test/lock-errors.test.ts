// Lock errors name who holds the export: the exporter always, and with tracing on, the call site of
// every live export; and they say what to release first (issue 20, "Errors that guide").
import { afterEach, describe, expect, it } from 'vitest';
import {
  BufferError,
  BufferFlags,
  ExportLock,
  exportBuffer,
  getBuffer,
  getbuffer,
  MemoryView,
  releaseBuffer,
  releasebuffer,
  setExportTracing,
  type BufferInfo,
} from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';

class Volume {
  readonly #lock = new ExportLock();
  readonly #data = new Float32Array(8);
  [getbuffer](flags: number): BufferInfo {
    return exportBuffer(this, { buffer: this.#data.buffer, byteOffset: 0, format: 'f', shape: [8] }, flags, this.#lock);
  }
  [releasebuffer](): void {
    this.#lock.release();
  }
  resize(): void {
    this.#lock.assertUnlocked('resize');
  }
}

function takeExportForTheTest(volume: Volume): MemoryView {
  return MemoryView.from(volume);
}

afterEach(() => setExportTracing(false));

describe('ExportLock errors', () => {
  it('name the exporter and the count, and say how to find the holders when tracing is off', () => {
    const volume = new Volume();
    using view = MemoryView.from(volume);
    const info = getBuffer(volume, BufferFlags.SIMPLE);
    const error = expectErrorCode(() => volume.resize(), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(error.message).toContain('Cannot resize: 2 exports are still held on the memory of a Volume.');
    expect(error.message).toContain('INTEROP_TRACE_EXPORTS=1');
    expect(error.message).toContain('Release those views first');
    expect(error.details).toMatchObject({ operation: 'resize', liveExports: 2, exporter: 'a Volume' });
    expect(error.details.sites).toBeUndefined();
    releaseBuffer(info);
    expect(view.nbytes).toBe(32);
  });

  it('list where each live export was taken when tracing is on, and forget released ones', () => {
    setExportTracing(true);
    const volume = new Volume();
    const first = takeExportForTheTest(volume);
    const second = getBuffer(volume, BufferFlags.ND);
    let error = expectErrorCode(() => volume.resize(), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    const sites = error.details.sites as string[];
    expect(sites).toHaveLength(2);
    expect(sites[0]).toContain('takeExportForTheTest');
    expect(sites[1]).toContain('lock-errors.test.ts');
    expect(error.message).toContain('The live exports were taken at:');
    expect(error.message).toContain('takeExportForTheTest');
    first.release();
    error = expectErrorCode(() => volume.resize(), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(error.details.liveExports).toBe(1);
    expect(error.details.sites as string[]).toHaveLength(1);
    expect(error.message).not.toContain('takeExportForTheTest');
    releaseBuffer(second);
    expect(() => volume.resize()).not.toThrow();
  });

  it('point at SuppressedError.suppressed when disposal fails while a scope unwinds', () => {
    const volume = new Volume();
    let caught: unknown;
    try {
      using _guard = { [Symbol.dispose]: () => volume.resize() };
      MemoryView.from(volume); // a view nobody releases: the lock is still held at scope exit
      throw new Error('the real failure');
    } catch (error) {
      caught = error;
    }
    // Node 20 has no global SuppressedError: the compiled `using` makes an Error of that name.
    expect((caught as Error).name).toBe('SuppressedError');
    const suppressed = caught as { error: unknown; suppressed: unknown };
    expect((suppressed.suppressed as Error).message).toBe('the real failure');
    expect(BufferError.isInstance(suppressed.error)).toBe(true);
    expect((suppressed.error as Error).message).toContain('SuppressedError.suppressed');
  });

  it('work for a lock made without an owner and for locks given one explicitly', () => {
    const bare = new ExportLock();
    bare.acquire();
    const unowned = expectErrorCode(() => bare.assertUnlocked('close'), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(unowned.message).toContain("held on this object's memory");
    const named = new ExportLock(new Volume());
    named.acquire();
    const owned = expectErrorCode(() => named.assertUnlocked('close'), 'ERR_BUFFER_EXPORTED', { family: BufferError });
    expect(owned.details.exporter).toBe('a Volume');
  });
});
