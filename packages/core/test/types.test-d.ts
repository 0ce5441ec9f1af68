import { expectTypeOf } from 'vitest';
import type { BufferError } from '@interop/core';
import { BufferFlags, getBuffer, getbuffer, releasebuffer, type BufferErrorCode, type BufferInfo, type Exporter, type ExporterAdapter } from '@interop/core';
import { describeExporter, type ConformanceSubject } from '@interop/core/testing';

expectTypeOf(getBuffer).parameters.toEqualTypeOf<[obj: unknown, flags?: number]>();
expectTypeOf(getBuffer).returns.toEqualTypeOf<BufferInfo>();
expectTypeOf<BufferInfo['shape']>().toEqualTypeOf<readonly number[] | null>();
expectTypeOf<BufferInfo['format']>().toEqualTypeOf<string | null>();
expectTypeOf(BufferFlags.FULL_RO).toEqualTypeOf<284>();
expectTypeOf<BufferError['code']>().toEqualTypeOf<BufferErrorCode>();
expectTypeOf<'ERR_BUFFER_EXPORTED'>().toExtend<BufferErrorCode>();
expectTypeOf<'ERR_NOT_A_CODE'>().not.toExtend<BufferErrorCode>();
expectTypeOf(getbuffer).toEqualTypeOf<typeof getbuffer>();
expectTypeOf<Exporter>().toHaveProperty(getbuffer);
expectTypeOf<Exporter>().toHaveProperty(releasebuffer);
expectTypeOf<ExporterAdapter<Float32Array>['getbuffer']>().parameters.toEqualTypeOf<[value: Float32Array, flags: number]>();
expectTypeOf(describeExporter<Float32Array>)
  .parameter(1)
  .returns.toEqualTypeOf<ConformanceSubject<Float32Array>>();
