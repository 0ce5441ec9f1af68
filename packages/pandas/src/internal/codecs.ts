// Projects that type-check these sources through the "@interop/source" condition do not include
// lz4js.d.ts on their own, so the declaration is referenced here explicitly.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./lz4js.d.ts" />
import { type Codec, CompressionType, compressionRegistry } from 'apache-arrow';
import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';
import { PandasError } from '../errors/pandas-error.js';
import { allocateBytes } from './allocate.js';
import { checkLz4Frame, checkZstdFrames } from './codec-frames.js';
import type { DecodeArena } from './decode-arena.js';
import { type NativeCodecs, nativeCodecs } from './native-codecs.js';
import { type SystemDecoders, systemDecoders } from './system-codecs.js';

let registered = false;
let useNative = true;

/** Which implementation runs each codec direction right now. */
export interface CodecImplementations {
  readonly lz4Decode: string;
  readonly lz4Encode: string;
  readonly zstdDecode: string;
  readonly zstdEncode: string | null;
}

/** Switches the optional native codecs on (the default, where they load) or off (pure JS). */
export function setNativeCodecs(enabled: boolean): void {
  useNative = enabled;
}

function native(): NativeCodecs {
  return useNative ? nativeCodecs() : { lz4: null, zstd: null };
}

/** The system decoders of @interop/native, when the Node entry installed them and native codecs are on. */
function system(): SystemDecoders {
  return useNative ? systemDecoders() : { lz4: null, zstd: null };
}

/** The codec implementations `readArrowIPC` and `writeArrowIPC` use with the current settings. */
export function codecImplementations(): CodecImplementations {
  const { lz4, zstd } = native();
  const decoders = system();
  return {
    lz4Decode: decoders.lz4?.name ?? lz4?.name ?? 'lz4js',
    lz4Encode: lz4?.name ?? 'lz4js',
    zstdDecode: decoders.zstd?.name ?? zstd?.name ?? 'fzstd',
    zstdEncode: zstd?.name ?? wasmZstdEncoder?.name ?? null,
  };
}

/** A ZSTD encoder that another module (the WebAssembly one, after its async start) provides. */
export interface ZstdEncoder {
  readonly name: string;
  compress(data: Uint8Array, level: number): Uint8Array;
}

let wasmZstdEncoder: ZstdEncoder | undefined;

/** Installs the fallback ZSTD encoder used where the native one is missing. */
export function setFallbackZstdEncoder(encoder: ZstdEncoder | undefined): void {
  wasmZstdEncoder = encoder;
}

/** Arrow's (and pyarrow's) default ZSTD level. */
export const ZSTD_LEVEL = 1;

/**
 * Registers LZ4-frame and ZSTD with apache-arrow's codec registry, keeping any codec the
 * application registered itself. Each call dispatches to the native codec when it loaded and is
 * switched on, else to the pure-JS one (lz4js; fzstd, which only decodes).
 */
export function ensureCodecs(): void {
  if (registered) return;
  registered = true;
  if (compressionRegistry.get(CompressionType.LZ4_FRAME) === null) {
    compressionRegistry.set(CompressionType.LZ4_FRAME, { encode: ownLz4Encode, decode: ownLz4Decode });
  }
  // apache-arrow calls `encode` when a codec is registered, so our ZSTD codec is registered for
  // decoding only; `withEncoders` adds the encoder for the duration of a write.
  if (compressionRegistry.get(CompressionType.ZSTD) === null) {
    compressionRegistry.set(CompressionType.ZSTD, { decode: ownZstdDecode });
  }
}

function isOwnZstd(codec: Codec | null): boolean {
  return codec !== null && (codec as { decode?: unknown }).decode === ownZstdDecode && codec.encode === undefined;
}

/** True when a codec able to encode `type` is registered (for our ZSTD codec: an encoder loaded). */
export function canEncode(type: CompressionType): boolean {
  ensureCodecs();
  const codec = compressionRegistry.get(type);
  if (isOwnZstd(codec)) return codecImplementations().zstdEncode !== null;
  return typeof codec?.encode === 'function';
}

