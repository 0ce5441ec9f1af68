import { describe, expectTypeOf, it } from 'vitest';
import { MemoryView, type Exporter, type MemoryViewIndex, type MemoryViewRecord, type MemoryViewTypedArray, type MemoryViewValue, type SliceSpec } from '@interop/core';

describe('MemoryView types', () => {
  it('is an exporter and disposable', () => {
    expectTypeOf<MemoryView>().toMatchTypeOf<Exporter>();
    expectTypeOf<MemoryView>().toMatchTypeOf<Disposable>();
    expectTypeOf(MemoryView.from).parameters.toEqualTypeOf<[obj: unknown, flags?: number]>();
    expectTypeOf(MemoryView.from).returns.toEqualTypeOf<MemoryView>();
  });

  it('types attributes and element access', () => {
    const view = MemoryView.from(new Uint8Array(4));
    expectTypeOf(view.shape).toEqualTypeOf<readonly number[]>();
    expectTypeOf(view.strides).toEqualTypeOf<readonly number[]>();
    expectTypeOf(view.suboffsets).toEqualTypeOf<readonly number[]>();
    expectTypeOf(view.format).toEqualTypeOf<string>();
    expectTypeOf(view.readonly).toEqualTypeOf<boolean>();
    expectTypeOf(view.obj).toEqualTypeOf<object>();
    expectTypeOf(view.get).parameter(0).toEqualTypeOf<MemoryViewIndex | undefined>();
    expectTypeOf(view.get(0)).toEqualTypeOf<MemoryViewValue>();
    expectTypeOf(view.toList()).toEqualTypeOf<MemoryViewValue>();
    expectTypeOf(view.toBytes()).toEqualTypeOf<Uint8Array>();
    expectTypeOf(view.hex()).toEqualTypeOf<string>();
    expectTypeOf(view.toTypedArray()).toEqualTypeOf<MemoryViewTypedArray>();
    expectTypeOf<MemoryViewRecord>().toMatchTypeOf<MemoryViewValue>();
    expectTypeOf<[number, number]>().toMatchTypeOf<MemoryViewValue>();
    expectTypeOf<bigint>().toMatchTypeOf<MemoryViewValue>();
    view.release();
  });

  it('types view operations', () => {
    expectTypeOf<'1:5'>().toMatchTypeOf<SliceSpec>();
    expectTypeOf<{ start: number; step: number }>().toMatchTypeOf<SliceSpec>();
    expectTypeOf<null>().toMatchTypeOf<SliceSpec>();
    expectTypeOf(MemoryView.prototype.slice).returns.toEqualTypeOf<MemoryView>();
    expectTypeOf(MemoryView.prototype.cast).parameters.toEqualTypeOf<[format: string, shape?: readonly number[]]>();
    expectTypeOf(MemoryView.copy).parameter(1).toEqualTypeOf<{ readonly order?: 'C' | 'F' | 'A'; readonly format?: string; readonly convert?: boolean } | undefined>();
    // @ts-expect-error the constructor is private: views come from MemoryView.from
    new MemoryView();
  });
});
