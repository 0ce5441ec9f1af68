/*
 * interop/buffer.h - the header-only C API of @interop/native.
 *
 * Lets any Node-API addon (C or C++) speak the Interop buffer protocol, zero-copy, both ways:
 *
 *   1. export native memory to JavaScript as a protocol exporter:
 *        interop_export_memory(env, memory, size, &layout, release, hint, &result)
 *      JavaScript gets a NativeBuffer (an @interop/core exporter) over the memory, in O(1) whatever
 *      the size: a SharedArrayBuffer made by the @interop/native addon (never detached, never
 *      counted as per-isolate external memory at export time; the size is reported to V8 on the
 *      next event-loop turn), or an external ArrayBuffer when that addon is not built.
 *      `release(env, memory, hint)` runs exactly once, after the last export is released and the
 *      object (and every view of it, on any thread) is unreachable: on the exporting thread while
 *      its env lives, else with env == NULL on the thread that dropped the memory last.
 *
 *   2. borrow the memory of any JavaScript exporter (TypedArray, ArrayBuffer, MemoryView,
 *      NativeBuffer, MappedFile, any class with [getbuffer]...) from C:
 *        interop_get_buffer(env, value, flags, &view) ... interop_release_buffer(env, &view)
 *      or, scoped so the pointer cannot outlive the export:
 *        interop_with_buffer(env, value, flags, callback, user_data)
 *      The borrow is a real export taken through @interop/core's getBuffer, so the JavaScript
 *      exporter is locked against resize/close/transfer until it is released, and the layout is
 *      validated (by core, then again here: shape x strides inside the memory, itemsize vs format,
 *      and every bit of the request: contiguity, writability, no shape/strides/format that was not
 *      asked for) before C sees a pointer. The borrow also keeps the memory itself alive (a
 *      reference on its V8 backing store): if JavaScript transfers a borrowed ArrayBuffer
 *      (structuredClone or postMessage with a transfer list) and the new owner is collected, the
 *      memory stays valid for C until interop_release_buffer.
 *
 * Setup: add the directory to include_dirs in binding.gyp and define NAPI_VERSION >= 8:
 *     "include_dirs": ["<!(node -p \"require('@interop/native/include').include_dir\")"]
 * and import '@interop/native' in JavaScript before calling into the addon (it installs the
 * bridge these functions call; without it they fail with ERR_NATIVE_NO_BRIDGE).
 *
 * Ownership rules (docs/guides/native.md has the long form):
 *   - Every function returns INTEROP_OK or leaves a JavaScript exception pending (the status says
 *     why); on failure, return to JavaScript so the exception propagates.
 *   - interop_export_memory: when it fails, the caller still owns `memory` (release is never
 *     called). When it succeeds, ownership has moved to JavaScript: do not free `memory`, it is
 *     freed by `release`, called once, when the garbage collector has found the NativeBuffer,
 *     every view of it and its SharedArrayBuffer unreachable on every thread: on the exporting
 *     JavaScript thread (env valid) on a later event-loop turn, or - if that thread's env has
 *     ended while another thread still held the memory - with env == NULL on whichever thread
 *     dropped it last. So a release callback must accept env == NULL (Node-API calls then fail
 *     with napi_invalid_arg) and must not assume the JavaScript thread in that case; freeing
 *     memory or dropping a std::shared_ptr is fine.
 *   - interop_get_buffer: `view->buf` and the shape/strides/format pointers are valid until
 *     interop_release_buffer(env, view), which clears the struct (buf = NULL, len = 0, ndim = 0),
 *     so a stale read faults instead of reading freed memory; releasing twice returns
 *     INTEROP_ERR_RELEASED and does nothing. Release on the same thread (same env). A view may be
 *     kept across calls (the export keeps the JavaScript memory alive and locked) but must be
 *     released before the env is torn down. Prefer interop_with_buffer or interop::Borrowed
 *     (interop/buffer.hpp), whose shape makes a use after release impossible.
 *   - A read-only export (view->readonly != 0) must not be written through.
 *   - Indirect (suboffset) exports are never handed to C: view->suboffsets is always NULL.
 */
#ifndef INTEROP_BUFFER_H
#define INTEROP_BUFFER_H

#include <node_api.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#if !defined(NAPI_VERSION) || NAPI_VERSION < 8
#error "interop/buffer.h needs NAPI_VERSION 8 or later (define NAPI_VERSION=8 in binding.gyp)"
#endif

