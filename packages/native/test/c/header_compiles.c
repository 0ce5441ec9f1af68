/* interop/buffer.h must compile as C11 (compile-only check run by scripts/memcheck.mjs). */
#define NAPI_VERSION 8
#include <interop/buffer.h>

interop_status example(napi_env env, napi_value value);
interop_status example(napi_env env, napi_value value) {
  interop_buffer_t view;
  interop_status status = interop_get_buffer(env, value, INTEROP_BUF_RECORDS_RO, &view);
  if (status != INTEROP_OK) return status;
  return interop_release_buffer(env, &view);
}
