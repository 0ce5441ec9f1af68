// A vitest setup file of every package (see vitest.js). With INTEROP_ALLOCATOR=huge-page, each
// test file runs with the huge-page allocator of @interop/native registered in @interop/core's
// allocation seam (threshold from INTEROP_ALLOCATOR_THRESHOLD, default 4 MiB; CI uses 0 so that
// every fresh buffer of the tests comes from it). Without that variable it does nothing. CI runs
// the affected packages' tests once each way (.ci/run).
if (process.env.INTEROP_ALLOCATOR === 'huge-page') {
  const native = await import(new URL('../../packages/native/src/index.ts', import.meta.url).href);
  if (!native.installNativeAllocator({ force: true })) {
    throw new Error('INTEROP_ALLOCATOR=huge-page but the @interop/native addon could not be loaded; build it (pnpm --filter @interop/native build:addon).');
  }
}
