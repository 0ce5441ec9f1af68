/*
 * interop/layout.h - PEP 3118 layout checks in plain C, with no Node-API dependency.
 *
 * Part of @interop/native's header-only C API (see interop/buffer.h). These functions decide
 * whether a (pointer, shape, strides, itemsize, format) description stays inside a block of
 * memory; interop/buffer.h runs them on every layout before C code sees a pointer, in both
 * directions. They are separate so they can be unit-tested without Node (test/c/).
 */
#ifndef INTEROP_LAYOUT_H
#define INTEROP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The most dimensions a layout may have (as @interop/core's MAX_NDIM and CPython's PyBUF_MAX_NDIM). */
#define INTEROP_MAX_NDIM 64

/** Why a layout was refused (INTEROP_LAYOUT_OK when it was accepted). */
typedef enum interop_layout_result {
  INTEROP_LAYOUT_OK = 0,
  /** itemsize is zero, ndim is negative or above INTEROP_MAX_NDIM, a shape entry is negative,
   *  len disagrees with itemsize x product(shape), sizes overflow, or itemsize disagrees with format. */
  INTEROP_LAYOUT_INVALID = 1,
  /** Some element addressed by shape and strides lies outside the memory block. */
  INTEROP_LAYOUT_OUT_OF_BOUNDS = 2
} interop_layout_result;

/*
 * The itemsize of a simple struct-module format ("B", "<f", "=q", "Zd", "3h"...), or 0 when the
 * format is not a simple one (records "T{...}", sub-arrays, several fields): those are checked by
 * @interop/core's full parser on the JavaScript side before C sees them.
 */
static inline size_t interop_simple_format_itemsize(const char *format) {
  const char *p = format;
  int native = 1;
  size_t count = 0;
  size_t size;
  if (p == NULL || *p == '\0') return 0;
  if (*p == '@') { ++p; }
  else if (*p == '=' || *p == '<' || *p == '>' || *p == '!') { native = 0; ++p; }
  while (*p >= '0' && *p <= '9') {
    count = count * 10 + (size_t)(*p - '0');
    if (count > 1000000) return 0;
    ++p;
  }
  if (count == 0) count = 1;
  if (*p == 'Z') {
    ++p;
    switch (*p) {
      case 'e': size = 4; break;
      case 'f': size = 8; break;
      case 'd': size = 16; break;
      default: return 0;
    }
  } else {
    switch (*p) {
      case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': size = 1; break;
      case 'h': case 'H': case 'e': size = 2; break;
      case 'i': case 'I': case 'f': size = 4; break;
      case 'l': case 'L': size = native ? sizeof(long) : 4; break;
      case 'q': case 'Q': case 'd': size = 8; break;
      case 'n': case 'N': if (!native) return 0; size = sizeof(size_t); break;
      case 'P': if (!native) return 0; size = sizeof(void *); break;
      default: return 0;
    }
  }
  ++p;
  if (*p != '\0') return 0; /* more than one field: not a simple format */
  return size * count;
}

/* One scalar of a struct-module format, resolved against this machine: what C must know to read it. */
typedef struct interop__scalar {
  char kind;        /* 'i' signed integer, 'u' unsigned integer, 'f' float, 'z' complex, '?' bool, 'c' char, 'P' pointer */
  size_t size;      /* bytes per item */
  int big_endian;   /* byte order of the item (1: big-endian); the host's own for '@' and '=' */
} interop__scalar;

static inline int interop__host_is_big_endian(void) {
  const uint16_t probe = 1;
  return *(const unsigned char *)&probe == 0;
}

/* Parses a single-scalar format ("d", "<d", "=q", "Zf", "@l"; no repeat count, no records): 1 on success. */
static inline int interop__parse_scalar(const char *format, interop__scalar *out) {
  const char *p = format;
  int native = 1;
  int big = interop__host_is_big_endian();
  if (p == NULL) return 0;
  switch (*p) {
    case '@': ++p; break;
    case '=': native = 0; ++p; break;
    case '<': native = 0; big = 0; ++p; break;
    case '>': case '!': native = 0; big = 1; ++p; break;
    default: break;
  }
  if (*p == 'Z') {
    ++p;
    out->kind = 'z';
    switch (*p) {
      case 'e': out->size = 4; break;
      case 'f': out->size = 8; break;
      case 'd': out->size = 16; break;
      default: return 0;
    }
  } else {
    switch (*p) {
      case 'b': out->kind = 'i'; out->size = 1; break;
      case 'B': out->kind = 'u'; out->size = 1; break;
      case 'c': out->kind = 'c'; out->size = 1; break;
      case '?': out->kind = '?'; out->size = native ? sizeof(_Bool) : 1; break;
      case 'h': out->kind = 'i'; out->size = native ? sizeof(short) : 2; break;
      case 'H': out->kind = 'u'; out->size = native ? sizeof(unsigned short) : 2; break;
      case 'i': out->kind = 'i'; out->size = native ? sizeof(int) : 4; break;
      case 'I': out->kind = 'u'; out->size = native ? sizeof(unsigned int) : 4; break;
      case 'l': out->kind = 'i'; out->size = native ? sizeof(long) : 4; break;
      case 'L': out->kind = 'u'; out->size = native ? sizeof(unsigned long) : 4; break;
      case 'q': out->kind = 'i'; out->size = native ? sizeof(long long) : 8; break;
      case 'Q': out->kind = 'u'; out->size = native ? sizeof(unsigned long long) : 8; break;
      case 'n': if (!native) return 0; out->kind = 'i'; out->size = sizeof(ptrdiff_t); break;
      case 'N': if (!native) return 0; out->kind = 'u'; out->size = sizeof(size_t); break;
      case 'P': if (!native) return 0; out->kind = 'P'; out->size = sizeof(void *); break;
      case 'e': out->kind = 'f'; out->size = 2; break;
      case 'f': out->kind = 'f'; out->size = 4; break;
      case 'd': out->kind = 'f'; out->size = 8; break;
      default: return 0;
    }
  }
  ++p;
  if (*p != '\0') return 0;
  /* A one-byte item has no byte order. */
  out->big_endian = out->size == 1 ? 0 : big;
  return 1;
}

