import { expectTypeOf } from 'vitest';
import {
  createSharedFile,
  openSharedFile,
  sharedDirectory,
  sharedFilePath,
  unlinkSharedFile,
  type MappedFile,
  type NativeErrorCode,
  type OpenSharedFileOptions,
  type SharedFile,
} from '../src/index.js';

expectTypeOf(createSharedFile).returns.toEqualTypeOf<SharedFile>();
expectTypeOf(openSharedFile).returns.toEqualTypeOf<SharedFile>();
// Still a MappedFile: code written against the earlier return type keeps compiling.
expectTypeOf<SharedFile>().toMatchTypeOf<MappedFile>();
expectTypeOf<SharedFile['unlink']>().toEqualTypeOf<() => void>();
expectTypeOf(unlinkSharedFile).returns.toEqualTypeOf<void>();
expectTypeOf(sharedDirectory).returns.toEqualTypeOf<string>();
expectTypeOf(sharedFilePath).returns.toEqualTypeOf<string>();
expectTypeOf<OpenSharedFileOptions['mode']>().toEqualTypeOf<'r' | 'r+' | undefined>();
expectTypeOf<'ERR_SHARED_EXISTS' | 'ERR_NATIVE_NO_SPACE'>().toMatchTypeOf<NativeErrorCode>();
