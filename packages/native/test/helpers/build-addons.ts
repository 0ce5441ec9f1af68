// Builds the package addon (when missing) and the sample addon (when missing or older than its
// sources or the headers) with scripts/build.mjs, i.e. node-gyp with --nodedir, offline.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir: string = fileURLToPath(new URL('../..', import.meta.url));
export const sampleBinary: string = join(packageDir, 'test', 'addon-sample', 'build', 'Release', 'interop_sample.node');
export const addonBinary: string = join(packageDir, 'build', 'Release', 'interop_native.node');

function newest(paths: string[]): number {
  let time = 0;
  for (const path of paths) {
    const stat = statSync(path);
    if (stat.isDirectory()) time = Math.max(time, newest(readdirSync(path).map((name) => join(path, name))));
    else time = Math.max(time, stat.mtimeMs);
  }
  return time;
}

function stale(binary: string, sources: string[]): boolean {
  return !existsSync(binary) || statSync(binary).mtimeMs < newest(sources);
}

export function buildAddons(): void {
  const script = join(packageDir, 'scripts', 'build.mjs');
  const include = join(packageDir, 'include');
  if (stale(addonBinary, [join(packageDir, 'addon'), include, join(packageDir, 'binding.gyp')])) {
    execFileSync(process.execPath, [script], { cwd: packageDir, stdio: 'inherit' });
  }
  const sampleDir = join(packageDir, 'test', 'addon-sample');
  if (stale(sampleBinary, [join(sampleDir, 'sample.cc'), join(sampleDir, 'binding.gyp'), include])) {
    execFileSync(process.execPath, [script, '--sample'], { cwd: packageDir, stdio: 'inherit' });
  }
}