#ifdef __cplusplus
#define INTEROP_THREAD_LOCAL thread_local
extern "C" {
#else
#define INTEROP_THREAD_LOCAL _Thread_local
#endif

/** Version of the JavaScript <-> C bridge this header speaks. */
#define INTEROP_BRIDGE_VERSION 1

/* PEP 3118 request flags (the values of @interop/core's BufferFlags). */
#define INTEROP_BUF_SIMPLE 0
#define INTEROP_BUF_WRITABLE 0x0001
#define INTEROP_BUF_FORMAT 0x0004
#define INTEROP_BUF_ND 0x0008
#define INTEROP_BUF_STRIDES (0x0010 | INTEROP_BUF_ND)
#define INTEROP_BUF_C_CONTIGUOUS (0x0020 | INTEROP_BUF_STRIDES)
#define INTEROP_BUF_F_CONTIGUOUS (0x0040 | INTEROP_BUF_STRIDES)
#define INTEROP_BUF_ANY_CONTIGUOUS (0x0080 | INTEROP_BUF_STRIDES)
#define INTEROP_BUF_CONTIG (INTEROP_BUF_ND | INTEROP_BUF_WRITABLE)
#define INTEROP_BUF_CONTIG_RO (INTEROP_BUF_ND)
#define INTEROP_BUF_STRIDED (INTEROP_BUF_STRIDES | INTEROP_BUF_WRITABLE)
#define INTEROP_BUF_STRIDED_RO (INTEROP_BUF_STRIDES)
#define INTEROP_BUF_RECORDS (INTEROP_BUF_STRIDES | INTEROP_BUF_WRITABLE | INTEROP_BUF_FORMAT)
#define INTEROP_BUF_RECORDS_RO (INTEROP_BUF_STRIDES | INTEROP_BUF_FORMAT)

/** Status of every function here. Anything but INTEROP_OK leaves a JavaScript exception pending. */
typedef enum interop_status {
  INTEROP_OK = 0,
  /** JavaScript threw (the exporter refused the request, a BufferError...): the exception is pending. */
  INTEROP_PENDING_EXCEPTION = 1,
  /** '@interop/native' has not been imported in this JavaScript realm (ERR_NATIVE_NO_BRIDGE). */
  INTEROP_ERR_NO_BRIDGE = 2,
  /** The layout is inconsistent (ERR_BUFFER_INVALID_LAYOUT). */
  INTEROP_ERR_INVALID_LAYOUT = 3,
  /** The layout reaches outside its memory (ERR_BUFFER_OUT_OF_BOUNDS). */
  INTEROP_ERR_OUT_OF_BOUNDS = 4,
  /** The view was already released (ERR_BUFFER_RELEASED). No exception is thrown for this one. */
  INTEROP_ERR_RELEASED = 5,
  /** A Node-API call failed (ERR_NATIVE_NAPI). */
  INTEROP_ERR_NAPI = 6,
  /** A NULL pointer or out-of-range argument was passed (ERR_INVALID_ARGUMENT). */
  INTEROP_ERR_INVALID_ARGUMENT = 7,
  /** The borrowed memory cannot be kept alive for C: the @interop/native addon is not loaded (ERR_NATIVE_UNPINNABLE). */
  INTEROP_ERR_UNPINNABLE = 8
} interop_status;

/* Private to this header: what a borrowed view needs to end its export. */
typedef struct interop__view_private {
  double token;     /* the bridge's handle on the export; 0 once released */
  napi_env env;
  void *pin;        /* the addon's reference on the memory's backing store (see interop__native_pinner) */
  int64_t shape[INTEROP_MAX_NDIM];
  int64_t strides[INTEROP_MAX_NDIM];
  char format[1024];
} interop__view_private;

/**
 * A buffer: @interop/core's BufferInfo (and CPython's Py_buffer) in C.
 *
 * For interop_get_buffer every field is filled in (shape/strides/format are NULL when the request
 * did not ask for ND/STRIDES/FORMAT, as in CPython). For interop_export_memory the caller fills
 * buf/readonly/itemsize/format/ndim/shape/strides; len, suboffsets and the private part are ignored.
 */
typedef struct interop_buffer {
  /** Address of element [0, ..., 0]. */
  void *buf;
  /** itemsize x product(shape), in bytes. */
  size_t len;
  /** Non-zero when the memory must not be written. */
  int readonly;
  size_t itemsize;
  /** Struct-module format of one item, or NULL ("B" when exporting). */
  const char *format;
  int ndim;
  /** ndim entries, or NULL (a flat run of len bytes). */
  const int64_t *shape;
  /** ndim byte steps (may be negative), or NULL (C order). */
  const int64_t *strides;
  /** Always NULL: indirect layouts are not handed to C. */
  const int64_t *suboffsets;
  /** Do not touch. */
  interop__view_private internal;
} interop_buffer_t;

/**
 * Called once when exported memory is no longer reachable from JavaScript (a napi_finalize): on the
 * exporting thread with its env, or with env == NULL on another thread once that env has ended.
 */
typedef void (*interop_release_callback)(napi_env env, void *memory, void *hint);

/* Private to this header: the O(1) export path the @interop/native addon publishes as
 * bridge.nativeExporter (a napi_external pointing at this table). `create` has the contract of
 * napi_create_external_arraybuffer (ownership moves to JavaScript on napi_ok, `release` runs once on
 * the env's thread) but makes a SharedArrayBuffer that V8 does not count as per-isolate external
 * memory, so a large export does not trigger a garbage collection inside the call. */
#define INTEROP__NATIVE_EXPORTER_VERSION 1
typedef struct interop__native_exporter {
  uint32_t version;
  uint32_t size;
  napi_status (*create)(napi_env env, void *memory, size_t size, interop_release_callback release, void *hint, napi_value *result);
} interop__native_exporter;

/* Private to this header: the @interop/native addon's pinning of borrowed memory, published as
 * bridge.nativePinner. `pin` takes a reference on the V8 backing store of `memory` (an ArrayBuffer,
 * a SharedArrayBuffer or a view of one) and reports its address and size; the memory is not freed
 * while the reference is held, even if JavaScript transfers the ArrayBuffer and the new owner is
 * collected. `unpin` drops it (on the borrowing thread). */
#define INTEROP__NATIVE_PINNER_VERSION 1
typedef struct interop__native_pinner {
  uint32_t version;
  uint32_t size;
  void *(*pin)(napi_env env, napi_value memory, void **data, size_t *size);
  void (*unpin)(void *pin);
} interop__native_pinner;

/** Called by interop_with_buffer with a view that is valid only during the call. */
typedef interop_status (*interop_buffer_callback)(napi_env env, const interop_buffer_t *view, void *user_data);

/* ---------------------------------------------------------------------------------------------
 * Internals: the bridge to @interop/native's JavaScript side.
 *
 * '@interop/native' installs an object at globalThis[Symbol.for('@interop/native/bridge@1')]
 * holding borrow/release/export functions and a scratch ArrayBuffer the two sides use to pass
 * numbers without allocating JavaScript objects. Each thread (each env) caches references to it.
 * Scratch layout (float64 slots): 0 token, 1 byteOffset, 2 len, 3 readonly, 4 itemsize, 5 ndim,
 * 6 presence bits (1 format, 2 shape, 4 strides), 7 format length, 8 borrow flags; 16.. shape;
 * 80.. strides; format bytes start at byte 1152 (at most 1023 of them).
 * Calling convention: when the bridge says `scratchArguments: true`, C passes borrow's flags in
 * slot 8 and release's token in slot 0 instead of as JavaScript numbers (two fewer Node-API calls
 * and no number allocated per borrow); older bridges get them as arguments.
 * ------------------------------------------------------------------------------------------- */

#define INTEROP__SCRATCH_FLAGS 8
#define INTEROP__SCRATCH_SHAPE 16
#define INTEROP__SCRATCH_STRIDES 80
#define INTEROP__SCRATCH_FORMAT_BYTE 1152
#define INTEROP__SCRATCH_FORMAT_MAX 1023

typedef struct interop__bridge {
  napi_env env;
  napi_ref borrow;
  napi_ref release;
  napi_ref export_native;
  napi_ref error;
  const interop__native_exporter *exporter; /* NULL: napi_create_external_arraybuffer */
  const interop__native_pinner *pinner;     /* NULL: borrows of transferable memory are refused */
  int scratch_arguments;                     /* the bridge reads flags and tokens from the scratch area */
  double *slots;
  char *format_bytes;
} interop__bridge;

static INTEROP_THREAD_LOCAL interop__bridge interop__bridge_cache;

static inline void interop__drop_references(napi_env env, interop__bridge *bridge) {
  if (bridge->borrow != NULL) napi_delete_reference(env, bridge->borrow);
  if (bridge->release != NULL) napi_delete_reference(env, bridge->release);
  if (bridge->export_native != NULL) napi_delete_reference(env, bridge->export_native);
  if (bridge->error != NULL) napi_delete_reference(env, bridge->error);
  memset(bridge, 0, sizeof *bridge);
}

/* Env cleanup hook: the env is going away, so are the references into it. */
static inline void interop__forget_bridge(void *arg) {
  (void)arg;
  if (interop__bridge_cache.env != NULL) interop__drop_references(interop__bridge_cache.env, &interop__bridge_cache);
}

static inline interop_status interop__lookup_bridge(napi_env env, interop__bridge **out);

/* Throws an error with `code`: a NativeError through the bridge when it is there, else a plain Error. */
static inline void interop__throw(napi_env env, const char *code, const char *message) {
  bool pending = false;
  napi_value fn, args[2], error, undefined;
  interop__bridge *bridge = NULL;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return;
  if (interop__lookup_bridge(env, &bridge) == INTEROP_OK && interop__bridge_cache.error != NULL &&
      napi_get_reference_value(env, interop__bridge_cache.error, &fn) == napi_ok &&
      napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &args[0]) == napi_ok &&
      napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &args[1]) == napi_ok && napi_get_undefined(env, &undefined) == napi_ok &&
      napi_call_function(env, undefined, fn, 2, args, &error) == napi_ok) {
    napi_throw(env, error);
    return;
  }
  napi_throw_error(env, code, message);
}

