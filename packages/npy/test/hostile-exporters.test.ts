// The hostile-exporter matrix of @interop/core/testing against npy's writers (issue 16): every
// case ends with a typed error or a .npy holding exactly the exporter's valid values.
import { MemoryView } from '@interop/core';
import { describeHostileConsumer } from '@interop/core/testing';
import { readNpy, writeNpy, writeNpz, readNpz } from '../src/index.js';

function float64Values(source: unknown): number[] {
  const view = MemoryView.from(source);
  try {
    return Array.from(view.copyToTypedArray() as Float64Array);
  } finally {
    view.release();
  }
}

for (const shape of [[16], [4, 4]]) {
  describeHostileConsumer(
    `writeNpy (shape [${shape.join(', ')}])`,
    {
      consume: (exporter) => writeNpy(exporter),
      values: (bytes) => float64Values(readNpy(bytes, { copy: true })),
    },
    { shape },
  );
}

describeHostileConsumer('writeNpz', {
  consume: (exporter) => writeNpz({ x: exporter }),
  values: (bytes) => float64Values(readNpz(bytes).get('x')),
});
