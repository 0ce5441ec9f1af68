// Importing the Node entry point registers the huge-page allocator of @interop/native when that
// package is installed (an optional peer), so that FileStream reads and MemoryStream growth get
// huge-page memory with no code from the user, as NumPy marks its large allocations
// MADV_HUGEPAGE. The import waits for the attempt (top-level await), so the first synchronous
// read after the import already benefits. Opt out with INTEROP_ALLOCATOR=default, or call
// resetAllocator() of @interop/core. Never fails: without the package or its addon nothing changes.
import { installNativeAllocatorIfPresent } from '@interop/core';

/** True when the huge-page allocator is in force after the import of the Node entry point. */
// A variable specifier keeps bundlers and the type checker from requiring the optional peer.
const specifier = '@interop/native';
export const nativeAllocatorInstalled: boolean = await installNativeAllocatorIfPresent(() => import(specifier));
