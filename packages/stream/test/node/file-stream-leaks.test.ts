import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'interop-stream-leaks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileStream dropped without close()', () => {
  it.skipIf(process.platform !== 'linux')(
    '1,000 dropped streams do not raise the open descriptors, and warn once for their one site',
    () => {
      const file = join(dir, 'data.bin');
      writeFileSync(file, new Uint8Array([1, 2, 3]));
      const script = fileURLToPath(new URL('./fixtures/dropped-file-streams.ts', import.meta.url));
      const child = spawnSync(process.execPath, ['--expose-gc', '--conditions=@interop/source', '--import', 'tsx', script, file, '1000'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.status, child.stderr).toBe(0);
      const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { before: number; peak: number; after: number; warnings: number };
      expect(result.peak).toBeGreaterThan(result.before); // the streams were really open
      expect(result.after).toBeLessThanOrEqual(result.before + 2);
      expect(result.warnings).toBe(1);
    },
    90_000,
  );
});
