import type { PythonSession } from './python-session.js';

export interface SharedFileNames {
  /** `interop_<label>_<pid>_`. */
  readonly prefix: string;
  /** A new name under the prefix. */
  fresh(): string;
  /** The files under the prefix that are in the directory now. */
  leftovers(): string[];
  /** Removes the files under the prefix and returns their names (expect none). */
  sweep(): string[];
}
/** Names for the shared files one test file creates, and the sweep that reports and removes what is left. */
export function sharedFileNames(directory: string, label: string): SharedFileNames;

/** A Python session for the tests of the enclosing describe block (beforeAll / afterAll). */
export function usePythonSession(peer: { readonly ok: boolean; readonly python?: string }, prelude?: string): PythonSession;
