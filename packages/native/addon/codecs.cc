// Decompression of LZ4 frames and ZSTD frames straight into memory the caller owns (a range of a
// Uint8Array, typically from the huge-page allocator), with the system's liblz4 / libzstd.
//
// Why: @interop/pandas decompresses Arrow IPC (Feather) buffers into one allocation. A codec that
// returns its own freshly allocated output costs a second set of page faults and a copy; here
// the library writes into the destination directly.
//
// How the libraries are found: dlopen of liblz4.so.1 / libzstd.so.1 (or the file the caller
// names) the first time codecOpen succeeds for a codec; the functions used are resolved by name
// and their prototypes are in codec_library.h, so no development headers are needed to build,
// and a missing library only means the codec is unavailable (ERR_NATIVE_CODEC_UNAVAILABLE). The
// first library opened for a codec serves the whole process (every thread and worker) and is
// never unloaded.
//
// Safety: every range is checked against its view before anything runs; the libraries are told
// the exact capacity of each destination range and never write past it (LZ4F_decompress and
// ZSTD_decompressDCtx both bound their output by the capacity given). Output that does not fit is
// detected (for LZ4 by asking the library for more output into a small scratch buffer once the
// destination is full) and reported, never written. The JavaScript thread waits for every worker
// thread before returning, so the views cannot be detached or collected while threads use them.
#include "codecs.h"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "codec_library.h"

