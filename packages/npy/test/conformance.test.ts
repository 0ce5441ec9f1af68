import { describeExporter } from '@interop/core/testing';
import { readNpy } from '../src/index.js';
import { fixture } from './helpers.js';

describeExporter('NpyArray (C order, float64)', () => {
  const array = readNpy(fixture('f8_le.npy'));
  return { exporter: array, mutations: { close: (a) => a.close() }, expected: { format: '<d', shape: [2, 5], readonly: false, itemsize: 8 } };
});

describeExporter('NpyArray (Fortran order, big-endian int16)', () => {
  const array = readNpy(fixture('fortran_i2_2x3x4.npy'));
  return { exporter: array, mutations: { close: (a) => a.close() }, expected: { format: '>h', shape: [2, 3, 4], readonly: false } };
});

describeExporter('NpyArray (read-only structured)', () => {
  const array = readNpy(fixture('struct_aligned.npy'), { readonly: true });
  return { exporter: array, mutations: { close: (a) => a.close() }, expected: { format: 'T{B:a:7x<d:b:h:c:6x}', shape: [2], readonly: true, itemsize: 24 } };
});

describeExporter('NpyArray (0-d and empty)', () => {
  const array = readNpy(fixture('empty_0x3.npy'));
  return { exporter: array, mutations: { close: (a) => a.close() }, expected: { shape: [0, 3] } };
});
