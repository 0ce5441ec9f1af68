// Every ```ts block in README.md, docs/**/*.md and packages/*/README.md is an executable example:
// each is written to .generated/ as its own ES module, type-checked, and run with Node against the
// built packages. Blocks fenced as ```ts no-run are fragments and are skipped.
// A ```python file=NAME.py block is written to .generated/NAME.py; a ```ts python block runs with
// .generated/ as its working directory and PYTHON set to a Python with numpy, pandas and pyarrow
// (skipped with the reason when there is none; a failure under CI=true, as every peer test).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonPeer } from '@interop/config/python';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, '..');
const repoRoot = resolve(packageDir, '..', '..');
const generated = join(packageDir, '.generated');

function markdownFiles(): string[] {
  const files: string[] = [join(repoRoot, 'README.md')];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'api' && entry.name !== 'node_modules') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk(join(repoRoot, 'docs'));
  for (const group of ['packages', 'examples']) {
    const dir = join(repoRoot, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const readme = join(dir, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files.filter((file) => !file.endsWith('CHANGELOG.md'));
}

interface Example {
  readonly source: string;
  readonly line: number;
  readonly code: string;
  readonly file: string;
  readonly python: boolean;
}

interface PythonFile {
  readonly name: string;
  readonly code: string;
}

const pythonFiles: PythonFile[] = [];

function examples(): Example[] {
  const found: Example[] = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let inside = false;
    let run = false;
    let python = false;
    let pythonFile: string | null = null;
    let start = 0;
    let body: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const fence = /^\s*```(.*)$/.exec(line);
      if (!inside && fence !== null) {
        const info = fence[1]!.trim().split(/\s+/);
        inside = true;
        run = (info[0] === 'ts' || info[0] === 'typescript') && !info.includes('no-run');
        python = info.includes('python');
        const named = info[0] === 'python' ? info.find((word) => word.startsWith('file=')) : undefined;
        pythonFile = named === undefined ? null : named.slice('file='.length);
        start = i + 1;
        body = [];
      } else if (inside && /^\s*```\s*$/.test(line)) {
        inside = false;
        if (run) {
          const source = relative(repoRoot, file);
          const slug = `${source.replace(/[^a-zA-Z0-9]+/g, '-')}-L${start}`;
          found.push({ source, line: start, code: body.join('\n'), file: join(generated, `${slug}.ts`), python });
        }
        if (pythonFile !== null) {
          if (!/^[A-Za-z0-9_]+\.py$/.test(pythonFile)) throw new Error(`${relative(repoRoot, file)}:${start}: a python block's file= must be a plain NAME.py`);
          pythonFiles.push({ name: pythonFile, code: `${body.join('\n')}\n` });
        }
      } else if (inside) {
        body.push(line);
      }
    }
  }
  return found;
}

const all = examples();
rmSync(generated, { recursive: true, force: true });
mkdirSync(generated, { recursive: true });
for (const example of all) writeFileSync(example.file, `// From ${example.source}:${example.line}\n${example.code}\nexport {};\n`);
for (const script of pythonFiles) writeFileSync(join(generated, script.name), script.code);
const peer = all.some((example) => example.python) ? pythonPeer(['numpy', 'pandas', 'pyarrow']) : null;

describe('documentation examples', () => {
  it('finds examples to run', () => {
    expect(all.length).toBeGreaterThan(0);
  });

  it('type-check against the published types', () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(packageDir, 'tsconfig.json')], { encoding: 'utf8' });
    expect(result.stdout + result.stderr, 'tsc output').toBe('');
    expect(result.status).toBe(0);
  });

  for (const example of all) {
    const skip = example.python && peer !== null && !peer.ok ? ` (skipped: ${peer.reason})` : '';
    it.skipIf(skip !== '')(`runs ${example.source}:${example.line}${skip}`, () => {
      const python = example.python && peer?.ok === true ? { cwd: generated, env: { ...process.env, PYTHON: peer.python } } : { cwd: packageDir };
      try {
        execFileSync(process.execPath, ['--import', 'tsx', example.file], { ...python, encoding: 'utf8', stdio: 'pipe', timeout: 110_000 });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`${example.source}:${example.line} failed:\n${stderr ?? ''}\n${stdout ?? ''}`, { cause: error });
      }
    });
  }
});
