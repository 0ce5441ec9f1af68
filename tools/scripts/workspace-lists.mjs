// Writes the lists that tools outside our scripts need spelled out (the root tsconfig.json's project
// references, for `tsc -b` and editors) from packages/*. `--check` fails when a committed list is
// out of date (CI runs it), so a new package is picked up by running `pnpm workspace:lists`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePackages } from './lib/workspace.mjs';

const root = process.cwd();
const target = join(root, 'tsconfig.json');
const references = workspacePackages(root)
  .filter((pkg) => pkg.publishable)
  .map((pkg) => `    { "path": "./packages/${pkg.short}/tsconfig.build.json" }`);
const expected = `{
  "files": [],
  "references": [
${references.join(',\n')}
  ]
}
`;
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== expected) {
    console.error('tsconfig.json does not reference every package in packages/: run `pnpm workspace:lists` and commit the result.');
    process.exit(1);
  }
  console.log('workspace lists are current.');
} else {
  writeFileSync(target, expected);
  console.log(`wrote ${target}`);
}
