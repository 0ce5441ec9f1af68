export type PythonPeer =
  | { ok: true; python: string; run: (script: string, args?: string[], input?: Buffer | string) => Buffer }
  | { ok: false; reason: string };

/** Finds (or creates, in a git-ignored .venv) a Python that imports `modules`; skips visibly when absent, fails under CI=true. */
export function pythonPeer(modules?: string[]): PythonPeer;
