// The hostile-exporter matrix of @interop/core/testing against BufferStream (issue 16): every case
// ends with a typed error or a stream that reads exactly the exporter's valid bytes.
import { describeHostileConsumer } from '@interop/core/testing';
import { BufferStream } from '../src/index.js';

describeHostileConsumer('BufferStream', {
  consume: (exporter) => new BufferStream(exporter),
  values: (stream) => {
    const bytes = stream.readAll();
    return Array.from(new Float64Array(bytes.slice().buffer));
  },
  dispose: (stream) => stream.close(),
});
