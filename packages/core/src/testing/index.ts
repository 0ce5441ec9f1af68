// @interop/core/testing: the conformance kit exporter authors run from vitest.
export { allRequestFlags, describeExporter, expectBufferError, expectedRefusal, type ConformanceSubject } from './describe-exporter.js';
export { expectDetachedEverywhere, loseMemory, publicMethods, resizableBuffer, type DetachableSubject, type DetachedMethodsOptions, type MemoryLoss } from './detached-methods.js';
