import { availableParallelism } from 'node:os';
import { detachedMemoryError } from '@interop/core';
import type { NativeErrorCode } from './errors/codes.js';
import { NativeError } from './errors/native-error.js';
import { nativeCall } from './internal/native-call.js';
import { codecLibraryCandidates, codecLibraryStates, type CodecLibraryState, type SystemCodec } from './internal/codec-libraries.js';
import { loadAddon, type NativeAddon } from './load-addon.js';

/** A compression codec whose decoder comes from the system library: `'lz4'` (LZ4 frames, liblz4) or `'zstd'` (libzstd). */
export type DecompressionCodec = SystemCodec;

/** What `codecLibrary` found for a codec. */
export interface CodecLibrary {
  readonly codec: DecompressionCodec;
  /** True when the library was opened and the decompression functions work. */
  readonly available: boolean;
  /** The library file opened (e.g. `"liblz4.so.1"`), or null. */
  readonly file: string | null;
  /** Its version (e.g. `"1.9.4"`), or null. */
  readonly version: string | null;
  /** Why the codec is unavailable (every file tried, with the loader's answer), or null. */
  readonly reason: string | null;
}

/** One range of `decompressManyInto`: compressed bytes of `source` and the part of `destination` they decompress into. */
export interface DecompressRange {
  readonly sourceOffset: number;
  readonly sourceLength: number;
  readonly destinationOffset: number;
  readonly destinationLength: number;
}

/** Options of `decompressManyInto`. */
export interface DecompressManyOptions {
  /**
   * Threads to decompress on, the calling one included (it waits for the others: the call stays
   * synchronous). Default: `os.availableParallelism()`. Fewer run when there are fewer ranges, or
   * less than 1 MiB of output per thread.
   */
  readonly threads?: number;
}

interface CodecAddon extends NativeAddon {
  codecOpen(codec: number, file: string): { version: string; versionNumber: number };
  decompressInto(codec: number, source: Uint8Array, destination: Uint8Array): number;
  decompressManyInto(
    codec: number,
    source: Uint8Array,
    destination: Uint8Array,
    ranges: Float64Array,
    threads: number,
  ): { written: Float64Array; threads: number };
}

const codecNumbers: Readonly<Record<DecompressionCodec, number>> = { lz4: 0, zstd: 1 };
const libraryNames: Readonly<Record<DecompressionCodec, string>> = { lz4: 'liblz4', zstd: 'libzstd' };

function checkCodec(codec: unknown, operation: string): DecompressionCodec {
  if (codec !== 'lz4' && codec !== 'zstd') {
    throw new NativeError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: the codec must be "lz4" or "zstd"; received ${typeof codec === 'string' ? JSON.stringify(codec) : typeof codec}.`,
      {
        details: { operation },
      },
    );
  }
  return codec;
}

function open(codec: DecompressionCodec): CodecLibraryState {
  const known = codecLibraryStates.get(codec);
  if (known !== undefined) return known;
  const attempts: string[] = [];
  let state: CodecLibraryState | undefined;
  let addon: CodecAddon | undefined;
  try {
    addon = loadAddon() as CodecAddon;
  } catch (error) {
    attempts.push(`the @interop/native addon: ${error instanceof Error ? error.message.split('\n')[0]! : String(error)}`);
  }
  if (addon !== undefined) {
    for (const file of codecLibraryCandidates[codec]) {
      try {
        state = { ok: true, file, version: addon.codecOpen(codecNumbers[codec], file).version };
        break;
      } catch (error) {
        attempts.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  if (state === undefined) {
    const tried = attempts.length === 0 ? `no ${libraryNames[codec]} is looked for on ${process.platform}` : attempts.join('; ');
    state = { ok: false, reason: tried };
  }
  codecLibraryStates.set(codec, state);
  return state;
}

/**
 * Whether the system library behind a codec (`liblz4.so.1` for LZ4, `libzstd.so.1` for ZSTD, or
 * the `.dylib` on macOS) can be used by `decompressInto` and `decompressManyInto`, and which
 * version it is. The library is opened on first use (with `dlopen`: nothing is linked at build
 * time) and serves the whole process.
 *
 * @example
 * ```ts
 * import { codecLibrary } from '@interop/native';
 * const lz4 = codecLibrary('lz4');
 * console.log(lz4.available ? `liblz4 ${lz4.version}` : lz4.reason);
 * ```
 * @throws {NativeError} `ERR_INVALID_ARGUMENT` (a codec other than `"lz4"` or `"zstd"`).
 */
export function codecLibrary(codec: DecompressionCodec): CodecLibrary {
  checkCodec(codec, 'codecLibrary');
  const state = open(codec);
  return state.ok
    ? { codec, available: true, file: state.file, version: state.version, reason: null }
    : { codec, available: false, file: null, version: null, reason: state.reason };
}

function addonFor(codec: DecompressionCodec, operation: string): CodecAddon {
  const state = open(codec);
  if (!state.ok) {
    throw new NativeError(
      'ERR_NATIVE_CODEC_UNAVAILABLE',
      `${operation}: the ${libraryNames[codec]} system library is not available (${state.reason}). Install it (Debian/Ubuntu: ${codec === 'lz4' ? 'liblz4-1' : 'libzstd1'}; macOS: brew install ${codec}) or use another decoder.`,
      { details: { operation, codec } },
    );
  }
  return loadAddon() as CodecAddon;
}

function checkBytes(value: unknown, name: string, operation: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: ${name} must be a Uint8Array; received ${value === null ? 'null' : typeof value}.`, {
      details: { operation },
    });
  }
  return value;
}