namespace interop {
namespace {

using namespace codec_abi;

// 1.8.0 added LZ4F_resetDecompressionContext; zstd's error code values are fixed from 1.3.1.
constexpr int kMinimumLz4 = 10800;
constexpr unsigned kMinimumZstd = 10301;
// A worker thread is only worth starting for at least this much output.
constexpr size_t kBytesPerThread = size_t{1} << 20;
constexpr size_t kMaxThreads = 64;

enum Codec { kLz4 = 0, kZstd = 1 };

struct Lz4Library {
  Lz4fCreateDecompressionContext create;
  Lz4fFreeDecompressionContext free;
  Lz4fResetDecompressionContext reset;
  Lz4fDecompress decompress;
  Lz4fIsError isError;
  Lz4fGetErrorName errorName;
  int version;
};

struct ZstdLibrary {
  ZstdCreateDCtx create;
  ZstdFreeDCtx free;
  ZstdDecompressDCtx decompress;
  ZstdIsError isError;
  ZstdGetErrorName errorName;
  ZstdGetErrorCode errorCode;
  unsigned version;
};

std::atomic<const Lz4Library *> g_lz4{nullptr};
std::atomic<const ZstdLibrary *> g_zstd{nullptr};

[[noreturn]] void ThrowCode(Napi::Env env, const char *code, const std::string &message) {
  Napi::Error failure = Napi::Error::New(env, message);
  failure.Set("code", Napi::String::New(env, code));
  throw failure;
}

const char *CodecName(int codec) { return codec == kLz4 ? "LZ4" : "ZSTD"; }

int GetCodec(const Napi::Value &value) {
  if (!value.IsNumber()) ThrowCode(value.Env(), "ERR_INVALID_ARGUMENT", "the codec must be 0 (LZ4) or 1 (ZSTD)");
  int codec = value.As<Napi::Number>().Int32Value();
  if (codec != kLz4 && codec != kZstd) ThrowCode(value.Env(), "ERR_INVALID_ARGUMENT", "the codec must be 0 (LZ4) or 1 (ZSTD)");
  return codec;
}

template <typename Function>
bool Resolve(void *library, const char *name, Function *out, std::string *missing) {
  void *symbol = dlsym(library, name);
  if (symbol == nullptr) {
    if (!missing->empty()) *missing += ", ";
    *missing += name;
    return false;
  }
  *out = reinterpret_cast<Function>(symbol);
  return true;
}

std::string VersionText(unsigned number) {
  return std::to_string(number / 10000) + "." + std::to_string(number / 100 % 100) + "." + std::to_string(number % 100);
}

// codecOpen(codec, file): opens `file` with dlopen and resolves the functions this file calls.
// Returns { version, versionNumber } of the library serving the codec from now on (the first one
// opened); throws ERR_NATIVE_CODEC_UNAVAILABLE (not found, a function missing, too old).
Napi::Value CodecOpen(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int codec = GetCodec(info[0]);
  if (!info[1].IsString()) ThrowCode(env, "ERR_INVALID_ARGUMENT", "codecOpen needs the library's file name");
  std::string file = info[1].As<Napi::String>().Utf8Value();
  dlerror();
  void *library = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char *reason = dlerror();
    ThrowCode(env, "ERR_NATIVE_CODEC_UNAVAILABLE", "dlopen(" + file + ") failed: " + (reason != nullptr ? reason : "unknown reason"));
  }
  std::string missing;
  unsigned versionNumber = 0;
  if (codec == kLz4) {
    auto table = std::make_unique<Lz4Library>();
    Lz4VersionNumber version = nullptr;
    bool ok = Resolve(library, "LZ4F_createDecompressionContext", &table->create, &missing);
    ok = Resolve(library, "LZ4F_freeDecompressionContext", &table->free, &missing) && ok;
    ok = Resolve(library, "LZ4F_resetDecompressionContext", &table->reset, &missing) && ok;
    ok = Resolve(library, "LZ4F_decompress", &table->decompress, &missing) && ok;
    ok = Resolve(library, "LZ4F_isError", &table->isError, &missing) && ok;
    ok = Resolve(library, "LZ4F_getErrorName", &table->errorName, &missing) && ok;
    ok = Resolve(library, "LZ4_versionNumber", &version, &missing) && ok;
    if (!ok) {
      dlclose(library);
      ThrowCode(env, "ERR_NATIVE_CODEC_UNAVAILABLE", file + " lacks " + missing + " (is it liblz4?)");
    }
    table->version = version();
    if (table->version < kMinimumLz4) {
      dlclose(library);
      ThrowCode(env, "ERR_NATIVE_CODEC_UNAVAILABLE", file + " is liblz4 " + VersionText(static_cast<unsigned>(table->version)) + "; 1.8.0 or newer is needed");
    }
    const Lz4Library *expected = nullptr;
    // The first library opened serves the process; a later one (the same file, normally) is closed.
    if (g_lz4.compare_exchange_strong(expected, table.get())) {
      table.release();
    } else {
      dlclose(library);
    }
    versionNumber = static_cast<unsigned>(g_lz4.load()->version);
  } else {
    auto table = std::make_unique<ZstdLibrary>();
    ZstdVersionNumber version = nullptr;
    bool ok = Resolve(library, "ZSTD_createDCtx", &table->create, &missing);
    ok = Resolve(library, "ZSTD_freeDCtx", &table->free, &missing) && ok;
    ok = Resolve(library, "ZSTD_decompressDCtx", &table->decompress, &missing) && ok;
    ok = Resolve(library, "ZSTD_isError", &table->isError, &missing) && ok;
    ok = Resolve(library, "ZSTD_getErrorName", &table->errorName, &missing) && ok;
    ok = Resolve(library, "ZSTD_getErrorCode", &table->errorCode, &missing) && ok;
    ok = Resolve(library, "ZSTD_versionNumber", &version, &missing) && ok;
    if (!ok) {
      dlclose(library);
      ThrowCode(env, "ERR_NATIVE_CODEC_UNAVAILABLE", file + " lacks " + missing + " (is it libzstd?)");
    }
    table->version = version();
    if (table->version < kMinimumZstd) {
      dlclose(library);
      ThrowCode(env, "ERR_NATIVE_CODEC_UNAVAILABLE", file + " is libzstd " + VersionText(table->version) + "; 1.3.1 or newer is needed");
    }
    const ZstdLibrary *expected = nullptr;
    if (g_zstd.compare_exchange_strong(expected, table.get())) {
      table.release();
    } else {
      dlclose(library);
    }
    versionNumber = g_zstd.load()->version;
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("versionNumber", Napi::Number::New(env, versionNumber));
  result.Set("version", Napi::String::New(env, VersionText(versionNumber)));
  return result;
}

enum class Status { kNotRun, kOk, kCorrupt, kTruncated, kTooSmall, kNoMemory };

struct Outcome {
  Status status = Status::kNotRun;
  size_t written = 0;
  size_t consumed = 0;
  const char *libraryError = nullptr;  // a static string of the library
};

struct Job {
  const uint8_t *source;
  size_t sourceLength;
  uint8_t *destination;
  size_t capacity;
  Outcome outcome;
};

// One thread's decompression state: a context of the codec's library, made on first use.
class Decoder {
 public:
  explicit Decoder(int codec) : codec_(codec), lz4_(g_lz4.load()), zstd_(g_zstd.load()) {}
  Decoder(const Decoder &) = delete;
  Decoder &operator=(const Decoder &) = delete;
  ~Decoder() {
    if (lz4Context_ != nullptr) lz4_->free(lz4Context_);
    if (zstdContext_ != nullptr) zstd_->free(zstdContext_);
  }

