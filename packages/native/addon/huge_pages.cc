// The huge-page allocator behind installNativeAllocator() (src/huge-page-allocator.ts).
//
// Why: on the virtual machines this project runs on, the first touch of fresh memory costs about
// 10 us per 4 KiB page, so filling 256 MiB of new ArrayBuffer costs ~650 ms. A region that is
// 2 MiB-aligned and marked madvise(MADV_HUGEPAGE) faults in 2 MiB at a time (~22 ms for the same
// 256 MiB); NumPy marks every allocation of 4 MiB or more this way. V8's ArrayBuffer allocator
// never does.
//
// What: hugeAlloc(byteLength, shared) maps byteLength (from 2 MiB on; smaller requests get plain
// page-rounded anonymous memory) rounded up to 2 MiB, aligned to 2 MiB (map
// 2 MiB more, unmap the unaligned head and tail), marks it MADV_HUGEPAGE where the OS has it, and
// hands it to JavaScript zero-copy as an ArrayBuffer (or a SharedArrayBuffer when `shared`) whose
// V8 backing store owns it. Fresh anonymous mappings are zero-filled by the kernel.
//
// Free: V8 calls the backing-store deleter exactly once, on whatever thread drops the last
// reference to the backing store (a transferred ArrayBuffer or a SharedArrayBuffer posted to a
// worker keeps it alive there), so the region is never unmapped while any view can reach it. The
// deleter makes no V8 call: it unmaps the region, or keeps it in a small cache of freed regions
// (bounded by count, bytes and age; on by default) for a later allocation of about its size. A
// cached region is zeroed again before reuse, unless the caller asked with zeroFill false (it
// overwrites every byte first: a file read, a decompressor's output).
//
// Why a cache: on the virtual machines this project runs on, memory the process gives back to the
// kernel in large blocks is soon handed back to the hypervisor (free page reporting), and the next
// first touch of such memory costs about 10 us per 4 KiB page again, huge pages or not (150 ms for
// 64 MiB, against 3 ms for memory the guest still holds). Keeping a few freed regions mapped keeps
// them warm, as pyarrow's and NumPy's allocators keep theirs.
#include <node_api.h>
#include <v8.h>

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "huge_pages.h"

