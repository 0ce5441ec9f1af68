// interop/handle.hpp - pass std::shared_ptr<T> to JavaScript and back, safely.
//
// IOLink's create_from_pointer / to_pointer pass a `std::shared_ptr<T>*` as an integer through
// the scripting language and cast it back. Here JavaScript gets an opaque, frozen handle object
// instead: no integer, nothing JavaScript can forge or edit. The handle holds one reference
// (released when the handle is garbage-collected or releaseHandle() is called); unwrapping
// checks a 128-bit type tag, so a handle for another type is refused rather than reinterpreted.
//
// The handle's C part (interop_handle_box) uses only C types and function pointers of the addon
// that created it, so another addon - even one built with another C++ standard library - can
// unwrap it: it gets its own std::shared_ptr<T> whose deleter drops a reference taken through
// the creator's functions. T itself must of course have the same layout in both addons.
//
//   static constexpr interop::TypeTag kImageTag{0x3c1b0c2e5f0d4a11ULL, 0x9a7e21d4b6c85f03ULL};
//   napi_value handle;  interop::wrap_shared(env, image, kImageTag, "Image", &handle);
//   std::shared_ptr<Image> back; interop::unwrap_shared(env, handle, kImageTag, &back);
#ifndef INTEROP_HANDLE_HPP
#define INTEROP_HANDLE_HPP

#include <cstdint>
#include <cstring>
#include <memory>

#include "buffer.h"

extern "C" {
/** The C part of a handle. `magic` and `abi_version` identify it; never edit it from outside. */
typedef struct interop_handle_box {
  uint64_t magic;
  uint32_t abi_version;
  uint32_t released;
  uint64_t tag_lower;
  uint64_t tag_upper;
  char type_name[64];
  void *object;                   /* the T* */
  void *owner;                    /* creator-private owning token (a heap std::shared_ptr<T>*) */
  void *(*retain)(void *owner);   /* returns a new owning token for the same object */
  void (*release)(void *owner);   /* drops one owning token */
} interop_handle_box;
}

#define INTEROP_HANDLE_MAGIC 0x48504f5245544e49ULL /* "INTEROPH" */
#define INTEROP_HANDLE_ABI 1
#define INTEROP_HANDLE_KEY "@interop/native/handle@1"

