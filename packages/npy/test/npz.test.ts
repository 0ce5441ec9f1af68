import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { crc32 } from '../src/internal/zip.js';
import { readNpz, writeNpz, NpyError } from '../src/index.js';
import { decodeAll, fixture } from './helpers.js';

describe('readNpz', () => {
  it('reads np.savez (STORED, zip64 local headers) archives', () => {
    const npz = readNpz(fixture('stored.npz'));
    expect(npz.keys).toEqual(['a', 'b']);
    expect(npz.members.map((m) => m.compression)).toEqual(['stored', 'stored']);
    expect(decodeAll(npz.get('a'))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(npz.get('a.npy').shape).toEqual([2, 3]);
    expect(decodeAll(npz.get('b'))).toEqual(['7800', '797a']);
  });

  it('reads np.savez_compressed (DEFLATE) archives', () => {
    const npz = readNpz(fixture('deflated.npz'));
    expect(npz.members.every((m) => m.compression === 'deflate')).toBe(true);
    const a = npz.get('a');
    expect(a.shape).toEqual([1000]);
    expect(decodeAll(a).slice(-2)).toEqual(['998', '999']);
    expect(decodeAll(npz.get('rec'))).toEqual([{ a: '1', b: 2, c: '710000' }]);
  });

  it('keeps ../ and absolute member names as plain keys', () => {
    const npz = readNpz(fixture('odd_names.npz'));
    expect(npz.keys).toEqual(['../escape', '/abs/path', 'plain']);
    expect(decodeAll(npz.get('../escape'))).toEqual(['1', '2']);
    expect(decodeAll(npz.get('plain'))).toEqual(['1', '2']);
  });

  it('refuses unknown members by code', () => {
    expectErrorCode(() => readNpz(fixture('stored.npz')).get('missing'), 'ERR_NPZ_MEMBER_NOT_FOUND', { family: NpyError });
  });

  it('enforces per-member and total decompressed-size limits before inflating', () => {
    expectErrorCode(() => readNpz(fixture('deflated.npz'), { maxMemberSize: 1000 }), 'ERR_SIZE_LIMIT', { family: NpyError });
    expectErrorCode(() => readNpz(fixture('deflated.npz'), { maxTotalSize: 8000 }), 'ERR_SIZE_LIMIT', { family: NpyError });
  });

  it('refuses a bomb whose directory understates the inflated size', () => {
    const bytes = writeNpz({ zeros: new Uint8Array(1 << 20) }, { compress: true });
    const view = new DataView(bytes.buffer);
    // Patch the central directory's uncompressed size (offset 24 of the entry) to 1000 bytes.
    const eocd = bytes.length - 22;
    const cd = view.getUint32(eocd + 16, true);
    view.setUint32(cd + 24, 1000, true);
    expectErrorCode(() => readNpz(bytes).get('zeros'), 'ERR_SIZE_LIMIT', { family: NpyError });
  });

  it('detects CRC mismatches', () => {
    const bytes = writeNpz({ x: new Float32Array([1, 2, 3]) });
    const at = bytes.indexOf(0x80, 150);
    bytes[at] = bytes[at]! ^ 1; // a bit of the data (1.0f = 00 00 80 3f)
    expectErrorCode(() => readNpz(bytes).get('x'), 'ERR_NPZ_CRC_MISMATCH', { family: NpyError });
    expect(readNpz(bytes, { verifyCrc: false }).get('x').shape).toEqual([3]);
  });

  it('refuses corrupt central directories', () => {
    const good = writeNpz({ x: new Float32Array([1, 2, 3]) });
    const noEnd = good.slice(0, good.length - 22);
    expectErrorCode(() => readNpz(noEnd), 'ERR_NPZ_CORRUPT', { family: NpyError });
    const badOffset = good.slice();
    new DataView(badOffset.buffer).setUint32(badOffset.length - 22 + 16, 0xfffffff0, true);
    expectErrorCode(() => readNpz(badOffset), 'ERR_NPZ_CORRUPT', { family: NpyError });
    const badLocal = good.slice();
    badLocal[0] = 0;
    expectErrorCode(() => readNpz(badLocal).get('x'), 'ERR_NPZ_CORRUPT', { family: NpyError });
    expectErrorCode(() => readNpz(fixture('f4_le.npy')), 'ERR_NPZ_CORRUPT', { family: NpyError });
    expectErrorCode(() => readNpz(new Uint8Array(10)), 'ERR_NPZ_CORRUPT', { family: NpyError });
  });

  it('refuses encrypted members and unknown methods', () => {
    const bytes = writeNpz({ x: new Int8Array(2) });
    const view = new DataView(bytes.buffer);
    const cd = view.getUint32(bytes.length - 22 + 16, true);
    const method = bytes.slice();
    new DataView(method.buffer).setUint16(cd + 10, 12, true); // bzip2
    expectErrorCode(() => readNpz(method), 'ERR_NPZ_UNSUPPORTED', { family: NpyError });
    const encrypted = bytes.slice();
    new DataView(encrypted.buffer).setUint16(cd + 8, 1, true);
    expectErrorCode(() => readNpz(encrypted), 'ERR_NPZ_UNSUPPORTED', { family: NpyError });
  });
});

describe('writeNpz', () => {
  it('round-trips STORED and DEFLATE archives and accepts Maps', () => {
    for (const compress of [false, true, 9] as const) {
      const npz = readNpz(
        writeNpz(
          new Map<string, unknown>([
            ['a', new Int16Array([1, -2])],
            ['b', new Float64Array([0.5])],
          ]),
          { compress },
        ),
      );
      expect(npz.keys).toEqual(['a', 'b']);
      expect(decodeAll(npz.get('a'))).toEqual(['1', '-2']);
      expect(npz.members[0]!.compression).toBe(compress === false ? 'stored' : 'deflate');
    }
  });

  it('refuses a bad compression level', () => {
    expectErrorCode(() => writeNpz({ a: new Int8Array(1) }, { compress: 11 }), 'ERR_INVALID_ARGUMENT', { family: NpyError });
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});
