// The conformance kit's failures name the mutation that was tried and the fix (issue 20): run the
// kit over deliberately broken exporters in a child vitest and read its JSON report.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Assertion {
  fullName: string;
  status: string;
  failureMessages: string[];
}

function runKit(): Assertion[] {
  const out = mkdtempSync(join(tmpdir(), 'interop-kit-'));
  try {
    const report = join(out, 'report.json');
    try {
      execFileSync(
        process.execPath,
        [
          join(packageDir, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          '--config',
          'test/fixtures/kit/vitest.kit.config.ts',
          '--reporter',
          'json',
          '--outputFile.json',
          report,
        ],
        {
          cwd: packageDir,
          stdio: 'ignore',
          env: { ...process.env, CI: 'false' },
        },
      );
    } catch {
      // Failing tests are the point: vitest exits non-zero.
    }
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as { testResults: { assertionResults: Assertion[] }[] };
    return parsed.testResults.flatMap((file) => file.assertionResults);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('conformance kit failure messages', () => {
  const results = runKit();
  const failure = (name: string): string => {
    const result = results.find((entry) => entry.fullName.includes(name));
    expect(result, `no test named ${name}`).toBeDefined();
    expect(result!.status).toBe('failed');
    return result!.failureMessages.join('\n');
  };

  it('name the unguarded mutation and the fix', () => {
    const message = failure('UnlockedGrid refuses resize while exported');
    expect(message).toContain("resize() ran while an export was held, and was not refused: call lock.assertUnlocked('resize') first in resize()");
    expect(message).not.toContain('expected undefined to be defined');
  });

  it('name a mutation that fails with the wrong error before checking the lock', () => {
    const message = failure('TypeErrorGrid refuses fill while exported');
    expect(message).toContain(
      "fill() threw TypeError: cannot fill yet while an export was held, not BufferError ERR_BUFFER_EXPORTED: call lock.assertUnlocked('fill') first",
    );
  });

  it('pass the protocol checks the broken exporters do follow', () => {
    const passed = results.filter((entry) => entry.status === 'passed').map((entry) => entry.fullName);
    expect(passed.some((name) => name.includes('UnlockedGrid') && name.includes('inside its memory'))).toBe(true);
  });
});
