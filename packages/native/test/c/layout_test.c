/* Unit tests of interop/layout.h in plain C, run under AddressSanitizer/UBSan by scripts/memcheck.mjs. */
#include <interop/layout.h>
#include <stdio.h>

static int failures = 0;
#define CHECK(expr)                                                   \
  do {                                                                \
    if (!(expr)) {                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

int main(void) {
  const int64_t shape2[2] = {3, 4};
  const int64_t c_strides[2] = {16, 4};
  const int64_t f_strides[2] = {4, 12};
  const int64_t negative[2] = {-16, 4};
  const int64_t too_far[2] = {20, 4};
  const int64_t zero_shape[2] = {0, 4};
  const int64_t negative_shape[1] = {-2};
  const int64_t huge_shape[3] = {INT64_C(1) << 31, INT64_C(1) << 31, INT64_C(1) << 31};
  const int64_t huge_strides[3] = {INT64_MAX / 2, INT64_MAX / 2, 8};
  const int64_t one[1] = {1};
  const int64_t huge_one[1] = {INT64_MAX};

  CHECK(interop_simple_format_itemsize("B") == 1);
  CHECK(interop_simple_format_itemsize("<f") == 4);
  CHECK(interop_simple_format_itemsize("=q") == 8);
  CHECK(interop_simple_format_itemsize("Zd") == 16);
  CHECK(interop_simple_format_itemsize("3h") == 6);
  CHECK(interop_simple_format_itemsize("<l") == 4);
  CHECK(interop_simple_format_itemsize("@l") == sizeof(long));
  CHECK(interop_simple_format_itemsize("T{i:x:}") == 0);
  CHECK(interop_simple_format_itemsize("ii") == 0);
  CHECK(interop_simple_format_itemsize("") == 0);
  CHECK(interop_simple_format_itemsize(NULL) == 0);
  CHECK(interop_simple_format_itemsize("99999999999f") == 0);

  {
    const int little = !interop__host_is_big_endian();
    CHECK(interop_format_matches("d", "d"));
    CHECK(interop_format_matches("@d", "d"));
    CHECK(interop_format_matches("=d", "d"));
    CHECK(interop_format_matches("<d", "d") == little);
    CHECK(interop_format_matches(">d", "d") == !little);
    CHECK(interop_format_matches("!d", "d") == !little);
    CHECK(interop_format_matches("<d", "<d"));
    CHECK(interop_format_matches("<d", ">d") == 0);
    CHECK(interop_format_matches("<f", "d") == 0);
    CHECK(interop_format_matches("<q", "d") == 0);
    CHECK(interop_format_matches("<q", "q") == little);
    CHECK(interop_format_matches("<Q", "q") == 0);
    CHECK(interop_format_matches("<l", "i") == little);
    CHECK(interop_format_matches("<l", "l") == (little && sizeof(long) == 4));
    CHECK(interop_format_matches("l", "l"));
    CHECK(interop_format_matches("|u1", "B") == 0);
    CHECK(interop_format_matches("B", "<B"));
    CHECK(interop_format_matches(">B", "B"));
    CHECK(interop_format_matches("b", "B") == 0);
    CHECK(interop_format_matches("<Zd", "Zd") == little);
    CHECK(interop_format_matches("<Zd", "d") == 0);
    CHECK(interop_format_matches("<e", "e") == little);
    CHECK(interop_format_matches("?", "?"));
    CHECK(interop_format_matches("2d", "d") == 0);
    CHECK(interop_format_matches("T{d:x:}", "d") == 0);
    CHECK(interop_format_matches("d ", "d") == 0);
    CHECK(interop_format_matches("", "d") == 0);
    CHECK(interop_format_matches(NULL, "d") == 0);
    CHECK(interop_format_matches("d", NULL) == 0);
    CHECK(interop_format_matches("<n", "n") == 0);
    CHECK(interop_format_matches("n", "n"));
    CHECK(interop_format_matches("Z", "Zd") == 0);
  }

  CHECK(interop_check_layout(48, 0, 4, "f", 48, 2, shape2, NULL) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_layout(48, 0, 4, "f", 48, 2, shape2, c_strides) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_layout(48, 0, 4, "f", 48, 2, shape2, f_strides) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_layout(48, 32, 4, "f", 48, 2, shape2, negative) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_layout(48, 28, 4, "f", 48, 2, shape2, negative) == INTEROP_LAYOUT_OUT_OF_BOUNDS);
  CHECK(interop_check_layout(48, 0, 4, "f", 48, 2, shape2, too_far) == INTEROP_LAYOUT_OUT_OF_BOUNDS);
  CHECK(interop_check_layout(47, 0, 4, "f", 48, 2, shape2, NULL) == INTEROP_LAYOUT_OUT_OF_BOUNDS);
  CHECK(interop_check_layout(48, 0, 4, "d", 48, 2, shape2, NULL) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_layout(48, 0, 4, "f", 40, 2, shape2, NULL) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_layout(48, 0, 0, "f", 0, 2, shape2, NULL) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_layout(48, 0, 4, "f", 0, 2, zero_shape, too_far) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_layout(48, 49, 4, "f", 0, 2, zero_shape, NULL) == INTEROP_LAYOUT_OUT_OF_BOUNDS);
  CHECK(interop_check_layout(48, 0, 1, "B", 0, 1, negative_shape, NULL) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_layout(48, 0, 1, "B", 0, 65, shape2, NULL) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_layout(48, -1, 1, "B", 1, 1, one, NULL) == INTEROP_LAYOUT_OUT_OF_BOUNDS);
  CHECK(interop_check_layout(48, 0, 8, "d", 0, 3, huge_shape, huge_strides) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_layout(48, INT64_MAX, 1, "B", 1, 1, one, NULL) == INTEROP_LAYOUT_OUT_OF_BOUNDS);
  CHECK(interop_check_layout(48, 0, 1, NULL, 48, 0, NULL, NULL) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_layout(48, 40, 1, NULL, 9, 0, NULL, NULL) == INTEROP_LAYOUT_OUT_OF_BOUNDS);
  CHECK(interop_check_layout(48, 0, 1, "B", (size_t)INT64_MAX, 1, huge_one, one) == INTEROP_LAYOUT_OUT_OF_BOUNDS);

  /* interop_check_request: every bit of the request (C_CONTIGUOUS = 0x38, F = 0x58, ANY = 0x98). */
  CHECK(interop_check_request(0x38 | 0x4, 0, 4, "f", 2, shape2, c_strides) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_request(0x38 | 0x4, 0, 4, "f", 2, shape2, f_strides) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x38 | 0x4, 0, 4, "f", 2, shape2, negative) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x58, 0, 4, NULL, 2, shape2, f_strides) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_request(0x58, 0, 4, NULL, 2, shape2, c_strides) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x58, 0, 4, NULL, 2, shape2, NULL) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x98, 0, 4, NULL, 2, shape2, f_strides) == INTEROP_LAYOUT_OK);
  CHECK(interop_check_request(0x98, 0, 4, NULL, 2, shape2, negative) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x1 | 0x18, 1, 4, NULL, 2, shape2, c_strides) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x0, 0, 1, NULL, 1, one, NULL) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x8, 0, 4, NULL, 2, shape2, c_strides) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x18, 0, 4, "f", 2, shape2, c_strides) == INTEROP_LAYOUT_INVALID);
  CHECK(interop_check_request(0x0, 0, 1, NULL, 1, NULL, NULL) == INTEROP_LAYOUT_OK);

  if (failures != 0) {
    fprintf(stderr, "layout_test: %d failure(s)\n", failures);
    return 1;
  }
  printf("layout_test: all checks passed\n");
  return 0;
}
