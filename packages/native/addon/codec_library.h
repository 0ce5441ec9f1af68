// The small part of the liblz4 and libzstd C APIs that codecs.cc calls, declared here so the addon
// builds without their development headers: the libraries are opened at run time with dlopen
// (liblz4.so.1 and libzstd.so.1 are present on nearly every Linux system), and a missing library
// only makes the codec functions report ERR_NATIVE_CODEC_UNAVAILABLE.
//
// Only entry points of the stable, documented APIs are used: LZ4's frame API (lz4frame.h, stable
// since 1.8) and ZSTD's simple decompression API (zstd.h, stable section). Their C signatures and
// the layout of the one struct passed by pointer are written out below from the libraries'
// documentation; the versions are checked after loading (see kMinimumLz4 / kMinimumZstd).
#ifndef INTEROP_NATIVE_CODEC_LIBRARY_H
#define INTEROP_NATIVE_CODEC_LIBRARY_H

#include <cstddef>

namespace interop {
namespace codec_abi {

// --- LZ4 frame API -------------------------------------------------------------------------
struct Lz4fDecompressionContext;  // opaque (LZ4F_dctx)

// LZ4F_decompressOptions_t: four unsigned ints in every release since 1.8 (1.9.4 names the second
// one skipChecksums; older releases reserve it and require 0, which is what we pass).
struct Lz4fDecompressOptions {
  unsigned stableDst;
  unsigned skipChecksums;
  unsigned reserved1;
  unsigned reserved0;
};

// The version argument of LZ4F_createDecompressionContext (LZ4F_VERSION).
constexpr unsigned kLz4fApiVersion = 100;

using Lz4fCreateDecompressionContext = size_t (*)(Lz4fDecompressionContext **context, unsigned version);
using Lz4fFreeDecompressionContext = size_t (*)(Lz4fDecompressionContext *context);
using Lz4fResetDecompressionContext = void (*)(Lz4fDecompressionContext *context);
using Lz4fDecompress = size_t (*)(Lz4fDecompressionContext *context, void *destination, size_t *destinationSize, const void *source,
                                  size_t *sourceSize, const Lz4fDecompressOptions *options);
using Lz4fIsError = unsigned (*)(size_t code);
using Lz4fGetErrorName = const char *(*)(size_t code);
using Lz4VersionNumber = int (*)();

// --- ZSTD simple decompression API ---------------------------------------------------------
struct ZstdDecompressionContext;  // opaque (ZSTD_DCtx)

using ZstdCreateDCtx = ZstdDecompressionContext *(*)();
using ZstdFreeDCtx = size_t (*)(ZstdDecompressionContext *context);
using ZstdDecompressDCtx = size_t (*)(ZstdDecompressionContext *context, void *destination, size_t capacity, const void *source, size_t sourceSize);
using ZstdIsError = unsigned (*)(size_t code);
using ZstdGetErrorName = const char *(*)(size_t code);
using ZstdGetErrorCode = int (*)(size_t code);
using ZstdVersionNumber = unsigned (*)();

// ZSTD_ErrorCode values, fixed since zstd 1.3.1 (zstd_errors.h says so).
constexpr int kZstdErrorDestinationTooSmall = 70;  // ZSTD_error_dstSize_tooSmall
constexpr int kZstdErrorSourceSizeWrong = 72;      // ZSTD_error_srcSize_wrong
constexpr int kZstdErrorMemoryAllocation = 64;     // ZSTD_error_memory_allocation

}  // namespace codec_abi
}  // namespace interop

#endif  // INTEROP_NATIVE_CODEC_LIBRARY_H
