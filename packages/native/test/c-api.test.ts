import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { includeDir } from '../src/index.js';
import { packageDir } from './helpers/build-addons.js';

const work = mkdtempSync(join(tmpdir(), 'interop-c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cc = process.env['CC'] ?? 'cc';

describe('C API headers', () => {
  it('interop/layout.h passes its C unit tests', () => {
    const binary = join(work, 'layout_test');
    execFileSync(cc, ['-std=c11', '-Wall', '-Wextra', '-Werror', `-I${includeDir}`, join(packageDir, 'test', 'c', 'layout_test.c'), '-o', binary]);
    expect(execFileSync(binary, { encoding: 'utf8' })).toContain('all checks passed');
  });

  it('interop/buffer.h compiles as C11 with warnings as errors', () => {
    const nodeInclude = join(dirname(dirname(process.execPath)), 'include', 'node');
    expect(() =>
      execFileSync(
        cc,
        ['-std=c11', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', `-I${includeDir}`, `-I${nodeInclude}`, join(packageDir, 'test', 'c', 'header_compiles.c')],
        {
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
  });

  it('exports the include directory for binding.gyp files', async () => {
    const { createRequire } = await import('node:module');
    const fromGyp = createRequire(join(packageDir, 'package.json'))('@interop/native/include') as { include_dir: string };
    expect(fromGyp.include_dir).toBe(includeDir.replace(/[/\\]$/, ''));
  });
});