namespace interop {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value must be a v8::Local<v8::Value>");

napi_value ToNapi(v8::Local<v8::Value> local) {
  napi_value value;
  std::memcpy(static_cast<void *>(&value), static_cast<const void *>(&local), sizeof value);
  return value;
}

struct Region {
  void *base;
  size_t mapped;  // a multiple of kHugePage (or of the page size below kHugePage)
  std::chrono::steady_clock::time_point freed{};  // when it entered the cache
};

// Process-wide: regions may be freed by any thread and reused by any other.
std::mutex g_mutex;
std::vector<Region> g_cache;            // guarded by g_mutex
size_t g_cache_bytes = 0;               // guarded by g_mutex
size_t g_cache_max_entries = 4;         // guarded by g_mutex; 0 = cache off (see docs/benchmarks.md)
size_t g_cache_max_bytes = size_t{1} << 29;  // guarded by g_mutex: 512 MiB
int64_t g_cache_max_age_ms = 5000;      // guarded by g_mutex: regions cached longer are unmapped
std::atomic<uint64_t> g_allocations{0};
std::atomic<uint64_t> g_frees{0};
std::atomic<uint64_t> g_cache_hits{0};
std::atomic<int64_t> g_live{0};
std::atomic<int64_t> g_live_bytes{0};
std::atomic<uint64_t> g_advised{0};  // regions madvise(MADV_HUGEPAGE) accepted

// Maps `mapped` bytes aligned to kHugePage; returns nullptr (errno set) on failure.
void *MapAligned(size_t mapped) {
  size_t request = mapped + kHugePage;
  void *raw = mmap(nullptr, request, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  size_t head = aligned - start;
  size_t tail = request - head - mapped;
  if (head > 0) munmap(raw, head);
  if (tail > 0) munmap(reinterpret_cast<void *>(aligned + mapped), tail);
  void *base = reinterpret_cast<void *>(aligned);
#ifdef MADV_HUGEPAGE
  if (madvise(base, mapped, MADV_HUGEPAGE) == 0) g_advised.fetch_add(1, std::memory_order_relaxed);
#endif
  return base;
}

// Maps `mapped` bytes (a multiple of the page size) without alignment or marking.
void *MapSmall(size_t mapped) {
  void *raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return raw == MAP_FAILED ? nullptr : raw;
}

// Moves the cached regions older than the age bound into `drop` (to unmap outside the lock).
void ExpireLocked(std::chrono::steady_clock::time_point now, std::vector<Region> *drop) {
  for (size_t i = 0; i < g_cache.size();) {
    if (now - g_cache[i].freed > std::chrono::milliseconds(g_cache_max_age_ms)) {
      drop->push_back(g_cache[i]);
      g_cache_bytes -= g_cache[i].mapped;
      g_cache[i] = g_cache.back();
      g_cache.pop_back();
    } else {
      ++i;
    }
  }
}

void UnmapAll(const std::vector<Region> &regions) {
  for (const Region &region : regions) munmap(region.base, region.mapped);
}

// The backing-store deleter: any thread, possibly inside a garbage collection. No V8 calls here.
void FreeRegion(void *, size_t, void *data) {
  auto *region = static_cast<Region *>(data);
  g_frees.fetch_add(1, std::memory_order_relaxed);
  g_live.fetch_sub(1, std::memory_order_relaxed);
  g_live_bytes.fetch_sub(static_cast<int64_t>(region->mapped), std::memory_order_relaxed);
  std::vector<Region> drop;
  bool cached = false;
  {
    std::lock_guard<std::mutex> guard(g_mutex);
    auto now = std::chrono::steady_clock::now();
    ExpireLocked(now, &drop);
    if (g_cache.size() < g_cache_max_entries && g_cache_bytes + region->mapped <= g_cache_max_bytes) {
      region->freed = now;
      g_cache.push_back(*region);
      g_cache_bytes += region->mapped;
      cached = true;
    }
  }
  UnmapAll(drop);
  if (!cached) munmap(region->base, region->mapped);
  delete region;
}

// The smallest cached region that holds `mapped` bytes without wasting more than a quarter of it
// (plus one granule: a huge page, or a page below that), or {nullptr, 0}. Regions past the age
// bound are unmapped first.
Region TakeCached(size_t mapped, size_t granule) {
  std::vector<Region> drop;
  Region found{nullptr, 0};
  {
    std::lock_guard<std::mutex> guard(g_mutex);
    ExpireLocked(std::chrono::steady_clock::now(), &drop);
    // Small (page-rounded) and huge (2 MiB-aligned, marked) regions are not mixed.
    bool huge = mapped >= kHugePage;
    size_t best = g_cache.size();
    for (size_t i = 0; i < g_cache.size(); ++i) {
      size_t size = g_cache[i].mapped;
      if (size < mapped || (size >= kHugePage) != huge || size - mapped > mapped / 4 + granule) continue;
      if (best == g_cache.size() || size < g_cache[best].mapped) best = i;
    }
    if (best < g_cache.size()) {
      found = g_cache[best];
      g_cache[best] = g_cache.back();
      g_cache.pop_back();
      g_cache_bytes -= found.mapped;
    }
  }
  UnmapAll(drop);
  return found;
}

napi_value Throw(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return nullptr;
}

bool GetSize(napi_env env, napi_value value, size_t *out) {
  double number;
  if (napi_get_value_double(env, value, &number) != napi_ok) return false;
  if (!(number >= 0) || number > 9007199254740991.0 || number != static_cast<double>(static_cast<uint64_t>(number))) return false;
  *out = static_cast<size_t>(number);
  return true;
}

// hugeAlloc(byteLength, shared, zeroFill): an ArrayBuffer (or SharedArrayBuffer) over a 2 MiB-aligned
// region, zero-filled unless zeroFill is false (then a recycled region keeps its old bytes).
napi_value HugeAlloc(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return Throw(env, "ERR_NATIVE_NAPI", "napi_get_cb_info failed");
  size_t length = 0;
  if (argc < 1 || !GetSize(env, argv[0], &length) || length == 0) return Throw(env, "ERR_NATIVE_INVALID_SIZE", "hugeAlloc needs a positive safe integer byte length");
  bool shared = false;
  if (argc >= 2) napi_get_value_bool(env, argv[1], &shared);
  bool zeroFill = true;
  if (argc >= 3) napi_get_value_bool(env, argv[2], &zeroFill);
  if (length > SIZE_MAX - 2 * kHugePage) return Throw(env, "ERR_NATIVE_INVALID_SIZE", "hugeAlloc: byte length too large");
  // Below one huge page: page-rounded, unaligned and unmarked (a huge page would be mostly unused).
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t granule = length < kHugePage ? page : kHugePage;
  size_t mapped = (length + granule - 1) & ~(granule - 1);
  Region region = TakeCached(mapped, granule);
  if (region.base != nullptr) {
    // Reused memory holds the bytes of its previous owner: zero what the new owner can see,
    // unless the new owner overwrites all of it before reading (zeroFill false).
    if (zeroFill) std::memset(region.base, 0, length);
    g_cache_hits.fetch_add(1, std::memory_order_relaxed);
  } else {
    region.base = mapped < kHugePage ? MapSmall(mapped) : MapAligned(mapped);
    region.mapped = mapped;
    if (region.base == nullptr) {
      return Throw(env, errno == ENOMEM ? "ERR_BUFFER_ALLOCATION_FAILED" : "ERR_NATIVE_SYSTEM", errno == ENOMEM ? "mmap could not map the memory (ENOMEM)" : std::strerror(errno));
    }
  }
  auto *record = new (std::nothrow) Region(region);
  if (record == nullptr) {
    munmap(region.base, region.mapped);
    return Throw(env, "ERR_BUFFER_ALLOCATION_FAILED", "out of memory for the region record");
  }
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_live.fetch_add(1, std::memory_order_relaxed);
  g_live_bytes.fetch_add(static_cast<int64_t>(region.mapped), std::memory_order_relaxed);
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  // From NewBackingStore on, V8 owns the record: FreeRegion runs exactly once.
  if (shared) {
    std::unique_ptr<v8::BackingStore> store = v8::SharedArrayBuffer::NewBackingStore(region.base, length, FreeRegion, record);
    return ToNapi(v8::SharedArrayBuffer::New(isolate, std::move(store)));
  }
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(region.base, length, FreeRegion, record);
  return ToNapi(v8::ArrayBuffer::New(isolate, std::move(store)));
}

void SetNumber(napi_env env, napi_value object, const char *name, double number) {
  napi_value value;
  napi_create_double(env, number, &value);
  napi_set_named_property(env, object, name, value);
}

// hugeStats(): counters of this process (every thread).
napi_value HugeStats(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_object(env, &result);
  SetNumber(env, result, "allocations", static_cast<double>(g_allocations.load()));
  SetNumber(env, result, "frees", static_cast<double>(g_frees.load()));
  SetNumber(env, result, "live", static_cast<double>(g_live.load()));
  SetNumber(env, result, "liveBytes", static_cast<double>(g_live_bytes.load()));
  SetNumber(env, result, "cacheHits", static_cast<double>(g_cache_hits.load()));
  SetNumber(env, result, "advised", static_cast<double>(g_advised.load()));
  std::lock_guard<std::mutex> guard(g_mutex);
  SetNumber(env, result, "cached", static_cast<double>(g_cache.size()));
  SetNumber(env, result, "cachedBytes", static_cast<double>(g_cache_bytes));
  SetNumber(env, result, "cacheMaxEntries", static_cast<double>(g_cache_max_entries));
  SetNumber(env, result, "cacheMaxBytes", static_cast<double>(g_cache_max_bytes));
  SetNumber(env, result, "cacheMaxAgeMs", static_cast<double>(g_cache_max_age_ms));
#ifdef MADV_HUGEPAGE
  SetNumber(env, result, "madvise", 1);
#else
  SetNumber(env, result, "madvise", 0);
#endif
  return result;
}

// hugeCache(maxEntries, maxBytes, maxAgeMs): sets the cache bounds and unmaps what no longer fits.
napi_value HugeCache(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  size_t entries = 0;
  size_t bytes = 0;
  size_t age = 0;
  if (argc < 3 || !GetSize(env, argv[0], &entries) || !GetSize(env, argv[1], &bytes) || !GetSize(env, argv[2], &age) || age > (size_t{1} << 40)) {
    return Throw(env, "ERR_INVALID_ARGUMENT", "hugeCache needs three non-negative safe integers");
  }
  std::vector<Region> drop;
  {
    std::lock_guard<std::mutex> guard(g_mutex);
    g_cache_max_entries = entries;
    g_cache_max_bytes = bytes;
    g_cache_max_age_ms = static_cast<int64_t>(age);
    ExpireLocked(std::chrono::steady_clock::now(), &drop);
    while (!g_cache.empty() && (g_cache.size() > entries || g_cache_bytes > bytes)) {
      drop.push_back(g_cache.back());
      g_cache_bytes -= g_cache.back().mapped;
      g_cache.pop_back();
    }
  }
  for (const Region &region : drop) munmap(region.base, region.mapped);
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

}  // namespace

void RegisterHugePages(napi_env env, napi_value exports) {
  // A region allocated in a worker may outlive every env that loaded this addon (transferred to
  // another thread): keep the library, and so FreeRegion, mapped for the life of the process.
  static std::once_flag once;
  std::call_once(once, [] {
    Dl_info info;
    if (dladdr(reinterpret_cast<void *>(&FreeRegion), &info) != 0 && info.dli_fname != nullptr) (void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  });
  const napi_property_descriptor properties[] = {
      {"hugeAlloc", nullptr, HugeAlloc, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"hugeStats", nullptr, HugeStats, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"hugeCache", nullptr, HugeCache, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
}

}  // namespace interop
