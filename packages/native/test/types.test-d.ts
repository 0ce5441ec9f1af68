import type { Exporter, SharedErrorCode } from '@interop/core';
import { expectTypeOf } from 'vitest';
import type { nativeErrorCodes, NativeError } from '../src/index.js';
import { mapFile, SharedMemory, type MappedFile, type MapMode, type NativeErrorCode } from '../src/index.js';

expectTypeOf(mapFile).parameter(1).toEqualTypeOf<{ readonly mode?: MapMode } | undefined>();
expectTypeOf(mapFile).returns.toEqualTypeOf<MappedFile>();
expectTypeOf<MappedFile>().toMatchTypeOf<Exporter>();
expectTypeOf<SharedMemory>().toMatchTypeOf<Exporter>();
expectTypeOf<MapMode>().toEqualTypeOf<'r' | 'r+' | 'c'>();
expectTypeOf(SharedMemory.create).parameters.toEqualTypeOf<[string | null, number]>();
expectTypeOf<NativeError['code']>().toEqualTypeOf<NativeErrorCode>();
expectTypeOf<keyof typeof nativeErrorCodes | SharedErrorCode>().toEqualTypeOf<NativeErrorCode>();
expectTypeOf<'ERR_BUFFER_RELEASED'>().toMatchTypeOf<NativeErrorCode>();
// @ts-expect-error mode 'w' does not exist (NumPy's 'w+' creates files; mapFile maps existing ones)
mapFile('x', { mode: 'w' });
