// Finds a Python interpreter that can import the peer libraries a test needs (numpy, pandas,
// pyarrow, ...), creating a git-ignored virtual environment in the repository when necessary.
// On a machine without Python, peer tests skip with a visible reason; under CI=true a missing
// peer is a failure, never a skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const venvDir = join(repoRoot, '.venv');
const venvPython = join(venvDir, 'bin', 'python');
/** The pip packages that provide each importable module. */
const pipNames = { numpy: 'numpy', pandas: 'pandas', pyarrow: 'pyarrow', nibabel: 'nibabel' };
const cache = new Map();

function canImport(python, modules) {
  const probe = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', timeout: 60_000 });
  return probe.status === 0;
}

function candidates() {
  const list = [];
  if (process.env.INTEROP_PYTHON) list.push(process.env.INTEROP_PYTHON);
  list.push(venvPython, 'python3', 'python');
  return list;
}

function createVenv(modules) {
  const base = ['python3', 'python'].find((python) => spawnSync(python, ['--version'], { stdio: 'ignore' }).status === 0);
  if (base === undefined) return 'no python3 on PATH';
  // One process creates the venv; others wait for the lock directory to disappear.
  const lock = join(repoRoot, '.venv.lock');
  try {
    mkdirSync(lock);
  } catch {
    const deadline = Date.now() + 600_000;
    while (existsSync(lock) && Date.now() < deadline) spawnSync('sleep', ['1']);
    return undefined;
  }
  try {
    if (!existsSync(venvPython)) execFileSync(base, ['-m', 'venv', venvDir], { stdio: 'ignore' });
    const packages = [...new Set([...modules, 'numpy', 'pandas', 'pyarrow'].map((m) => pipNames[m] ?? m))];
    const install = spawnSync(venvPython, ['-m', 'pip', 'install', '--quiet', ...packages], { encoding: 'utf8', timeout: 900_000 });
    if (install.status !== 0) return `pip install ${packages.join(' ')} failed: ${(install.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`;
    return undefined;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Finds an interpreter that can already import `modules` (INTEROP_PYTHON, the repository's .venv,
 * python3, python), without creating anything: what a program (the demo) uses to decide whether to
 * run its Python side.
 * @param {string[]} [modules]
 * @returns {{ ok: true, python: string } | { ok: false, reason: string }}
 */
export function findPython(modules = ['numpy']) {
  if (process.env.INTEROP_NO_PYTHON === '1') return { ok: false, reason: 'INTEROP_NO_PYTHON=1 is set' };
  const python = candidates().find((candidate) => (candidate.includes('/') ? existsSync(candidate) : true) && canImport(candidate, modules));
  return python !== undefined
    ? { ok: true, python }
    : {
        ok: false,
        reason: `no Python interpreter here can import ${modules.join(', ')} (tried ${candidates().join(', ')}); run the tests once, or set INTEROP_PYTHON`,
      };
}

// Appended to every peer script by `run` (see there).
const exitSuffix = 'import os as _interop_os, sys as _interop_sys\n_interop_sys.stdout.flush()\n_interop_sys.stderr.flush()\n_interop_os._exit(0)\n';

/**
 * @param {string[]} [modules] Python modules the peer test needs, e.g. ['numpy', 'pandas'].
 * @returns {{ ok: true, python: string, run: (script: string, args?: string[], input?: Buffer | string) => Buffer } | { ok: false, reason: string }}
 */
export function pythonPeer(modules = ['numpy']) {
  const key = modules.join(',');
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let python = candidates().find((candidate) => (candidate.includes('/') ? existsSync(candidate) : true) && canImport(candidate, modules));
  let reason;
  if (python === undefined && process.env.INTEROP_NO_VENV !== '1') {
    reason = createVenv(modules);
    if (existsSync(venvPython) && canImport(venvPython, modules)) python = venvPython;
  }
  /** @type {ReturnType<typeof pythonPeer>} */
  let result;
  if (python !== undefined) {
    const interpreter = python;
    result = {
      ok: true,
      python: interpreter,
      // A script that got to its end leaves with os._exit(0) after flushing: pyarrow's thread pools
      // sometimes abort the interpreter's own teardown ("terminate called without an active
      // exception"), which would turn a finished, correct answer into a failure. A script that
      // raises (or calls sys.exit) never reaches the suffix and exits as usual.
      run: (script, args = [], input) =>
        execFileSync(interpreter, ['-c', `${script}\n${exitSuffix}`, ...args], {
          input,
          maxBuffer: 1 << 30,
          timeout: 300_000,
          stdio: ['pipe', 'pipe', 'pipe'],
        }),
    };
  } else {
    const why = `Python peer with ${modules.join(', ')} not available (${reason ?? 'no interpreter can import them'})`;
    if (process.env.CI === 'true') throw new Error(`${why}. In CI a missing peer is a failure: .ci/run installs them.`);
    process.stderr.write(`[peer tests skipped] ${why}\n`);
    result = { ok: false, reason: why };
  }
  cache.set(key, result);
  return result;
}
