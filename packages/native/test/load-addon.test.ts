import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAddon, NativeError } from '../src/index.js';
import { addonCandidates, buildCommand, loadAddonFrom } from '../src/load-addon.js';
import { addonBinary } from './helpers/build-addons.js';
import { temporaryDirectory } from './helpers/temporary.js';

function loadError(candidates: string[], runtime?: { nodeModuleVersion: number; napiVersion: number }): NativeError {
  try {
    loadAddonFrom(candidates, runtime);
  } catch (error) {
    expect(NativeError.isInstance(error)).toBe(true);
    return error as NativeError;
  }
  throw new Error('expected loadAddonFrom to throw');
}

describe('loadAddon', () => {
  it('loads the addon built for this Node', () => {
    const addon = loadAddon();
    expect(addon.build.nodeModuleVersion).toBe(Number(process.versions.modules));
    expect(addon.build.napiVersion).toBe(8);
  });

  it('tries build/Release, then build/Debug (nothing ships prebuilt)', () => {
    const candidates = addonCandidates();
    expect(candidates[0]).toBe(addonBinary);
    expect(candidates[1]).toMatch(/build[/\\]Debug[/\\]interop_native\.node$/);
    expect(candidates).toHaveLength(2);
  });

  it('keeps the loader seams out of the public entry', async () => {
    const entry = await import('../src/index.js');
    for (const seam of ['addonCandidates', 'buildCommand', 'packageDirectory', 'loadAddonFrom']) expect(entry).not.toHaveProperty(seam);
    expect(loadAddon()).not.toHaveProperty('emptyCall');
  });

  it('throws one error listing every location and the fix when no binary exists', () => {
    const dir = temporaryDirectory('interop-native-');
    const missing = [join(dir, 'a.node'), join(dir, 'b.node'), join(dir, 'c.node')];
    const error = loadError(missing);
    expect(error.code).toBe('ERR_NATIVE_ADDON_NOT_FOUND');
    const attempts = error.details['attempts'] as { path: string; reason: string }[];
    expect(attempts.map((attempt) => attempt.path)).toEqual(missing);
    for (const path of missing) expect(error.message).toContain(path);
    expect(error.message).toContain(buildCommand);
    expect(error.details['fix']).toBe(buildCommand);
  });

  it('reports a binary built for another Node ABI as ERR_NATIVE_ADDON_ABI_MISMATCH', () => {
    const error = loadError([addonBinary], { nodeModuleVersion: 999, napiVersion: 9 });
    expect(error.code).toBe('ERR_NATIVE_ADDON_ABI_MISMATCH');
    expect(error.message).toContain('NODE_MODULE_VERSION 999');
    const older = loadError([addonBinary], { nodeModuleVersion: Number(process.versions.modules), napiVersion: 7 });
    expect(older.code).toBe('ERR_NATIVE_ADDON_ABI_MISMATCH');
  });

  it('reports a file that is not a loadable addon, and keeps looking', () => {
    const dir = temporaryDirectory('interop-native-');
    const garbage = join(dir, 'garbage.node');
    writeFileSync(garbage, 'not an ELF file');
    const error = loadError([garbage, join(dir, 'missing.node')]);
    expect(error.code).toBe('ERR_NATIVE_ADDON_LOAD_FAILED');
    expect((error.details['attempts'] as unknown[]).length).toBe(2);
    expect(loadAddonFrom([garbage, addonBinary]).build.napiVersion).toBe(8);
  });
});