static inline interop_status interop__fail(napi_env env, interop_status status, const char *code, const char *message) {
  interop__throw(env, code, message);
  return status;
}

static inline interop_status interop__napi_failed(napi_env env) {
  const napi_extended_error_info *info = NULL;
  const char *message = "a Node-API call failed";
  if (napi_get_last_error_info(env, &info) == napi_ok && info != NULL && info->error_message != NULL) message = info->error_message;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return INTEROP_PENDING_EXCEPTION;
  return interop__fail(env, INTEROP_ERR_NAPI, "ERR_NATIVE_NAPI", message);
}

static inline interop_status interop__ref_property(napi_env env, napi_value object, const char *name, napi_ref *out) {
  napi_value value;
  if (napi_get_named_property(env, object, name, &value) != napi_ok) return INTEROP_ERR_NAPI;
  if (napi_create_reference(env, value, 1, out) != napi_ok) return INTEROP_ERR_NAPI;
  return INTEROP_OK;
}

/* Finds the bridge for `env` (cached per thread after the first call) without throwing. */
static inline interop_status interop__lookup_bridge(napi_env env, interop__bridge **out) {
  napi_value global, symbol_ctor, symbol_for, key, bridge, scratch, version_value;
  napi_valuetype type;
  void *data = NULL;
  size_t length = 0;
  uint32_t version = 0;
  interop__bridge fresh;
  if (interop__bridge_cache.env == env && env != NULL) {
    *out = &interop__bridge_cache;
    return INTEROP_OK;
  }
  memset(&fresh, 0, sizeof fresh);
  if (napi_get_global(env, &global) != napi_ok || napi_get_named_property(env, global, "Symbol", &symbol_ctor) != napi_ok ||
      napi_get_named_property(env, symbol_ctor, "for", &symbol_for) != napi_ok ||
      napi_create_string_utf8(env, "@interop/native/bridge@1", NAPI_AUTO_LENGTH, &key) != napi_ok ||
      napi_call_function(env, symbol_ctor, symbol_for, 1, &key, &key) != napi_ok || napi_get_property(env, global, key, &bridge) != napi_ok ||
      napi_typeof(env, bridge, &type) != napi_ok) {
    return INTEROP_ERR_NAPI;
  }
  if (type != napi_object) return INTEROP_ERR_NO_BRIDGE;
  if (napi_get_named_property(env, bridge, "version", &version_value) != napi_ok || napi_get_value_uint32(env, version_value, &version) != napi_ok ||
      version != INTEROP_BRIDGE_VERSION) {
    return INTEROP_ERR_NO_BRIDGE;
  }
  if (napi_get_named_property(env, bridge, "scratch", &scratch) != napi_ok || napi_get_arraybuffer_info(env, scratch, &data, &length) != napi_ok ||
      length < INTEROP__SCRATCH_FORMAT_BYTE + INTEROP__SCRATCH_FORMAT_MAX + 1) {
    return INTEROP_ERR_NAPI;
  }
  /* The scratch ArrayBuffer stays alive: the referenced bridge functions close over it. */
  if (interop__ref_property(env, bridge, "borrow", &fresh.borrow) != INTEROP_OK || interop__ref_property(env, bridge, "release", &fresh.release) != INTEROP_OK ||
      interop__ref_property(env, bridge, "exportNative", &fresh.export_native) != INTEROP_OK ||
      interop__ref_property(env, bridge, "error", &fresh.error) != INTEROP_OK) {
    interop__drop_references(env, &fresh);
    return INTEROP_ERR_NAPI;
  }
  /* Optional: the addon's O(1) export path (absent when the @interop/native addon is not built). */
  {
    napi_value exporter;
    napi_valuetype exporter_type = napi_undefined;
    void *table = NULL;
    if (napi_get_named_property(env, bridge, "nativeExporter", &exporter) == napi_ok && napi_typeof(env, exporter, &exporter_type) == napi_ok &&
        exporter_type == napi_external && napi_get_value_external(env, exporter, &table) == napi_ok && table != NULL &&
        ((const interop__native_exporter *)table)->version == INTEROP__NATIVE_EXPORTER_VERSION &&
        ((const interop__native_exporter *)table)->size >= sizeof(interop__native_exporter)) {
      fresh.exporter = (const interop__native_exporter *)table;
    } else {
      bool pending = false;
      napi_value ignored;
      /* A getter that threw must not leave its exception behind: the fallback is fine. */
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending) napi_get_and_clear_last_exception(env, &ignored);
    }
  }
  /* Optional on older bridges: the addon's pinning of borrowed memory. */
  {
    napi_value pinner;
    napi_valuetype pinner_type = napi_undefined;
    void *table = NULL;
    if (napi_get_named_property(env, bridge, "nativePinner", &pinner) == napi_ok && napi_typeof(env, pinner, &pinner_type) == napi_ok &&
        pinner_type == napi_external && napi_get_value_external(env, pinner, &table) == napi_ok && table != NULL &&
        ((const interop__native_pinner *)table)->version == INTEROP__NATIVE_PINNER_VERSION &&
        ((const interop__native_pinner *)table)->size >= sizeof(interop__native_pinner)) {
      fresh.pinner = (const interop__native_pinner *)table;
    } else {
      bool pending = false;
      napi_value ignored;
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending) napi_get_and_clear_last_exception(env, &ignored);
    }
  }
  {
    napi_value flag;
    bool enabled = false;
    if (napi_get_named_property(env, bridge, "scratchArguments", &flag) == napi_ok && napi_get_value_bool(env, flag, &enabled) == napi_ok) {
      fresh.scratch_arguments = enabled ? 1 : 0;
    }
  }
  fresh.env = env;
  fresh.slots = (double *)data;
  fresh.format_bytes = (char *)data + INTEROP__SCRATCH_FORMAT_BYTE;
  interop__bridge_cache = fresh;
  napi_add_env_cleanup_hook(env, interop__forget_bridge, NULL);
  *out = &interop__bridge_cache;
  return INTEROP_OK;
}

