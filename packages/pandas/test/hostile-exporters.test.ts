// The hostile-exporter matrix of @interop/core/testing against pandas columns (issue 16): every
// case ends with a typed error or a column holding exactly the exporter's valid values.
import { describeHostileConsumer } from '@interop/core/testing';
import { DataFrameView } from '../src/index.js';

describeHostileConsumer('DataFrameView.fromColumns (an exporter column)', {
  consume: (exporter) => DataFrameView.fromColumns({ x: exporter }),
  values: (frame) => frame.column('x').toArray().map(Number),
});
