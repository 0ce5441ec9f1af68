// `pnpm bench [package] [filter]`: runs the benchmarks of every package (or one), one at a time so
// that measurements do not compete for the two cores, and writes results into docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePackages } from './lib/workspace.mjs';

// Every package of packages/ (dependency order), then every example, that has a bench/ folder.
const candidates = [...workspacePackages(process.cwd()), ...workspacePackages(process.cwd(), 'examples')];
const [onlyPackage, filter] = process.argv.slice(2);
let failed = 0;
for (const { short: name, name: packageName, dir: cwd } of candidates) {
  if (onlyPackage !== undefined && onlyPackage !== name) continue;
  if (!existsSync(join(cwd, 'bench'))) continue;
  console.log(`\n## ${packageName}`);
  const args = [join(process.cwd(), 'tools', 'scripts', 'run-bench.mjs')];
  if (filter !== undefined) args.push(filter);
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
