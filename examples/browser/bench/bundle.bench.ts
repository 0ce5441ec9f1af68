import { reportBenchmarks } from '@interop/config/bench';
import { measureBundles } from '../bundle-size.js';

const { contract, full } = await measureBundles();
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
reportBenchmarks(
  'bundle',
  `## Bundle size of @interop/core

Built with Vite 8 (minified, tree-shaken, ES module). Reproduce: \`pnpm bench browser\`.

| bundle | minified | gzip |
|---|---|---|
| the contract (getBuffer, releaseBuffer, exportBuffer, ExportLock, symbols, flags) | ${kib(contract.bytes)} | ${kib(contract.gzip)} |
| everything in @interop/core | ${kib(full.bytes)} | ${kib(full.gzip)} |

The package has no runtime dependencies, no \`eval\` or \`new Function\` (CSP-safe), and \`"sideEffects": false\`.`,
);
