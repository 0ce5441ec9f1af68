// The Node-only API of @interop/core ("@interop/core/node"): file helpers that every package's
// Node entry point uses for long loads and saves (progress, cancellation, all-or-nothing writes).
export { readFileInto, writeFileAtomic, type ReadFileIntoOptions, type WriteFileAtomicOptions } from './file-io.js';
