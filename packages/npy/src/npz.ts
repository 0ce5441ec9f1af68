import { allocateBuffer } from '@interop/core';
import { deflateSync, inflateSync } from 'fflate';
import { NpyError } from './errors/npy-error.js';
import { toBytes, type ByteSource } from './internal/bytes.js';
import { crc32, memberData, readCentralDirectory, writeZip, type ZipEntry } from './internal/zip.js';
import type { NpyArray } from './npy-array.js';
import { readNpy, type ReadNpyOptions } from './read-npy.js';
import { writeNpy, type WriteNpyOptions } from './write-npy.js';

/** Options of `readNpz` / `loadNpz`. */
export interface ReadNpzOptions extends ReadNpyOptions {
  /**
   * Largest decompressed size of one member, in bytes (`Infinity` for none). Default: the same as
   * `maxTotalSize`'s default, which depends on the archive's size.
   */
  readonly maxMemberSize?: number;
  /**
   * Largest decompressed size of all members together, in bytes (`Infinity` for none). Default:
   * min(4 GiB, max(256 MiB, 255 x the archive's bytes)), the policy of `readArrowIPC`'s
   * `maxDecompressedBytes`: an archive never expands by more than that without your consent, and
   * the sizes are checked against it before anything is allocated. Raise it for trusted archives
   * of very compressible arrays (DEFLATE can expand data about 1,000 times).
   */
  readonly maxTotalSize?: number;
  /** Check each member's CRC-32 when it is decoded. Default true. */
  readonly verifyCrc?: boolean;
}

/** What the central directory says about one member. */
export interface NpzMemberInfo {
  /** The name as stored in the archive (e.g. `"x.npy"`; never used as a file path). */
  readonly name: string;
  /** The key: the name without its `.npy` suffix, as `np.load(...).files` lists it. */
  readonly key: string;
  /** Decompressed size in bytes. */
  readonly size: number;
  readonly compressedSize: number;
  readonly compression: 'stored' | 'deflate';
}

/** 256 MiB: the default limit never refuses an archive that decompresses to less. */
const DECOMPRESSED_FLOOR = 2 ** 28;
/** 4 GiB: the default limit never exceeds this, whatever the archive's size. */
const DECOMPRESSED_CAP = 2 ** 32;
/** Expansion allowed per input byte by default (as readArrowIPC's). */
const DECOMPRESSED_RATIO = 255;

/** The default `maxTotalSize` (and `maxMemberSize`) for an archive of `inputBytes`. */
function defaultMaxDecompressed(inputBytes: number): number {
  return Math.min(DECOMPRESSED_CAP, Math.max(DECOMPRESSED_FLOOR, DECOMPRESSED_RATIO * inputBytes));
}

const keyOf = (name: string): string => (name.endsWith('.npy') ? name.slice(0, -4) : name);

/**
 * A `.npz` archive opened from memory. Members are decoded lazily, each time `get` asks for one;
 * sizes come from the central directory. Member names (even `../x` or `/etc/x`) are plain keys.
 *
 * @example
 * ```ts
 * import { readNpz, writeNpz } from '@interop/npy';
 * const npz = readNpz(writeNpz({ a: new Float32Array([1, 2]), b: new Int8Array([3]) }));
 * console.log(npz.keys, npz.get('a').shape); // ["a", "b"] [2]
 * ```
 */
export class NpzFile {
  readonly #bytes: Uint8Array;
  readonly #entries: Map<string, ZipEntry>;
  readonly #memberAreaEnd: number;
  readonly #options: ReadNpzOptions;
  /** The members, in archive order. */
  readonly members: readonly NpzMemberInfo[];

