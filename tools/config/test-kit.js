// Helpers the tests of several packages share: names for the shared files a test file creates
// (and the check that it left none), and a Python session that lives as long as a describe block.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { pythonSession } from './python-session.js';

/**
 * Names for the shared files one test file creates, `interop_<label>_<pid>_<n>`, and `sweep()`:
 * it removes whatever file of those names is left in `directory` and returns their names, so an
 * `afterAll(() => expect(names.sweep()).toEqual([]))` cleans up and still reports a leak.
 * @param {string} directory where the files live (sharedDirectory() of @interop/native)
 * @param {string} label
 */
export function sharedFileNames(directory, label) {
  const prefix = `interop_${label}_${process.pid}_`;
  let counter = 0;
  const leftovers = () => readdirSync(directory).filter((file) => file.startsWith(prefix));
  return {
    prefix,
    fresh: () => `${prefix}${counter++}`,
    leftovers,
    sweep() {
      const left = leftovers();
      for (const file of left) rmSync(join(directory, file), { force: true });
      return left;
    },
  };
}

/**
 * A Python session for the tests of the enclosing describe block: started in `beforeAll` (running
 * `prelude` first) when `peer.ok`, closed in `afterAll`. The returned object forwards to it.
 * @param {{ ok: boolean, python?: string }} peer what pythonPeer(...) returned
 * @param {string} [prelude]
 * @returns {import('./python-session.js').PythonSession}
 */
export function usePythonSession(peer, prelude = '') {
  /** @type {import('./python-session.js').PythonSession | undefined} */
  let session;
  beforeAll(async () => {
    if (!peer.ok || peer.python === undefined) return;
    session = pythonSession(peer.python);
    if (prelude !== '') await session.run(prelude);
  });
  afterAll(async () => {
    await session?.close();
  });
  const current = () => {
    if (session === undefined)
      throw new Error('The Python session is not running: the peer is unavailable, or it was used outside the tests of its describe block.');
    return session;
  };
  return {
    get pid() {
      return current().pid;
    },
    get exited() {
      return current().exited;
    },
    run: (code, args) => current().run(code, args),
    close: () => current().close(),
    kill: (signal) => current().kill(signal),
  };
}
