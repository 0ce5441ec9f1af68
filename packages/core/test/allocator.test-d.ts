import { expectTypeOf } from 'vitest';
import {
  allocateBuffer,
  registerAllocator,
  registeredAllocator,
  resetAllocator,
  type AllocateOptions,
  type AllocatorRegistration,
  type BufferAllocator,
  type RegisterAllocatorOptions,
} from '@interop/core';

expectTypeOf(allocateBuffer).parameters.toEqualTypeOf<[byteLength: number, options?: AllocateOptions]>();
expectTypeOf<AllocateOptions>().toEqualTypeOf<{ readonly zeroFill?: boolean }>();
// An allocator that takes only the length still fits (the option is a hint it may ignore).
registerAllocator({ name: 'plain', allocate: (n: number) => new ArrayBuffer(n) });
// Always an ArrayBuffer: never a SharedArrayBuffer.
expectTypeOf(allocateBuffer).returns.toEqualTypeOf<ArrayBuffer>();
expectTypeOf(registerAllocator).parameters.toEqualTypeOf<[allocator: BufferAllocator, options?: RegisterAllocatorOptions]>();
expectTypeOf(resetAllocator).returns.toEqualTypeOf<void>();
expectTypeOf(registeredAllocator).returns.toEqualTypeOf<AllocatorRegistration | null>();
expectTypeOf<BufferAllocator['allocate']>().returns.toEqualTypeOf<ArrayBuffer>();
expectTypeOf<RegisterAllocatorOptions>().toEqualTypeOf<{ readonly threshold?: number; readonly fallback?: boolean }>();
// @ts-expect-error an allocator must return an ArrayBuffer
registerAllocator({ name: 'shared', allocate: (n: number) => new SharedArrayBuffer(n) });