  /**
   * Opens an archive (reads its central directory only).
   *
   * @throws {NpyError} `ERR_NPZ_CORRUPT`, `ERR_NPZ_UNSUPPORTED`, `ERR_SIZE_LIMIT`, `ERR_INVALID_ARGUMENT`.
   */
  constructor(source: ByteSource, options: ReadNpzOptions = {}) {
    const bytes = toBytes(source, 'readNpz');
    const fallback = defaultMaxDecompressed(bytes.byteLength);
    const maxMember = options.maxMemberSize ?? fallback;
    const maxTotal = options.maxTotalSize ?? fallback;
    for (const [name, value] of [
      ['maxMemberSize', maxMember],
      ['maxTotalSize', maxTotal],
    ] as const) {
      if (!(Number.isSafeInteger(value) || value === Number.POSITIVE_INFINITY) || value < 0) {
        throw new NpyError('ERR_INVALID_ARGUMENT', `${name} must be a non-negative integer or Infinity; received ${String(value)}.`);
      }
    }
    // Every size is checked against the limits here, from the central directory, before a byte
    // is inflated or allocated; getBytes then refuses a stream that inflates past its record.
    const limits = { inputBytes: bytes.byteLength, explicitMember: options.maxMemberSize !== undefined, explicitTotal: options.maxTotalSize !== undefined };
    const { entries, memberAreaEnd } = readCentralDirectory(bytes);
    const map = new Map<string, ZipEntry>();
    const members: NpzMemberInfo[] = [];
    let total = 0;
    for (const entry of entries) {
      if ((entry.flags & 0x0001) !== 0) throw new NpyError('ERR_NPZ_UNSUPPORTED', `The member "${entry.name}" is encrypted; NumPy archives never are.`);
      if (entry.method !== 0 && entry.method !== 8) {
        throw new NpyError(
          'ERR_NPZ_UNSUPPORTED',
          `The member "${entry.name}" uses zip compression method ${entry.method}; only STORED (0) and DEFLATE (8), which NumPy writes, are supported.`,
        );
      }
      if (entry.method === 0 && entry.compressedSize !== entry.size) {
        throw new NpyError(
          'ERR_NPZ_CORRUPT',
          `The .npz archive is corrupt: the STORED member "${entry.name}" records ${entry.compressedSize} stored bytes but ${entry.size} decompressed bytes.`,
        );
      }
      if (entry.size > maxMember)
        throw sizeLimit(
          `the member "${entry.name}" decompresses to ${entry.size} bytes, over maxMemberSize (${maxMember}${limits.explicitMember ? '' : `, the default for a ${limits.inputBytes}-byte archive`})`,
          entry.size,
          maxMember,
        );
      total += entry.size;
      if (total > maxTotal)
        throw sizeLimit(
          `the members decompress to more than maxTotalSize (${maxTotal}${limits.explicitTotal ? '' : `, the default for a ${limits.inputBytes}-byte archive`}) bytes`,
          total,
          maxTotal,
        );
      // As Python's zipfile: a later member of the same name wins.
      map.set(entry.name, entry);
      members.push({
        name: entry.name,
        key: keyOf(entry.name),
        size: entry.size,
        compressedSize: entry.compressedSize,
        compression: entry.method === 0 ? 'stored' : 'deflate',
      });
    }
    this.#bytes = bytes;
    this.#entries = map;
    this.#memberAreaEnd = memberAreaEnd;
    this.#options = options;
    this.members = Object.freeze(members);
  }

  /** The keys (member names without `.npy`), like `np.load(...).files`. */
  get keys(): string[] {
    return [...new Set(this.members.map((member) => member.key))];
  }

  /** True when a member named `name` or `name + '.npy'` exists (looked up in that order, as `np.load`). */
  has(name: string): boolean {
    return this.#find(name) !== undefined;
  }

