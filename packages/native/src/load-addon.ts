import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeError } from './errors/native-error.js';
import type { NativeErrorCode } from './errors/codes.js';

/** What the compiled addon reports about the build it came from. */
export interface NativeBuildInfo {
  /** The Node-API version the addon was compiled for (NAPI_VERSION). */
  readonly napiVersion: number;
  /** process.versions.modules of the Node that compiled it. */
  readonly nodeModuleVersion: number;
  readonly pageSize: number;
}

/** The functions of interop_native.node (internal; the public API wraps them). */
export interface NativeAddon {
  readonly build: NativeBuildInfo;
  mapFile(path: string, mode: number, noFollow?: boolean): [ArrayBuffer, object];
  shmOpen(name: string, create: boolean, size: number): [ArrayBuffer, object];
  shmUnlink(name: string): void;
  unmap(mapping: object, buffer: ArrayBuffer): void;
  flush(mapping: object): void;
  isHandle(value: unknown): boolean;
  handleInfo(value: unknown): { typeName: string; released: boolean };
  releaseHandle(value: unknown): void;
  /** The O(1) export path of interop/buffer.h (an opaque External; see addon/shared_export.cc). */
  nativeExporter(): object;
  nativePinner(): object;
  /** Exports made through `nativeExporter` whose native release callback has not run yet (all threads). */
  pendingReleases(): number;
  /** The external memory V8 accounts to this isolate, in bytes (what garbage-collection heuristics see). */
  externalMemory(): number;
}

/** One location the loader tried, and why it was not used (`reason` is absent for the one loaded). */
export interface AddonAttempt {
  readonly path: string;
  readonly reason?: string;
}

/** The directory of the @interop/native package (the parent of src/ or dist/). */
export const packageDirectory: string = fileURLToPath(new URL('..', import.meta.url));

/** The command that builds the addon for the running Node, offline. */
export const buildCommand: string = `node ${JSON.stringify(join(packageDirectory, 'scripts', 'build.mjs'))}`;

/**
 * The locations tried, in order: `$INTEROP_NATIVE_ADDON` when set, then build/Release and
 * build/Debug of the package (the addon is always compiled on install; nothing ships prebuilt).
 * Internal: exported for the loader's tests, not from the package entry.
 */
export function addonCandidates(): string[] {
  const candidates: string[] = [];
  const override = process.env['INTEROP_NATIVE_ADDON'];
  if (override !== undefined && override !== '') candidates.push(override);
  candidates.push(join(packageDirectory, 'build', 'Release', 'interop_native.node'), join(packageDirectory, 'build', 'Debug', 'interop_native.node'));
  return candidates;
}

/** The Node ABI the loader accepts; tests pass another to exercise the mismatch path. */
export interface RuntimeAbi {
  readonly nodeModuleVersion: number;
  readonly napiVersion: number;
}

const runtimeAbi: RuntimeAbi = { nodeModuleVersion: Number(process.versions.modules), napiVersion: Number(process.versions.napi) };
const require = createRequire(import.meta.url);

/**
 * Loads the first usable addon among `candidates`. When none is usable, throws ONE `NativeError`
 * listing every location tried with its reason, and the command that fixes it.
 *
 * Internal (the tests pass other candidates and ABIs); the package entry exports `loadAddon`.
 *
 * @throws {NativeError} `ERR_NATIVE_ADDON_NOT_FOUND` (no file anywhere), `ERR_NATIVE_ADDON_ABI_MISMATCH`
 * (a file built for another Node ABI), `ERR_NATIVE_ADDON_LOAD_FAILED` (a file that does not load).
 */
export function loadAddonFrom(candidates: readonly string[], runtime: RuntimeAbi = runtimeAbi): NativeAddon {
  const attempts: AddonAttempt[] = [];
  let code: NativeErrorCode = 'ERR_NATIVE_ADDON_NOT_FOUND';
  for (const path of candidates) {
    if (!existsSync(path)) {
      attempts.push({ path, reason: 'not found' });
      continue;
    }
    let addon: NativeAddon;
    try {
      addon = require(path) as NativeAddon;
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      const abi = /NODE_MODULE_VERSION|ELF class|wrong ELF|undefined symbol|incompatible architecture/.test(message);
      if (abi) code = 'ERR_NATIVE_ADDON_ABI_MISMATCH';
      else if (code === 'ERR_NATIVE_ADDON_NOT_FOUND') code = 'ERR_NATIVE_ADDON_LOAD_FAILED';
      attempts.push({ path, reason: `failed to load: ${message}` });
      continue;
    }
    const build = (addon as Partial<NativeAddon>).build;
    if (build === undefined || typeof build.nodeModuleVersion !== 'number' || typeof build.napiVersion !== 'number') {
      if (code === 'ERR_NATIVE_ADDON_NOT_FOUND') code = 'ERR_NATIVE_ADDON_LOAD_FAILED';
      attempts.push({ path, reason: 'loaded, but it is not an @interop/native addon (no build info)' });
      continue;
    }
    if (build.nodeModuleVersion !== runtime.nodeModuleVersion || build.napiVersion > runtime.napiVersion) {
      code = 'ERR_NATIVE_ADDON_ABI_MISMATCH';
      attempts.push({
        path,
        reason: `built for NODE_MODULE_VERSION ${build.nodeModuleVersion} / N-API ${build.napiVersion}, but this Node (${process.version}) is NODE_MODULE_VERSION ${runtime.nodeModuleVersion} / N-API ${runtime.napiVersion}`,
      });
      continue;
    }
    return addon;
  }
  const what =
    code === 'ERR_NATIVE_ADDON_NOT_FOUND'
      ? 'The @interop/native addon has not been built'
      : code === 'ERR_NATIVE_ADDON_ABI_MISMATCH'
        ? `The @interop/native addon was built for another Node.js than this one (${process.version})`
        : 'The @interop/native addon could not be loaded';
  const list = attempts.map((attempt) => `  - ${attempt.path}: ${attempt.reason ?? 'ok'}`).join('\n');
  throw new NativeError(
    code,
    `${what}. Locations tried:\n${list}\nFix: run \`${buildCommand}\` (offline; needs a C++17 compiler, make and python3), or \`pnpm --filter @interop/native build:addon\` inside the Interop repository. Set INTEROP_NATIVE_ADDON to load a binary from elsewhere.`,
    { details: { operation: 'loadAddon', attempts, fix: buildCommand } },
  );
}

let cached: NativeAddon | undefined;

/**
 * The addon for the running Node, loaded on first use from `addonCandidates()` and cached.
 *
 * @example
 * ```ts
 * import { loadAddon } from '@interop/native';
 * console.log(loadAddon().build.nodeModuleVersion);
 * ```
 * @throws {NativeError} `ERR_NATIVE_ADDON_NOT_FOUND`, `ERR_NATIVE_ADDON_ABI_MISMATCH`, `ERR_NATIVE_ADDON_LOAD_FAILED`.
 */
export function loadAddon(): NativeAddon {
  cached ??= loadAddonFrom(addonCandidates());
  return cached;
}