/*
 * 1 when `format` (what an exporter handed you) describes items that C can read as the type
 * spelled by `expected` in this program: same kind, same size, same byte order once '@', '=', '<',
 * '>' and '!' are resolved against this machine. So on a little-endian machine "<d", "=d", "@d"
 * and "d" all match "d" (a .npy array of float64 says "<d"), and ">d" does not; "<l" (4 bytes,
 * standard size) matches "i" but not "l" where long has 8 bytes. 0 for anything else, including
 * records, repeat counts, NULL and malformed formats. Use it instead of strcmp(format, "d").
 */
static inline int interop_format_matches(const char *format, const char *expected) {
  interop__scalar got;
  interop__scalar want;
  if (!interop__parse_scalar(format, &got) || !interop__parse_scalar(expected, &want)) return 0;
  return got.kind == want.kind && got.size == want.size && got.big_endian == want.big_endian;
}

static inline int interop__mul_i64(int64_t a, int64_t b, int64_t *out) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_mul_overflow(a, b, out) ? 0 : 1;
#else
  if (a != 0 && (b > INT64_MAX / (a < 0 ? -a : a) || b < -(INT64_MAX / (a < 0 ? -a : a)))) return 0;
  *out = a * b;
  return 1;
#endif
}

static inline int interop__add_i64(int64_t a, int64_t b, int64_t *out) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_add_overflow(a, b, out) ? 0 : 1;
#else
  if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) return 0;
  *out = a + b;
  return 1;
#endif
}

/*
 * Checks that a layout lies inside a block of `memory_size` bytes.
 *
 *   offset   byte offset of element [0, ..., 0] from the start of the block
 *   len      itemsize x product(shape) (the Py_buffer "len")
 *   format   NULL or a struct-module format; a simple one must agree with itemsize
 *   shape    NULL for a flat run of `len` bytes (then ndim and strides are ignored)
 *   strides  NULL for C order
 *
 * Every element touched by the layout, [offset + sum(index[i] * strides[i]), + itemsize), must
 * lie in [0, memory_size). Empty layouts (a zero in shape) touch nothing.
 */
static inline interop_layout_result interop_check_layout(size_t memory_size, int64_t offset, size_t itemsize, const char *format, size_t len, int ndim,
                                                         const int64_t *shape, const int64_t *strides) {
  int64_t size = (int64_t)memory_size;
  int64_t nbytes, low = 0, high = 0, end;
  int empty = 0;
  int i;
  if (memory_size > (size_t)INT64_MAX || len > (size_t)INT64_MAX || itemsize == 0 || itemsize > (size_t)INT32_MAX) return INTEROP_LAYOUT_INVALID;
  if (format != NULL) {
    size_t expected = interop_simple_format_itemsize(format);
    if (expected != 0 && expected != itemsize) return INTEROP_LAYOUT_INVALID;
  }
  if (offset < 0) return INTEROP_LAYOUT_OUT_OF_BOUNDS;
  if (shape == NULL) {
    if (!interop__add_i64(offset, (int64_t)len, &end) || end > size) return INTEROP_LAYOUT_OUT_OF_BOUNDS;
    return INTEROP_LAYOUT_OK;
  }
  if (ndim < 0 || ndim > INTEROP_MAX_NDIM) return INTEROP_LAYOUT_INVALID;
  nbytes = (int64_t)itemsize;
  for (i = 0; i < ndim; ++i) {
    if (shape[i] < 0) return INTEROP_LAYOUT_INVALID;
    if (!interop__mul_i64(nbytes, shape[i], &nbytes)) return INTEROP_LAYOUT_INVALID;
    if (shape[i] == 0) empty = 1;
  }
  if (nbytes != (int64_t)len) return INTEROP_LAYOUT_INVALID;
  if (empty) return offset <= size ? INTEROP_LAYOUT_OK : INTEROP_LAYOUT_OUT_OF_BOUNDS;
  if (strides == NULL) {
    /* C order: the elements are exactly [offset, offset + len). */
    if (!interop__add_i64(offset, (int64_t)len, &end) || end > size) return INTEROP_LAYOUT_OUT_OF_BOUNDS;
    return INTEROP_LAYOUT_OK;
  }
  for (i = 0; i < ndim; ++i) {
    int64_t reach;
    if (!interop__mul_i64(strides[i], shape[i] - 1, &reach)) return INTEROP_LAYOUT_OUT_OF_BOUNDS;
    if (reach < 0) {
      if (!interop__add_i64(low, reach, &low)) return INTEROP_LAYOUT_OUT_OF_BOUNDS;
    } else {
      if (!interop__add_i64(high, reach, &high)) return INTEROP_LAYOUT_OUT_OF_BOUNDS;
    }
  }
  if (!interop__add_i64(offset, low, &low) || low < 0) return INTEROP_LAYOUT_OUT_OF_BOUNDS;
  if (!interop__add_i64(offset, high, &end) || !interop__add_i64(end, (int64_t)itemsize, &end) || end > size) return INTEROP_LAYOUT_OUT_OF_BOUNDS;
  return INTEROP_LAYOUT_OK;
}

