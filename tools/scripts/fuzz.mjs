// `pnpm fuzz [runs]`: the long fuzzing mode. Runs every *fuzz* test file of every package with
// INTEROP_FUZZ_RUNS cases per property (default 1,000,000) and a seed from INTEROP_FUZZ_SEED (or a
// random one, printed so that a failure can be replayed). The *fuzz* files include the
// hostile-exporter matrix of @interop/core/testing (core: getBuffer and MemoryView.from against
// random lies, getters and Proxies; native: the same through C borrows): a run passes only with
// zero untyped errors, zero silent wrong results and zero crashes.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const runs = process.argv[2] ?? process.env.INTEROP_FUZZ_RUNS ?? '1000000';
const seed = process.env.INTEROP_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`fuzzing with ${runs} cases per property, seed ${seed} (replay: INTEROP_FUZZ_SEED=${seed} pnpm fuzz ${runs})`);
let failed = 0;
for (const name of readdirSync('packages').sort()) {
  const testDir = join('packages', name, 'test');
  if (!existsSync(testDir)) continue;
  const started = Date.now();
  const result = spawnSync('npx', ['vitest', 'run', 'fuzz', '--reporter=dot', '--passWithNoTests'], {
    cwd: join('packages', name),
    stdio: 'inherit',
    env: { ...process.env, INTEROP_FUZZ_RUNS: runs, INTEROP_FUZZ_SEED: seed },
  });
  console.log(`@interop/${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
