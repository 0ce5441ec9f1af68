import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo } from '@interop/core';
import { NativeError } from './errors/native-error.js';
import type { NativeErrorCode } from './errors/codes.js';
import { loadAddon } from './load-addon.js';
import { NativeBuffer } from './native-buffer.js';

// The JavaScript half of interop/buffer.h. C reads and writes numbers through `scratch` instead of
// JavaScript objects, so a borrow costs one call into JavaScript and no allocation on the C side.
// The layout below is mirrored by INTEROP__SCRATCH_* in include/interop/buffer.h.
const SHAPE = 16;
const STRIDES = 80;
const FORMAT_BYTE = 1152;
const FORMAT_MAX = 1023;
// The INDIRECT bit alone (BufferFlags.INDIRECT is the composite, which includes STRIDES).
const INDIRECT_BIT = BufferFlags.INDIRECT & ~BufferFlags.STRIDES;
// Scratch slot carrying borrow()'s flags when C passes no second argument (interop/buffer.h since
// the scratch calling convention; older headers pass flags and the token as arguments).
const FLAGS_SLOT = 8;
// Borrow tokens: serial * TOKEN_SLOTS + slot index, so a stale or forged token never matches a
// live borrow that reuses the slot. Both parts stay below 2^53.
const TOKEN_SLOTS = 2 ** 21;
const TOKEN_SERIALS = 2 ** 31;

/** The key of the bridge on globalThis; versioned so two copies of the package agree or refuse. */
export const bridgeKey: unique symbol = Symbol.for('@interop/native/bridge@1') as never;

/** What interop/buffer.h calls. */
export interface NativeBridge {
  readonly version: 1;
  readonly scratch: ArrayBuffer;
  /** True: C may pass borrow's flags and release's token in `scratch` instead of as arguments. */
  readonly scratchArguments: true;
  /** Takes one export of `value` and writes its layout to `scratch`; `flags` defaults to the flags slot of `scratch`. */
  borrow(value: unknown, flags?: number): ArrayBuffer | Uint8Array;
  /** Ends the borrow `token` (defaults to slot 0 of `scratch`). */
  release(token?: number): void;
  exportNative(memory: ArrayBuffer | SharedArrayBuffer): NativeBuffer;
  /**
   * The @interop/native addon's O(1) export path (an opaque External), read by interop/buffer.h
   * once per thread; undefined when the addon is not built or the environment variable
   * INTEROP_NATIVE_EXPORT is `arraybuffer` (exports then use Node-API external ArrayBuffers).
   */
  readonly nativeExporter: object | undefined;
  /**
   * The addon's pinning of borrowed memory (an opaque External), read by interop/buffer.h once per
   * thread: each C borrow holds a reference on the memory's V8 backing store, so a transfer of the
   * ArrayBuffer and a garbage collection cannot free it under C. Undefined when the addon is not
   * built; C borrows are then refused (ERR_NATIVE_UNPINNABLE).
   */
  readonly nativePinner: object | undefined;
  error(code: NativeErrorCode, message: string): NativeError;
  /** Exports C currently holds (for tests and leak hunting). */
  readonly heldExports: () => number;
}