/* The raw PEP 3118 request bits interop_check_request reads (the values of @interop/core's flags). */
#define INTEROP__REQ_WRITABLE 0x0001
#define INTEROP__REQ_FORMAT 0x0004
#define INTEROP__REQ_ND 0x0008
#define INTEROP__REQ_STRIDES 0x0018
#define INTEROP__REQ_C 0x0020
#define INTEROP__REQ_F 0x0040
#define INTEROP__REQ_ANY 0x0080

/*
 * Checks that a layout (already inside its memory, see interop_check_layout) obeys the PEP 3118
 * request `flags`: no read-only memory for WRITABLE; no shape without ND, no strides without
 * STRIDES, no format without FORMAT; C-, Fortran- or any-contiguous when asked (a dimension of
 * length 1 may have any stride; an empty array is contiguous; strides == NULL means C order).
 * Returns INTEROP_LAYOUT_OK or INTEROP_LAYOUT_INVALID.
 */
static inline interop_layout_result interop_check_request(int flags, int readonly, size_t itemsize, const char *format, int ndim, const int64_t *shape,
                                                           const int64_t *strides) {
  int i, c_order = 1, f_order = 1;
  int64_t expected, implied[INTEROP_MAX_NDIM];
  if ((flags & INTEROP__REQ_WRITABLE) && readonly) return INTEROP_LAYOUT_INVALID;
  if (!(flags & INTEROP__REQ_ND) && shape != NULL) return INTEROP_LAYOUT_INVALID;
  if ((flags & INTEROP__REQ_STRIDES) != INTEROP__REQ_STRIDES && strides != NULL) return INTEROP_LAYOUT_INVALID;
  if (!(flags & INTEROP__REQ_FORMAT) && format != NULL) return INTEROP_LAYOUT_INVALID;
  if (!(flags & (INTEROP__REQ_C | INTEROP__REQ_F | INTEROP__REQ_ANY)) || shape == NULL) return INTEROP_LAYOUT_OK;
  if (ndim < 0 || ndim > INTEROP_MAX_NDIM) return INTEROP_LAYOUT_INVALID;
  for (i = 0; i < ndim; ++i)
    if (shape[i] == 0) return INTEROP_LAYOUT_OK;
  if (strides == NULL) {
    /* No strides: C order. */
    expected = (int64_t)itemsize;
    for (i = ndim - 1; i >= 0; --i) {
      implied[i] = expected;
      if (!interop__mul_i64(expected, shape[i], &expected)) return INTEROP_LAYOUT_INVALID;
    }
    strides = implied;
  }
  expected = (int64_t)itemsize;
  for (i = ndim - 1; i >= 0; --i) {
    if (shape[i] != 1 && strides[i] != expected) c_order = 0;
    if (!interop__mul_i64(expected, shape[i], &expected)) return INTEROP_LAYOUT_INVALID;
  }
  expected = (int64_t)itemsize;
  for (i = 0; i < ndim; ++i) {
    if (shape[i] != 1 && strides[i] != expected) f_order = 0;
    if (!interop__mul_i64(expected, shape[i], &expected)) return INTEROP_LAYOUT_INVALID;
  }
  if ((flags & INTEROP__REQ_C) && !c_order) return INTEROP_LAYOUT_INVALID;
  if ((flags & INTEROP__REQ_F) && !f_order) return INTEROP_LAYOUT_INVALID;
  if ((flags & INTEROP__REQ_ANY) && !c_order && !f_order) return INTEROP_LAYOUT_INVALID;
  return INTEROP_LAYOUT_OK;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* INTEROP_LAYOUT_H */
