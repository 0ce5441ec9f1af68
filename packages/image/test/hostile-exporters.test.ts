// The hostile-exporter matrix of @interop/core/testing against image's array consumers (issue 16):
// every case ends with a typed error or an image holding exactly the exporter's valid values.
import { MemoryView } from '@interop/core';
import { describeHostileConsumer } from '@interop/core/testing';
import { imageFromArray, imageViewFromArray } from '../src/index.js';
import { fromArray } from '../src/iolink/index.js';

function float64Values(source: unknown): number[] {
  const view = MemoryView.from(source);
  try {
    return Array.from(view.copyToTypedArray() as Float64Array);
  } finally {
    view.release();
  }
}

describeHostileConsumer(
  'imageFromArray',
  {
    consume: (exporter) => imageFromArray(exporter),
    values: (image) => float64Values(image),
  },
  { shape: [4, 4] },
);

describeHostileConsumer(
  'imageViewFromArray',
  {
    consume: (exporter) => imageViewFromArray(exporter),
    values: (image) => float64Values(image),
    dispose: (image) => image.release(),
  },
  { shape: [4, 4] },
);

describeHostileConsumer(
  'fromArray (ImageView)',
  {
    consume: (exporter) => fromArray(exporter),
    values: (view) => float64Values(view),
    dispose: (view) => view.release(),
  },
  { shape: [4, 4] },
);
