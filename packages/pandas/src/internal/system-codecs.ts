// The decoders of @interop/native: the system's liblz4 and libzstd, decompressing straight into
// memory this package allocates (the decode arena, from core's huge-page seam), on several
// threads for a whole file at once. The Node entry installs them when that optional peer is
// present (it imports the peer; this module never does, so the main entry stays browser-safe).
import { InteropError } from '@interop/core';
import { PandasError } from '../errors/pandas-error.js';

/** The codecs the system decoders handle. */
export type SystemCodecName = 'lz4' | 'zstd';

/** One compressed range of a source and where it decompresses to (offsets relative to the views). */
export interface SystemRange {
  readonly sourceOffset: number;
  readonly sourceLength: number;
  readonly destinationOffset: number;
  readonly destinationLength: number;
}

/** The part of @interop/native's public API used here. */
interface NativeCodecModule {
  codecLibrary(codec: SystemCodecName): { readonly available: boolean; readonly version: string | null };
  decompressInto(codec: SystemCodecName, source: Uint8Array, destination: Uint8Array): number;
  decompressManyInto(
    codec: SystemCodecName,
    source: Uint8Array,
    destination: Uint8Array,
    ranges: readonly SystemRange[],
    options?: { readonly threads?: number },
  ): number[];
}

/** A system decoder for one codec. Data errors come back as plain Errors (the reader wraps them). */
export interface SystemDecoder {
  readonly name: string;
  /** Decompresses `source` into `destination`; returns the bytes written. */
  into(source: Uint8Array, destination: Uint8Array): number;
  /** Decompresses every range (on several threads); returns the bytes written into each. */
  many(source: Uint8Array, destination: Uint8Array, ranges: readonly SystemRange[]): number[];
}

export interface SystemDecoders {
  readonly lz4: SystemDecoder | null;
  readonly zstd: SystemDecoder | null;
}

const none: SystemDecoders = { lz4: null, zstd: null };
let installed: SystemDecoders = none;

/** The system decoders installed (none until the Node entry found @interop/native). */
export function systemDecoders(): SystemDecoders {
  return installed;
}

function isModule(value: unknown): value is NativeCodecModule {
  const candidate = value as Partial<NativeCodecModule> | null | undefined;
  return typeof candidate?.codecLibrary === 'function' && typeof candidate.decompressInto === 'function' && typeof candidate.decompressManyInto === 'function';
}

// A failed decode is a corrupt file to the reader (ERR_PANDAS_IPC_INVALID, with the native error
// as cause); memory exhaustion keeps its own meaning.
function rethrow(error: unknown, codec: SystemCodecName): never {
  if (InteropError.isInstance(error) && (error.code === 'ERR_BUFFER_ALLOCATION_FAILED' || error.code === 'ERR_BUFFER_ALLOCATION_FAILED')) {
    throw new PandasError(
      'ERR_BUFFER_ALLOCATION_FAILED',
      `readArrowIPC: the ${codec.toUpperCase()} decoder could not allocate its state (${error.message}); free memory and try again.`,
      {
        cause: error,
        details: { operation: 'readArrowIPC' },
      },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  throw new Error(`a ${codec.toUpperCase()}-compressed buffer could not be decompressed: ${reason}`, { cause: error });
}

function decoderFor(module: NativeCodecModule, codec: SystemCodecName): SystemDecoder | null {
  let library: { readonly available: boolean; readonly version: string | null };
  try {
    library = module.codecLibrary(codec);
  } catch {
    return null;
  }
  if (library.available !== true) return null;
  return {
    name: `${codec === 'lz4' ? 'liblz4' : 'libzstd'} ${library.version ?? ''} (@interop/native)`.replace('  ', ' '),
    into(source, destination) {
      try {
        return module.decompressInto(codec, source, destination);
      } catch (error) {
        return rethrow(error, codec);
      }
    },
    many(source, destination, ranges) {
      try {
        return module.decompressManyInto(codec, source, destination, ranges);
      } catch (error) {
        return rethrow(error, codec);
      }
    },
  };
}

/**
 * Installs the system decoders of `module` (the namespace of `@interop/native`, or null when it
 * is not installed) for every codec whose library loads; returns whether any was installed.
 * `null` removes them (tests: the "library absent" path).
 */
export function installSystemCodecs(module: unknown): boolean {
  if (!isModule(module)) {
    installed = none;
    return false;
  }
  installed = { lz4: decoderFor(module, 'lz4'), zstd: decoderFor(module, 'zstd') };
  return installed.lz4 !== null || installed.zstd !== null;
}
