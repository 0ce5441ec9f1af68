// NumPy computes, from the raw memory layouts ITK and IOLink define, the arrays the seed examples
// must produce; this package must give the same shapes and values.
import { describe, expect, it } from 'vitest';
import { pythonPeer } from '@interop/config/python';
import { BufferFlags, getBuffer, releaseBuffer, type MemoryView } from '@interop/core';
import { arrayViewFromImage, Image, imageViewFromArray } from '../../src/index.js';
import { fromArray, fromArrayWithAxes, ImageView, toArray, toArrayWithAxes } from '../../src/iolink/index.js';
import { nd } from '../helpers.js';

const peer = pythonPeer(['numpy']);

interface Expected {
  readonly shape: number[];
  readonly values: number[];
}

const script = String.raw`
import json, numpy as np
out = {}
def put(name, a):
    out[name] = {"shape": list(a.shape), "values": np.ascontiguousarray(a).ravel().tolist()}

# ITK: an image of size [4, 3, 2] whose buffer (x fastest) holds 0..23.
buf = np.arange(24, dtype=np.float32)
put("itk_view", buf.reshape(2, 3, 4))                 # GetArrayViewFromImage -> [z, y, x]
put("itk_keep_axes", buf.reshape(2, 3, 4).transpose()) # keep_axes -> [x, y, z]
# ITK: RGB image of size [4, 3], buffer 0..35, components interleaved.
rgb = np.arange(36, dtype=np.uint8).reshape(3, 4, 3)
put("itk_rgb", rgb)
put("itk_rgb_keep_axes", rgb.transpose(1, 0, 2))
# GetImageViewFromArray(arr): pixel [x, y, z] is arr[z, y, x]; report arr in ITK order.
arr = (np.arange(24, dtype=np.float32) * 1.5).reshape(2, 3, 4)
put("image_from_array_itk_order", arr.transpose())

# IOLink: from_numpy_array(a, IMAGE) / order_from_numpy_array(a, [ROW, COLUMN]) -> canonical (COLUMN, ROW).
a = np.array([[11, 12, 13], [21, 22, 23]], np.uint16)
put("iolink_image_canonical", a.T)

# IOLink allocations: canonical memory, first dimension fastest, elements of n components.
def canonical(shape, comps=1):
    n = int(np.prod(shape)) * comps
    mem = np.arange(n, dtype=np.uint16)
    fortran_dims = tuple(reversed(shape)) + ((comps,) if comps > 1 else ())
    c = mem.reshape(fortran_dims)
    axes = tuple(reversed(range(len(shape)))) + ((len(shape),) if comps > 1 else ())
    return c.transpose(axes)  # canonical index order, channel last

v = canonical((12, 4, 6))
put("iolink_volume", v.transpose(2, 1, 0))                       # (6, 4, 12)
v3 = canonical((12, 4, 6), 3)
put("iolink_volume_vec3", v3.transpose(2, 1, 0, 3))              # (6, 4, 12, 3)
u = canonical((6, 4), 3)
put("iolink_unknown_vec3", u)                                    # (6, 4, 3)
o = canonical((6, 5, 4))
put("iolink_order_row_slice_column", o.transpose(1, 2, 0))       # (5, 4, 6)
o3 = canonical((6, 5, 4), 3)
put("iolink_order_row_slice_channel_column", o3.transpose(1, 2, 3, 0))  # (5, 4, 3, 6)
print(json.dumps(out))
`;

function flat(view: MemoryView): Expected {
  const values = (view.toList() as unknown[]).flat(Infinity as 1) as number[];
  return { shape: [...view.shape], values: values.map(Number) };
}