namespace interop {

/** A 128-bit tag naming a C++ type; pick two random 64-bit numbers per type. */
struct TypeTag {
  std::uint64_t lower;
  std::uint64_t upper;
};

namespace detail {
template <class T>
void *retain_shared(void *owner) {
  return new std::shared_ptr<T>(*static_cast<std::shared_ptr<T> *>(owner));
}
template <class T>
void release_shared(void *owner) {
  delete static_cast<std::shared_ptr<T> *>(owner);
}
inline void finalize_box(napi_env, void *data, void *) {
  auto *box = static_cast<interop_handle_box *>(data);
  if (!box->released) box->release(box->owner);
  box->released = 1;
  box->magic = 0;
  delete box;
}
inline napi_status handle_key(napi_env env, napi_value *key) {
  napi_value global, symbol_ctor, symbol_for, name;
  napi_status status;
  if ((status = napi_get_global(env, &global)) != napi_ok) return status;
  if ((status = napi_get_named_property(env, global, "Symbol", &symbol_ctor)) != napi_ok) return status;
  if ((status = napi_get_named_property(env, symbol_ctor, "for", &symbol_for)) != napi_ok) return status;
  if ((status = napi_create_string_utf8(env, INTEROP_HANDLE_KEY, NAPI_AUTO_LENGTH, &name)) != napi_ok) return status;
  return napi_call_function(env, symbol_ctor, symbol_for, 1, &name, key);
}
}  // namespace detail

/**
 * Finds the box of a handle, or nullptr (and a pending ERR_NATIVE_NOT_A_HANDLE error) when
 * `value` is not a handle made by interop::wrap_shared.
 */
inline interop_handle_box *handle_box(napi_env env, napi_value value) {
  napi_valuetype type;
  napi_value key, external;
  bool has = false;
  void *data = nullptr;
  if (napi_typeof(env, value, &type) == napi_ok && type == napi_object && detail::handle_key(env, &key) == napi_ok &&
      napi_has_own_property(env, value, key, &has) == napi_ok && has && napi_get_property(env, value, key, &external) == napi_ok &&
      napi_typeof(env, external, &type) == napi_ok && type == napi_external && napi_get_value_external(env, external, &data) == napi_ok && data != nullptr) {
    auto *box = static_cast<interop_handle_box *>(data);
    if (box->magic == INTEROP_HANDLE_MAGIC && box->abi_version == INTEROP_HANDLE_ABI) return box;
  }
  interop__throw(env, "ERR_NATIVE_NOT_A_HANDLE", "The value is not a native handle created by interop::wrap_shared (interop/handle.hpp).");
  return nullptr;
}

/**
 * Wraps `pointer` in a new frozen JavaScript handle holding one reference. `type_name` (at most
 * 63 bytes are kept) is shown by JavaScript's handleTypeName(). Returns napi_ok or leaves an
 * exception pending.
 */
template <class T>
napi_status wrap_shared(napi_env env, std::shared_ptr<T> pointer, const TypeTag &tag, const char *type_name, napi_value *result) {
  if (!pointer) {
    interop__throw(env, "ERR_INVALID_ARGUMENT", "interop::wrap_shared: the shared_ptr is empty");
    return napi_pending_exception;
  }
  napi_value object, external, key, name;
  napi_status status;
  if ((status = napi_create_object(env, &object)) != napi_ok) return status;
  auto *box = new interop_handle_box();
  box->magic = INTEROP_HANDLE_MAGIC;
  box->abi_version = INTEROP_HANDLE_ABI;
  box->released = 0;
  box->tag_lower = tag.lower;
  box->tag_upper = tag.upper;
  std::strncpy(box->type_name, type_name != nullptr ? type_name : "", sizeof box->type_name - 1);
  box->object = static_cast<void *>(pointer.get());
  box->retain = &detail::retain_shared<T>;
  box->release = &detail::release_shared<T>;
  box->owner = new std::shared_ptr<T>(std::move(pointer));
  if ((status = napi_create_external(env, box, &detail::finalize_box, nullptr, &external)) != napi_ok) {
    detail::finalize_box(env, box, nullptr);
    return status;
  }
  if ((status = detail::handle_key(env, &key)) != napi_ok) return status;
  if ((status = napi_create_string_utf8(env, box->type_name, NAPI_AUTO_LENGTH, &name)) != napi_ok) return status;
  napi_property_descriptor properties[] = {
      {nullptr, key, nullptr, nullptr, nullptr, external, napi_default, nullptr},
      {"typeName", nullptr, nullptr, nullptr, nullptr, name, napi_enumerable, nullptr},
  };
  if ((status = napi_define_properties(env, object, 2, properties)) != napi_ok) return status;
  if ((status = napi_object_freeze(env, object)) != napi_ok) return status;
  *result = object;
  return napi_ok;
}

/**
 * Gets a new std::shared_ptr<T> to the object of `handle`, after checking it is a live handle
 * tagged `tag`. Refusals leave a pending NativeError: ERR_NATIVE_NOT_A_HANDLE,
 * ERR_NATIVE_HANDLE_TYPE (another type's tag) or ERR_BUFFER_RELEASED.
 */
template <class T>
napi_status unwrap_shared(napi_env env, napi_value handle, const TypeTag &tag, std::shared_ptr<T> *result) {
  interop_handle_box *box = handle_box(env, handle);
  if (box == nullptr) return napi_pending_exception;
  if (box->tag_lower != tag.lower || box->tag_upper != tag.upper) {
    interop__throw(env, "ERR_NATIVE_HANDLE_TYPE", "The handle wraps another C++ type than the one requested (its type tag differs).");
    return napi_pending_exception;
  }
  if (box->released) {
    interop__throw(env, "ERR_BUFFER_RELEASED", "The handle was released (releaseHandle); it no longer refers to an object.");
    return napi_pending_exception;
  }
  if (box->retain == &detail::retain_shared<T>) {
    // Made by this very addon: share the control block itself (use_count() stays meaningful).
    *result = *static_cast<std::shared_ptr<T> *>(box->owner);
  } else {
    void *token = box->retain(box->owner);
    auto release = box->release;
    *result = std::shared_ptr<T>(static_cast<T *>(box->object), [release, token](T *) { release(token); });
  }
  return napi_ok;
}

/** Drops the reference a handle holds, now instead of at garbage collection. Idempotent. */
inline napi_status release_handle(napi_env env, napi_value handle) {
  interop_handle_box *box = handle_box(env, handle);
  if (box == nullptr) return napi_pending_exception;
  if (!box->released) {
    box->released = 1;
    box->release(box->owner);
    box->owner = nullptr;
  }
  return napi_ok;
}

}  // namespace interop

#endif  // INTEROP_HANDLE_HPP
