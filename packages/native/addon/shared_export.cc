// The O(1) export path of interop_export_memory (include/interop/buffer.h), provided by this addon
// to every addon that uses the header (through bridge.nativeExporter).
//
// Why: Node-API's napi_create_external_arraybuffer makes an ArrayBuffer whose backing store V8
// counts as external memory of the isolate (BackingStore::PerIsolateAccountingLength is the byte
// length). Attaching a 1 GiB one pushes the isolate past its external-memory limit, and V8 runs
// Heap::ReportExternalMemoryPressure synchronously inside the export: it starts incremental
// marking or, above the hard limit, a full mark-compact. The export then costs milliseconds
// instead of microseconds, proportional to the size.
//
// What: the memory is handed to JavaScript as a SharedArrayBuffer made with the V8 API
// (v8::SharedArrayBuffer::NewBackingStore with a deleter). V8 does not count shared backing stores
// per isolate, so nothing is reported at export time and the export is O(1). A SharedArrayBuffer
// also cannot be detached or transferred, so no JavaScript operation can take the memory away from
// the views made over it, and its backing store is reference-counted across threads, so the memory
// lives as long as any thread can reach it.
//
// Release: V8 runs the backing-store deleter on whatever thread drops the last reference (usually
// a background sweeper thread). The deleter only queues the export on a thread-safe function of
// the exporting env; the release callback then runs on that env's JavaScript thread, exactly once.
// If the env is torn down first, its cleanup hook runs the callbacks of memory V8 has already
// freed; memory still held (the SharedArrayBuffer may live on in another thread) is released by
// the deleter itself, with env == NULL, when the last holder drops it - never under a holder.
//
// Garbage-collection pressure: so that V8 still learns about the memory (and collects unreachable
// exports promptly), each export's size is reported with napi_adjust_external_memory, deferred to
// the next turn of the event loop and batched (one report per turn, whatever the number of
// exports), and taken back when the release callback runs. Any garbage collection V8 decides to do
// for that report happens then, not inside the export call.
#include <node_api.h>
#include <v8.h>

#include <cstring>
#include <dlfcn.h>
#include <memory>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "interop/buffer.h"
#include "shared_export.h"

