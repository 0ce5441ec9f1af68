// A sample third-party addon for the tests: it uses only <interop/buffer.hpp> and
// <interop/handle.hpp> (plain Node-API, no node-addon-api) to prove both directions:
//   - a C++ image allocated natively and exported to JavaScript without a copy;
//   - a C++ strided sum (and fill) over a buffer borrowed from any JavaScript exporter;
//   - std::shared_ptr handles passed to JavaScript and back.
#include <interop/buffer.hpp>
#include <interop/handle.hpp>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace {

std::atomic<int> g_live_images{0};
std::atomic<int> g_released_blocks{0};

struct Image {
  int64_t width, height, channels;
  std::vector<uint16_t> pixels;
  Image(int64_t w, int64_t h, int64_t c) : width(w), height(h), channels(c), pixels(static_cast<size_t>(w * h * c)) {
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint16_t>(i % 65536);
    ++g_live_images;
  }
  ~Image() { --g_live_images; }
};

struct Counter {
  int value = 42;
};

constexpr interop::TypeTag kImageTag{0x5a1e7c0d2b9f4e31ULL, 0x8c4d16a0e3b27f95ULL};
constexpr interop::TypeTag kCounterTag{0x11f0a9c3d5e87b24ULL, 0x6e2b90c4a7d1f358ULL};

// Keeps one borrow across calls, to show that C holding an export locks the JavaScript side.
std::unique_ptr<interop::Borrowed> g_held;

napi_value Undefined(napi_env env) {
  napi_value value;
  napi_get_undefined(env, &value);
  return value;
}

napi_value Number(napi_env env, double number) {
  napi_value value;
  napi_create_double(env, number, &value);
  return value;
}

bool Args(napi_env env, napi_callback_info info, size_t expected, napi_value *argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  for (size_t i = argc; i < expected; ++i) napi_get_undefined(env, &argv[i]);
  return true;
}

int64_t Int(napi_env env, napi_value value) {
  int64_t result = 0;
  napi_get_value_int64(env, value, &result);
  return result;
}

napi_value ExportImage(napi_env env, const std::shared_ptr<Image> &image) {
  const int64_t shape[3] = {image->height, image->width, image->channels};
  interop_buffer_t layout = interop::make_layout(image->pixels.data(), "H", sizeof(uint16_t), 3, shape);
  napi_value result = nullptr;
  // JavaScript keeps the Image alive through its own shared_ptr copy.
  if (interop::export_owned(env, image, image->pixels.data(), image->pixels.size() * sizeof(uint16_t), &layout, &result) != INTEROP_OK) return nullptr;
  return result;
}

// createImage(width, height, channels): a native image exported as a NativeBuffer (format "H").
napi_value CreateImage(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!Args(env, info, 3, argv)) return nullptr;
  auto image = std::make_shared<Image>(Int(env, argv[0]), Int(env, argv[1]), Int(env, argv[2]));
  return ExportImage(env, image);
}

// createImageHandle(w, h, c) / createCounterHandle(): shared_ptr handles.
napi_value CreateImageHandle(napi_env env, napi_callback_info info) {
  napi_value argv[3], result = nullptr;
  if (!Args(env, info, 3, argv)) return nullptr;
  auto image = std::make_shared<Image>(Int(env, argv[0]), Int(env, argv[1]), Int(env, argv[2]));
  if (interop::wrap_shared(env, image, kImageTag, "Image", &result) != napi_ok) return nullptr;
  return result;
}

napi_value CreateCounterHandle(napi_env env, napi_callback_info) {
  napi_value result = nullptr;
  if (interop::wrap_shared(env, std::make_shared<Counter>(), kCounterTag, "Counter", &result) != napi_ok) return nullptr;
  return result;
}

// imageInfo(handle): unwraps as Image; returns [width, height, channels, use_count while held here].
napi_value ImageInfo(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  if (!Args(env, info, 1, argv)) return nullptr;
  std::shared_ptr<Image> image;
  if (interop::unwrap_shared(env, argv[0], kImageTag, &image) != napi_ok) return nullptr;
  napi_create_array_with_length(env, 4, &result);
  napi_set_element(env, result, 0, Number(env, static_cast<double>(image->width)));
  napi_set_element(env, result, 1, Number(env, static_cast<double>(image->height)));
  napi_set_element(env, result, 2, Number(env, static_cast<double>(image->channels)));
  napi_set_element(env, result, 3, Number(env, static_cast<double>(image.use_count())));
  return result;
}

