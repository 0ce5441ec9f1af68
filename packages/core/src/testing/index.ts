// @interop/core/testing: the conformance kit exporter authors run from vitest.
export { recordAllocations, type AllocationRecord } from './allocation-record.js';
export { allRequestFlags, describeExporter, expectBufferError, expectedRefusal, type ConformanceSubject } from './describe-exporter.js';
export { expectErrorCode, expectErrorCodeAsync, type ExpectErrorCodeOptions } from './expect-error-code.js';
export {
  describeHostileConsumer,
  exporterFloat64Values,
  hostileCases,
  hostileViolation,
  readFloat64Values,
  runHostileCase,
  type HostileCase,
  type HostileCaseOptions,
  type HostileConsumer,
  type HostileExporter,
  type HostileLayout,
  type HostileOutcome,
} from './hostile-exporters.js';
export {
  expectDetachedEverywhere,
  loseMemory,
  publicMethods,
  resizableBuffer,
  type DetachableSubject,
  type DetachedMethodsOptions,
  type MemoryLoss,
} from './detached-methods.js';
