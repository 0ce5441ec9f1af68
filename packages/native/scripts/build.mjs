#!/usr/bin/env node
// Builds the Node-API addon (and, with --sample, the test sample addon) with node-gyp, offline:
// node-gyp is always given --nodedir=<prefix of process.execPath>, where Node installs its own
// headers (include/node), so it never tries to download a header tarball.
//
//   node scripts/build.mjs              rebuild build/Release/interop_native.node
//   node scripts/build.mjs --if-missing build only when the binary is missing
//   node scripts/build.mjs --install    as --if-missing, but a failed build only warns (pnpm install)
//   node scripts/build.mjs --sample     build test/addon-sample (tests and benchmarks use it)
//   node scripts/build.mjs --debug      a Debug build (build/Debug)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const args = new Set(process.argv.slice(2));
const installMode = args.has('--install');
const ifMissing = installMode || args.has('--if-missing');
const sample = args.has('--sample');
const debug = args.has('--debug');

/** The directory holding include/node/node_api.h for the running Node (never downloaded). */
function nodeHeadersDir() {
  return dirname(dirname(process.execPath));
}

function fail(message) {
  if (installMode) {
    console.warn(
      `\n@interop/native: WARNING: ${message}\n@interop/native: the addon was not built; run \`pnpm --filter @interop/native build:addon\` after fixing the cause.\n`,
    );
    process.exit(0);
  }
  console.error(`@interop/native: ${message}`);
  process.exit(1);
}

const targetDir = sample ? join(packageDir, 'test', 'addon-sample') : packageDir;
const targetName = sample ? 'interop_sample' : 'interop_native';
const binary = join(targetDir, 'build', debug ? 'Debug' : 'Release', `${targetName}.node`);

if (ifMissing && existsSync(binary)) {
  console.log(`@interop/native: ${binary} exists; skipping the native build (run \`node scripts/build.mjs\` to force it).`);
  process.exit(0);
}

const nodedir = nodeHeadersDir();
if (!existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) {
  fail(
    `Node's headers were not found at ${join(nodedir, 'include', 'node')} (the prefix of ${process.execPath}). Install the Node.js development headers that match ${process.version} (they ship with the official Node distributions).`,
  );
}

const require = createRequire(import.meta.url);
let nodeGyp;
try {
  nodeGyp = join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
} catch {
  fail('node-gyp is not installed (it is a dependency of @interop/native); run `pnpm install` first.');
}

const gypArgs = ['rebuild', `--nodedir=${nodedir}`, '--jobs=max'];
if (debug) gypArgs.push('--debug');
const env = { ...process.env, npm_config_nodedir: nodedir };
console.log(`@interop/native: node-gyp ${gypArgs.join(' ')}   (in ${targetDir})`);
const result = spawnSync(process.execPath, [nodeGyp, ...gypArgs], { cwd: targetDir, stdio: 'inherit', env });
if (result.status !== 0) {
  fail(
    `node-gyp exited with ${String(result.status ?? result.signal)} while building ${targetName}. Check that a C++17 compiler (g++ or clang++), make and python3 are installed.`,
  );
}
if (!existsSync(binary)) fail(`node-gyp finished but ${binary} is missing.`);
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
console.log(
  `@interop/native ${manifest.version}: built ${targetName} for Node ${process.version} (NODE_MODULE_VERSION ${process.versions.modules}, N-API ${process.versions.napi}).`,
);
