// interop/buffer.hpp - thin C++ helpers over interop/buffer.h (no exceptions, no node-addon-api
// needed; works with both, since Napi::Env and Napi::Value convert to napi_env / napi_value).
//
//   interop::Borrowed    move-only RAII borrow: the pointer exists only while the object lives,
//                        and the export is released exactly once by its destructor (or release()).
//   interop::export_owned exports memory owned by a std::shared_ptr: JavaScript holds one
//                        reference until the NativeBuffer is released and unreachable.
#ifndef INTEROP_BUFFER_HPP
#define INTEROP_BUFFER_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "buffer.h"

namespace interop {

/**
 * One export of a JavaScript buffer, held by C++. Create with Borrowed::get; check ok(); read
 * through data()/shape()/strides(). The destructor ends the export, so it must run on the
 * JavaScript thread while the env is alive (keep it in a function scope or in addon state that
 * is cleared before teardown).
 */
class Borrowed {
 public:
  Borrowed() noexcept { interop__clear_view(&view_); }

  /** Borrows `value` with PEP 3118 `flags`; on failure ok() is false and a JS exception is pending. */
  static Borrowed get(napi_env env, napi_value value, int flags) noexcept {
    Borrowed borrowed;
    borrowed.status_ = interop_get_buffer(env, value, flags, &borrowed.view_);
    if (borrowed.status_ == INTEROP_OK) borrowed.env_ = env;
    return borrowed;
  }

  Borrowed(const Borrowed &) = delete;
  Borrowed &operator=(const Borrowed &) = delete;
  Borrowed(Borrowed &&other) noexcept : env_(other.env_), status_(other.status_), view_(other.view_) {
    other.env_ = nullptr;
    interop__clear_view(&other.view_);
  }
  Borrowed &operator=(Borrowed &&other) noexcept {
    if (this != &other) {
      release();
      env_ = other.env_;
      status_ = other.status_;
      view_ = other.view_;
      other.env_ = nullptr;
      interop__clear_view(&other.view_);
    }
    return *this;
  }
  ~Borrowed() { release(); }

  /** Ends the export now; later calls do nothing. Returns the release status. */
  interop_status release() noexcept {
    if (env_ == nullptr) return INTEROP_ERR_RELEASED;
    napi_env env = env_;
    env_ = nullptr;
    return interop_release_buffer(env, &view_);
  }

  bool ok() const noexcept { return env_ != nullptr; }
  interop_status status() const noexcept { return status_; }
  const interop_buffer_t &info() const noexcept { return view_; }
  void *data() const noexcept { return view_.buf; }
  std::size_t size() const noexcept { return view_.len; }
  std::size_t itemsize() const noexcept { return view_.itemsize; }
  bool readonly() const noexcept { return view_.readonly != 0; }
  int ndim() const noexcept { return view_.ndim; }
  /** The format ("B" when the request did not ask for FORMAT). */
  const char *format() const noexcept { return view_.format != nullptr ? view_.format : "B"; }
  /** True when the items can be read as the C type spelled by `expected` ("d", "f", "q"...) in this program: see interop_format_matches. */
  bool format_is(const char *expected) const noexcept { return interop_format_matches(format(), expected) != 0; }
  /** Extent of dimension `axis` (len / itemsize for a flat export). */
  std::int64_t shape(int axis) const noexcept {
    return view_.shape != nullptr ? view_.shape[axis] : static_cast<std::int64_t>(view_.len / (view_.itemsize == 0 ? 1 : view_.itemsize));
  }
  /** Byte step of dimension `axis` (C-order steps when the export has no strides). */
  std::int64_t stride(int axis) const noexcept {
    if (view_.strides != nullptr) return view_.strides[axis];
    std::int64_t step = static_cast<std::int64_t>(view_.itemsize);
    for (int i = view_.ndim - 1; i > axis; --i) step *= shape(i);
    return step;
  }

 private:
  napi_env env_ = nullptr;
  interop_status status_ = INTEROP_ERR_RELEASED;
  interop_buffer_t view_;
};

namespace detail {
template <class Owner>
void release_owner(napi_env, void *, void *hint) {
  delete static_cast<std::shared_ptr<Owner> *>(hint);
}
}  // namespace detail

/**
 * Exports memory that `owner` keeps alive: JavaScript holds a copy of the shared_ptr until the
 * NativeBuffer and every view of it are released and unreachable, so C++ may drop its own
 * references at any time. `layout` as for interop_export_memory (may be nullptr).
 */
template <class Owner>
interop_status export_owned(napi_env env, std::shared_ptr<Owner> owner, void *memory, std::size_t size, const interop_buffer_t *layout, napi_value *result) {
  auto *hint = new std::shared_ptr<Owner>(std::move(owner));
  interop_status status = interop_export_memory(env, memory, size, layout, &detail::release_owner<Owner>, hint, result);
  if (status != INTEROP_OK) delete hint;  // nothing was exported: the reference is still ours
  return status;
}

/** Fills a layout for export: `buf`, `format`, `itemsize`, shape and optional strides (copied pointers). */
inline interop_buffer_t make_layout(void *buf, const char *format, std::size_t itemsize, int ndim, const std::int64_t *shape, const std::int64_t *strides = nullptr,
                                    bool readonly = false) noexcept {
  interop_buffer_t layout;
  interop__clear_view(&layout);
  layout.buf = buf;
  layout.format = format;
  layout.itemsize = itemsize;
  layout.ndim = ndim;
  layout.shape = shape;
  layout.strides = strides;
  layout.readonly = readonly ? 1 : 0;
  return layout;
}

}  // namespace interop

#endif  // INTEROP_BUFFER_HPP