namespace interop {
namespace {

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value must be a v8::Local<v8::Value>");

// Node-API values are v8::Local handles (src/js_native_api_v8.h: JsValueFromV8LocalValue); this
// addon is compiled from source against the running Node's own headers, so the two agree.
napi_value ToNapi(v8::Local<v8::Value> local) {
  napi_value value;
  std::memcpy(static_cast<void *>(&value), static_cast<const void *>(&local), sizeof value);
  return value;
}

struct EnvState;

struct Export {
  std::shared_ptr<EnvState> state;
  interop_release_callback release;
  void *memory;
  void *hint;
  size_t size;
  uint64_t generation;      // the state's report generation when exported (JS thread only)
  bool released = false;    // the release callback ran (or is running); guarded by state->mutex
  bool freed_by_v8 = false; // V8 dropped its last reference; guarded by state->mutex
  bool queued = false;      // handed to the thread-safe function; guarded by state->mutex
  Export *previous = nullptr; // the state's list of live records; guarded by state->mutex
  Export *next = nullptr;
};

// The records of one env not yet deleted: an intrusive list (no allocation, O(1) insert and erase).
struct LiveList {
  Export *head = nullptr;
  size_t count = 0;
  void insert(Export *record) {
    record->previous = nullptr;
    record->next = head;
    if (head != nullptr) head->previous = record;
    head = record;
    ++count;
  }
  void erase(Export *record) {
    if (record->previous != nullptr) record->previous->next = record->next;
    else if (head == record) head = record->next;
    else return;  // not in the list
    if (record->next != nullptr) record->next->previous = record->previous;
    record->previous = record->next = nullptr;
    --count;
  }
  size_t size() const { return count; }
};

// A marker passed through the thread-safe function: "report the pending external memory now".
char g_flush_marker;

struct EnvState : std::enable_shared_from_this<EnvState> {
  napi_env env = nullptr;
  napi_threadsafe_function dispatcher = nullptr;
  std::mutex mutex;
  bool alive = true;
  LiveList live;
  // JavaScript thread only: bytes exported but not yet reported to V8, and the report generation.
  int64_t pending_bytes = 0;
  uint64_t generation = 0;
  bool flush_scheduled = false;
};

// The state of the env this thread exported from last (one thread runs one env at a time, and
// TearDown clears it, so a reused env address never finds a dead state).
thread_local napi_env t_last_env = nullptr;
thread_local EnvState *t_last_state = nullptr;

std::mutex g_states_mutex;
std::unordered_map<napi_env, std::shared_ptr<EnvState>> g_states;

// Runs on the env's JavaScript thread (env != NULL), or while the thread-safe function is torn
// down (env == NULL).
void Dispatch(napi_env env, napi_value, void *context, void *data) {
  auto *state = static_cast<EnvState *>(context);
  if (data == &g_flush_marker) {
    if (env == nullptr) return;
    state->flush_scheduled = false;
    if (state->pending_bytes > 0) {
      int64_t ignored;
      napi_adjust_external_memory(env, state->pending_bytes, &ignored);
    }
    state->pending_bytes = 0;
    ++state->generation;
    return;
  }
  auto *record = static_cast<Export *>(data);
  std::unique_lock<std::mutex> lock(state->mutex);
  record->queued = false;
  if (record->released) {
    // The env's cleanup hook already released it; V8 has freed it: nothing refers to it any more.
    state->live.erase(record);
    lock.unlock();
    delete record;
    return;
  }
  if (env == nullptr) return;  // torn down before the cleanup hook: the hook releases it
  record->released = true;
  state->live.erase(record);
  lock.unlock();
  if (record->generation < state->generation) {
    int64_t ignored;
    napi_adjust_external_memory(env, -static_cast<int64_t>(record->size), &ignored);
  } else {
    state->pending_bytes -= static_cast<int64_t>(record->size);
  }
  if (record->release != nullptr) record->release(env, record->memory, record->hint);
  delete record;
}

// The backing-store deleter: any thread, possibly inside a garbage collection. No V8 calls here.
void OnBackingStoreFree(void *, size_t, void *data) {
  auto *record = static_cast<Export *>(data);
  std::shared_ptr<EnvState> state = record->state;
  std::unique_lock<std::mutex> lock(state->mutex);
  record->freed_by_v8 = true;
  if (record->released) {
    state->live.erase(record);
    lock.unlock();
    delete record;
    return;
  }
  if (state->alive) {
    if (napi_call_threadsafe_function(state->dispatcher, record, napi_tsfn_nonblocking) == napi_ok) record->queued = true;
    // Otherwise the env is being torn down right now: its cleanup hook releases the record.
    return;
  }
  // The exporting env ended while another isolate (or its own dying heap) still held the memory;
  // now nothing does. Release here, without an env (documented in interop/buffer.h).
  record->released = true;
  state->live.erase(record);
  lock.unlock();
  if (record->release != nullptr) record->release(nullptr, record->memory, record->hint);
  delete record;
}

// Keeps the library that holds `code` mapped for the life of the process (see PinLibrary).
void PinLibraryOf(const void *code) {
  Dl_info info;
  if (code != nullptr && dladdr(code, &info) != 0 && info.dli_fname != nullptr) (void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

// Env cleanup hook: no JavaScript of this env runs any more. Release callbacks of memory V8 has
// already freed run now, with the env. Memory still held (by this dying heap, or by another thread
// the SharedArrayBuffer was posted to) is never freed under its holder: its release callback runs
// when V8 drops the last reference, with env == NULL, on that thread; the library holding the
// callback is pinned so that it is still there.
void TearDown(void *argument) {
  auto *raw = static_cast<EnvState *>(argument);
  std::shared_ptr<EnvState> state;
  {
    std::lock_guard<std::mutex> guard(g_states_mutex);
    auto found = g_states.find(raw->env);
    if (found == g_states.end() || found->second.get() != raw) return;
    state = found->second;
    g_states.erase(found);
  }
  if (t_last_state == raw) {
    t_last_env = nullptr;
    t_last_state = nullptr;
  }
  std::vector<Export *> to_release;
  std::vector<interop_release_callback> orphaned;
  {
    std::lock_guard<std::mutex> guard(state->mutex);
    state->alive = false;
    for (Export *record = state->live.head; record != nullptr; record = record->next) {
      if (record->released) continue;
      if (record->freed_by_v8) {
        record->released = true;
        to_release.push_back(record);
      } else {
        orphaned.push_back(record->release);
      }
    }
  }
  for (interop_release_callback release : orphaned) PinLibraryOf(reinterpret_cast<const void *>(release));
  for (Export *record : to_release) {
    if (record->release != nullptr) record->release(state->env, record->memory, record->hint);
  }
  std::vector<Export *> to_delete;
  {
    std::lock_guard<std::mutex> guard(state->mutex);
    for (Export *record : to_release) {
      // Freed by V8 and not waiting in the dispatcher: this was the last owner.
      if (record->freed_by_v8 && !record->queued) {
        state->live.erase(record);
        to_delete.push_back(record);
      }
    }
  }
  for (Export *record : to_delete) delete record;
}

// Node unloads an addon (dlclose) when the last worker that loaded it ends, but V8 may run a
// backing-store deleter later, while that worker's isolate is torn down or when another thread
// drops a SharedArrayBuffer. Keep this library mapped for the life of the process.
void PinLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    Dl_info info;
    if (dladdr(reinterpret_cast<void *>(&OnBackingStoreFree), &info) != 0 && info.dli_fname != nullptr) {
      // RTLD_NOLOAD: the library is already loaded; RTLD_NODELETE: dlclose never unmaps it. The
      // handle is deliberately never closed.
      (void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    }
  });
}

EnvState *StateFor(napi_env env) {
  if (env == t_last_env && t_last_state != nullptr) return t_last_state;
  PinLibrary();
  {
    std::lock_guard<std::mutex> guard(g_states_mutex);
    auto found = g_states.find(env);
    if (found != g_states.end()) {
      t_last_env = env;
      t_last_state = found->second.get();
      return t_last_state;
    }
  }
  auto state = std::make_shared<EnvState>();
  state->env = env;
  napi_value name;
  if (napi_create_string_utf8(env, "interop-native-release", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, state.get(), Dispatch, &state->dispatcher) != napi_ok) {
    return nullptr;
  }
  // The dispatcher must not keep the process alive.
  napi_unref_threadsafe_function(env, state->dispatcher);
  if (napi_add_env_cleanup_hook(env, TearDown, state.get()) != napi_ok) return nullptr;
  std::lock_guard<std::mutex> guard(g_states_mutex);
  g_states[env] = state;
  t_last_env = env;
  t_last_state = state.get();
  return state.get();
}

napi_status CreateShared(napi_env env, void *memory, size_t size, interop_release_callback release, void *hint, napi_value *result) {
  // V8 never calls the deleter of an empty backing store: those take Node-API's path.
  if (memory == nullptr || size == 0) return napi_create_external_arraybuffer(env, memory, size, release, hint, result);
  EnvState *state = StateFor(env);
  if (state == nullptr) return napi_generic_failure;
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr) return napi_generic_failure;
  auto *record = new (std::nothrow) Export();
  if (record == nullptr) return napi_generic_failure;
  record->state = state->shared_from_this();
  record->release = release;
  record->memory = memory;
  record->hint = hint;
  record->size = size;
  record->generation = state->generation;
  {
    std::lock_guard<std::mutex> guard(state->mutex);
    state->live.insert(record);
  }
  std::unique_ptr<v8::BackingStore> store = v8::SharedArrayBuffer::NewBackingStore(memory, size, OnBackingStoreFree, record);
  // From here V8 owns the record: its deleter runs exactly once, even if what follows fails.
  v8::Local<v8::SharedArrayBuffer> buffer = v8::SharedArrayBuffer::New(isolate, std::move(store));
  *result = ToNapi(buffer);
  state->pending_bytes += static_cast<int64_t>(size);
  if (!state->flush_scheduled && napi_call_threadsafe_function(state->dispatcher, &g_flush_marker, napi_tsfn_nonblocking) == napi_ok) {
    state->flush_scheduled = true;
  }
  return napi_ok;
}

const interop__native_exporter g_exporter = {INTEROP__NATIVE_EXPORTER_VERSION, sizeof(interop__native_exporter), CreateShared};

}  // namespace

const interop__native_exporter *SharedExporter() { return &g_exporter; }

size_t PendingSharedReleases() {
  std::lock_guard<std::mutex> guard(g_states_mutex);
  size_t count = 0;
  for (const auto &entry : g_states) {
    std::lock_guard<std::mutex> state_guard(entry.second->mutex);
    count += entry.second->live.size();
  }
  return count;
}

}  // namespace interop
