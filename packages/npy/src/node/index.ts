// The Node-only API of @interop/npy ("@interop/npy/node"): files and memory-mapped files.
export { loadNpy, saveNpy, type LoadNpyOptions, type MmapMode } from './load-npy.js';
export { loadNpz, saveNpz } from './load-npz.js';
export {
  createSharedNpy,
  openSharedNpy,
  SharedNpyArray,
  unlinkSharedNpy,
  type CreateSharedNpyOptions,
  type OpenSharedNpyOptions,
  type SharedNpyLocation,
} from './shared-npy.js';