describe.skipIf(!peer.ok)(`peer: numpy${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  const expected = peer.ok ? (JSON.parse(peer.run(script).toString('utf8')) as Record<string, Expected>) : {};

  it('ITK: arrayViewFromImage (and keepAxes) match NumPy for scalar and RGB images', () => {
    const image = new Image({ componentType: 'float32', size: [4, 3, 2] }).allocate();
    (image.data as Float32Array).forEach((_, i, data) => (data[i] = i));
    const view = arrayViewFromImage(image);
    const keep = arrayViewFromImage(image, { keepAxes: true });
    expect(flat(view)).toEqual(expected.itk_view);
    expect(flat(keep)).toEqual(expected.itk_keep_axes);
    view.release();
    keep.release();
    const rgb = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [4, 3] }).allocate();
    (rgb.data as Uint8Array).forEach((_, i, data) => (data[i] = i));
    const rgbView = arrayViewFromImage(rgb);
    const rgbKeep = arrayViewFromImage(rgb, { keepAxes: true });
    expect(flat(rgbView)).toEqual(expected.itk_rgb);
    expect(flat(rgbKeep)).toEqual(expected.itk_rgb_keep_axes);
    rgbView.release();
    rgbKeep.release();
  });

  it('ITK: imageViewFromArray reads pixel [x, y, z] at array [z, y, x]', () => {
    const array = nd(
      new Float32Array(24).map((_, i) => i * 1.5),
      [2, 3, 4],
    );
    const image = imageViewFromArray(array);
    const itkOrder = arrayViewFromImage(image, { keepAxes: true });
    expect(flat(itkOrder)).toEqual(expected.image_from_array_itk_order);
    const { shape, values } = expected.image_from_array_itk_order!;
    expect(image.size).toEqual(shape);
    expect(image.getPixel([3, 2, 1])).toBe(values[3 * 6 + 2 * 2 + 1]);
    itkOrder.release();
    image.release();
    array.release();
  });

  it("IOLink: from_numpy_array(IMAGE) and order_from_numpy_array([ROW, COLUMN]) give NumPy's a.T", () => {
    const a = nd(new Uint16Array([11, 12, 13, 21, 22, 23]), [2, 3]);
    for (const view of [fromArray(a, 'IMAGE'), fromArrayWithAxes(a, ['ROW', 'COLUMN'])]) {
      const { shape, values } = expected.iolink_image_canonical!;
      expect(view.shape).toEqual(shape);
      const got: number[] = [];
      for (let column = 0; column < shape[0]!; column++) for (let row = 0; row < shape[1]!; row++) got.push(view.getValue([column, row]) as number);
      expect(got).toEqual(values);
      view.release();
    }
    a.release();
  });

  it('IOLink: to_numpy_array and order_to_numpy_array match NumPy for every seed example', () => {
    const cases: [string, ImageView, (view: ImageView) => MemoryView][] = [
      ['iolink_volume', ImageView.allocate([12, 4, 6], 'UINT16', { axesInterpretation: 'VOLUME' }), toArray],
      ['iolink_volume_vec3', ImageView.allocate([12, 4, 6], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' }), toArray],
      ['iolink_unknown_vec3', ImageView.allocate([6, 4], 'VEC3_UINT16'), toArray],
      [
        'iolink_order_row_slice_column',
        ImageView.allocate([6, 5, 4], 'UINT16', { axesInterpretation: 'VOLUME' }),
        (view) => toArrayWithAxes(view, ['ROW', 'SLICE', 'COLUMN']),
      ],
      [
        'iolink_order_row_slice_channel_column',
        ImageView.allocate([6, 5, 4], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' }),
        (view) => toArrayWithAxes(view, ['ROW', 'SLICE', 'CHANNEL', 'COLUMN']),
      ],
    ];
    for (const [name, view, convert] of cases) {
      // Fill the view's own memory 0, 1, 2... in canonical order (first dimension fastest), as NumPy does.
      const info = getBuffer(view, BufferFlags.FULL);
      new Uint16Array(info.buffer as ArrayBuffer).forEach((_, i, memory) => (memory[i] = i));
      releaseBuffer(info);
      const array = convert(view);
      expect(flat(array), name).toEqual(expected[name]);
      array.release();
    }
  });
});
