import type { Exporter } from '@interop/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { BufferStream, MemoryStream } from '@interop/stream';
import {
  fromReadableStream,
  toRawIO,
  toReadableStream,
  toWritableStream,
  type AsyncStreamAccess,
  type RawIO,
  type StreamAccess,
  type StreamErrorCode,
  type Whence,
} from '@interop/stream';
import type { AsyncFileStream, FileStream } from '@interop/stream/node';
import { fromNodeReadable, type FileMode } from '@interop/stream/node';

describe('public types', () => {
  it('streams implement their interfaces, and the memory streams are exporters', () => {
    expectTypeOf<MemoryStream>().toMatchTypeOf<StreamAccess>();
    expectTypeOf<MemoryStream>().toMatchTypeOf<Exporter>();
    expectTypeOf<BufferStream>().toMatchTypeOf<StreamAccess>();
    expectTypeOf<BufferStream>().toMatchTypeOf<Exporter>();
    expectTypeOf<FileStream>().toMatchTypeOf<StreamAccess>();
    expectTypeOf<AsyncFileStream>().toMatchTypeOf<AsyncStreamAccess>();
    expectTypeOf(fromReadableStream).returns.toEqualTypeOf<AsyncStreamAccess>();
    expectTypeOf(fromNodeReadable).returns.toEqualTypeOf<AsyncStreamAccess>();
  });

  it('the sync and async twins differ only by promises', () => {
    expectTypeOf<StreamAccess['readInto']>().returns.toEqualTypeOf<number>();
    expectTypeOf<AsyncStreamAccess['readInto']>().returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf<StreamAccess['size']>().toEqualTypeOf<number>();
    expectTypeOf<AsyncStreamAccess['size']>().returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf<Whence>().toEqualTypeOf<0 | 1 | 2>();
    expectTypeOf<FileMode>().toEqualTypeOf<'r' | 'r+' | 'w' | 'w+' | 'x' | 'x+' | 'a' | 'a+'>();
    expectTypeOf<'ERR_BUFFER_RELEASED'>().toMatchTypeOf<StreamErrorCode>();
  });

  it('adapters return the platform types', () => {
    expectTypeOf(toRawIO).returns.toEqualTypeOf<RawIO>();
    expectTypeOf(toReadableStream).returns.toEqualTypeOf<ReadableStream<Uint8Array>>();
    expectTypeOf(toWritableStream).returns.toEqualTypeOf<WritableStream<unknown>>();
    expectTypeOf<RawIO['read']>().parameters.toEqualTypeOf<[size?: number | null]>();
  });
});
