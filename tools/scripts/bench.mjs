// `pnpm bench [package] [filter]`: runs the benchmarks of every package (or one), one at a time so
// that measurements do not compete for the two cores, and writes results into docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const packages = ['core', 'stream', 'image', 'vnl', 'npy', 'pandas', 'native', 'browser'];
const [onlyPackage, filter] = process.argv.slice(2);
let failed = 0;
for (const name of packages) {
  if (onlyPackage !== undefined && onlyPackage !== name) continue;
  const cwd = join(process.cwd(), name === 'browser' ? 'examples' : 'packages', name);
  if (!existsSync(join(cwd, 'bench'))) continue;
  console.log(`\n## @interop/${name}`);
  const args = [join(process.cwd(), 'tools', 'scripts', 'run-bench.mjs')];
  if (filter !== undefined) args.push(filter);
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
