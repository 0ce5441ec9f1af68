import { expectTypeOf } from 'vitest';
import type { MemoryView } from '@interop/core';
import type { Image as ItkImage } from 'itk-wasm';
import { readImageNode, writeImageNode } from '@itk-wasm/image-io';
import { readImageFile } from '../src/node/index.js';
import {
  arrayViewFromImage,
  fromItkWasm,
  readImage,
  toItkWasm,
  toRGBA,
  writeImage,
  Image,
  type ComponentType,
  type ImageDict,
  type PixelType,
  type PixelValue,
} from '../src/index.js';
import { AxesInterpretation, DataTypeId, ImageAxis, toArrayWithAxes, type ImageView } from '../src/iolink/index.js';

expectTypeOf(arrayViewFromImage).returns.toEqualTypeOf<MemoryView>();
expectTypeOf(toArrayWithAxes).parameter(1).toEqualTypeOf<readonly ImageAxis[]>();
expectTypeOf<ImageAxis>().toEqualTypeOf<'COLUMN' | 'ROW' | 'SLICE' | 'CHANNEL' | 'SEQUENCE'>();
expectTypeOf(ImageAxis.CHANNEL).toEqualTypeOf<'CHANNEL'>();
expectTypeOf(AxesInterpretation.VOLUME).toEqualTypeOf<'VOLUME'>();
expectTypeOf(DataTypeId.VEC3_UINT16).toEqualTypeOf<'VEC3_UINT16'>();
expectTypeOf<DataTypeId>().toMatchTypeOf<string>();
expectTypeOf<ComponentType>().toEqualTypeOf<
  'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float16' | 'float32' | 'float64'
>();
expectTypeOf<'RGB'>().toMatchTypeOf<PixelType>();
expectTypeOf<Image['getPixel']>().returns.toEqualTypeOf<PixelValue>();
expectTypeOf<ImageDict['data']>().toMatchTypeOf<ArrayBufferView | null>();
expectTypeOf<ImageView['axes']>().toEqualTypeOf<ImageAxis[] | null>();
// @ts-expect-error: axes are names, not numbers
toArrayWithAxes({} as ImageView, [0, 1]);
// @ts-expect-error: unknown component types are rejected at compile time
new Image({ componentType: 'int128' });

// Issue 19: toItkWasm's result is itk-wasm's own Image, so it goes straight into itk-wasm's writers
// (this was TS2345), and what itk-wasm's readers return goes straight into fromItkWasm.
expectTypeOf(toItkWasm).returns.toMatchTypeOf<ItkImage>();
expectTypeOf<ItkImage>().toMatchTypeOf<Parameters<typeof fromItkWasm>[0]>();
export const writeThroughItkWasm = (image: Image, path: string): Promise<void> => writeImageNode(toItkWasm(image), path);
export const readThroughItkWasm = async (path: string): Promise<Image> => fromItkWasm(await readImageNode(path));
expectTypeOf(readImage).returns.toEqualTypeOf<Promise<Image>>();
expectTypeOf(writeImage).returns.toEqualTypeOf<Promise<Uint8Array>>();
expectTypeOf(readImageFile).returns.toEqualTypeOf<Promise<Image>>();
expectTypeOf(toRGBA).returns.toEqualTypeOf<Image>();
// @ts-expect-error: TIFF goes through readImageFile, not the browser-safe readImage
void readImage(new Uint8Array(0), { format: 'tiff' });
