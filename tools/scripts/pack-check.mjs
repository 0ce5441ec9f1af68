// "Picking individual packages": packs every package, lints each tarball with publint and
// @arethetypeswrong/cli (ESM-only profile), then installs each tarball ALONE with npm into a fresh
// temporary project outside the workspace (plus only the tarballs of the @interop packages it
// declares; everything else comes from the registry) and runs a smoke example in plain Node ESM.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(process.cwd());
const only = process.argv.slice(2);
const packOut = mkdtempSync(join(tmpdir(), 'interop-pack-'));
const names = ['core', 'stream', 'image', 'vnl', 'npy', 'pandas', 'native'].filter((name) => only.length === 0 || only.includes(name));

/** Smoke examples: each imports only the package's public entry points and checks a result. */
const smoke = {
  core: `import { BufferFlags, getBuffer, releaseBuffer } from '@interop/core';
const info = getBuffer(new Float64Array(4), BufferFlags.FULL_RO);
if (info.format !== 'd' || info.shape[0] !== 4) throw new Error('core smoke failed');
releaseBuffer(info);`,
  stream: `import { MemoryStream } from '@interop/stream';
const stream = new MemoryStream();
stream.write(new Uint8Array([1, 2, 3]));
stream.seek(0, 0);
const bytes = stream.read(3);
if (bytes.length !== 3 || bytes[2] !== 3) throw new Error('stream smoke failed');`,
  image: `import { MemoryView } from '@interop/core';
import { imageViewFromArray, arrayViewFromImage } from '@interop/image';
const array = MemoryView.from(new Float32Array(24)).reshape([2, 3, 4]);
const image = imageViewFromArray(array);
if (image.size.join() !== '4,3,2') throw new Error('image smoke failed: size ' + image.size);
const view = arrayViewFromImage(image);
if (view.shape.join() !== '2,3,4') throw new Error('image smoke failed: ' + view.shape);
view.release();
image.release();`,
  vnl: `import { VnlMatrix } from '@interop/vnl';
const m = VnlMatrix.identity('float64', 3);
if (m.get(1, 1) !== 1 || m.get(0, 1) !== 0) throw new Error('vnl smoke failed');`,
  npy: `import { readNpy, writeNpy } from '@interop/npy';
const bytes = writeNpy(new Float32Array([1, 2, 3]));
const array = readNpy(bytes);
if (array.shape.join() !== '3' || array.dtype !== '<f4') throw new Error('npy smoke failed');`,
  pandas: `import { DataFrameView, toArrowTable } from '@interop/pandas';
const frame = DataFrameView.fromColumns({ a: new Float64Array([1, 2]), b: new Int32Array([3, 4]) });
const table = toArrowTable(frame);
if (table.numRows !== 2) throw new Error('pandas smoke failed');`,
  native: `import { mapFile } from '@interop/native';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const path = join(tmpdir(), 'interop-native-smoke.bin');
writeFileSync(path, new Uint8Array([7, 8, 9]));
const mapped = mapFile(path, { mode: 'r' });
mapped.close();`,
};

const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

const tarballs = {};
// Use the pnpm that runs this script (CI runs it through npx, so pnpm need not be on PATH).
const pnpm = process.env.npm_execpath?.includes('pnpm') ? [process.execPath, [process.env.npm_execpath]] : ['pnpm', []];
for (const name of ['core', 'stream', 'image', 'vnl', 'npy', 'pandas', 'native']) {
  run(pnpm[0], [...pnpm[1], 'pack', '--pack-destination', packOut], { cwd: join(root, 'packages', name) });
}
for (const file of readdirSync(packOut)) {
  const match = /^interop-(\w+)-/.exec(file);
  if (match) tarballs[match[1]] = join(packOut, file);
}

let failures = 0;
for (const name of names) {
  const label = `@interop/${name}`;
  try {
    const tarball = tarballs[name];
    run(join(root, 'node_modules', '.bin', 'publint'), ['run', tarball, '--strict']);
    run(join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    const declared = { ...manifest.dependencies, ...manifest.peerDependencies };
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
    void declared;
    const project = mkdtempSync(join(tmpdir(), `interop-consumer-${name}-`));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...[...needed].map((n) => tarballs[n])], { cwd: project });
    writeFileSync(join(project, 'smoke.mjs'), smoke[name]);
    run(process.execPath, ['smoke.mjs'], { cwd: project });
    rmSync(project, { recursive: true, force: true });
    console.log(`ok   ${label}: publint, attw (esm-only), installed alone with npm (+ ${[...needed].filter((n) => n !== name).map((n) => `@interop/${n}`).join(', ') || 'nothing else from the workspace'}), smoke example ran`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${label}: ${error.message}`);
  }
}
rmSync(packOut, { recursive: true, force: true });
process.exit(failures === 0 ? 0 : 1);
