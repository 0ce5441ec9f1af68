// Importing the Node entry point registers the huge-page allocator of @interop/native when that
// package is installed (an optional peer), so that FileStream reads and MemoryStream growth get
// huge-page memory with no code from the user, as NumPy marks its large allocations
// MADV_HUGEPAGE. The import waits for the attempt (top-level await), so the first synchronous
// read after the import already benefits. Opt out with INTEROP_ALLOCATOR=default, or call
// resetAllocator() of @interop/core. Never fails: without the package or its addon nothing changes.

interface NativeModule {
  installNativeAllocator?: () => boolean;
}

async function install(): Promise<boolean> {
  if (process.env['INTEROP_ALLOCATOR'] === 'default') return false;
  // A variable specifier keeps bundlers and the type checker from requiring the optional peer.
  const specifier = '@interop/native';
  try {
    const native = (await import(specifier)) as NativeModule;
    return typeof native.installNativeAllocator === 'function' ? native.installNativeAllocator() : false;
  } catch {
    return false;
  }
}

/** True when the huge-page allocator is in force after the import of the Node entry point. */
export const nativeAllocatorInstalled: boolean = await install();
