// "Picking individual packages": packs every package of packages/ (through pack.mjs, as
// `pnpm pack:tarballs` does), lints each tarball with publint and
// @arethetypeswrong/cli (ESM-only profile), then installs each tarball ALONE with npm into a fresh
// temporary project outside the workspace (plus only the tarballs of the @interop packages it
// declares; everything else comes from the registry) and runs a smoke example in plain Node ESM.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packTarballs } from './pack.mjs';
import { workspacePackages } from './lib/workspace.mjs';

const root = resolve(process.cwd());
const only = process.argv.slice(2);
const packOut = mkdtempSync(join(tmpdir(), 'interop-pack-'));
const names = workspacePackages(root)
  .filter((pkg) => pkg.publishable && (only.length === 0 || only.includes(pkg.short)))
  .map((pkg) => pkg.short);

const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

const tarballs = Object.fromEntries(packTarballs(root, packOut));

let failures = 0;
for (const name of names) {
  const label = `@interop/${name}`;
  try {
    const tarball = tarballs[name];
    run(join(root, 'node_modules', '.bin', 'publint'), ['run', tarball, '--strict']);
    run(join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
    const smokePath = join(root, 'packages', name, 'test', 'package-smoke.mjs');
    if (!existsSync(smokePath))
      throw new Error(`no smoke example: write packages/${name}/test/package-smoke.mjs (public imports only; throw on a wrong result)`);
    const needed = new Set([name]);
    // The @interop packages it declares (transitively): installed from their tarballs, since they are not published yet.
    const queue = [name];
    while (queue.length > 0) {
      const current = queue.pop();
      const pkg = JSON.parse(readFileSync(join(root, 'packages', current, 'package.json'), 'utf8'));
      const optional = pkg.peerDependenciesMeta ?? {};
      for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
        const short = dep.startsWith('@interop/') ? dep.slice('@interop/'.length) : null;
        if (short !== null && optional[dep]?.optional !== true && !needed.has(short)) {
          needed.add(short);
          queue.push(short);
        }
      }
    }
    const project = mkdtempSync(join(tmpdir(), `interop-consumer-${name}-`));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...[...needed].map((n) => tarballs[n])], { cwd: project });
    writeFileSync(join(project, 'smoke.mjs'), readFileSync(smokePath, 'utf8'));
    run(process.execPath, ['smoke.mjs'], { cwd: project });
    rmSync(project, { recursive: true, force: true });
    console.log(
      `ok   ${label}: publint, attw (esm-only), installed alone with npm (+ ${
        [...needed]
          .filter((n) => n !== name)
          .map((n) => `@interop/${n}`)
          .join(', ') || 'nothing else from the workspace'
      }), smoke example ran`,
    );
  } catch (error) {
    failures++;
    console.log(`FAIL ${label}: ${error.message}`);
  }
}
rmSync(packOut, { recursive: true, force: true });
process.exit(failures === 0 ? 0 : 1);
