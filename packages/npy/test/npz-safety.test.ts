import { expectErrorCode } from '@interop/core/testing';
import { describe, expect, it } from 'vitest';
import { NpyError, readNpz, writeNpz } from '../src/index.js';

/** Offsets of every central directory entry of `bytes` (signature PK\1\2). */
function centralEntries(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let i = 0; i + 46 <= bytes.length; i++) if (view.getUint32(i, true) === 0x02014b50) found.push(i);
  return found;
}

/** Makes the directory (and local header) of the first member claim `size` decompressed bytes. */
function claimSize(bytes: Uint8Array, size: number): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const at = centralEntries(copy)[0]!;
  view.setUint32(at + 24, size, true);
  view.setUint32(22, size, true); // the local header of member 0 starts at byte 0
  return copy;
}

describe('.npz default expansion limit (tied to the input size, checked before allocating)', () => {
  it('an archive of 1,043,853 bytes whose member claims 1 GiB is refused by default, cheaply', () => {
    // Incompressible bytes, sized so that the archive is exactly as large as the reported bomb.
    const target = 1_043_853;
    let state = 1;
    const noise = (length: number): Uint8Array => Uint8Array.from({ length }, () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24);
    let length = target - 300;
    let archive = writeNpz({ x: noise(length) }, { compress: 1 });
    for (let round = 0; round < 4 && archive.length !== target; round++) {
      length += target - archive.length;
      state = 1;
      archive = writeNpz({ x: noise(length) }, { compress: 1 });
    }
    expect(archive.length).toBe(target);
    expect(readNpz(archive).get('x').shape).toEqual([length]);
    const bomb = claimSize(archive, 2 ** 30);
    const start = performance.now();
    expectErrorCode(() => readNpz(bomb), 'ERR_SIZE_LIMIT', { family: NpyError });
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('a 118-byte archive claiming a 2 GiB member is refused before the reader allocates it', () => {
    const tiny = writeNpz({ x: new Uint8Array(0) }, { compress: true });
    expect(tiny.length).toBeLessThan(400);
    const forged = claimSize(tiny, 2 ** 31 - 1);
    const before = process.memoryUsage().arrayBuffers;
    const start = performance.now();
    expectErrorCode(() => readNpz(forged), 'ERR_SIZE_LIMIT', { family: NpyError });
    expect(performance.now() - start).toBeLessThan(100);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 ** 20);
  });

  it('the limit is overridable: an explicit maxTotalSize / maxMemberSize (or Infinity) lets a trusted archive through', () => {
    // 300 MiB claimed by a small archive is over the default (its 256 MiB floor).
    const archive = writeNpz({ x: new Uint8Array(1024) }, { compress: true });
    const forged = claimSize(archive, 300 * 2 ** 20);
    expectErrorCode(() => readNpz(forged), 'ERR_SIZE_LIMIT', { family: NpyError });
    expect(() => readNpz(forged, { maxTotalSize: 2 ** 30, maxMemberSize: 2 ** 30 })).not.toThrow();
    expect(() => readNpz(forged, { maxTotalSize: Infinity, maxMemberSize: Infinity })).not.toThrow();
    expectErrorCode(() => readNpz(forged, { maxTotalSize: -1 }), 'ERR_INVALID_ARGUMENT', { family: NpyError });
    // The member itself still inflates to its real size, which differs from the forged record.
    expect(() => readNpz(forged, { maxTotalSize: Infinity, maxMemberSize: Infinity }).getBytes('x')).toThrow(NpyError);
  });

  it('genuine archives under the default limit read as before', () => {
    const npz = readNpz(writeNpz({ a: new Float64Array(1 << 16).fill(1) }, { compress: true }));
    expect(npz.get('a').shape).toEqual([1 << 16]);
  });
});

describe('.npz member names', () => {
  it('a member whose local header name differs from its directory name is refused (as Python zipfile)', () => {
    const archive = writeNpz({ a: new Int8Array([1, 2]) });
    const forged = archive.slice();
    // The local header's name starts at byte 30: "a.npy" -> "b.npy".
    expect(String.fromCharCode(forged[30]!)).toBe('a');
    forged[30] = 'b'.charCodeAt(0);
    expectErrorCode(() => readNpz(forged).get('a'), 'ERR_NPZ_CORRUPT', { family: NpyError });
    expect(readNpz(archive).get('a').shape).toEqual([2]);
  });

  it("get('x.npy') is the member named x.npy when x.npy.npy exists too (np.load's lookup order)", () => {
    const npz = readNpz(writeNpz({ x: new Int8Array([1]), 'x.npy': new Int8Array([2, 2]) }));
    expect(npz.members.map((member) => member.name)).toEqual(['x.npy', 'x.npy.npy']);
    expect(npz.get('x.npy').shape).toEqual([1]);
    expect(npz.get('x').shape).toEqual([1]);
    expect(npz.get('x.npy.npy').shape).toEqual([2]);
  });
});
