// The O(1) export path this addon offers to interop/buffer.h (see shared_export.cc).
#ifndef INTEROP_NATIVE_SHARED_EXPORT_H
#define INTEROP_NATIVE_SHARED_EXPORT_H

#include <cstddef>

#include "interop/buffer.h"

namespace interop {

/** The function table published as bridge.nativeExporter (a napi_external). */
const interop__native_exporter *SharedExporter();

/** Exports made through SharedExporter() whose release callback has not run yet, over every env of this process. */
size_t PendingSharedReleases();

}  // namespace interop

#endif  // INTEROP_NATIVE_SHARED_EXPORT_H