/** Runs `write` with our ZSTD encoder registered when ours is the registered ZSTD codec. */
export function withEncoders<Result>(write: () => Result): Result {
  ensureCodecs();
  const codec = compressionRegistry.get(CompressionType.ZSTD);
  if (!isOwnZstd(codec) || codecImplementations().zstdEncode === null) return write();
  compressionRegistry.set(CompressionType.ZSTD, { encode: ownZstdEncode, decode: ownZstdDecode });
  try {
    return write();
  } finally {
    compressionRegistry.set(CompressionType.ZSTD, codec as Codec);
  }
}

function ownLz4Encode(data: Uint8Array): Uint8Array {
  const lz4Native = native().lz4;
  return lz4Native === null ? lz4.compress(data) : lz4Native.compress(data);
}

function ownZstdEncode(data: Uint8Array): Uint8Array {
  const encoder = native().zstd ?? wasmZstdEncoder;
  if (encoder === undefined || encoder === null)
    throw new PandasError('ERR_PANDAS_CODEC_UNSUPPORTED', 'No ZSTD encoder is available.', { details: { operation: 'writeArrowIPC', compression: 'zstd' } });
  return encoder.compress(data, ZSTD_LEVEL);
}

/** 256 MiB: the default limit never refuses a file that decompresses to less. */
export const DECOMPRESSED_FLOOR = 2 ** 28;
/** 4 GiB: the default limit never exceeds this, whatever the input size. */
export const DECOMPRESSED_CAP = 2 ** 32;
/** LZ4's format cannot expand data more than about 255 times, so a genuine LZ4 file always fits. */
export const DECOMPRESSED_RATIO = 255;

/** The default `maxDecompressedBytes` for `inputBytes` of Arrow IPC: min(4 GiB, max(256 MiB, 255 x input)). */
export function defaultMaxDecompressedBytes(inputBytes: number): number {
  return Math.min(DECOMPRESSED_CAP, Math.max(DECOMPRESSED_FLOOR, DECOMPRESSED_RATIO * inputBytes));
}

/** What one read may still decompress. */
export interface DecodeBudget {
  readonly limit: number;
  readonly source: string;
  readonly inputBytes: number;
  readonly explicit: boolean;
  used: number;
  /** Where this read's record batch buffers decompress to (one allocation), when planned. */
  arena?: DecodeArena | null;
}

/** One allocation a decoder asks for, reported to the test observer. */
export interface DecoderAllocation {
  readonly codec: 'lz4' | 'zstd';
  readonly declared: number;
  readonly bytes: number;
}

let observer: ((allocation: DecoderAllocation) => void) | undefined;

/**
 * Test hook: calls `listener` with every output or working buffer a decoder is about to allocate
 * (LZ4: the output buffer this module allocates; ZSTD: the window and output sizes fzstd will
 * allocate, read from the frame headers before it runs). Returns a function that removes it.
 */
export function observeDecoderAllocations(listener: (allocation: DecoderAllocation) => void): () => void {
  const previous = observer;
  observer = listener;
  return () => {
    observer = previous;
  };
}

let activeBudget: DecodeBudget | undefined;

/**
 * Runs `read` (a synchronous apache-arrow read) with every registered decoder bounded by
 * `budget`: each compressed buffer's declared length (its 8-byte prefix) must fit what is left of
 * the budget before it is decoded, our decoders allocate no more than the declared length, and
 * every decoder's output must have exactly the declared length. Codecs registered by the
 * application are wrapped for the duration of the read.
 */
export function withDecodeBudget<Result>(budget: DecodeBudget, read: () => Result): Result {
  ensureCodecs();
  const saved: [CompressionType, Codec | null][] = [CompressionType.LZ4_FRAME, CompressionType.ZSTD].map((type) => [type, compressionRegistry.get(type)]);
  const previousBudget = activeBudget;
  activeBudget = budget;
  for (const [type, codec] of saved) {
    if (codec === null || typeof codec.decode !== 'function' || isOwn(codec)) continue;
    const foreign = codec;
    const decodeForeign = (bytes: Uint8Array): Uint8Array => foreign.decode?.(bytes) ?? new Uint8Array(0);
    compressionRegistry.set(type, { decode: (data: Uint8Array) => boundedDecode(type, data, decodeForeign) });
  }
  try {
    return read();
  } finally {
    activeBudget = previousBudget;
    for (const [type, codec] of saved) {
      if (codec !== null && typeof codec.decode === 'function' && !isOwn(codec)) compressionRegistry.set(type, codec);
    }
  }
}