const advice: Partial<Record<NativeErrorCode, string>> = {
  ERR_NATIVE_CORRUPT_DATA: 'The compressed bytes are damaged or not of this codec; nothing can be recovered from them.',
  ERR_NATIVE_DESTINATION_TOO_SMALL: 'Pass a destination as large as the uncompressed data (its length is stored beside the compressed bytes by most formats).',
  ERR_BUFFER_ALLOCATION_FAILED: 'Free memory and try again.',
};

/** The most ranges one decompressManyInto call takes (its packed copy is 32 bytes a range). */
const MAX_RANGES = 2 ** 24;

// Runs an addon call, turning its coded errors into a NativeError (or core's detached error) that
// carries the range, the library's own error name and how far it got.
function codecCall<Result>(operation: string, codec: DecompressionCodec, destination: Uint8Array, call: () => Result): Result {
  return nativeCall(
    operation,
    advice,
    () => {
      try {
        return call();
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code === 'ERR_BUFFER_DETACHED')
          throw detachedMemoryError(0, Math.max(1, destination.byteLength), 'Uint8Array', operation);
        throw error;
      }
    },
    { codec },
  );
}

/**
 * Decompresses every frame of `source` (LZ4 frames, as `lz4` and Apache Arrow write them, or ZSTD
 * frames) straight into `destination`, with the system's liblz4 / libzstd, and returns the number
 * of bytes written. Nothing is allocated for the output and nothing is written past
 * `destination`: data that would not fit is an error. Checksums present in the frames are
 * verified; a frame's content-size field must match what it holds.
 *
 * @example
 * ```ts
 * import { codecLibrary, decompressInto } from '@interop/native';
 * // An LZ4 frame holding "hello" (what liblz4's LZ4F_compressFrame writes).
 * const frame = Uint8Array.from([4, 34, 77, 24, 96, 64, 130, 5, 0, 0, 128, 104, 101, 108, 108, 111, 0, 0, 0, 0]);
 * if (codecLibrary('lz4').available) {
 *   const out = new Uint8Array(5);
 *   console.log(decompressInto('lz4', frame, out), new TextDecoder().decode(out)); // 5 "hello"
 * }
 * ```
 * @throws {NativeError} `ERR_NATIVE_CODEC_UNAVAILABLE` (no usable system library: see `codecLibrary`),
 * `ERR_NATIVE_CORRUPT_DATA` (not valid frames: corrupt, truncated, a checksum or content size that
 * does not match), `ERR_NATIVE_DESTINATION_TOO_SMALL`, `ERR_INVALID_ARGUMENT` (not
 * Uint8Arrays, or source and destination share memory), `ERR_BUFFER_ALLOCATION_FAILED`, and the
 * addon-loading codes. @throws {BufferError} `ERR_BUFFER_DETACHED` (a detached view).
 */
export function decompressInto(codec: DecompressionCodec, source: Uint8Array, destination: Uint8Array): number {
  const operation = 'decompressInto';
  checkCodec(codec, operation);
  checkBytes(source, 'source', operation);
  checkBytes(destination, 'destination', operation);
  const addon = addonFor(codec, operation);
  return codecCall(operation, codec, destination, () => addon.decompressInto(codecNumbers[codec], source, destination));
}

