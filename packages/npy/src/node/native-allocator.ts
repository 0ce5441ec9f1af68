// The Node entry point registers the huge-page allocator of the optional peer @interop/native when
// it is installed, so loads get huge-page memory with no code from the user (as NumPy marks its
// large allocations MADV_HUGEPAGE). Opt out with INTEROP_ALLOCATOR=default, or resetAllocator()
// of @interop/core after importing. Never fails: without the package or its addon, nothing changes.
import { installNativeAllocatorIfPresent } from '@interop/core';

/** Settles (true when the huge-page allocator is in force) once the attempt is over. */
// A variable specifier keeps bundlers and the type checker from requiring the optional peer.
const specifier = '@interop/native';
export const nativeAllocatorReady: Promise<boolean> = installNativeAllocatorIfPresent(() => import(specifier));
