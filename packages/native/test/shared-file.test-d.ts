import { expectTypeOf } from 'vitest';
import { createSharedFile, openSharedFile, sharedDirectory, sharedFilePath, unlinkSharedFile, type MappedFile, type NativeErrorCode, type OpenSharedFileOptions } from '../src/index.js';

expectTypeOf(createSharedFile).returns.toEqualTypeOf<MappedFile>();
expectTypeOf(openSharedFile).returns.toEqualTypeOf<MappedFile>();
expectTypeOf(unlinkSharedFile).returns.toEqualTypeOf<void>();
expectTypeOf(sharedDirectory).returns.toEqualTypeOf<string>();
expectTypeOf(sharedFilePath).returns.toEqualTypeOf<string>();
expectTypeOf<OpenSharedFileOptions['mode']>().toEqualTypeOf<'r' | 'r+' | undefined>();
expectTypeOf<'ERR_SHARED_EXISTS' | 'ERR_NATIVE_NO_SPACE'>().toMatchTypeOf<NativeErrorCode>();