function checkOffset(value: unknown, index: number, name: string, operation: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: ranges[${index}].${name} must be a non-negative safe integer; received ${String(value)}.`, {
      details: { operation, range: index },
    });
  }
  return value;
}

/**
 * Decompresses many compressed ranges of `source` into ranges of `destination` at once, on
 * several threads (the call is synchronous: the calling thread works too and waits for the
 * others), and returns the bytes written into each range. This is how a reader decompresses every
 * buffer of a file into one allocation. Every range is checked before anything runs: inside its
 * view, destination ranges not overlapping each other, no range sharing memory with the other
 * view. On failure the error names the lowest-numbered failed range (`details.range`); the
 * destination may then hold partial output.
 *
 * @example
 * ```ts
 * import { codecLibrary, decompressManyInto } from '@interop/native';
 * const frame = [4, 34, 77, 24, 96, 64, 130, 5, 0, 0, 128, 104, 101, 108, 108, 111, 0, 0, 0, 0]; // "hello" as an LZ4 frame
 * const source = Uint8Array.from([...frame, ...frame]);
 * if (codecLibrary('lz4').available) {
 *   const out = new Uint8Array(10);
 *   const ranges = [0, 20].map((offset, i) => ({ sourceOffset: offset, sourceLength: 20, destinationOffset: 5 * i, destinationLength: 5 }));
 *   console.log(decompressManyInto('lz4', source, out, ranges)); // [5, 5]
 * }
 * ```
 * @throws {NativeError} every code of `decompressInto` (`details.range` names the range);
 * `ERR_BUFFER_OUT_OF_BOUNDS` (a range outside its view); `ERR_INVALID_ARGUMENT` (ranges
 * that overlap, share memory, or are not non-negative safe integers; `threads` not a positive
 * integer). @throws {BufferError} `ERR_BUFFER_DETACHED`.
 */
export function decompressManyInto(
  codec: DecompressionCodec,
  source: Uint8Array,
  destination: Uint8Array,
  ranges: readonly DecompressRange[],
  options: DecompressManyOptions = {},
): number[] {
  const operation = 'decompressManyInto';
  checkCodec(codec, operation);
  checkBytes(source, 'source', operation);
  checkBytes(destination, 'destination', operation);
  if (!Array.isArray(ranges))
    throw new NativeError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: ranges must be an array of { sourceOffset, sourceLength, destinationOffset, destinationLength }.`,
      { details: { operation } },
    );
  if (ranges.length > MAX_RANGES) {
    throw new NativeError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: at most ${MAX_RANGES} ranges per call; received ${ranges.length}. Split the work into several calls.`,
      {
        details: { operation },
      },
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new NativeError(
      'ERR_INVALID_ARGUMENT',
      `${operation}: options must be an object (or omitted); received ${options === null ? 'null' : typeof options}.`,
      {
        details: { operation },
      },
    );
  }
  const threads = options.threads ?? availableParallelism();
  if (!Number.isSafeInteger(threads) || threads < 1) {
    throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: threads must be a positive integer; received ${String(threads)}.`, { details: { operation } });
  }
  // Copied once into a plain array of numbers: a getter cannot change a range after it was checked.
  const packed = new Float64Array(ranges.length * 4);
  // By index, not forEach: a hole in a sparse array is refused, never skipped (a skipped range would decode nothing).
  for (let index = 0; index < ranges.length; index++) {
    const range = (ranges as readonly (DecompressRange | null | undefined)[])[index];
    if (typeof range !== 'object' || range === null) {
      throw new NativeError('ERR_INVALID_ARGUMENT', `${operation}: ranges[${index}] is not an object.`, { details: { operation, range: index } });
    }
    packed[4 * index] = checkOffset(range.sourceOffset, index, 'sourceOffset', operation);
    packed[4 * index + 1] = checkOffset(range.sourceLength, index, 'sourceLength', operation);
    packed[4 * index + 2] = checkOffset(range.destinationOffset, index, 'destinationOffset', operation);
    packed[4 * index + 3] = checkOffset(range.destinationLength, index, 'destinationLength', operation);
  }
  const addon = addonFor(codec, operation);
  const result = codecCall(operation, codec, destination, () => addon.decompressManyInto(codecNumbers[codec], source, destination, packed, threads));
  return Array.from(result.written);
}
