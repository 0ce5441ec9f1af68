// `pnpm demo` as a user runs it: it must finish cleanly, keep its outputs in the folder it names,
// and, with Python present, print NumPy's and pandas' verdict on those files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonPeer } from '@interop/config/python';

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(demoDir, 'node_modules', '.bin', 'tsx');
const outputs: string[] = [];

function runDemo(env: Record<string, string>): { status: number | null; stdout: string; out: string } {
  const out = mkdtempSync(join(tmpdir(), 'interop-demo-test-'));
  outputs.push(out);
  const result = spawnSync(tsx, ['src/main.ts'], {
    cwd: demoDir,
    encoding: 'utf8',
    env: { ...process.env, INTEROP_DEMO_OUTPUT: out, ...env },
    timeout: 240_000,
  });
  if (result.status !== 0) process.stderr.write(result.stdout + result.stderr);
  return { status: result.status, stdout: result.stdout, out };
}

afterAll(() => {
  for (const out of outputs) rmSync(out, { recursive: true, force: true });
});

const peer = pythonPeer(['numpy', 'pandas', 'pyarrow']);

describe('pnpm demo', () => {
  it.skipIf(!peer.ok)('keeps its outputs where it says, and NumPy and pandas find every file identical', () => {
    const { status, stdout, out } = runDemo({ INTEROP_PYTHON: peer.ok ? peer.python : '' });
    expect(status).toBe(0);
    expect(stdout).toContain(`Outputs, in`);
    expect(stdout).toContain(out);
    for (const file of ['volume.npy', 'middle-slice.png', 'slices.feather', 'slices.parquet', 'timings.svg']) {
      expect(existsSync(join(out, file)), file).toBe(true);
      expect(stdout).toContain(file);
    }
    expect(readFileSync(join(out, 'volume.npy')).subarray(1, 6).toString('latin1')).toBe('NUMPY');
    expect(readFileSync(join(out, 'timings.svg'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(out, 'middle-slice.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(stdout).toMatch(/pd\.read_parquet\(slices\.parquet\): 40 rows, .* values identical: True/);
    expect(stdout).toMatch(/np\.load\(volume\.npy\): shape \(40, 96, 160\), dtype float32, bytes identical: True/);
    expect(stdout).toMatch(/pd\.read_feather\(slices\.feather\): 40 rows, .* values identical: True/);
    expect(stdout).toContain('verdict: every file reads back identically in Python');
    // Live sharing: Python's write is seen through Node's view, and the segment is gone afterwards.
    expect(stdout).toMatch(/Python wrote -1\.5 at \[1, 2\]; Node's view, held all along, now reads -1\.5 there/);
    if (existsSync('/dev/shm')) expect(readdirSync('/dev/shm').filter((name) => name.startsWith('interop_demo_'))).toEqual([]);
    // The reordering is visible: three different shapes.
    expect(stdout).toContain('shape [40, 96, 160]');
    expect(stdout).toContain('shape [160, 96, 40]');
    expect(stdout).toContain('shape [96, 160, 40]');
  });

  it('says what it skipped, and why, without Python', () => {
    const { status, stdout } = runDemo({ INTEROP_NO_PYTHON: '1' });
    expect(status).toBe(0);
    expect(stdout).toContain('Python check skipped: INTEROP_NO_PYTHON=1 is set');
    expect(stdout).toContain('Live sharing with Python skipped: INTEROP_NO_PYTHON=1 is set');
  });
});