/* As interop__lookup_bridge, but a missing bridge leaves ERR_NATIVE_NO_BRIDGE pending. */
static inline interop_status interop__get_bridge(napi_env env, interop__bridge **out) {
  interop_status status = interop__lookup_bridge(env, out);
  if (status == INTEROP_ERR_NO_BRIDGE) {
    return interop__fail(env, INTEROP_ERR_NO_BRIDGE, "ERR_NATIVE_NO_BRIDGE",
                         "The @interop/native bridge (version 1) is not installed in this JavaScript realm. Import '@interop/native' (or call installBridge() "
                         "from it) before calling a native function that uses interop/buffer.h, and build the addon against the installed @interop/native.");
  }
  if (status != INTEROP_OK) return interop__napi_failed(env);
  return status;
}

static inline void interop__clear_view(interop_buffer_t *view) {
  view->buf = NULL;
  view->len = 0;
  view->readonly = 1;
  view->itemsize = 0;
  view->format = NULL;
  view->ndim = 0;
  view->shape = NULL;
  view->strides = NULL;
  view->suboffsets = NULL;
  view->internal.token = 0;
  view->internal.env = NULL;
  view->internal.pin = NULL;
}

static inline interop_status interop__release_token(napi_env env, interop__bridge *bridge, double token) {
  napi_value fn, argument, ignored, saved = NULL;
  bool pending = false;
  interop_status status = INTEROP_OK;
  /* A release must happen even while an exception is pending (the addon is failing): set the
   * exception aside, end the export, then throw it again. */
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) napi_get_and_clear_last_exception(env, &saved);
  /* The bridge's functions ignore `this`: the function itself serves as the receiver. */
  if (napi_get_reference_value(env, bridge->release, &fn) != napi_ok) {
    status = interop__napi_failed(env);
  } else if (bridge->scratch_arguments) {
    bridge->slots[0] = token;
    if (napi_call_function(env, fn, fn, 0, NULL, &ignored) != napi_ok) status = INTEROP_PENDING_EXCEPTION;
  } else if (napi_create_double(env, token, &argument) != napi_ok) {
    status = interop__napi_failed(env);
  } else if (napi_call_function(env, fn, fn, 1, &argument, &ignored) != napi_ok) {
    status = INTEROP_PENDING_EXCEPTION;
  }
  if (saved != NULL) {
    napi_value dropped;
    if (status != INTEROP_OK) napi_get_and_clear_last_exception(env, &dropped);
    napi_throw(env, saved);
    if (status == INTEROP_OK) status = INTEROP_PENDING_EXCEPTION;
  }
  return status;
}

