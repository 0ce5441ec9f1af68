// A long-lived Python process that runs code sent on its stdin, one JSON line per request, in one
// namespace, and answers one JSON line per request. Peer tests and benchmarks use it to keep
// Python's start-up (importing NumPy costs ~100 ms) out of what they measure, and to hold NumPy
// objects (a memory map) across steps.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const loop = `
import json, sys, traceback
namespace = {}
for line in sys.stdin:
    request = json.loads(line)
    namespace['args'] = request.get('args')
    namespace['result'] = None
    try:
        exec(request['code'], namespace)
        answer = {'ok': True, 'result': namespace.get('result')}
    except BaseException as error:
        answer = {'ok': False, 'error': f'{type(error).__name__}: {error}', 'trace': traceback.format_exc()}
    sys.stdout.write(json.dumps(answer) + '\\n')
    sys.stdout.flush()
`;

/**
 * Starts `python` running the request loop.
 * @param {string} python the interpreter (pythonPeer(...).python)
 */
export function pythonSession(python) {
  const child = spawn(python, ['-u', '-c', loop], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  /** @type {Array<{ resolve: (value: unknown) => void, reject: (error: Error) => void, code: string }>} */
  const waiting = [];
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  lines.on('line', (line) => {
    const request = waiting.shift();
    if (request === undefined) return;
    const answer = JSON.parse(line);
    if (answer.ok) request.resolve(answer.result);
    else request.reject(new Error(`Python failed running:\n${request.code}\n${answer.trace}`));
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      for (const request of waiting.splice(0)) request.reject(new Error(`Python exited (${signal ?? code}) before answering:\n${request.code}\n${stderr}`));
      resolve({ code, signal });
    });
  });
  return {
    pid: child.pid,
    /**
     * Runs `code` (statements; `args` holds the given arguments; set `result` to answer a JSON value).
     * @param {string} code
     * @param {unknown} [args]
     * @returns {Promise<unknown>}
     */
    run(code, args) {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject, code });
        child.stdin.write(`${JSON.stringify({ code, args })}\n`);
      });
    },
    /** Ends stdin and waits for Python to exit. */
    async close() {
      child.stdin.end();
      return exited;
    },
    /** Kills Python with `signal` and waits for it to exit. */
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      return exited;
    },
    exited,
  };
}
