// V8-level helpers of the @interop/native addon.
//
// Pinning (issue 16, finding 3): C may keep a borrow (interop_get_buffer) across calls. Built-in
// ArrayBuffers cannot refuse a transfer (structuredClone / postMessage with a transfer list), and
// when the transferred buffer is collected V8 frees the memory under C's pointer. A v8::BackingStore
// is reference-counted and outlives a detach, so each borrow holds a std::shared_ptr to the backing
// store of the memory it points into, dropped by interop_release_buffer: the memory itself lives as
// long as C holds it, whatever JavaScript does with the ArrayBuffer meanwhile.
//
// Large external memory (finding 4): Node 20's napi_create_external_arraybuffer is built on
// node::Buffer, whose limit is 4 GiB; mappings and segments larger than that are made here with
// v8::ArrayBuffer::NewBackingStore, whose limit is V8's (2^53 - 1 bytes on 64-bit).
#include "v8_memory.h"

#include <v8.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

namespace interop {
namespace {

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value must be a v8::Local<v8::Value>");

// Node-API values are v8::Local handles (src/js_native_api_v8.h); this addon is compiled against
// the running Node's own headers, so the two agree (as in shared_export.cc).
v8::Local<v8::Value> FromNapi(napi_value value) {
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void *>(&local), static_cast<const void *>(&value), sizeof value);
  return local;
}

napi_value ToNapi(v8::Local<v8::Value> local) {
  napi_value value;
  std::memcpy(static_cast<void *>(&value), static_cast<const void *>(&local), sizeof value);
  return value;
}

void *Pin(napi_env, napi_value memory, void **data, size_t *size) {
  if (memory == nullptr) return nullptr;
  v8::Local<v8::Value> value = FromNapi(memory);
  std::shared_ptr<v8::BackingStore> store;
  if (value->IsArrayBuffer()) {
    store = value.As<v8::ArrayBuffer>()->GetBackingStore();
  } else if (value->IsSharedArrayBuffer()) {
    store = value.As<v8::SharedArrayBuffer>()->GetBackingStore();
  } else if (value->IsArrayBufferView()) {
    store = value.As<v8::ArrayBufferView>()->Buffer()->GetBackingStore();
  }
  if (!store) return nullptr;
  if (data != nullptr) *data = store->Data();
  if (size != nullptr) *size = store->ByteLength();
  return new (std::nothrow) std::shared_ptr<v8::BackingStore>(std::move(store));
}

void Unpin(void *pin) { delete static_cast<std::shared_ptr<v8::BackingStore> *>(pin); }

const interop__native_pinner g_pinner = {INTEROP__NATIVE_PINNER_VERSION, sizeof(interop__native_pinner), Pin, Unpin};

}  // namespace

const interop__native_pinner *NativePinner() { return &g_pinner; }

napi_status NewExternalArrayBuffer(napi_env, void *data, size_t size, ExternalDeleter deleter, void *hint, napi_value *result) {
  // V8's own limit for an ArrayBuffer's length on 64-bit builds (Number.MAX_SAFE_INTEGER).
  if (size > static_cast<size_t>((uint64_t{1} << 53) - 1) || data == nullptr || size == 0) return napi_invalid_arg;
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr) return napi_generic_failure;
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(data, size, deleter, hint);
  *result = ToNapi(v8::ArrayBuffer::New(isolate, std::move(store)));
  return napi_ok;
}

}  // namespace interop
