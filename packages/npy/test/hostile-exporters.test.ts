// The hostile-exporter matrix of @interop/core/testing against npy's writers (issue 16): every
// case ends with a typed error or a .npy holding exactly the exporter's valid values.
import { describeHostileConsumer, exporterFloat64Values } from '@interop/core/testing';
import { readNpy, writeNpy, writeNpz, readNpz } from '../src/index.js';

for (const shape of [[16], [4, 4]]) {
  describeHostileConsumer(
    `writeNpy (shape [${shape.join(', ')}])`,
    {
      consume: (exporter) => writeNpy(exporter),
      values: (bytes) => exporterFloat64Values(readNpy(bytes, { copy: true })),
    },
    { shape },
  );
}

describeHostileConsumer('writeNpz', {
  consume: (exporter) => writeNpz({ x: exporter }),
  values: (bytes) => exporterFloat64Values(readNpz(bytes).get('x')),
});
