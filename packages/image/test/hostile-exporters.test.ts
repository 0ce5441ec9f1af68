// The hostile-exporter matrix of @interop/core/testing against image's array consumers (issue 16):
// every case ends with a typed error or an image holding exactly the exporter's valid values.
import { describeHostileConsumer, exporterFloat64Values } from '@interop/core/testing';
import { imageFromArray, imageViewFromArray } from '../src/index.js';
import { fromArray } from '../src/iolink/index.js';

describeHostileConsumer(
  'imageFromArray',
  {
    consume: (exporter) => imageFromArray(exporter),
    values: (image) => exporterFloat64Values(image),
  },
  { shape: [4, 4] },
);

describeHostileConsumer(
  'imageViewFromArray',
  {
    consume: (exporter) => imageViewFromArray(exporter),
    values: (image) => exporterFloat64Values(image),
    dispose: (image) => image.release(),
  },
  { shape: [4, 4] },
);

describeHostileConsumer(
  'fromArray (ImageView)',
  {
    consume: (exporter) => fromArray(exporter),
    values: (view) => exporterFloat64Values(view),
    dispose: (view) => view.release(),
  },
  { shape: [4, 4] },
);
