export type PythonPeer =
  { ok: true; python: string; run: (script: string, args?: string[], input?: Buffer | string) => Buffer } | { ok: false; reason: string };

/** Finds (or creates, in a git-ignored .venv) a Python that imports `modules`; skips visibly when absent, fails under CI=true. */
export function pythonPeer(modules?: string[]): PythonPeer;

/** Finds a Python that already imports `modules` (never creates a venv, never fails): for programs such as the demo. */
export function findPython(modules?: string[]): { ok: true; python: string } | { ok: false; reason: string };