  Outcome Run(const uint8_t *source, size_t sourceLength, uint8_t *destination, size_t capacity) {
    return codec_ == kLz4 ? Lz4(source, sourceLength, destination, capacity) : Zstd(source, sourceLength, destination, capacity);
  }

 private:
  // Every frame of the source, one after the other, into destination[0, capacity).
  Outcome Lz4(const uint8_t *source, size_t sourceLength, uint8_t *destination, size_t capacity) {
    Outcome outcome;
    if (lz4Context_ == nullptr && lz4_->isError(lz4_->create(&lz4Context_, kLz4fApiVersion))) {
      lz4Context_ = nullptr;
      outcome.status = Status::kNoMemory;
      return outcome;
    }
    // stableDst: the output written so far stays where it is, so linked blocks use it in place.
    const Lz4fDecompressOptions options = {1, 0, 0, 0};
    uint8_t probe[64];
    size_t expected = 0;  // what the library still expects: 0 between frames
    while (outcome.consumed < sourceLength) {
      // Once the destination is full, more output can only go to the probe: any byte there means
      // the data does not fit, and nothing is written past the destination.
      const bool probing = outcome.written == capacity;
      size_t produced = probing ? sizeof probe : capacity - outcome.written;
      size_t taken = sourceLength - outcome.consumed;
      expected = lz4_->decompress(lz4Context_, probing ? probe : destination + outcome.written, &produced, source + outcome.consumed, &taken, &options);
      if (lz4_->isError(expected)) {
        outcome.status = Status::kCorrupt;
        outcome.libraryError = lz4_->errorName(expected);
        lz4_->reset(lz4Context_);
        return outcome;
      }
      outcome.consumed += taken;
      if (probing && produced > 0) {
        outcome.status = Status::kTooSmall;
        lz4_->reset(lz4Context_);
        return outcome;
      }
      if (!probing) outcome.written += produced;
      if (taken == 0 && produced == 0 && expected != 0) {
        // No progress with input left: cannot happen with a correct library; never loop on it.
        outcome.status = Status::kCorrupt;
        lz4_->reset(lz4Context_);
        return outcome;
      }
    }
    if (expected != 0) {
      outcome.status = Status::kTruncated;
      lz4_->reset(lz4Context_);
      return outcome;
    }
    outcome.status = Status::kOk;
    return outcome;
  }

  Outcome Zstd(const uint8_t *source, size_t sourceLength, uint8_t *destination, size_t capacity) {
    Outcome outcome;
    if (zstdContext_ == nullptr) zstdContext_ = zstd_->create();
    if (zstdContext_ == nullptr) {
      outcome.status = Status::kNoMemory;
      return outcome;
    }
    // The library refuses null pointers even for empty ranges.
    static const uint8_t empty = 0;
    uint8_t sink = 0;
    size_t result = zstd_->decompress(zstdContext_, capacity == 0 ? &sink : destination, capacity, sourceLength == 0 ? &empty : source, sourceLength);
    if (zstd_->isError(result)) {
      int code = zstd_->errorCode(result);
      outcome.status = code == kZstdErrorDestinationTooSmall ? Status::kTooSmall
                       : code == kZstdErrorSourceSizeWrong  ? Status::kTruncated
                       : code == kZstdErrorMemoryAllocation ? Status::kNoMemory
                                                            : Status::kCorrupt;
      outcome.libraryError = zstd_->errorName(result);
      return outcome;
    }
    outcome.status = Status::kOk;
    outcome.written = result;
    outcome.consumed = sourceLength;
    return outcome;
  }