// exportHandleImage(handle): the pixels of a handle's Image as a NativeBuffer (handle -> buffer).
napi_value ExportHandleImage(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!Args(env, info, 1, argv)) return nullptr;
  std::shared_ptr<Image> image;
  if (interop::unwrap_shared(env, argv[0], kImageTag, &image) != napi_ok) return nullptr;
  return ExportImage(env, image);
}

template <class T>
double SumAs(const interop::Borrowed &view) {
  const int ndim = view.ndim();
  if (ndim == 0) return static_cast<double>(*static_cast<const T *>(view.data()));
  std::vector<int64_t> index(static_cast<size_t>(ndim), 0);
  for (int axis = 0; axis < ndim; ++axis)
    if (view.shape(axis) == 0) return 0;
  double total = 0;
  const char *base = static_cast<const char *>(view.data());
  for (;;) {
    int64_t offset = 0;
    for (int axis = 0; axis < ndim; ++axis) offset += index[static_cast<size_t>(axis)] * view.stride(axis);
    T value;
    std::memcpy(&value, base + offset, sizeof(T));
    total += static_cast<double>(value);
    int axis = ndim - 1;
    while (axis >= 0 && ++index[static_cast<size_t>(axis)] == view.shape(axis)) index[static_cast<size_t>(axis--)] = 0;
    if (axis < 0) break;
  }
  return total;
}

char FormatCode(const char *format) {
  if (*format == '@' || *format == '=' || *format == '<') ++format;
  return format[1] == '\0' ? format[0] : '\0';
}

// stridedSum(value): borrows any exporter (RECORDS_RO: strides and format) and sums its items.
napi_value StridedSum(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!Args(env, info, 1, argv)) return nullptr;
  interop::Borrowed view = interop::Borrowed::get(env, argv[0], INTEROP_BUF_RECORDS_RO);
  if (!view.ok()) return nullptr;
  double total;
  switch (FormatCode(view.format())) {
    case 'b': total = SumAs<int8_t>(view); break;
    case 'B': total = SumAs<uint8_t>(view); break;
    case 'h': total = SumAs<int16_t>(view); break;
    case 'H': total = SumAs<uint16_t>(view); break;
    case 'i': total = SumAs<int32_t>(view); break;
    case 'I': total = SumAs<uint32_t>(view); break;
    case 'q': total = SumAs<int64_t>(view); break;
    case 'Q': total = SumAs<uint64_t>(view); break;
    case 'f': total = SumAs<float>(view); break;
    case 'd': total = SumAs<double>(view); break;
    default:
      interop__throw(env, "ERR_INVALID_ARGUMENT", "stridedSum: unsupported format");
      return nullptr;
  }
  return Number(env, total);  // `view` releases its export here
}

// fillFloat64(value, x): writes through a WRITABLE borrow (C-contiguous float64 only).
napi_value FillFloat64(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!Args(env, info, 2, argv)) return nullptr;
  double x = 0;
  napi_get_value_double(env, argv[1], &x);
  interop::Borrowed view = interop::Borrowed::get(env, argv[0], INTEROP_BUF_C_CONTIGUOUS | INTEROP_BUF_FORMAT | INTEROP_BUF_WRITABLE);
  if (!view.ok()) return nullptr;
  if (FormatCode(view.format()) != 'd') {
    interop__throw(env, "ERR_INVALID_ARGUMENT", "fillFloat64: the buffer's format is not float64");
    return nullptr;
  }
  auto *items = static_cast<double *>(view.data());
  for (size_t i = 0; i < view.size() / sizeof(double); ++i) items[i] = x;
  return Undefined(env);
}

// holdBuffer(value) / releaseHeld(): a borrow that outlives the call.
napi_value HoldBuffer(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!Args(env, info, 1, argv)) return nullptr;
  interop::Borrowed view = interop::Borrowed::get(env, argv[0], INTEROP_BUF_SIMPLE);
  if (!view.ok()) return nullptr;
  double length = static_cast<double>(view.size());
  g_held = std::make_unique<interop::Borrowed>(std::move(view));
  return Number(env, length);
}

