import { expectTypeOf } from 'vitest';
import type { MemoryView } from '@interop/core';
import {
  arrayViewFromImage,
  AxesInterpretation,
  DataTypeId,
  Image,
  ImageAxis,
  toArrayWithAxes,
  type ComponentType,
  type ImageDict,
  type ImageView,
  type PixelType,
  type PixelValue,
} from '../src/index.js';

expectTypeOf(arrayViewFromImage).returns.toEqualTypeOf<MemoryView>();
expectTypeOf(toArrayWithAxes).parameter(1).toEqualTypeOf<readonly ImageAxis[]>();
expectTypeOf<ImageAxis>().toEqualTypeOf<'COLUMN' | 'ROW' | 'SLICE' | 'CHANNEL' | 'SEQUENCE'>();
expectTypeOf(ImageAxis.CHANNEL).toEqualTypeOf<'CHANNEL'>();
expectTypeOf(AxesInterpretation.VOLUME).toEqualTypeOf<'VOLUME'>();
expectTypeOf(DataTypeId.VEC3_UINT16).toEqualTypeOf<'VEC3_UINT16'>();
expectTypeOf<DataTypeId>().toMatchTypeOf<string>();
expectTypeOf<ComponentType>().toEqualTypeOf<'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float16' | 'float32' | 'float64'>();
expectTypeOf<'RGB'>().toMatchTypeOf<PixelType>();
expectTypeOf<Image['getPixel']>().returns.toEqualTypeOf<PixelValue>();
expectTypeOf<ImageDict['data']>().toMatchTypeOf<ArrayBufferView | null>();
expectTypeOf<ImageView['axes']>().toEqualTypeOf<ImageAxis[] | null>();
// @ts-expect-error: axes are names, not numbers
toArrayWithAxes({} as ImageView, [0, 1]);
// @ts-expect-error: unknown component types are rejected at compile time
new Image({ componentType: 'int128' });