  int codec_;
  const Lz4Library *lz4_;
  const ZstdLibrary *zstd_;
  Lz4fDecompressionContext *lz4Context_ = nullptr;
  ZstdDecompressionContext *zstdContext_ = nullptr;
};

struct Bytes {
  uint8_t *data;
  size_t length;
};

// A Uint8Array's memory. Detached buffers are refused (their views report length 0).
Bytes GetBytes(const Napi::Value &value, const char *what) {
  Napi::Env env = value.Env();
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowCode(env, "ERR_INVALID_ARGUMENT", std::string(what) + " must be a Uint8Array");
  }
  napi_typedarray_type type;
  size_t length = 0;
  void *data = nullptr;
  napi_value arraybuffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &arraybuffer, &offset) != napi_ok) {
    ThrowCode(env, "ERR_INVALID_ARGUMENT", std::string(what) + ": napi_get_typedarray_info failed");
  }
  bool detached = false;
  if (napi_is_detached_arraybuffer(env, arraybuffer, &detached) != napi_ok || detached) {
    ThrowCode(env, "ERR_BUFFER_DETACHED", std::string(what) + "'s ArrayBuffer is detached");
  }
  if (data == nullptr && length != 0) ThrowCode(env, "ERR_INVALID_ARGUMENT", std::string(what) + " has no memory");
  return Bytes{static_cast<uint8_t *>(data), length};
}

void RequireLibrary(Napi::Env env, int codec) {
  if ((codec == kLz4 && g_lz4.load() == nullptr) || (codec == kZstd && g_zstd.load() == nullptr)) {
    ThrowCode(env, "ERR_NATIVE_CODEC_UNAVAILABLE", std::string("no ") + (codec == kLz4 ? "liblz4" : "libzstd") + " library has been opened (codecOpen)");
  }
}

bool Overlap(const uint8_t *a, size_t aLength, const uint8_t *b, size_t bLength) {
  if (aLength == 0 || bLength == 0) return false;
  uintptr_t aStart = reinterpret_cast<uintptr_t>(a);
  uintptr_t bStart = reinterpret_cast<uintptr_t>(b);
  return aStart < bStart + bLength && bStart < aStart + aLength;
}

// Throws the typed error for a job that failed.
[[noreturn]] void ThrowOutcome(Napi::Env env, int codec, const Job &job, size_t index, bool many) {
  const Outcome &outcome = job.outcome;
  std::string which = many ? std::string(" (range ") + std::to_string(index) + ")" : std::string();
  std::string library = outcome.libraryError != nullptr ? std::string(" (") + (codec == kLz4 ? "liblz4: " : "libzstd: ") + outcome.libraryError + ")" : std::string();
  const char *code = "ERR_NATIVE_CORRUPT_DATA";
  std::string message;
  switch (outcome.status) {
    case Status::kTooSmall:
      code = "ERR_NATIVE_DESTINATION_TOO_SMALL";
      message = std::string("the ") + CodecName(codec) + " data" + which + " decompresses to more than its " + std::to_string(job.capacity) +
                "-byte destination; nothing was written past it";
      break;
    case Status::kTruncated:
      message = std::string("the ") + CodecName(codec) + " data" + which + " ends inside a frame (" + std::to_string(job.sourceLength) + " bytes): truncated" + library;
      break;
    case Status::kNoMemory:
      code = "ERR_BUFFER_ALLOCATION_FAILED";
      message = std::string("the ") + CodecName(codec) + " library could not allocate its decompression state" + library;
      break;
    default:
      message = std::string("the ") + CodecName(codec) + " data" + which + " is not valid: corrupt frame after " + std::to_string(outcome.consumed) + " of " +
                std::to_string(job.sourceLength) + " bytes" + library;
      break;
  }
  Napi::Error failure = Napi::Error::New(env, message);
  failure.Set("code", Napi::String::New(env, code));
  failure.Set("range", Napi::Number::New(env, static_cast<double>(index)));
  failure.Set("written", Napi::Number::New(env, static_cast<double>(outcome.written)));
  failure.Set("consumed", Napi::Number::New(env, static_cast<double>(outcome.consumed)));
  if (outcome.libraryError != nullptr) failure.Set("libraryError", Napi::String::New(env, outcome.libraryError));
  throw failure;
}