// heldSum(): the sum of the bytes of the borrow holdBuffer keeps, read through C's own pointer
// (the memory must still be there, whatever JavaScript did with its ArrayBuffer meanwhile).
napi_value HeldSum(napi_env env, napi_callback_info) {
  if (g_held == nullptr || !g_held->ok()) return Undefined(env);
  const auto *bytes = static_cast<const unsigned char *>(g_held->data());
  double total = 0;
  for (size_t i = 0; i < g_held->size(); ++i) total += bytes[i];
  return Number(env, total);
}

napi_value ReleaseHeld(napi_env env, napi_callback_info) {
  bool had = g_held != nullptr && g_held->ok();
  g_held.reset();
  napi_value result;
  napi_get_boolean(env, had, &result);
  return result;
}

// releaseTwice(value): the C API's double release is refused; returns
// [first status, second status, buf is NULL after release, len after release].
napi_value ReleaseTwice(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  if (!Args(env, info, 1, argv)) return nullptr;
  interop_buffer_t view;
  if (interop_get_buffer(env, argv[0], INTEROP_BUF_STRIDED_RO, &view) != INTEROP_OK) return nullptr;
  interop_status first = interop_release_buffer(env, &view);
  interop_status second = interop_release_buffer(env, &view);
  napi_create_array_with_length(env, 4, &result);
  napi_set_element(env, result, 0, Number(env, first));
  napi_set_element(env, result, 1, Number(env, second));
  napi_value is_null;
  napi_get_boolean(env, view.buf == nullptr, &is_null);
  napi_set_element(env, result, 2, is_null);
  napi_set_element(env, result, 3, Number(env, static_cast<double>(view.len)));
  return result;
}

// Set on every thread that initialized this addon (each JavaScript thread); release callbacks
// must run on one of them.
thread_local bool t_javascript_thread = false;
std::atomic<int> g_released_off_thread{0};

// Counts one release callback, and whether it ran off a JavaScript thread.
void NoteRelease() {
  ++g_released_blocks;
  if (!t_javascript_thread) ++g_released_off_thread;
}

void CountRelease(napi_env, void *memory, void *) {
  std::free(memory);
  NoteRelease();
}

// exportBytes(size): calloc'd bytes exported as 'B'; releasedBlocks() counts the release callbacks.
napi_value ExportBytes(napi_env env, napi_callback_info info) {
  napi_value argv[1], result = nullptr;
  if (!Args(env, info, 1, argv)) return nullptr;
  size_t size = static_cast<size_t>(Int(env, argv[0]));
  void *memory = std::calloc(size == 0 ? 1 : size, 1);
  if (interop_export_memory(env, memory, size, nullptr, CountRelease, nullptr, &result) != INTEROP_OK) {
    std::free(memory);  // the export failed: the memory is still ours
    return nullptr;
  }
  return result;
}

// exportPattern(size, byte): `size` bytes set to `byte`; the release callback overwrites them with
// 0xDD before freeing, so a read after release shows up as 0xDD instead of the pattern.
void PoisonRelease(napi_env, void *memory, void *hint) {
  std::memset(memory, 0xDD, reinterpret_cast<size_t>(hint));
  std::free(memory);
  NoteRelease();
}

napi_value ExportPattern(napi_env env, napi_callback_info info) {
  napi_value argv[2], result = nullptr;
  if (!Args(env, info, 2, argv)) return nullptr;
  size_t size = static_cast<size_t>(Int(env, argv[0]));
  void *memory = std::malloc(size == 0 ? 1 : size);
  std::memset(memory, static_cast<int>(Int(env, argv[1])), size);
  if (interop_export_memory(env, memory, size, nullptr, PoisonRelease, reinterpret_cast<void *>(size), &result) != INTEROP_OK) {
    std::free(memory);
    return nullptr;
  }
  return result;
}

