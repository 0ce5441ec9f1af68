import { describeExporter } from '@interop/core/testing';
import { VnlMatrix, VnlVector, vnlMatrixViewFromArray, vnlVectorViewFromArray } from '../src/index.js';

describeExporter('VnlVector<float64>', () => ({
  exporter: VnlVector.from('float64', [1, 2, 3, 4, 5]),
  mutations: { setSize: (v: VnlVector) => v.setSize(8) },
  expected: { format: 'd', itemsize: 8, shape: [5], readonly: false },
}));

describeExporter('VnlVector<complex64>', () => ({
  exporter: VnlVector.from('complex64', [
    [1, 2],
    [3, 4],
  ]),
  mutations: { setSize: (v: VnlVector) => v.setSize(3) },
  expected: { format: 'Zf', itemsize: 8, shape: [2], readonly: false },
}));

describeExporter('VnlVector<uint64>', () => ({
  exporter: VnlVector.from('uint64', [1n, 2n, 3n]),
  mutations: { setSize: (v: VnlVector) => v.setSize(1) },
  expected: { format: 'Q', itemsize: 8, shape: [3], readonly: false },
}));

describeExporter('VnlMatrix<float64>', () => {
  const m = new VnlMatrix('float64', 3, 4);
  for (let i = 0; i < m.data.length; i++) m.data[i] = i;
  return {
    exporter: m,
    mutations: { setSize: (x: VnlMatrix) => x.setSize(4, 4) },
    expected: { format: 'd', itemsize: 8, shape: [3, 4], readonly: false },
  };
});

describeExporter('VnlMatrix<int16>', () => ({
  exporter: VnlMatrix.fromRows('int16', [
    [1, 2, 3],
    [4, 5, 6],
  ]),
  mutations: { setSize: (x: VnlMatrix) => x.setSize(3, 3) },
  expected: { format: 'h', itemsize: 2, shape: [2, 3], readonly: false },
}));

describeExporter('VnlMatrix<complex128>', () => ({
  exporter: VnlMatrix.fromRows('complex128', [
    [
      [1, 2],
      [3, 4],
    ],
  ]),
  mutations: { setSize: (x: VnlMatrix) => x.setSize(2, 2) },
  expected: { format: 'Zd', itemsize: 16, shape: [1, 2], readonly: false },
}));

describeExporter('VnlVectorRef<int32> (view of an Int32Array)', () => {
  const ref = vnlVectorViewFromArray(new Int32Array([1, 2, 3]), 'int32');
  return { exporter: ref, expected: { format: 'i', itemsize: 4, shape: [3], readonly: false }, dispose: () => ref.release() };
});

describeExporter('VnlMatrixRef<float64> (view of a VnlMatrix)', () => {
  const ref = vnlMatrixViewFromArray(
    VnlMatrix.fromRows('float64', [
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
    'float64',
  );
  return { exporter: ref, expected: { format: 'd', itemsize: 8, shape: [3, 2], readonly: false }, dispose: () => ref.release() };
});
