// `pnpm pack:tarballs [destination]`: packs every publishable package of packages/ into one folder
// (default: tarballs/, git-ignored), as `pnpm pack` makes them for the registry (workspace: ranges
// become real ones), and prints the npm command that installs them into another project. This is
// how to use the packages before they are published (docs/guides/installing.md); the packaging
// check (pack-check.mjs) packs through the same function.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workspacePackages } from './lib/workspace.mjs';

/**
 * Packs every publishable package into `destination`.
 * @param {string} root the repository root
 * @param {string} destination folder for the tarballs (created when missing)
 * @returns {Map<string, string>} short package name -> tarball path
 */
export function packTarballs(root, destination) {
  mkdirSync(destination, { recursive: true });
  // Use the pnpm that runs this script (CI runs it through npx, so pnpm need not be on PATH).
  const [command, prefix] = process.env.npm_execpath?.includes('pnpm') ? [process.execPath, [process.env.npm_execpath]] : ['pnpm', []];
  const packages = workspacePackages(root).filter((pkg) => pkg.publishable);
  for (const pkg of packages) {
    const result = spawnSync(command, [...prefix, 'pack', '--pack-destination', destination], { cwd: pkg.dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pnpm pack failed in ${pkg.dir} (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  const tarballs = new Map();
  const files = readdirSync(destination);
  for (const pkg of packages) {
    const prefixName = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.manifest.version}.tgz`;
    const file = files.find((entry) => entry === prefixName);
    if (file === undefined) throw new Error(`pnpm pack wrote no ${prefixName} for ${pkg.name} into ${destination}`);
    tarballs.set(pkg.short, join(destination, file));
  }
  return tarballs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.cwd();
  const destination = resolve(root, process.argv[2] ?? 'tarballs');
  const tarballs = packTarballs(root, destination);
  console.log(`Packed ${tarballs.size} packages into ${destination}:`);
  for (const [short, path] of tarballs) console.log(`  @interop/${short}  ${path}`);
  console.log('\nInstall the ones you need into your project (each with the @interop packages it depends on), e.g.:');
  console.log(`  npm install ${tarballs.get('core')} ${tarballs.get('npy') ?? ''}`.trimEnd());
}