// exportBadLayout(kind): 0 = strides reaching past the block, 1 = itemsize disagreeing with the
// format, 2 = negative shape. Always throws; the caller (this function) keeps and frees the memory.
napi_value ExportBadLayout(napi_env env, napi_callback_info info) {
  napi_value argv[1], result = nullptr;
  if (!Args(env, info, 1, argv)) return nullptr;
  int64_t kind = Int(env, argv[0]);
  void *memory = std::calloc(64, 1);
  const int64_t shape_ok[2] = {4, 4};
  const int64_t strides_far[2] = {32, 4};  // last element at 3*32 + 3*4 = 108 > 64
  const int64_t shape_negative[1] = {-1};
  interop_buffer_t layout =
      kind == 0 ? interop::make_layout(memory, "f", 4, 2, shape_ok, strides_far)
      : kind == 1 ? interop::make_layout(memory, "d", 4, 2, shape_ok)
                  : interop::make_layout(memory, "B", 1, 1, shape_negative);
  interop_status status = interop_export_memory(env, memory, 64, &layout, CountRelease, nullptr, &result);
  std::free(memory);  // refused: never handed to JavaScript
  (void)status;
  return nullptr;
}

napi_value Counters(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "liveImages", Number(env, g_live_images.load()));
  napi_set_named_property(env, result, "releasedBlocks", Number(env, g_released_blocks.load()));
  napi_set_named_property(env, result, "releasedOffThread", Number(env, g_released_off_thread.load()));
  return result;
}

bool Int64List(napi_env env, napi_value value, std::vector<int64_t> *out) {
  bool is_array = false;
  if (napi_is_array(env, value, &is_array) != napi_ok || !is_array) return false;
  uint32_t length = 0;
  napi_get_array_length(env, value, &length);
  for (uint32_t i = 0; i < length; ++i) {
    napi_value item;
    napi_get_element(env, value, i, &item);
    out->push_back(Int(env, item));
  }
  return true;
}

// checkLayout(memorySize, offset, itemsize, format | null, len, shape | null, strides | null):
// interop_check_layout's verdict (0 ok, 1 invalid, 2 out of bounds), for property tests.
napi_value CheckLayout(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  if (!Args(env, info, 7, argv)) return nullptr;
  std::vector<int64_t> shape, strides;
  bool has_shape = Int64List(env, argv[5], &shape);
  bool has_strides = Int64List(env, argv[6], &strides);
  char format[256] = {0};
  size_t length = 0;
  napi_valuetype type;
  napi_typeof(env, argv[3], &type);
  bool has_format = type == napi_string && napi_get_value_string_utf8(env, argv[3], format, sizeof format, &length) == napi_ok;
  interop_layout_result result =
      interop_check_layout(static_cast<size_t>(Int(env, argv[0])), Int(env, argv[1]), static_cast<size_t>(Int(env, argv[2])), has_format ? format : nullptr,
                           static_cast<size_t>(Int(env, argv[4])), static_cast<int>(shape.size()), has_shape ? shape.data() : nullptr,
                           has_strides ? strides.data() : nullptr);
  return Number(env, result);
}

// Benchmark helpers.
std::atomic<int> g_region_releases{0};
void *g_region = nullptr;
size_t g_region_size = 0;

void CountRegionRelease(napi_env, void *, void *) { ++g_region_releases; }

// exportRegion(size): exports the first `size` bytes of one block allocated once (the block is
// never freed), so the benchmark times the export itself, not malloc.
napi_value ExportRegion(napi_env env, napi_callback_info info) {
  napi_value argv[1], result = nullptr;
  if (!Args(env, info, 1, argv)) return nullptr;
  size_t size = static_cast<size_t>(Int(env, argv[0]));
  if (g_region == nullptr || g_region_size < size) {
    if (g_region != nullptr) return nullptr;  // one block per process: the first call sizes it
    g_region = std::calloc(size, 1);
    g_region_size = size;
  }
  if (interop_export_memory(env, g_region, size, nullptr, CountRegionRelease, nullptr, &result) != INTEROP_OK) return nullptr;
  return result;
}

