import { expectTypeOf } from 'vitest';
import type { DataFrameView, PandasErrorCode } from '../src/index.js';
import { createSharedFrame, openSharedFrame, unlinkSharedFrame, type SharedFrame } from '../src/node/index.js';

expectTypeOf(createSharedFrame).returns.toEqualTypeOf<Promise<SharedFrame>>();
expectTypeOf(openSharedFrame).returns.toEqualTypeOf<Promise<SharedFrame>>();
expectTypeOf(unlinkSharedFrame).returns.toEqualTypeOf<Promise<void>>();
expectTypeOf<SharedFrame['frame']>().toEqualTypeOf<DataFrameView>();
expectTypeOf<'ERR_SHARED_EXISTS'>().toMatchTypeOf<PandasErrorCode>();
