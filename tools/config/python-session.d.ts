export interface PythonSession {
  readonly pid: number | undefined;
  /** Runs `code` in the session's namespace (`args` holds `args`; set `result` to answer a JSON value). */
  run(code: string, args?: unknown): Promise<unknown>;
  /** Ends stdin and waits for Python to exit. */
  close(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills Python and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
export function pythonSession(python: string): PythonSession;