function isOwn(codec: Codec): boolean {
  return (codec as { decode?: unknown }).decode === ownLz4Decode || (codec as { decode?: unknown }).decode === ownZstdDecode;
}

/**
 * Decompresses every compressed buffer planned in the read's arena at once, with the system
 * decoders of @interop/native (several threads, straight into the arena), before apache-arrow
 * asks for them one by one; the frame header checks every decoder gets run first. Does nothing
 * without an arena or without system decoders.
 */
export function decodeAhead(budget: DecodeBudget): void {
  const arena = budget.arena;
  if (arena === undefined || arena === null) return;
  const decoders = system();
  if (decoders.lz4 !== null) arena.decodeAhead('lz4', decoders.lz4, (bytes, declared) => checkLz4Frame(bytes, declared));
  if (decoders.zstd !== null) arena.decodeAhead('zstd', decoders.zstd, (bytes, declared) => checkZstdAllocations(bytes, declared, budget, false));
}

/** True when `decodeAhead` decompresses the arena's buffers of `codec` (a system decoder is installed and on). */
export function decodesAhead(codec: 'lz4' | 'zstd'): boolean {
  return system()[codec] !== null;
}

/** Output memory for a decoder that writes into memory it is given: the arena slot, or a fresh allocation. */
function outputFor(codec: 'lz4' | 'zstd', declared: number, slot: Uint8Array | undefined): Uint8Array {
  if (slot !== undefined) return slot;
  observer?.({ codec, declared, bytes: declared });
  return allocateBytes(declared, 'readArrowIPC');
}

function ownLz4Decode(data: Uint8Array): Uint8Array {
  return boundedDecode(CompressionType.LZ4_FRAME, data, (bytes, declared, budget) => {
    const taken = budget.arena?.take(bytes, declared);
    if (taken?.decoded === true) return taken.bytes;
    const slot = taken?.bytes;
    const most = checkLz4Frame(bytes, declared);
    const systemLz4 = system().lz4;
    if (systemLz4 !== null) {
      // Bounded by the output it is given: nothing beyond the declared length is ever allocated.
      const output = outputFor('lz4', declared, slot);
      return output.subarray(0, systemLz4.into(bytes, output));
    }
    const lz4Native = native().lz4;
    // The native decoder grows its output as the blocks decode, so it runs only when the most
    // the frame's blocks can hold fits what is left of the budget; otherwise lz4js decodes into
    // exactly the declared length (and the lengths are compared after).
    if (lz4Native !== null && most <= budget.limit - budget.used + declared) {
      observer?.({ codec: 'lz4', declared, bytes: most });
      return intoSlot(lz4Native.decompress(bytes), slot);
    }
    observer?.({ codec: 'lz4', declared, bytes: declared });
    const output = slot ?? allocateBytes(declared, 'readArrowIPC');
    // lz4js drops writes past the end of `output` but still counts them, so the returned length
    // is the true decompressed length, compared with the declared one below.
    const written = lz4.decompressFrame(bytes, output);
    if (written !== declared)
      throw new Error(`an LZ4-compressed buffer declares ${declared} uncompressed bytes in its prefix but decompresses to ${written} bytes`);
    return output;
  });
}

/**
 * Checks the ZSTD frames of one buffer and bounds what decoding them could allocate: fzstd
 * allocates the window and the output up front; the streaming decoder of node-zstd allocates the
 * window and grows its output up to what the blocks can hold. The same bound applies in front of
 * every decoder, so a file reads (or is refused) alike everywhere. `observe` reports the
 * allocations to the test hook (not for decoders that write into memory they are given).
 */
