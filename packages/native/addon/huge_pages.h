// The huge-page allocator of this addon (see huge_pages.cc).
#ifndef INTEROP_NATIVE_HUGE_PAGES_H
#define INTEROP_NATIVE_HUGE_PAGES_H

#include <node_api.h>

namespace interop {

/** Adds hugeAlloc, hugeStats and hugeCache to the addon's exports. */
void RegisterHugePages(napi_env env, napi_value exports);

}  // namespace interop

#endif  // INTEROP_NATIVE_HUGE_PAGES_H
