// The public API of @interop/native (Node.js only). Importing it installs the bridge that addons
// built with include/interop/buffer.h call.
import { installBridge } from './bridge.js';

installBridge();

export { bridgeKey, heldByNative, installBridge, type NativeBridge } from './bridge.js';
export { nativeErrorCodes, type NativeErrorCode } from './errors/codes.js';
export { NativeError } from './errors/native-error.js';
export {
  allocateHugePages,
  allocateSharedHugePages,
  DEFAULT_HUGE_PAGE_CACHE,
  hugePageAllocator,
  hugePageStats,
  installNativeAllocator,
  setHugePageCache,
  type HugePageCacheOptions,
  type HugePageStats,
  type InstallNativeAllocatorOptions,
} from './huge-page-allocator.js';
export {
  codecLibrary,
  decompressInto,
  decompressManyInto,
  type CodecLibrary,
  type DecompressionCodec,
  type DecompressManyOptions,
  type DecompressRange,
} from './codecs.js';
export { handleTypeName, isHandleReleased, isNativeHandle, releaseHandle } from './handle.js';
export { includeDir } from './include-dir.js';
export { loadAddon, type NativeAddon, type NativeBuildInfo } from './load-addon.js';
export { mapFile, MappedFile, type MapFileOptions, type MapMode } from './map-file.js';
export { NativeBuffer, type NativeLayout } from './native-buffer.js';
export {
  createSharedFile,
  openSharedFile,
  sharedDirectory,
  SharedFile,
  sharedFilePath,
  unlinkSharedFile,
  type CreateSharedFileOptions,
  type OpenSharedFileOptions,
  type SharedFileOptions,
} from './shared-file.js';
export { SharedMemory } from './shared-memory.js';
