// The one place that knows which packages the repository has: every folder of packages/ with a
// package.json, in dependency order (each after the @interop packages it depends on). Every script
// that needs "all packages" (pack, bench, errors reference, workspace lists) asks here, so adding a
// package needs no hand edit of a list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ short: string, name: string, dir: string, manifest: Record<string, any>, publishable: boolean }} WorkspacePackage
 */

/**
 * @param {string} [root] the repository root (default: the current directory)
 * @param {string} [folder] 'packages' (default) or 'examples'
 * @returns {WorkspacePackage[]}
 */
export function workspacePackages(root = process.cwd(), folder = 'packages') {
  const base = join(root, folder);
  const found = readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(base, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { short: entry.name, name: manifest.name, dir, manifest, publishable: manifest.private !== true };
    })
    .sort((a, b) => a.short.localeCompare(b.short));
  const byName = new Map(found.map((pkg) => [pkg.name, pkg]));
  const ordered = [];
  const state = new Map();
  const visit = (pkg, path) => {
    if (state.get(pkg.name) === 'done') return;
    if (state.get(pkg.name) === 'visiting') throw new Error(`dependency cycle among workspace packages: ${[...path, pkg.name].join(' -> ')}`);
    state.set(pkg.name, 'visiting');
    const deps = Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies }).sort();
    for (const dep of deps) if (byName.has(dep) && dep !== pkg.name) visit(byName.get(dep), [...path, pkg.name]);
    state.set(pkg.name, 'done');
    ordered.push(pkg);
  };
  for (const pkg of found) visit(pkg, []);
  return ordered;
}