// externalArrayBuffer(size): the same region as a plain Node-API external ArrayBuffer (what
// interop_export_memory made before it had the SharedArrayBuffer path), for the benchmark's
// comparison. V8 counts its length as external memory of the isolate.
napi_value ExternalArrayBuffer(napi_env env, napi_callback_info info) {
  napi_value argv[1], result = nullptr;
  if (!Args(env, info, 1, argv)) return nullptr;
  size_t size = static_cast<size_t>(Int(env, argv[0]));
  if (g_region == nullptr || g_region_size < size) return nullptr;  // exportRegion sizes the block first
  if (napi_create_external_arraybuffer(env, g_region, size, CountRegionRelease, nullptr, &result) != napi_ok) return nullptr;
  return result;
}

napi_value EmptyCall(napi_env env, napi_callback_info) { return Undefined(env); }

napi_value BorrowRelease(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  interop_buffer_t view;
  if (interop_get_buffer(env, argv[0], INTEROP_BUF_RECORDS_RO, &view) != INTEROP_OK) return nullptr;
  interop_release_buffer(env, &view);
  return nullptr;
}

// callLoop(fn, count): calls the JavaScript function `fn` `count` times from C (the cost of one
// Node-API call into JavaScript, which a borrow makes twice).
napi_value CallLoop(napi_env env, napi_callback_info info) {
  napi_value argv[2], ignored;
  if (!Args(env, info, 2, argv)) return nullptr;
  int64_t count = Int(env, argv[1]);
  // One handle scope per 64 calls, as in borrowReleaseLoop.
  for (int64_t i = 0; i < count;) {
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    for (int64_t end = i + 64 < count ? i + 64 : count; i < end; ++i) {
      if (napi_call_function(env, argv[0], argv[0], 0, nullptr, &ignored) != napi_ok) {
        napi_close_handle_scope(env, scope);
        return nullptr;
      }
    }
    napi_close_handle_scope(env, scope);
  }
  return Undefined(env);
}

napi_value BorrowReleaseLoop(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!Args(env, info, 2, argv)) return nullptr;
  int64_t count = Int(env, argv[1]);
  // One handle scope per 64 borrows: each borrow creates a few handles, and Node-API allocates
  // every scope it opens.
  for (int64_t i = 0; i < count;) {
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    for (int64_t end = i + 64 < count ? i + 64 : count; i < end; ++i) {
      interop_buffer_t view;
      if (interop_get_buffer(env, argv[0], INTEROP_BUF_RECORDS_RO, &view) != INTEROP_OK) {
        napi_close_handle_scope(env, scope);
        return nullptr;
      }
      interop_release_buffer(env, &view);
    }
    napi_close_handle_scope(env, scope);
  }
  return Undefined(env);
}

}  // namespace

NAPI_MODULE_INIT() {
  const struct {
    const char *name;
    napi_callback callback;
  } functions[] = {
      {"createImage", CreateImage},
      {"createImageHandle", CreateImageHandle},
      {"createCounterHandle", CreateCounterHandle},
      {"imageInfo", ImageInfo},
      {"exportHandleImage", ExportHandleImage},
      {"stridedSum", StridedSum},
      {"fillFloat64", FillFloat64},
      {"holdBuffer", HoldBuffer},
      {"releaseHeld", ReleaseHeld},
      {"heldSum", HeldSum},
      {"releaseTwice", ReleaseTwice},
      {"exportBytes", ExportBytes},
      {"exportPattern", ExportPattern},
      {"exportBadLayout", ExportBadLayout},
      {"counters", Counters},
      {"checkLayout", CheckLayout},
      {"emptyCall", EmptyCall},
      {"exportRegion", ExportRegion},
      {"externalArrayBuffer", ExternalArrayBuffer},
      {"borrowRelease", BorrowRelease},
      {"borrowReleaseLoop", BorrowReleaseLoop},
      {"callLoop", CallLoop},
  };
  t_javascript_thread = true;
  // A borrow still held at teardown cannot call into JavaScript any more: drop it without release.
  napi_add_env_cleanup_hook(env, [](void *) { (void)g_held.release(); }, nullptr);
  for (const auto &function : functions) {
    napi_value value;
    napi_create_function(env, function.name, NAPI_AUTO_LENGTH, function.callback, nullptr, &value);
    napi_set_named_property(env, exports, function.name, value);
  }
  return exports;
}
