// Runs every bench/*.bench.ts of the package in the current directory, one process each, against
// the TypeScript sources (export condition "@interop/source"), so benchmarks need no build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'bench');
const only = process.argv[2];
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.ts') && (only === undefined || f.includes(only)))
      .sort()
  : [];
if (files.length === 0) {
  console.log(`no benchmarks in ${dir}`);
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=16384', '--conditions=@interop/source', '--import', 'tsx', join(dir, file)],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