function checkZstdAllocations(bytes: Uint8Array, declared: number, budget: DecodeBudget, observe: boolean): void {
  const frames = checkZstdFrames(bytes, declared);
  for (const allocation of [frames.window, frames.output]) {
    if (allocation > budget.limit) {
      throw limitError(budget, declared, `by a ZSTD-compressed buffer whose frames would need a ${allocation}-byte buffer to decode`);
    }
    if (observe && allocation > 0) observer?.({ codec: 'zstd', declared, bytes: allocation });
  }
}

function ownZstdDecode(data: Uint8Array): Uint8Array {
  return boundedDecode(CompressionType.ZSTD, data, (bytes, declared, budget) => {
    const taken = budget.arena?.take(bytes, declared);
    if (taken?.decoded === true) return taken.bytes;
    const slot = taken?.bytes;
    const systemZstd = system().zstd;
    checkZstdAllocations(bytes, declared, budget, systemZstd === null);
    if (systemZstd !== null) {
      const output = outputFor('zstd', declared, slot);
      return output.subarray(0, systemZstd.into(bytes, output));
    }
    const zstdNative = native().zstd;
    return intoSlot(zstdNative === null ? zstdDecompress(bytes) : zstdNative.decompress(bytes), slot);
  });
}

/** Moves a decoder's output into its arena slot when the lengths agree (else boundedDecode refuses it). */
function intoSlot(output: Uint8Array, slot: Uint8Array | undefined): Uint8Array {
  if (slot === undefined || output.byteLength !== slot.byteLength) return output;
  slot.set(output);
  return slot;
}

function boundedDecode(type: CompressionType, data: Uint8Array, decode: (bytes: Uint8Array, declared: number, budget: DecodeBudget) => Uint8Array): Uint8Array {
  const budget = activeBudget ?? {
    limit: defaultMaxDecompressedBytes(data.byteLength + 8),
    source: 'Arrow IPC bytes',
    inputBytes: data.byteLength + 8,
    explicit: false,
    used: 0,
  };
  const codec = type === CompressionType.ZSTD ? 'ZSTD' : 'LZ4';
  // apache-arrow hands the decoder a view that starts just after the buffer's 8-byte length prefix.
  if (data.byteOffset < 8) throw new Error(`a ${codec} buffer has no uncompressed-length prefix before it`);
  const declaredBig = new DataView(data.buffer, data.byteOffset - 8, 8).getBigInt64(0, true);
  if (declaredBig < 0n) throw new Error(`a ${codec}-compressed buffer declares a negative uncompressed length (${declaredBig})`);
  if (Number(declaredBig) > budget.limit - budget.used) throw limitError(budget, declaredBig, `in the 8-byte prefix of a ${codec}-compressed buffer`);
  const declared = Number(declaredBig);
  budget.used += declared;
  const output = decode(data, declared, budget);
  if (output.byteLength !== declared) {
    throw new Error(`a ${codec}-compressed buffer declares ${declared} uncompressed bytes in its prefix but decompresses to ${output.byteLength} bytes`);
  }
  // apache-arrow views decompressed buffers as typed arrays in place, which needs an 8-byte
  // aligned start; decoders may return a view into a larger scratch buffer at any offset.
  if (output.byteOffset % 8 === 0) return output;
  const aligned = allocateBytes(output.byteLength, 'readArrowIPC');
  aligned.set(output);
  return aligned;
}

/** The typed error for compressed buffers that declare (or need) more than the read's limit. */
export function limitError(budget: DecodeBudget, declared: number | bigint, why: string): PandasError {
  const limitText = budget.explicit
    ? `maxDecompressedBytes (${budget.limit})`
    : `the default maxDecompressedBytes (${budget.limit} for ${budget.inputBytes} input bytes: 255 x the input size, at least 256 MiB and at most 4 GiB)`;
  return new PandasError(
    'ERR_SIZE_LIMIT',
    `Refusing to decompress ${budget.source}: ${declared} uncompressed bytes are declared (${why}), which with the ${budget.used} bytes already decompressed exceeds ${limitText}. If the file is trusted, pass a larger maxDecompressedBytes to readArrowIPC (Infinity for no limit).`,
    {
      details: {
        operation: 'readArrowIPC',
        source: budget.source,
        declared: String(declared),
        alreadyDecompressed: budget.used,
        maxDecompressedBytes: budget.limit,
      },
    },
  );
}
