import type { Exporter, NumpyDatetimeField, NumpyDescr } from '@interop/core';
import { expectTypeOf } from 'vitest';
import {
  fromArrayInterface,
  readNpy,
  readNpz,
  toArrayInterface,
  writeNpy,
  writeNpz,
  type ArrayInterface,
  type NpyArray,
  type NpyErrorCode,
  type NpyHeader,
  type NpyVersion,
  type NpzFile,
} from '../src/index.js';
import { loadNpy, saveNpy } from '../src/node/index.js';

expectTypeOf(readNpy).returns.toEqualTypeOf<NpyArray>();
expectTypeOf<NpyArray>().toMatchTypeOf<Exporter>();
expectTypeOf<NpyArray['dtype']>().toEqualTypeOf<NumpyDescr>();
expectTypeOf<NpyArray['timeUnit']>().toEqualTypeOf<NumpyDatetimeField | null>();
expectTypeOf<NpyArray['version']>().toEqualTypeOf<NpyVersion | null>();
expectTypeOf<NpyHeader['shape']>().toEqualTypeOf<readonly number[]>();
expectTypeOf(writeNpy).returns.toEqualTypeOf<Uint8Array>();
expectTypeOf(readNpz).returns.toEqualTypeOf<NpzFile>();
expectTypeOf(writeNpz).parameter(1).toMatchTypeOf<{ compress?: boolean | number } | undefined>();
expectTypeOf(toArrayInterface).returns.toEqualTypeOf<ArrayInterface>();
expectTypeOf(fromArrayInterface).returns.toEqualTypeOf<NpyArray>();
expectTypeOf(loadNpy).returns.toEqualTypeOf<Promise<NpyArray>>();
expectTypeOf(saveNpy).returns.toEqualTypeOf<Promise<void>>();
expectTypeOf<'ERR_NPY_BAD_MAGIC'>().toMatchTypeOf<NpyErrorCode>();
// @ts-expect-error: codes are a closed set.
expectTypeOf<'ERR_NOT_A_CODE'>().toMatchTypeOf<NpyErrorCode>();
