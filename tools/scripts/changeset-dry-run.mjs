// Proves `changeset version` works without touching the checkout: copies the workspace manifests
// and pending changesets to a temporary directory, runs `changeset version` there, and prints the
// version each package would be released at and the first lines of each generated changelog.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const temp = mkdtempSync(join(tmpdir(), 'interop-changeset-'));
try {
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset']) cpSync(join(root, file), join(temp, file), { recursive: true });
  for (const name of readdirSync(join(root, 'packages'))) {
    const manifest = join(root, 'packages', name, 'package.json');
    if (existsSync(manifest)) cpSync(manifest, join(temp, 'packages', name, 'package.json'));
  }
  const pending = readdirSync(join(temp, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (pending.length === 0) {
    console.log('no pending changesets');
    process.exit(0);
  }
  const bin = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
  const result = spawnSync(process.execPath, [bin, 'version'], { cwd: temp, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    process.exit(1);
  }
  for (const name of readdirSync(join(temp, 'packages')).sort()) {
    const manifest = JSON.parse(readFileSync(join(temp, 'packages', name, 'package.json'), 'utf8'));
    const changelog = join(temp, 'packages', name, 'CHANGELOG.md');
    console.log(`${manifest.name}@${manifest.version}${existsSync(changelog) ? '' : ' (no changes)'}`);
    if (existsSync(changelog))
      console.log(
        readFileSync(changelog, 'utf8')
          .split('\n')
          .slice(0, 8)
          .map((l) => `    ${l}`)
          .join('\n'),
      );
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