function createBridge(): NativeBridge {
  const scratch = new ArrayBuffer(FORMAT_BYTE + FORMAT_MAX + 1);
  const slots = new Float64Array(scratch, 0, FORMAT_BYTE / 8);
  const formatBytes = new Uint8Array(scratch, FORMAT_BYTE, FORMAT_MAX + 1);
  // Live borrows in a slot table with a free list: no allocation and no hash table per borrow.
  const heldInfo: (BufferInfo | undefined)[] = [];
  const heldToken: number[] = [];
  const freeSlots: number[] = [];
  let heldCount = 0;
  let serial = 1;

  function writeFormat(format: string): boolean {
    if (format.length > FORMAT_MAX) return false;
    for (let index = 0; index < format.length; index++) {
      const code = format.charCodeAt(index);
      if (code > 0x7e || code === 0) return false;
      formatBytes[index] = code;
    }
    slots[7] = format.length;
    return true;
  }

  return {
    version: 1,
    scratch,
    scratchArguments: true,
    borrow(value, flags = slots[FLAGS_SLOT]!) {
      if (!Number.isInteger(flags)) throw new NativeError('ERR_INVALID_ARGUMENT', `interop_get_buffer: flags must be an integer, received ${String(flags)}.`);
      // C cannot follow suboffsets: never ask for INDIRECT, so indirect exporters refuse cleanly.
      const info = getBuffer(value, flags & ~INDIRECT_BIT);
      // A resizable ArrayBuffer can shrink under C's pointer (its pages are then decommitted): refuse.
      if (
        (info.buffer as { resizable?: unknown }).resizable === true &&
        !(typeof SharedArrayBuffer !== 'undefined' && info.buffer instanceof SharedArrayBuffer)
      ) {
        releaseBuffer(info);
        throw new NativeError(
          'ERR_INVALID_ARGUMENT',
          "interop_get_buffer: the memory is a resizable ArrayBuffer, which JavaScript can shrink under C's pointer; copy it into a fixed-length ArrayBuffer (or use a growable SharedArrayBuffer) first.",
          {
            details: { operation: 'interop_get_buffer' },
          },
        );
      }
      let presence = 0;
      slots[7] = 0;
      if (info.format !== null) {
        if (!writeFormat(info.format)) {
          releaseBuffer(info);
          throw new NativeError(
            'ERR_BUFFER_INVALID_LAYOUT',
            `The format ${JSON.stringify(info.format.slice(0, 40))}... is longer than ${FORMAT_MAX} ASCII characters, the most interop/buffer.h passes to C.`,
            {
              details: { operation: 'interop_get_buffer' },
            },
          );
        }
        presence |= 1;
      }
      let index = freeSlots.pop();
      if (index === undefined) {
        if (heldInfo.length >= TOKEN_SLOTS) {
          releaseBuffer(info);
          throw new NativeError(
            'ERR_INVALID_ARGUMENT',
            `interop_get_buffer: C already holds ${TOKEN_SLOTS} borrows; release some with interop_release_buffer before taking more.`,
            {
              details: { operation: 'interop_get_buffer' },
            },
          );
        }
        index = heldInfo.length;
        heldInfo.push(undefined);
        heldToken.push(0);
      }
      const token = serial * TOKEN_SLOTS + index;
      serial = serial + 1 < TOKEN_SERIALS ? serial + 1 : 1;
      heldInfo[index] = info;
      heldToken[index] = token;
      heldCount++;
      slots[0] = token;
      slots[1] = info.byteOffset;
      slots[2] = info.byteLength;
      slots[3] = info.readonly ? 1 : 0;
      slots[4] = info.itemsize;
      slots[5] = info.ndim;
      if (info.shape !== null) {
        presence |= 2;
        for (let axis = 0; axis < info.ndim; axis++) slots[SHAPE + axis] = info.shape[axis]!;
      }
      if (info.strides !== null) {
        presence |= 4;
        for (let axis = 0; axis < info.ndim; axis++) slots[STRIDES + axis] = info.strides[axis]!;
      }
      slots[6] = presence;
      // Node-API reads ArrayBuffers directly; a SharedArrayBuffer is read through a byte view.
      return info.buffer instanceof ArrayBuffer ? info.buffer : new Uint8Array(info.buffer);
    },
    release(token = slots[0]!) {
      const index = token % TOKEN_SLOTS;
      const info = heldToken[index] === token ? heldInfo[index] : undefined;
      if (info === undefined) {
        throw new NativeError('ERR_BUFFER_RELEASED', `interop_release_buffer: no live borrow has token ${token}; each view is released exactly once.`, {
          details: { operation: 'interop_release_buffer' },
        });
      }
      heldInfo[index] = undefined;
      heldToken[index] = 0;
      freeSlots.push(index);
      heldCount--;
      releaseBuffer(info);
    },
    exportNative(memory) {
      const ndim = slots[5]!;
      const presence = slots[6]!;
      const formatLength = slots[7]!;
      let format = '';
      for (let index = 0; index < formatLength; index++) format += String.fromCharCode(formatBytes[index]!);
      const shape: number[] = [];
      const strides: number[] = [];
      for (let axis = 0; axis < ndim; axis++) {
        shape.push(slots[SHAPE + axis]!);
        strides.push(slots[STRIDES + axis]!);
      }
      return new NativeBuffer(memory, {
        byteOffset: slots[1]!,
        format,
        itemsize: slots[4]!,
        shape,
        ...((presence & 4) !== 0 ? { strides } : {}),
        readonly: slots[3] !== 0,
      });
    },
    get nativePinner(): object | undefined {
      try {
        return loadAddon().nativePinner();
      } catch {
        return undefined;
      }
    },
    error(code, message) {
      return new NativeError(code, message, { details: { operation: 'interop/buffer.h' } });
    },
    heldExports: () => heldCount,
    get nativeExporter(): object | undefined {
      // Opt-out: exports as Node-API external ArrayBuffers (transferable; V8 accounts them at export).
      if (process.env['INTEROP_NATIVE_EXPORT'] === 'arraybuffer') return undefined;
      try {
        return loadAddon().nativeExporter();
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Installs the bridge that native addons built with interop/buffer.h call (once per realm;
 * importing '@interop/native' does it). Returns the installed bridge.
 *
 * @example
 * ```ts
 * import { installBridge } from '@interop/native';
 * console.log(installBridge().version); // 1
 * ```
 */
export function installBridge(): NativeBridge {
  const global = globalThis as unknown as Record<symbol, NativeBridge | undefined>;
  const existing = global[bridgeKey];
  if (existing !== undefined) return existing;
  const bridge = createBridge();
  Object.defineProperty(globalThis, bridgeKey, { value: bridge, enumerable: false, configurable: false, writable: false });
  return bridge;
}

/**
 * How many borrows C code currently holds through interop/buffer.h (taken and not yet released).
 *
 * @example
 * ```ts
 * import { heldByNative } from '@interop/native';
 * console.log(heldByNative()); // 0
 * ```
 */
export function heldByNative(): number {
  return installBridge().heldExports();
}
