// Sums the vitest JSON reports of every workspace package and prints the plain closing line
// "N passed, N failed, N skipped" that CI reads. Exits non-zero when a test failed or a package
// that has tests left no report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
const missing = [];
for (const group of ['packages', 'tools', 'examples', 'tests']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).sort()) {
    const pkgDir = join(dir, name);
    const pkgJson = join(pkgDir, 'package.json');
    if (!existsSync(pkgJson)) continue;
    const scripts = JSON.parse(readFileSync(pkgJson, 'utf8')).scripts ?? {};
    if (scripts.test === undefined) continue;
    const report = join(pkgDir, '.vitest', 'report.json');
    if (!existsSync(report)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    const data = JSON.parse(readFileSync(report, 'utf8'));
    const p = data.numPassedTests ?? 0;
    // A test file that failed to load has no failed test but must count as a failure.
    const f = (data.numFailedTests ?? 0) + brokenSuites(data);
    const s = (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0);
    passed += p;
    failed += f;
    skipped += s;
    rows.push(`  ${`${group}/${name}`.padEnd(28)} ${String(p).padStart(6)} passed ${String(f).padStart(4)} failed ${String(s).padStart(4)} skipped`);
  }
}

function brokenSuites(data) {
  return (data.testResults ?? []).filter((suite) => suite.status === 'failed' && !(suite.assertionResults ?? []).some((test) => test.status === 'failed'))
    .length;
}

console.log('\nTest summary by package:');
for (const row of rows) console.log(row);
for (const name of missing) console.log(`  ${name.padEnd(28)} NO REPORT (tests did not run)`);
if (missing.length > 0) failed += missing.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