/* ---------------------------------------------------------------------------------------------
 * Borrowing JavaScript memory from C.
 * ------------------------------------------------------------------------------------------- */

/**
 * Takes one export of `value`'s memory (as CPython's PyObject_GetBuffer) and describes it in
 * `*view`. `flags` are PEP 3118 request flags (INTEROP_BUF_*; INDIRECT is never requested).
 * On INTEROP_OK the JavaScript exporter is locked until interop_release_buffer(env, view).
 * Each borrow and each release creates a few JavaScript handles in the caller's handle scope (no
 * scope of its own: Node-API allocates one per napi_open_handle_scope); a native function that
 * borrows many times in a loop should open a napi_handle_scope per iteration or per batch.
 */
static inline interop_status interop_get_buffer(napi_env env, napi_value value, int flags, interop_buffer_t *view) {
  interop__bridge *bridge;
  napi_value fn, args[2], memory;
  void *data = NULL;
  size_t memory_size = 0;
  interop_status status;
  double *slots;
  int ndim, presence, i;
  int64_t offset;
  size_t len, itemsize, format_length;
  interop_layout_result checked;
  if (view == NULL) return interop__fail(env, INTEROP_ERR_INVALID_ARGUMENT, "ERR_INVALID_ARGUMENT", "interop_get_buffer: view is NULL");
  interop__clear_view(view);
  status = interop__get_bridge(env, &bridge);
  if (status != INTEROP_OK) return status;
  if (napi_get_reference_value(env, bridge->borrow, &fn) != napi_ok) return interop__napi_failed(env);
  args[0] = value;
  if (bridge->scratch_arguments) {
    bridge->slots[INTEROP__SCRATCH_FLAGS] = (double)(flags & ~0x0100);
  } else if (napi_create_int32(env, flags & ~0x0100, &args[1]) != napi_ok) {
    return interop__napi_failed(env);
  }
  if (napi_call_function(env, fn, fn, bridge->scratch_arguments ? 1 : 2, args, &memory) != napi_ok) return INTEROP_PENDING_EXCEPTION;
  slots = bridge->slots;
  /* Copy everything out of the scratch area first: the release below may reuse it. */
  view->internal.token = slots[0];
  view->internal.env = env;
  offset = (int64_t)slots[1];
  len = (size_t)slots[2];
  view->readonly = slots[3] != 0;
  itemsize = (size_t)slots[4];
  ndim = (int)slots[5];
  presence = (int)slots[6];
  format_length = (size_t)slots[7];
  if (ndim < 0 || ndim > INTEROP_MAX_NDIM || format_length > INTEROP__SCRATCH_FORMAT_MAX) {
    double token = view->internal.token;
    interop__clear_view(view);
    interop__release_token(env, bridge, token);
    return interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT", "interop_get_buffer: the bridge returned an impossible layout");
  }
  for (i = 0; i < ndim; ++i) {
    view->internal.shape[i] = (int64_t)slots[INTEROP__SCRATCH_SHAPE + i];
    view->internal.strides[i] = (int64_t)slots[INTEROP__SCRATCH_STRIDES + i];
  }
  memcpy(view->internal.format, bridge->format_bytes, format_length);
  view->internal.format[format_length] = '\0';
  /* SharedArrayBuffers arrive as a Uint8Array over the whole buffer (Node-API reads those). */
  if (napi_get_arraybuffer_info(env, memory, &data, &memory_size) != napi_ok) {
    napi_typedarray_type kind;
    size_t count = 0, ignored_offset = 0;
    napi_value ignored;
    if (napi_get_typedarray_info(env, memory, &kind, &count, &data, &ignored, &ignored_offset) != napi_ok) {
      double token = view->internal.token;
      interop__clear_view(view);
      interop__release_token(env, bridge, token);
      return interop__napi_failed(env);
    }
    memory_size = count;
  }
  view->len = len;
  view->itemsize = itemsize;
  view->ndim = (presence & 2) ? ndim : 1;
  view->format = (presence & 1) ? view->internal.format : NULL;
  view->shape = (presence & 2) ? view->internal.shape : NULL;
  view->strides = (presence & 4) ? view->internal.strides : NULL;
  /* Core validated the layout already; C checks again before it dereferences anything. */
  checked = interop_check_layout(memory_size, offset, itemsize, view->internal.format[0] != '\0' ? view->internal.format : NULL, len, ndim,
                                 (presence & 2) ? view->internal.shape : NULL, (presence & 4) ? view->internal.strides : NULL);
  if (checked != INTEROP_LAYOUT_OK || (data == NULL && memory_size != 0)) {
    double token = view->internal.token;
    interop__clear_view(view);
    interop__release_token(env, bridge, token);
    return checked == INTEROP_LAYOUT_OUT_OF_BOUNDS
               ? interop__fail(env, INTEROP_ERR_OUT_OF_BOUNDS, "ERR_BUFFER_OUT_OF_BOUNDS", "interop_get_buffer: the export's shape and strides reach outside its memory")
               : interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT",
                               "interop_get_buffer: the export's itemsize, format, shape and length disagree");
  }
  /* Core enforced the request already; C checks again that the layout is what it asked for
   * (contiguity, writability, no shape/strides/format it did not request) before it trusts `len`. */
  if (interop_check_request(flags & ~0x0100, view->readonly, itemsize, view->format, ndim, view->shape, view->strides) != INTEROP_LAYOUT_OK) {
    double token = view->internal.token;
    interop__clear_view(view);
    interop__release_token(env, bridge, token);
    return interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT",
                         "interop_get_buffer: the export does not obey the request (contiguity, writability, or a shape, strides or format that was not asked for)");
  }
  /* Keep the memory itself alive while C holds the borrow (a transfer of the ArrayBuffer and a
   * garbage collection must not free it under C's pointer). */
  if (memory_size != 0) {
    void *pinned_data = NULL;
    size_t pinned_size = 0;
    void *pin = bridge->pinner != NULL ? bridge->pinner->pin(env, memory, &pinned_data, &pinned_size) : NULL;
    if (pin == NULL || pinned_data == NULL || (char *)data < (char *)pinned_data || (char *)data + memory_size > (char *)pinned_data + pinned_size) {
      double token = view->internal.token;
      if (pin != NULL) bridge->pinner->unpin(pin);
      interop__clear_view(view);
      interop__release_token(env, bridge, token);
      return interop__fail(env, INTEROP_ERR_UNPINNABLE, "ERR_NATIVE_UNPINNABLE",
                           "interop_get_buffer: the borrowed memory cannot be kept alive for C (the @interop/native addon is not loaded, or the memory is not a V8 backing store); "
                           "build @interop/native's addon (pnpm --filter @interop/native build:addon)");
    }
    view->internal.pin = pin;
  }
  view->buf = data == NULL ? NULL : (char *)data + offset;
  return INTEROP_OK;
}


