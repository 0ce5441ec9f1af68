// LZ4-frame and ZSTD decompression into memory the caller owns (see codecs.cc).
#ifndef INTEROP_NATIVE_CODECS_H
#define INTEROP_NATIVE_CODECS_H

#include <napi.h>

namespace interop {

/** Adds codecOpen, decompressInto and decompressManyInto to the addon's exports. */
void RegisterCodecs(Napi::Env env, Napi::Object exports);

}  // namespace interop

#endif  // INTEROP_NATIVE_CODECS_H