  // np.load's order: the raw member name first, then the key with `.npy` added, so that with
  // both `x.npy` and `x.npy.npy` in an archive, `get('x.npy')` is the member named `x.npy`.
  #find(name: string): ZipEntry | undefined {
    return this.#entries.get(name) ?? this.#entries.get(`${name}.npy`);
  }

  /**
   * The decompressed bytes of a member (for STORED members, a view of the archive).
   *
   * @throws {NpyError} `ERR_NPZ_MEMBER_NOT_FOUND`, `ERR_NPZ_CORRUPT`, `ERR_NPZ_CRC_MISMATCH`, `ERR_SIZE_LIMIT`.
   */
  getBytes(name: string): Uint8Array {
    const entry = this.#find(name);
    if (entry === undefined) {
      throw new NpyError(
        'ERR_NPZ_MEMBER_NOT_FOUND',
        `The .npz archive has no member "${name}" (nor "${name}.npy"); its keys are ${JSON.stringify(this.keys)}.`,
        { details: { name } },
      );
    }
    const compressed = memberData(this.#bytes, entry, this.#memberAreaEnd);
    let data: Uint8Array;
    if (entry.method === 0) {
      data = compressed;
    } else {
      // One spare byte: output that fills it proves the stream inflates beyond the recorded size.
      const out = new Uint8Array(allocateBuffer(entry.size + 1));
      try {
        data = inflateSync(compressed, { out });
      } catch (cause) {
        throw new NpyError(
          'ERR_NPZ_CORRUPT',
          `The .npz archive is corrupt: the DEFLATE data of "${entry.name}" cannot be decompressed (${(cause as Error).message}).`,
          { cause },
        );
      }
      if (data.length !== entry.size) {
        throw sizeLimit(
          `the member "${entry.name}" inflates to ${data.length > entry.size ? 'more' : 'fewer'} than the ${entry.size} bytes its directory entry records`,
          data.length,
          entry.size,
        );
      }
    }
    if (this.#options.verifyCrc !== false) {
      const actual = crc32(data);
      if (actual !== entry.crc32) {
        throw new NpyError(
          'ERR_NPZ_CRC_MISMATCH',
          `The member "${entry.name}" fails its CRC-32 check (recorded ${hex(entry.crc32)}, computed ${hex(actual)}): the archive is damaged.`,
          {
            details: { name: entry.name, expected: entry.crc32, actual },
          },
        );
      }
    }
    return data;
  }

  /**
   * Decodes one member as an `NpyArray`. Accepts the key with or without `.npy`.
   *
   * @throws {NpyError} the codes of `getBytes` and of `readNpy`.
   */
  get(name: string): NpyArray {
    return readNpy(this.getBytes(name), this.#options);
  }

  /** Every member decoded, as `[key, array]` pairs. */
  *entries(): IterableIterator<[string, NpyArray]> {
    for (const key of this.keys) yield [key, this.get(key)];
  }
}

function sizeLimit(what: string, size: number, limit: number): NpyError {
  return new NpyError(
    'ERR_SIZE_LIMIT',
    `Refusing to decompress: ${what}. If the archive is trusted, raise maxMemberSize / maxTotalSize (Infinity for no limit).`,
    {
      details: { size, limit },
    },
  );
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/**
 * Opens a `.npz` archive from memory; members are decoded when accessed.
 *
 * @example
 * ```ts
 * import { readNpz, writeNpz } from '@interop/npy';
 * const npz = readNpz(writeNpz({ x: new Float64Array([1, 2, 3]) }, { compress: true }));
 * console.log(npz.get('x.npy').shape); // [3]
 * ```
 * @throws {NpyError} `ERR_NPZ_CORRUPT`, `ERR_NPZ_UNSUPPORTED`, `ERR_SIZE_LIMIT`.
 */
export function readNpz(source: ByteSource, options: ReadNpzOptions = {}): NpzFile {
  return new NpzFile(source, options);
}

/** Options of `writeNpz` / `saveNpz`. */
export interface WriteNpzOptions extends WriteNpyOptions {
  /** DEFLATE-compress members (`np.savez_compressed`); default false (STORED, `np.savez`). A number 1-9 sets the level. */
  readonly compress?: boolean | number;
}

/**
 * Writes several arrays into a `.npz` archive, as `np.savez` (STORED) or `np.savez_compressed`
 * (DEFLATE). Each key becomes the member `key + '.npy'`.
 *
 * @example
 * ```ts
 * import { writeNpz } from '@interop/npy';
 * const bytes = writeNpz({ weights: new Float32Array(16), bias: new Float32Array(4) }, { compress: true });
 * console.log(bytes.length > 0); // true
 * ```
 * @throws {NpyError} the codes of `writeNpy`, and `ERR_INVALID_ARGUMENT` for a bad record or level.
 */
export function writeNpz(arrays: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>, options: WriteNpzOptions = {}): Uint8Array {
  const compress = options.compress ?? false;
  let level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 0;
  if (compress === true) level = 6;
  else if (typeof compress === 'number') {
    if (!Number.isInteger(compress) || compress < 1 || compress > 9)
      throw new NpyError('ERR_INVALID_ARGUMENT', `compress must be a boolean or a level 1-9; received ${compress}.`);
    level = compress as typeof level;
  } else if (compress !== false) throw new NpyError('ERR_INVALID_ARGUMENT', `compress must be a boolean or a level 1-9; received ${String(compress)}.`);
  if (typeof arrays !== 'object' || arrays === null) throw new NpyError('ERR_INVALID_ARGUMENT', 'writeNpz expects a record or Map of arrays.');
  const pairs = arrays instanceof Map ? [...(arrays as ReadonlyMap<string, unknown>).entries()] : Object.entries(arrays);
  const members = pairs.map(([key, value]) => {
    const data = writeNpy(value, options);
    return { name: `${key}.npy`, data, compressed: level === 0 ? null : deflateSync(data, { level }), crc32: crc32(data) };
  });
  return writeZip(members);
}
