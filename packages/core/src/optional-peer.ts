import type { ErrorFamily } from './errors/error-family.js';

/** Options of {@link loadOptionalPeer}. */
export interface LoadOptionalPeerOptions<Code extends string, Name extends string = string> {
  /** The peer's package name, named in messages and `details.peer` (e.g. `'@interop/native'`). */
  readonly name: string;
  /** The operation that needs the peer, named in messages and `details.operation`. */
  readonly operation: string;
  /** The functions the operation calls: a peer that lacks one is refused as too old. */
  readonly needs: readonly Name[];
  /** The caller's error family. */
  readonly family: ErrorFamily<Code>;
  /** The code thrown when the peer is missing, fails to load or lacks a function. */
  readonly code: Code;
  /** What else the caller can do, added to the install advice (e.g. `'load without mmap'`). */
  readonly alternative?: string;
}

/**
 * Loads an optional peer package and checks that it has the functions an operation needs; a peer
 * that is missing, fails to load or is too old becomes an error of the caller's family with
 * `options.code` (the loader's error as `cause`). `load` imports the peer from the caller's own
 * module (`() => import(specifier)`), because an optional peer resolves from the package that
 * declares it, not from core.
 *
 * @example
 * ```ts no-run
 * import { loadOptionalPeer } from '@interop/core';
 * import { NpyError } from '@interop/npy';
 * const specifier = '@interop/native'; // a variable: bundlers and type checkers leave it alone
 * const native = await loadOptionalPeer<{ mapFile(path: string): unknown }>(() => import(specifier), {
 *   name: '@interop/native', operation: 'loadNpy(path, { mmap })', needs: ['mapFile'], family: NpyError, code: 'ERR_NPY_MMAP_UNAVAILABLE',
 * });
 * ```
 * @throws {InteropError} `options.code`, of `options.family`, when the peer cannot be used.
 */
export async function loadOptionalPeer<Peer extends object, Code extends string = string>(
  load: () => Promise<unknown>,
  options: LoadOptionalPeerOptions<Code, keyof Peer & string>,
): Promise<Peer> {
  const { name, operation, family, code } = options;
  const details = { operation, peer: name };
  let peer: unknown;
  try {
    peer = await load();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const instead = options.alternative === undefined ? '' : ` or ${options.alternative}`;
    throw new family(
      code,
      `${operation} needs the optional package ${name}, which could not be loaded (${reason}). Install it (npm install ${name})${instead}.`,
      { cause, details },
    );
  }
  for (const needed of options.needs) {
    if (typeof peer !== 'object' || peer === null || typeof (peer as Record<string, unknown>)[needed] !== 'function') {
      throw new family(code, `The installed ${name} has no ${needed} function, which ${operation} needs; upgrade ${name}.`, {
        details: { ...details, missing: needed },
      });
    }
  }
  return peer as Peer;
}