/**
 * Ends the export taken by interop_get_buffer and clears `*view`. Returns INTEROP_ERR_RELEASED
 * (without throwing) when the view was already released or never filled.
 */
static inline interop_status interop_release_buffer(napi_env env, interop_buffer_t *view) {
  interop__bridge *bridge;
  double token;
  interop_status status;
  void *pin;
  if (view == NULL || view->internal.token == 0 || view->internal.env != env) return INTEROP_ERR_RELEASED;
  token = view->internal.token;
  pin = view->internal.pin;
  interop__clear_view(view);
  status = interop__get_bridge(env, &bridge);
  if (status != INTEROP_OK) return status;
  status = interop__release_token(env, bridge, token);
  /* The export has ended: C no longer holds the memory. */
  if (pin != NULL && bridge->pinner != NULL) bridge->pinner->unpin(pin);
  return status;
}

/**
 * Borrows `value`'s memory for the duration of `callback` only, then releases it (also when the
 * callback fails). The callback's status is returned; a callback that throws should return
 * INTEROP_PENDING_EXCEPTION.
 */
static inline interop_status interop_with_buffer(napi_env env, napi_value value, int flags, interop_buffer_callback callback, void *user_data) {
  interop_buffer_t view;
  interop_status status, released;
  if (callback == NULL) return interop__fail(env, INTEROP_ERR_INVALID_ARGUMENT, "ERR_INVALID_ARGUMENT", "interop_with_buffer: callback is NULL");
  status = interop_get_buffer(env, value, flags, &view);
  if (status != INTEROP_OK) return status;
  status = callback(env, &view, user_data);
  released = interop_release_buffer(env, &view);
  return status != INTEROP_OK ? status : released;
}

