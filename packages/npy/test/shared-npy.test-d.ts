import type { Exporter } from '@interop/core';
import { expectTypeOf } from 'vitest';
import type { NpyArray, NpyErrorCode } from '../src/index.js';
import { createSharedNpy, openSharedNpy, unlinkSharedNpy, type CreateSharedNpyOptions, type SharedNpyArray } from '../src/node/index.js';

expectTypeOf(createSharedNpy).returns.toEqualTypeOf<Promise<SharedNpyArray>>();
expectTypeOf(openSharedNpy).returns.toEqualTypeOf<Promise<SharedNpyArray>>();
expectTypeOf(unlinkSharedNpy).returns.toEqualTypeOf<Promise<void>>();
expectTypeOf<SharedNpyArray>().toMatchTypeOf<NpyArray>();
expectTypeOf<SharedNpyArray>().toMatchTypeOf<Exporter>();
expectTypeOf<SharedNpyArray['path']>().toEqualTypeOf<string>();
expectTypeOf<SharedNpyArray['unlink']>().toEqualTypeOf<() => void>();
expectTypeOf<CreateSharedNpyOptions['order']>().toEqualTypeOf<'C' | 'F' | undefined>();
expectTypeOf<'ERR_SHARED_INVALID_NAME'>().toMatchTypeOf<NpyErrorCode>();