// decompressInto(codec, source, destination): every frame of `source` into `destination`;
// returns the bytes written.
Napi::Value DecompressInto(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int codec = GetCodec(info[0]);
  Bytes source = GetBytes(info[1], "source");
  Bytes destination = GetBytes(info[2], "destination");
  RequireLibrary(env, codec);
  if (Overlap(source.data, source.length, destination.data, destination.length)) {
    ThrowCode(env, "ERR_INVALID_ARGUMENT", "source and destination share memory; decompress into other memory");
  }
  Job job{source.data, source.length, destination.data, destination.length, Outcome{}};
  Decoder decoder(codec);
  job.outcome = decoder.Run(job.source, job.sourceLength, job.destination, job.capacity);
  if (job.outcome.status != Status::kOk) ThrowOutcome(env, codec, job, 0, false);
  return Napi::Number::New(env, static_cast<double>(job.outcome.written));
}

size_t GetIndex(Napi::Env env, double value, size_t range, const char *what) {
  if (!(value >= 0) || value > 9007199254740991.0 || value != std::floor(value)) {
    ThrowCode(env, "ERR_INVALID_ARGUMENT", std::string("range ") + std::to_string(range) + ": " + what + " is not a non-negative safe integer");
  }
  return static_cast<size_t>(value);
}

