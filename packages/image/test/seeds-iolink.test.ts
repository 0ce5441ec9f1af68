// Every NumPy example of the IOLink seed (shared/seeds/003), in TypeScript, with the same shapes,
// imported as an IOLink user does: IOLink's names from "@interop/image/iolink", the shared error class
// from "@interop/image".
import { describe, expect, it } from 'vitest';
import { expectErrorCode } from '@interop/core/testing';
import { ImageError } from '@interop/image';
import { ImageView, fromArray, fromArrayWithAxes, toArray, toArrayWithAxes } from '@interop/image/iolink';
import { nd, ndFortran } from './helpers.js';

const values = new Uint16Array([11, 12, 13, 21, 22, 23]);

describe('IOLink seed: NumpyInterop', () => {
  it('from_numpy_array(na) views the array; changes are shared both ways', () => {
    const na = nd(values.slice(), [2, 3]);
    const view = fromArray(na);
    expect(view.shape).toEqual([2, 3]);
    expect(view.getValue([1, 2])).toBe(23);
    na.set([0, 1], 99);
    expect(view.getValue([0, 1])).toBe(99);
    view.setValue([1, 0], 7);
    expect(na.get([1, 0])).toBe(7);
    view.release();
    na.release();
  });

  it('accepts Fortran and C layouts: both views have shape (2, 3)', () => {
    const fortran = ndFortran(values, [2, 3]);
    const c = nd(values.slice(), [2, 3]);
    expect(fortran.fContiguous && !fortran.cContiguous).toBe(true);
    const view1 = fromArray(fortran);
    const view2 = fromArray(c);
    expect(view1.shape).toEqual([2, 3]);
    expect(view2.shape).toEqual([2, 3]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(view1.getValue([i, j])).toBe(view2.getValue([i, j]));
    view1.release();
    view2.release();
    fortran.release();
    c.release();
  });

  it('reorganises a ROW x COLUMN array into canonical order by interpretation or by axes, without a copy', () => {
    const a = nd(values.slice(), [2, 3]);
    const byInterpretation = fromArray(a, 'IMAGE');
    const byAxes = fromArrayWithAxes(a, ['ROW', 'COLUMN']);
    for (const view of [byInterpretation, byAxes]) {
      expect(view.shape).toEqual([3, 2]); // COLUMN, ROW
      expect(view.axes).toEqual(['COLUMN', 'ROW']);
      expect(view.axesInterpretation).toBe('IMAGE');
      expect(view.getValue([2, 1])).toBe(23); // column 2, row 1
    }
    // The array is unchanged and shares memory with the views.
    expect(a.shape).toEqual([2, 3]);
    expect(a.toList()).toEqual([
      [11, 12, 13],
      [21, 22, 23],
    ]);
    byAxes.setValue([0, 1], 5);
    expect(a.get([1, 0])).toBe(5);
    byInterpretation.release();
    byAxes.release();
    a.release();
  });

  it('to_numpy_array of a VOLUME allocated (6, 4) prints (4, 6)', () => {
    const image = ImageView.allocate([6, 4], 'UINT16', { axesInterpretation: 'VOLUME' });
    const array = toArray(image);
    expect(array.shape).toEqual([4, 6]);
    array.release();
  });

  it('a VOLUME of shape (12, 4, 6) gives (6, 4, 12); with Vector3u16 (6, 4, 12, 3)', () => {
    const scalar = toArray(ImageView.allocate([12, 4, 6], 'UINT16', { axesInterpretation: 'VOLUME' }));
    const vector = toArray(ImageView.allocate([12, 4, 6], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' }));
    expect(scalar.shape).toEqual([6, 4, 12]);
    expect(vector.shape).toEqual([6, 4, 12, 3]);
    expect(scalar.cContiguous && vector.cContiguous).toBe(true);
    scalar.release();
    vector.release();
  });

  it('an UNKNOWN view keeps its order and only adds the channel: VEC3_UINT16 (6, 4) -> (6, 4, 3)', () => {
    const image = ImageView.allocate([6, 4], 'VEC3_UINT16');
    const array = toArray(image);
    expect(array.shape).toEqual([6, 4, 3]);
    image.setValue([5, 3], [1, 2, 3]);
    expect(array.get([5, 3, 2])).toBe(3);
    array.release();
  });

  it('order_to_numpy_array(VOLUME (6, 5, 4), [ROW, SLICE, COLUMN]) -> (5, 4, 6)', () => {
    const image = ImageView.allocate([6, 5, 4], 'UINT16', { axesInterpretation: 'VOLUME' });
    image.setValue([1, 2, 3], 42);
    const array = toArrayWithAxes(image, ['ROW', 'SLICE', 'COLUMN']);
    expect(array.shape).toEqual([5, 4, 6]);
    expect(array.get([2, 3, 1])).toBe(42);
    array.release();
  });

  it('order_to_numpy_array(VEC3 VOLUME (6, 5, 4), [ROW, SLICE, CHANNEL, COLUMN]) -> (5, 4, 3, 6)', () => {
    const image = ImageView.allocate([6, 5, 4], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' });
    image.setValue([1, 2, 3], [7, 8, 9]);
    const array = toArrayWithAxes(image, ['ROW', 'SLICE', 'CHANNEL', 'COLUMN']);
    expect(array.shape).toEqual([5, 4, 3, 6]);
    expect([0, 1, 2].map((c) => array.get([2, 3, c, 1]))).toEqual([7, 8, 9]);
    array.release();
  });

  it('refuses an explicit order for an UNKNOWN view, and orders that miss or repeat an axis', () => {
    const unknown = ImageView.allocate([6, 4], 'UINT16');
    expectErrorCode(() => toArrayWithAxes(unknown, ['ROW', 'COLUMN']), 'ERR_IMAGE_AXES_UNKNOWN');
    const vector = ImageView.allocate([6, 5, 4], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' });
    expectErrorCode(() => toArrayWithAxes(vector, ['ROW', 'SLICE', 'COLUMN']), 'ERR_IMAGE_AXES_INVALID');
    expectErrorCode(() => toArrayWithAxes(vector, ['ROW', 'ROW', 'CHANNEL', 'COLUMN']), 'ERR_IMAGE_AXES_INVALID');
    let thrown: unknown;
    try {
      toArrayWithAxes(unknown, ['ROW', 'COLUMN']);
    } catch (error) {
      thrown = error;
    }
    expect(ImageError.isInstance(thrown)).toBe(true);
    expect(unknown.exports + vector.exports).toBe(0);
  });
});
