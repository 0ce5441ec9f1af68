// Core's conformance kit on every exporter of this package.
import { describeExporter } from '@interop/core/testing';
import { Image, imageFromImageData, imageViewFromArray } from '../src/index.js';
import { ImageView, MultiImageView, fromArray, fromArrayWithAxes } from '../src/iolink/index.js';
import { nd, ndFortran } from './helpers.js';

describeExporter('Image<float32, 3>', () => {
  const image = new Image({ componentType: 'float32', size: [5, 4, 3] }).allocate();
  image.fill(1.5);
  return {
    exporter: image,
    mutations: { allocate: (x) => x.allocate(), setRegions: (x) => x.setRegions({ index: [0, 0, 0], size: [2, 2, 2] }), release: (x) => x.release() },
    expected: { format: 'f', shape: [3, 4, 5], readonly: false, itemsize: 4 },
  };
});

describeExporter('Image<RGB<uint8>, 2>', () => {
  const image = new Image({ componentType: 'uint8', pixelType: 'RGB', size: [4, 3] }).allocate();
  return {
    exporter: image,
    mutations: { allocate: (x) => x.allocate(), setRegions: (x) => x.setRegions([6, 6]) },
    expected: { format: 'B', shape: [3, 4, 3], itemsize: 1 },
  };
});

describeExporter('Image<complex<float64>, 2>', () => {
  const image = new Image({ componentType: 'float64', pixelType: 'Complex', size: [3, 2] }).allocate();
  return { exporter: image, mutations: { allocate: (x) => x.allocate() }, expected: { format: 'Zd', shape: [2, 3], itemsize: 16 } };
});

describeExporter('Image<VariableLengthVector<float16>, 4>', () => {
  const image = new Image({ componentType: 'float16', pixelType: 'VariableLengthVector', components: 2, size: [2, 2, 2, 2] }).allocate();
  return { exporter: image, mutations: { allocate: (x) => x.allocate() }, expected: { format: 'e', shape: [2, 2, 2, 2, 2], itemsize: 2 } };
});

describeExporter('Image view of a read-only array (imageViewFromArray)', () => {
  const base = nd(new Int16Array(12), [3, 4]);
  const array = base.toReadonly();
  base.release();
  const image = imageViewFromArray(array);
  return {
    exporter: image,
    mutations: { release: (x) => x.release() },
    expected: { format: 'h', shape: [3, 4], readonly: true },
    dispose: () => {
      image.release();
      array.release();
    },
  };
});

describeExporter('Image from ImageData', () => {
  const image = imageFromImageData({ data: new Uint8ClampedArray(3 * 2 * 4), width: 3, height: 2 });
  return { exporter: image, mutations: { allocate: (x) => x.allocate() }, expected: { format: 'B', shape: [2, 3, 4] } };
});

describeExporter('ImageView VOLUME VEC3_UINT16 (allocated)', () => {
  const view = ImageView.allocate([6, 5, 4], 'VEC3_UINT16', { axesInterpretation: 'VOLUME' });
  return {
    exporter: view,
    mutations: { setShape: (x) => x.setShape([2, 2, 2]), setDataType: (x) => x.setDataType('FLOAT'), release: (x) => x.release() },
    expected: { format: 'H', shape: [4, 5, 6, 3], readonly: false },
  };
});

describeExporter('ImageView UNKNOWN (allocated, strided export)', () => {
  const view = ImageView.allocate([6, 4], 'DOUBLE');
  return { exporter: view, mutations: { setShape: (x) => x.setShape([3, 3]) }, expected: { format: 'd', shape: [6, 4] } };
});

describeExporter('ImageView of a Fortran array with axes', () => {
  const array = ndFortran(
    new Float32Array(24).map((_, i) => i),
    [2, 3, 4],
  );
  const view = fromArrayWithAxes(array, ['SLICE', 'COLUMN', 'ROW']);
  return {
    exporter: view,
    mutations: { release: (x) => x.release() },
    expected: { format: 'f', shape: [2, 4, 3] },
    dispose: () => {
      view.release();
      array.release();
    },
  };
});

describeExporter('ImageView of a C array (fromArray IMAGE)', () => {
  const array = nd(new Uint8Array(6), [2, 3]);
  const view = fromArray(array, 'IMAGE');
  return {
    exporter: view,
    mutations: { release: (x) => x.release() },
    expected: { format: 'B', shape: [2, 3] },
    dispose: () => {
      view.release();
      array.release();
    },
  };
});

describeExporter('MultiImageView (indirect)', () => {
  const frames = [0, 1, 2].map(() => ImageView.allocate([4, 3], 'INT32', { axesInterpretation: 'IMAGE' }));
  const stack = new MultiImageView(frames);
  return {
    exporter: stack,
    mutations: {
      addFrame: (x) => x.addFrame(ImageView.allocate([4, 3], 'INT32', { axesInterpretation: 'IMAGE' })),
      removeFrame: (x) => x.removeFrame(0),
      setFrame: (x) => x.setFrame(0, ImageView.allocate([4, 3], 'INT32', { axesInterpretation: 'IMAGE' })),
    },
    expected: { format: 'i', shape: [3, 3, 4] },
  };
});