// decompressManyInto(codec, source, destination, ranges, threads): ranges is a Float64Array of
// [sourceOffset, sourceLength, destinationOffset, destinationLength] per range, offsets relative
// to the views; the destination ranges may not overlap each other, and no range of one view may
// share memory with the other view. Runs on up to `threads` threads (the calling one included)
// and returns a Float64Array of the bytes written per range. On failure throws the error of the
// lowest-numbered failed range; ranges after a failure may not have run.
Napi::Value DecompressManyInto(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int codec = GetCodec(info[0]);
  Bytes source = GetBytes(info[1], "source");
  Bytes destination = GetBytes(info[2], "destination");
  if (!info[3].IsTypedArray() || info[3].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    ThrowCode(env, "ERR_INVALID_ARGUMENT", "ranges must be a Float64Array");
  }
  Napi::Float64Array ranges = info[3].As<Napi::Float64Array>();
  if (ranges.ElementLength() % 4 != 0) ThrowCode(env, "ERR_INVALID_ARGUMENT", "ranges must hold four numbers per range");
  if (!info[4].IsNumber()) ThrowCode(env, "ERR_INVALID_ARGUMENT", "threads must be a number");
  double requested = info[4].As<Napi::Number>().DoubleValue();
  if (!(requested >= 1) || requested != std::floor(requested)) ThrowCode(env, "ERR_INVALID_ARGUMENT", "threads must be a positive integer");
  RequireLibrary(env, codec);
  size_t count = ranges.ElementLength() / 4;
  std::vector<Job> jobs;
  std::vector<std::pair<size_t, size_t>> written;  // destination ranges (offset, length)
  // node_addon_api_except only turns Napi::Error into JS errors: an allocation failure must not terminate the process.
  try {
    jobs.resize(count);
    written.reserve(count);
  } catch (const std::bad_alloc &) {
    ThrowCode(env, "ERR_BUFFER_ALLOCATION_FAILED", "no memory for the bookkeeping of " + std::to_string(count) + " ranges; decompress fewer ranges per call");
  }
  size_t total = 0;
  for (size_t i = 0; i < count; ++i) {
    size_t sourceOffset = GetIndex(env, ranges[4 * i], i, "the source offset");
    size_t sourceLength = GetIndex(env, ranges[4 * i + 1], i, "the source length");
    size_t destinationOffset = GetIndex(env, ranges[4 * i + 2], i, "the destination offset");
    size_t destinationLength = GetIndex(env, ranges[4 * i + 3], i, "the destination length");
    if (sourceOffset > source.length || sourceLength > source.length - sourceOffset) {
      ThrowCode(env, "ERR_BUFFER_OUT_OF_BOUNDS", "range " + std::to_string(i) + " reaches past the end of the " + std::to_string(source.length) + "-byte source");
    }
    if (destinationOffset > destination.length || destinationLength > destination.length - destinationOffset) {
      ThrowCode(env, "ERR_BUFFER_OUT_OF_BOUNDS", "range " + std::to_string(i) + " reaches past the end of the " + std::to_string(destination.length) + "-byte destination");
    }
    jobs[i] = Job{source.data + sourceOffset, sourceLength, destination.data + destinationOffset, destinationLength, Outcome{}};
    if (Overlap(jobs[i].source, sourceLength, destination.data, destination.length) || Overlap(jobs[i].destination, destinationLength, source.data, source.length)) {
      ThrowCode(env, "ERR_INVALID_ARGUMENT", "range " + std::to_string(i) + " shares memory between the source and the destination");
    }
    if (destinationLength > 0) written.emplace_back(destinationOffset, destinationLength);
    total += destinationLength;
  }
  // Two threads must never write the same bytes.
  std::sort(written.begin(), written.end());
  for (size_t i = 1; i < written.size(); ++i) {
    if (written[i - 1].first + written[i - 1].second > written[i].first) {
      ThrowCode(env, "ERR_INVALID_ARGUMENT", "two destination ranges overlap (at destination offset " + std::to_string(written[i].first) + ")");
    }
  }
  size_t hardware = std::max<size_t>(1, std::thread::hardware_concurrency());
  size_t threads = std::min({static_cast<size_t>(std::min(requested, static_cast<double>(kMaxThreads))), hardware, count, 1 + total / kBytesPerThread});
  threads = std::max<size_t>(threads, 1);

  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&jobs, &next, &failed, codec]() {
    Decoder decoder(codec);
    for (;;) {
      size_t index = next.fetch_add(1, std::memory_order_relaxed);
      if (index >= jobs.size() || failed.load(std::memory_order_relaxed)) return;
      Job &job = jobs[index];
      job.outcome = decoder.Run(job.source, job.sourceLength, job.destination, job.capacity);
      if (job.outcome.status != Status::kOk) failed.store(true, std::memory_order_relaxed);
    }
  };
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error &) {
      break;  // no more threads: the ones started (and this one) do the work
    }
  }
  work();
  for (std::thread &thread : pool) thread.join();

  for (size_t i = 0; i < count; ++i) {
    if (jobs[i].outcome.status != Status::kOk && jobs[i].outcome.status != Status::kNotRun) ThrowOutcome(env, codec, jobs[i], i, true);
  }
  Napi::Float64Array result = Napi::Float64Array::New(env, count);
  for (size_t i = 0; i < count; ++i) result[i] = static_cast<double>(jobs[i].outcome.written);
  Napi::Object answer = Napi::Object::New(env);
  answer.Set("written", result);
  answer.Set("threads", Napi::Number::New(env, static_cast<double>(pool.size() + 1)));
  return answer;
}

}  // namespace

void RegisterCodecs(Napi::Env env, Napi::Object exports) {
  exports.Set("codecOpen", Napi::Function::New(env, CodecOpen, "codecOpen"));
  exports.Set("decompressInto", Napi::Function::New(env, DecompressInto, "decompressInto"));
  exports.Set("decompressManyInto", Napi::Function::New(env, DecompressManyInto, "decompressManyInto"));
}

}  // namespace interop
