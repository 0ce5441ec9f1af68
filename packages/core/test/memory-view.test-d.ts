import { describe, expectTypeOf, it } from 'vitest';
import {
  canCast,
  MemoryView,
  type AstypeOptions,
  type Casting,
  type Exporter,
  type FormatValue,
  type MemoryViewIndex,
  type MemoryViewList,
  type MemoryViewRecord,
  type MemoryViewTypedArray,
  type MemoryViewValue,
  type Rounding,
  type SliceSpec,
  type SourceValue,
} from '@interop/core';

describe('MemoryView types', () => {
  it('is an exporter and disposable', () => {
    expectTypeOf<MemoryView>().toExtend<Exporter>();
    expectTypeOf<MemoryView>().toExtend<Disposable>();
    expectTypeOf<MemoryView<number>>().toExtend<Exporter>();
    expectTypeOf<MemoryView>().toEqualTypeOf<MemoryView<MemoryViewValue>>();
    // The last overload takes anything and answers the wide type.
    expectTypeOf(MemoryView.from).toBeCallableWith({}, 0);
    expectTypeOf(MemoryView.from({} as unknown, 0)).toEqualTypeOf<MemoryView>();
  });

  it('types attributes and element access of an unknown format with the wide union', () => {
    const view = MemoryView.from({} as unknown);
    expectTypeOf(view).toEqualTypeOf<MemoryView>();
    expectTypeOf(view.shape).toEqualTypeOf<readonly number[]>();
    expectTypeOf(view.strides).toEqualTypeOf<readonly number[]>();
    expectTypeOf(view.suboffsets).toEqualTypeOf<readonly number[]>();
    expectTypeOf(view.format).toEqualTypeOf<string>();
    expectTypeOf(view.readonly).toEqualTypeOf<boolean>();
    expectTypeOf(view.obj).toEqualTypeOf<object>();
    expectTypeOf(view.get).parameter(0).toEqualTypeOf<MemoryViewIndex | undefined>();
    expectTypeOf(view.get(0)).toEqualTypeOf<MemoryViewValue>();
    expectTypeOf(view.set).parameter(1).toEqualTypeOf<unknown>();
    expectTypeOf(view.toList()).toEqualTypeOf<MemoryViewList<MemoryViewValue>>();
    expectTypeOf(view.toList()).toExtend<MemoryViewValue>();
    expectTypeOf(view.toBytes()).toEqualTypeOf<Uint8Array>();
    expectTypeOf(view.hex()).toEqualTypeOf<string>();
    expectTypeOf(view.toTypedArray()).toEqualTypeOf<MemoryViewTypedArray>();
    expectTypeOf<MemoryViewRecord>().toExtend<MemoryViewValue>();
    expectTypeOf<[number, number]>().toExtend<MemoryViewValue>();
    expectTypeOf<bigint>().toExtend<MemoryViewValue>();
    // A typed view still goes where a wide one is expected.
    expectTypeOf<MemoryView<number>>().toExtend<MemoryView>();
    expectTypeOf<MemoryView>().not.toExtend<MemoryView<number>>();
  });

  it('gives views of TypedArrays their element type, so numeric code type-checks', () => {
    using doubles = MemoryView.from(new Float64Array(4));
    expectTypeOf(doubles).toEqualTypeOf<MemoryView<number>>();
    expectTypeOf(doubles.get(0) + 1).toEqualTypeOf<number>();
    expectTypeOf(MemoryView.from(new Uint8Array(4)).get(0)).toEqualTypeOf<number>();
    expectTypeOf(MemoryView.from(new ArrayBuffer(4)).get(0)).toEqualTypeOf<number>();
    expectTypeOf(MemoryView.from(new DataView(new ArrayBuffer(4))).get(0)).toEqualTypeOf<number>();
    expectTypeOf(MemoryView.from(new BigInt64Array(2)).get(0)).toEqualTypeOf<bigint>();
    expectTypeOf(MemoryView.from(new BigUint64Array(2)).get(0) * 2n).toEqualTypeOf<bigint>();
    expectTypeOf(MemoryView.from(doubles).get(0)).toEqualTypeOf<number>();
    expectTypeOf(doubles.toTypedArray()).toEqualTypeOf<
      Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array
    >();
    expectTypeOf(MemoryView.from(new BigInt64Array(2)).copyToTypedArray()).toEqualTypeOf<BigInt64Array | BigUint64Array>();
    expectTypeOf(doubles.toList()).toEqualTypeOf<MemoryViewList<number>>();
    doubles.set(0, 1.5);
    // @ts-expect-error a float64 item takes a number, not a string
    expectTypeOf(doubles.set).toBeCallableWith(0, '1.5');
    // @ts-expect-error a number view's items are not bigints
    const wrong: bigint = doubles.get(0);
    void wrong;
  });

  it('keeps the value type through view operations', () => {
    using doubles = MemoryView.from(new Float64Array(12));
    expectTypeOf(doubles.slice('1:')).toEqualTypeOf<MemoryView<number>>();
    expectTypeOf(doubles.reshape([3, 4]).transpose().flip(0).toReadonly()).toEqualTypeOf<MemoryView<number>>();
    expectTypeOf(MemoryView.copy(doubles)).toEqualTypeOf<MemoryView<number>>();
    expectTypeOf(MemoryView.copy(new BigInt64Array(2))).toEqualTypeOf<MemoryView<bigint>>();
    expectTypeOf(MemoryView.copy({})).toEqualTypeOf<MemoryView>();
  });

  it('types format literals: number, bigint for 8-byte integers, boolean for ?, [re, im] for complex', () => {
    using bytes = MemoryView.from(new Uint8Array(64));
    expectTypeOf(bytes.cast('<d').get(0)).toEqualTypeOf<number>();
    expectTypeOf(bytes.cast('f').get(0)).toEqualTypeOf<number>();
    expectTypeOf(bytes.cast('e').get(0)).toEqualTypeOf<number>();
    expectTypeOf(bytes.cast('>q').get(0)).toEqualTypeOf<bigint>();
    expectTypeOf(bytes.cast('Q').get(0)).toEqualTypeOf<bigint>();
    expectTypeOf(bytes.cast('l').get(0)).toEqualTypeOf<bigint>(); // native long: 8 bytes
    expectTypeOf(bytes.cast('<l').get(0)).toEqualTypeOf<number>(); // standard long: 4 bytes
    expectTypeOf(bytes.cast('?').get(0)).toEqualTypeOf<boolean>();
    expectTypeOf(bytes.cast('Zd').get(0)).toEqualTypeOf<[number, number]>();
    expectTypeOf(bytes.cast('>Zf').get(0)).toEqualTypeOf<[number, number]>();
    expectTypeOf(bytes.cast('4s').get(0)).toEqualTypeOf<Uint8Array>();
    expectTypeOf(bytes.cast('T{<i:id:}').get(0)).toEqualTypeOf<MemoryViewRecord>();
    expectTypeOf(bytes.cast('d').view('Zd').get(0)).toEqualTypeOf<[number, number]>();
    expectTypeOf(bytes.astype('?').get(0)).toEqualTypeOf<boolean>();
    expectTypeOf(MemoryView.copy(bytes, { format: '<q', casting: 'safe' }).get(0)).toEqualTypeOf<bigint>();
    expectTypeOf(bytes.cast('?').set).parameter(1).toEqualTypeOf<boolean>();
    expectTypeOf(bytes.cast('Zd').set).parameter(1).toEqualTypeOf<[number, number] | number>();
    expectTypeOf(bytes.cast('q').set).parameter(1).toEqualTypeOf<bigint | number>();
    // A format that is not a literal keeps the wide union.
    const format: string = 'd';
    expectTypeOf(bytes.cast(format).get(0)).toEqualTypeOf<MemoryViewValue>();
    expectTypeOf<FormatValue<string>>().toEqualTypeOf<MemoryViewValue>();
    expectTypeOf<FormatValue<'g'>>().toEqualTypeOf<MemoryViewValue>();
    expectTypeOf<SourceValue<Int16Array>>().toEqualTypeOf<number>();
  });

  it('types view operations and conversion options', () => {
    expectTypeOf<'1:5'>().toExtend<SliceSpec>();
    expectTypeOf<{ start: number; step: number }>().toExtend<SliceSpec>();
    expectTypeOf<null>().toExtend<SliceSpec>();
    expectTypeOf<MemoryView['slice']>().returns.toEqualTypeOf<MemoryView>();
    expectTypeOf<MemoryView<bigint>['transpose']>().returns.toEqualTypeOf<MemoryView<bigint>>();
    expectTypeOf<Casting>().toEqualTypeOf<'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe'>();
    expectTypeOf<Rounding>().toEqualTypeOf<'rint' | 'trunc' | 'floor' | 'ceil'>();
    expectTypeOf<AstypeOptions>().toEqualTypeOf<{
      readonly order?: 'C' | 'F' | 'A' | 'K';
      readonly casting?: Casting;
      readonly rounding?: Rounding;
      readonly clamp?: boolean;
    }>();
    expectTypeOf(canCast).returns.toEqualTypeOf<boolean>();
    // @ts-expect-error 'round' is not a rounding mode
    expectTypeOf(MemoryView.prototype.astype).toBeCallableWith('B', { rounding: 'round' });
    // @ts-expect-error the constructor is private: views come from MemoryView.from
    new MemoryView();
  });
});