/* ---------------------------------------------------------------------------------------------
 * Exporting native memory to JavaScript.
 * ------------------------------------------------------------------------------------------- */

/**
 * Exports `memory` (`size` bytes) to JavaScript without copying, as a NativeBuffer exporter whose
 * items are described by `layout` (NULL: `size` unsigned bytes, format "B"). layout->buf must lie
 * in [memory, memory + size] and every element of the layout inside the block; layout->len is
 * ignored (it follows from itemsize and shape). When `layout->shape` is NULL the export is 1-D
 * with size / itemsize items from layout->buf.
 *
 * On INTEROP_OK, `release(env, memory, hint)` (may be NULL) runs exactly once, after the last
 * export of the NativeBuffer is released and it is unreachable everywhere: on this thread, on a later
 * event-loop turn, while this env lives; with env == NULL on the thread that drops the memory last
 * when this env ended first (see the ownership rules above). On any other status, nothing was
 * exported and the caller still owns `memory`.
 */
static inline interop_status interop_export_memory(napi_env env, void *memory, size_t size, const interop_buffer_t *layout, interop_release_callback release,
                                                   void *hint, napi_value *result) {
  interop__bridge *bridge;
  interop_status status;
  napi_value arraybuffer, fn, undefined;
  int64_t offset = 0, shape_storage[1];
  const int64_t *shape;
  size_t itemsize = 1, len, format_length;
  int ndim = 1, i;
  const char *format = "B";
  interop_layout_result checked;
  double *slots;
  if (result == NULL || (memory == NULL && size != 0)) {
    return interop__fail(env, INTEROP_ERR_INVALID_ARGUMENT, "ERR_INVALID_ARGUMENT", "interop_export_memory: result is NULL, or memory is NULL with a non-zero size");
  }
  if (layout != NULL) {
    if (layout->buf < memory || (char *)layout->buf > (char *)memory + size) {
      return interop__fail(env, INTEROP_ERR_OUT_OF_BOUNDS, "ERR_BUFFER_OUT_OF_BOUNDS", "interop_export_memory: layout->buf is outside [memory, memory + size]");
    }
    offset = (int64_t)((char *)layout->buf - (char *)memory);
    itemsize = layout->itemsize;
    if (layout->format != NULL) format = layout->format;
    if (layout->suboffsets != NULL) {
      return interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT", "interop_export_memory: suboffsets are not supported; export each block separately");
    }
  }
  if (itemsize == 0) return interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT", "interop_export_memory: itemsize is 0");
  if (layout != NULL && layout->shape != NULL) {
    ndim = layout->ndim;
    shape = layout->shape;
  } else {
    shape_storage[0] = (int64_t)((size - (size_t)offset) / itemsize);
    shape = shape_storage;
  }
  if (ndim < 0 || ndim > INTEROP_MAX_NDIM) return interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT", "interop_export_memory: ndim is out of range");
  len = itemsize;
  for (i = 0; i < ndim; ++i) {
    if (shape[i] < 0 || (shape[i] != 0 && len > SIZE_MAX / (size_t)shape[i])) {
      return interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT", "interop_export_memory: a shape entry is negative or the size overflows");
    }
    len *= (size_t)shape[i];
  }
  format_length = strlen(format);
  if (format_length > INTEROP__SCRATCH_FORMAT_MAX) {
    return interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT", "interop_export_memory: the format is longer than 1023 bytes");
  }
  checked = interop_check_layout(size, offset, itemsize, format, len, ndim, shape, layout != NULL ? layout->strides : NULL);
  if (checked != INTEROP_LAYOUT_OK) {
    return checked == INTEROP_LAYOUT_OUT_OF_BOUNDS
               ? interop__fail(env, INTEROP_ERR_OUT_OF_BOUNDS, "ERR_BUFFER_OUT_OF_BOUNDS", "interop_export_memory: shape and strides reach outside the memory block")
               : interop__fail(env, INTEROP_ERR_INVALID_LAYOUT, "ERR_BUFFER_INVALID_LAYOUT", "interop_export_memory: itemsize, format and shape disagree");
  }
  status = interop__get_bridge(env, &bridge);
  if (status != INTEROP_OK) return status;
  /* From here on JavaScript owns the memory: even if a later step fails, the ArrayBuffer is
   * collected and `release` runs once. */
  if ((bridge->exporter != NULL ? bridge->exporter->create(env, memory, size, release, hint, &arraybuffer)
                                 : napi_create_external_arraybuffer(env, memory, size, release, hint, &arraybuffer)) != napi_ok) {
    return interop__napi_failed(env);
  }
  slots = bridge->slots;
  slots[1] = (double)offset;
  slots[2] = (double)len;
  slots[3] = (layout != NULL && layout->readonly) ? 1 : 0;
  slots[4] = (double)itemsize;
  slots[5] = ndim;
  slots[6] = 1 | 2 | ((layout != NULL && layout->strides != NULL) ? 4 : 0);
  slots[7] = (double)format_length;
  for (i = 0; i < ndim; ++i) {
    slots[INTEROP__SCRATCH_SHAPE + i] = (double)shape[i];
    slots[INTEROP__SCRATCH_STRIDES + i] = (layout != NULL && layout->strides != NULL) ? (double)layout->strides[i] : 0;
  }
  memcpy(bridge->format_bytes, format, format_length);
  if (napi_get_reference_value(env, bridge->export_native, &fn) != napi_ok || napi_get_undefined(env, &undefined) != napi_ok) return interop__napi_failed(env);
  if (napi_call_function(env, undefined, fn, 1, &arraybuffer, result) != napi_ok) return INTEROP_PENDING_EXCEPTION;
  return INTEROP_OK;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* INTEROP_BUFFER_H */
