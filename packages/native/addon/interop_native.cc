// The @interop/native addon: memory-mapped files, POSIX shared memory, and the JavaScript side of
// native handles. Every block of memory reaches JavaScript as an external ArrayBuffer (no copy);
// src/*.ts wraps them in @interop/core exporters with an ExportLock.
//
// Lifetime of a mapping: two owners share one Mapping record, the ArrayBuffer (its finalizer) and
// the JavaScript object that can close it (an External). The pages are unmapped by close() (after
// the ArrayBuffer is detached, so no JavaScript view can reach them) or, failing that, when the
// ArrayBuffer is collected. The record itself is freed when both owners are gone.
#include <napi.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>

#include "interop/handle.hpp"
#include "codecs.h"
#include "huge_pages.h"
#include "shared_export.h"
#include "v8_memory.h"

namespace interop {
namespace {

// The ArrayBuffer's deleter may run on any thread (V8 frees backing stores on a background
// thread, or wherever a borrow's pin is dropped), so the record's state is atomic.
struct Mapping {
  void *address = nullptr;
  size_t size = 0;
  std::atomic<bool> unmapped{false};
  std::atomic<int> owners{2};
};

void DropOwner(Mapping *mapping) {
  if (mapping->owners.fetch_sub(1) == 1) delete mapping;
}

void Unmap(Mapping *mapping) {
  if (!mapping->unmapped.exchange(true)) munmap(mapping->address, mapping->size);
}

// The backing store's deleter: the last holder of the memory (an ArrayBuffer, a transferred copy,
// a C borrow's pin) is gone.
void FinalizeArrayBuffer(void *, size_t, void *hint) {
  auto *mapping = static_cast<Mapping *>(hint);
  Unmap(mapping);
  DropOwner(mapping);
}

const char *CodeForErrno(int error, const char *notFound) {
  switch (error) {
    case ENOENT: return notFound;
    case EACCES:
    case EPERM:
    case EROFS: return "ERR_NATIVE_PERMISSION_DENIED";
    case EEXIST: return "ERR_SHARED_EXISTS";
    case EISDIR: return "ERR_NATIVE_NOT_A_FILE";
    case ENAMETOOLONG:
    case EINVAL: return "ERR_INVALID_ARGUMENT";
    case ENOMEM:
    case EFBIG:
    case EOVERFLOW:
    case ENOSPC: return "ERR_NATIVE_TOO_LARGE";
    default: return "ERR_NATIVE_SYSTEM";
  }
}

// Throws an Error carrying `code`, `errno` and `syscall`; the TypeScript layer rethrows it as a
// NativeError with a message that says what to do.
[[noreturn]] void ThrowSystem(Napi::Env env, const char *syscall, int error, const char *notFound, const std::string &what) {
  Napi::Error failure = Napi::Error::New(env, std::string(syscall) + " failed for " + what + ": " + std::strerror(error));
  failure.Set("code", Napi::String::New(env, CodeForErrno(error, notFound)));
  failure.Set("errno", Napi::Number::New(env, error));
  failure.Set("syscall", Napi::String::New(env, syscall));
  throw failure;
}

[[noreturn]] void ThrowCode(Napi::Env env, const char *code, const std::string &message) {
  Napi::Error failure = Napi::Error::New(env, message);
  failure.Set("code", Napi::String::New(env, code));
  throw failure;
}

// Maps `size` bytes of `fd` and returns [arraybuffer, mapping handle]; closes fd. On failure a
// segment just created is unlinked (`unlink_on_failure`), so a failed create leaves nothing behind.
Napi::Value MapDescriptor(Napi::Env env, int fd, size_t size, int protection, int flags, const std::string &what, const char *unlink_on_failure = nullptr) {
  // V8's largest ArrayBuffer (2^53 - 1 bytes); refused before anything is mapped.
  if (size > static_cast<size_t>((uint64_t{1} << 53) - 1)) {
    close(fd);
    if (unlink_on_failure != nullptr) shm_unlink(unlink_on_failure);
    ThrowCode(env, "ERR_NATIVE_TOO_LARGE", what + " is larger than the largest ArrayBuffer JavaScript can hold (2^53 - 1 bytes)");
  }
  void *address = mmap(nullptr, size, protection, flags, fd, 0);
  int error = errno;
  close(fd);
  if (address == MAP_FAILED) {
    if (unlink_on_failure != nullptr) shm_unlink(unlink_on_failure);
    ThrowSystem(env, "mmap", error, "ERR_NATIVE_FILE_NOT_FOUND", what);
  }
  auto *mapping = new Mapping();
  mapping->address = address;
  mapping->size = size;
  napi_value arraybuffer;
  // Not napi_create_external_arraybuffer: in Node 20 it is limited to 4 GiB (node::Buffer).
  if (NewExternalArrayBuffer(env, address, size, FinalizeArrayBuffer, mapping, &arraybuffer) != napi_ok) {
    munmap(address, size);
    delete mapping;
    if (unlink_on_failure != nullptr) shm_unlink(unlink_on_failure);
    ThrowCode(env, "ERR_NATIVE_TOO_LARGE", what + ": V8 refused an ArrayBuffer of this size");
  }
  Napi::External<Mapping> handle = Napi::External<Mapping>::New(env, mapping, [](Napi::Env, Mapping *owned) { DropOwner(owned); });
  Napi::Array result = Napi::Array::New(env, 2);
  result.Set(0u, Napi::Value(env, arraybuffer));
  result.Set(1u, handle);
  return result;
}

// mapFile(path, mode): mode 0 = 'r' (private copy-on-write, exported read-only), 1 = 'r+' (shared,
// writes reach the file), 2 = 'c' (private copy-on-write, writable). 'r' is mapped writable-private
// so that a consumer ignoring the read-only flag gets a private page, never a SIGSEGV.
Napi::Value MapFile(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int mode = info[1].As<Napi::Number>().Int32Value();
  // O_NONBLOCK: opening a FIFO never blocks the thread (the S_ISREG check below refuses it).
  // no_follow (shared files): a symbolic link planted under the shared name is refused, never
  // followed, so there is no gap between a check of the path and the open.
  bool no_follow = info.Length() > 2 && info[2].ToBoolean().Value();
  int fd = open(path.c_str(), (mode == 1 ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK | (no_follow ? O_NOFOLLOW : 0));
  if (fd < 0 && errno == ELOOP && no_follow) ThrowCode(env, "ERR_NATIVE_NOT_A_FILE", path + " is a symbolic link; shared files are regular files and links are never followed");
  if (fd < 0) ThrowSystem(env, "open", errno, "ERR_NATIVE_FILE_NOT_FOUND", path);
  struct stat status;
  if (fstat(fd, &status) != 0) {
    int error = errno;
    close(fd);
    ThrowSystem(env, "fstat", error, "ERR_NATIVE_FILE_NOT_FOUND", path);
  }
  if (!S_ISREG(status.st_mode)) {
    close(fd);
    ThrowCode(env, "ERR_NATIVE_NOT_A_FILE", path + " is not a regular file");
  }
  if (status.st_size == 0) {
    close(fd);
    ThrowCode(env, "ERR_NATIVE_EMPTY_FILE", path + " is empty; a mapping needs at least one byte");
  }
  int flags = mode == 1 ? MAP_SHARED : MAP_PRIVATE;
  return MapDescriptor(env, fd, static_cast<size_t>(status.st_size), PROT_READ | PROT_WRITE, flags, path);
}

// shmOpen(name, create, size): name already carries its leading '/'. Returns [arraybuffer, handle].
Napi::Value ShmOpen(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  bool create = info[1].As<Napi::Boolean>().Value();
  double requested = info[2].As<Napi::Number>().DoubleValue();
  // Same flags and permissions as CPython's _posixshmem.shm_open (O_CREAT | O_EXCL, 0600).
  int fd = shm_open(name.c_str(), create ? (O_CREAT | O_EXCL | O_RDWR) : O_RDWR, 0600);
  if (fd < 0) ThrowSystem(env, "shm_open", errno, "ERR_SHARED_NOT_FOUND", name);
  size_t size;
  if (create) {
    size = static_cast<size_t>(requested);
    if (ftruncate(fd, static_cast<off_t>(size)) != 0) {
      int error = errno;
      close(fd);
      shm_unlink(name.c_str());
      ThrowSystem(env, "ftruncate", error, "ERR_SHARED_NOT_FOUND", name);
    }
  } else {
    struct stat status;
    if (fstat(fd, &status) != 0) {
      int error = errno;
      close(fd);
      ThrowSystem(env, "fstat", error, "ERR_SHARED_NOT_FOUND", name);
    }
    if (status.st_size == 0) {
      close(fd);
      ThrowCode(env, "ERR_NATIVE_INVALID_SIZE", "the shared memory segment " + name + " has size 0");
    }
    size = static_cast<size_t>(status.st_size);
  }
  return MapDescriptor(env, fd, size, PROT_READ | PROT_WRITE, MAP_SHARED, name, create ? name.c_str() : nullptr);
}

Napi::Value ShmUnlink(const Napi::CallbackInfo &info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  if (shm_unlink(name.c_str()) != 0) ThrowSystem(info.Env(), "shm_unlink", errno, "ERR_SHARED_NOT_FOUND", name);
  return info.Env().Undefined();
}

// unmap(handle, arraybuffer): detaches the ArrayBuffer (JavaScript views of it become empty), then
// unmaps. The TypeScript caller has checked the ExportLock first.
Napi::Value UnmapNow(const Napi::CallbackInfo &info) {
  Mapping *mapping = info[0].As<Napi::External<Mapping>>().Data();
  if (mapping->unmapped) return info.Env().Undefined();
  napi_value arraybuffer = info[1];
  bool detached = false;
  // Transferred away (structuredClone / postMessage): another ArrayBuffer now owns the pages, so
  // they must stay mapped; the deleter unmaps them when the last holder is gone.
  if (napi_is_detached_arraybuffer(info.Env(), arraybuffer, &detached) == napi_ok && detached) return info.Env().Undefined();
  if (napi_detach_arraybuffer(info.Env(), arraybuffer) != napi_ok) {
    ThrowCode(info.Env(), "ERR_NATIVE_SYSTEM", "the mapping's ArrayBuffer could not be detached; it stays mapped until collected");
  }
  Unmap(mapping);
  return info.Env().Undefined();
}

Napi::Value Flush(const Napi::CallbackInfo &info) {
  Mapping *mapping = info[0].As<Napi::External<Mapping>>().Data();
  if (!mapping->unmapped && msync(mapping->address, mapping->size, MS_SYNC) != 0) {
    ThrowSystem(info.Env(), "msync", errno, "ERR_NATIVE_FILE_NOT_FOUND", "the mapping");
  }
  return info.Env().Undefined();
}

Napi::Value IsHandle(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  interop_handle_box *box = handle_box(env, info[0]);
  if (box == nullptr) {
    Napi::Error ignored = env.GetAndClearPendingException();  // "not a handle" is the answer here
    (void)ignored;
    return Napi::Boolean::New(env, false);
  }
  return Napi::Boolean::New(env, true);
}

Napi::Value HandleInfo(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  interop_handle_box *box = handle_box(env, info[0]);
  if (box == nullptr) throw env.GetAndClearPendingException();
  Napi::Object result = Napi::Object::New(env);
  result.Set("typeName", Napi::String::New(env, box->type_name));
  result.Set("released", Napi::Boolean::New(env, box->released != 0));
  return result;
}

Napi::Value ReleaseHandle(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (release_handle(env, info[0]) != napi_ok) throw env.GetAndClearPendingException();
  return env.Undefined();
}


// nativeExporter(): the O(1) export path for interop/buffer.h (shared_export.cc), as an External.
Napi::Value NativeExporter(const Napi::CallbackInfo &info) {
  napi_value external;
  // The table is static: nothing to finalize. (Node 20 keeps 40 bytes of bookkeeping per External
  // until a garbage collection finds it; one made in a worker that ends first is never freed - see
  // test/memcheck/node.supp.)
  if (napi_create_external(info.Env(), const_cast<interop__native_exporter *>(SharedExporter()), nullptr, nullptr, &external) != napi_ok) {
    throw Napi::Error::New(info.Env(), "napi_create_external failed");
  }
  return Napi::Value(info.Env(), external);
}

// externalMemory(): the external memory V8 accounts to this isolate (napi_adjust_external_memory's
// running total), to check what the export path reports and when.
Napi::Value ExternalMemory(const Napi::CallbackInfo &info) {
  int64_t total = 0;
  if (napi_adjust_external_memory(info.Env(), 0, &total) != napi_ok) throw Napi::Error::New(info.Env(), "napi_adjust_external_memory failed");
  return Napi::Number::New(info.Env(), static_cast<double>(total));
}

// pendingReleases(): exports made through nativeExporter whose release callback has not run yet.
Napi::Value PendingReleases(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), static_cast<double>(PendingSharedReleases())); }

// nativePinner(): the table interop/buffer.h uses to keep borrowed memory alive (v8_memory.cc).
Napi::Value NativePinnerValue(const Napi::CallbackInfo &info) {
  napi_value external;
  if (napi_create_external(info.Env(), const_cast<interop__native_pinner *>(NativePinner()), nullptr, nullptr, &external) != napi_ok) {
    throw Napi::Error::New(info.Env(), "napi_create_external failed");
  }
  return Napi::Value(info.Env(), external);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("nativePinner", Napi::Function::New(env, NativePinnerValue, "nativePinner"));
  exports.Set("mapFile", Napi::Function::New(env, MapFile, "mapFile"));
  exports.Set("shmOpen", Napi::Function::New(env, ShmOpen, "shmOpen"));
  exports.Set("shmUnlink", Napi::Function::New(env, ShmUnlink, "shmUnlink"));
  exports.Set("unmap", Napi::Function::New(env, UnmapNow, "unmap"));
  exports.Set("flush", Napi::Function::New(env, Flush, "flush"));
  exports.Set("isHandle", Napi::Function::New(env, IsHandle, "isHandle"));
  exports.Set("handleInfo", Napi::Function::New(env, HandleInfo, "handleInfo"));
  exports.Set("releaseHandle", Napi::Function::New(env, ReleaseHandle, "releaseHandle"));
  exports.Set("nativeExporter", Napi::Function::New(env, NativeExporter, "nativeExporter"));
  exports.Set("pendingReleases", Napi::Function::New(env, PendingReleases, "pendingReleases"));
  exports.Set("externalMemory", Napi::Function::New(env, ExternalMemory, "externalMemory"));
  Napi::Object build = Napi::Object::New(env);
  build.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  build.Set("nodeModuleVersion", Napi::Number::New(env, INTEROP_NODE_MODULE_VERSION));
  build.Set("pageSize", Napi::Number::New(env, static_cast<double>(sysconf(_SC_PAGESIZE))));
  exports.Set("build", build);
  RegisterHugePages(env, exports);
  RegisterCodecs(env, exports);
  return exports;
}

}  // namespace
}  // namespace interop

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return interop::Init(env, exports); }

NODE_API_MODULE(interop_native, InitModule)
