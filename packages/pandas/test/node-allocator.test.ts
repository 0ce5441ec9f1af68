// Importing @interop/pandas/node registers @interop/native's huge-page allocator when the package
// is installed (it is, in this workspace), as the Node entries of npy and stream do.
import { describe, expect, it } from 'vitest';
import { registeredAllocator } from '@interop/core';
import { nativeAllocatorInstalled } from '@interop/pandas/node';

describe('the allocation seam in @interop/pandas/node', () => {
  it.skipIf(process.env['INTEROP_ALLOCATOR'] === 'default')('installs the huge-page allocator of @interop/native on import', () => {
    expect(nativeAllocatorInstalled).toBe(true);
    expect(registeredAllocator()?.allocator.name).toBe('huge-page');
  });
});
