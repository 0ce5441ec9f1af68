// V8-level helpers of the @interop/native addon (v8_memory.cc): what Node-API cannot do.
#ifndef INTEROP_NATIVE_V8_MEMORY_H
#define INTEROP_NATIVE_V8_MEMORY_H

#include <node_api.h>

#include <cstddef>

#include "interop/buffer.h"

namespace interop {

/** The table published as bridge.nativePinner (a napi_external): keeps a borrowed backing store alive. */
const interop__native_pinner *NativePinner();

/** Called with the memory when the last holder of an ArrayBuffer made by NewExternalArrayBuffer drops it (any thread). */
using ExternalDeleter = void (*)(void *data, size_t length, void *hint);

/**
 * An ArrayBuffer over `size` bytes at `data` that `deleter` frees, made with the V8 API: unlike
 * napi_create_external_arraybuffer (which goes through node::Buffer in Node 20), it has no 4 GiB
 * limit. Fails (napi_invalid_arg) above V8's largest ArrayBuffer; `deleter` is then not called.
 */
napi_status NewExternalArrayBuffer(napi_env env, void *data, size_t size, ExternalDeleter deleter, void *hint, napi_value *result);

}  // namespace interop

#endif  // INTEROP_NATIVE_V8_MEMORY_H
