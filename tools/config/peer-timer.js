// A Python process kept open for the length of a benchmark, so that NumPy's timings are taken in
// the same run as ours and interleaved with them round by round (on a shared machine, drift then
// hits both sides alike). Each `time(statement)` runs one timed execution of `statement` in a
// persistent namespace; a result bound to `_` is dropped after the clock stops, as our side drops
// its results before the next collection.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pythonPeer } from './python.js';

const server = `
import sys, json, time, gc
g = {}
for line in sys.stdin:
    request = json.loads(line)
    try:
        if request['kind'] == 'exec':
            exec(request['code'], g)
            reply = {'ok': True}
        else:
            code = compile(request['code'], '<bench>', 'exec')
            gc.collect()
            t0 = time.perf_counter()
            exec(code, g)
            elapsed = time.perf_counter() - t0
            g.pop('_', None)
            reply = {'ok': True, 'ns': elapsed * 1e9}
    except Exception as error:
        reply = {'ok': False, 'error': repr(error)}
    sys.stdout.write(json.dumps(reply) + '\\n')
    sys.stdout.flush()
`;

/**
 * @param {string[]} [modules]
 * @returns {Promise<import('./peer-timer.js').PythonTimer | { ok: false, reason: string }>}
 */
export async function startPythonTimer(modules = ['numpy']) {
  const peer = pythonPeer(modules);
  if (!peer.ok) return { ok: false, reason: peer.reason };
  const child = spawn(peer.python, ['-u', '-c', server], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const call = (kind, code) =>
    new Promise((resolve, reject) => {
      waiting.push((reply) => (reply.ok ? resolve(reply) : reject(new Error(`Python: ${reply.error} in ${code}`))));
      child.stdin.write(`${JSON.stringify({ kind, code })}\n`);
    });
  return {
    ok: true,
    python: peer.python,
    exec: async (code) => {
      await call('exec', code);
    },
    time: async (code) => (await call('time', code)).ns,
    close: () => {
      child.stdin.end();
      lines.close();
    },
  };
}

/**
 * Runs every case once per round, in an order rotated each round, and returns each case's
 * median in nanoseconds (with all samples). A case returns its own time in nanoseconds (so that
 * setup and disposal stay outside the clock).
 * @param {ReadonlyArray<{ name: string, run: () => number | Promise<number> }>} cases
 * @param {number} rounds
 */
export async function interleaveRounds(cases, rounds) {
  const samples = cases.map(() => []);
  for (const item of cases) await item.run(); // warm-up, untimed
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const k = (i + round) % cases.length;
      samples[k].push(await cases[k].run());
    }
  }
  return cases.map((item, k) => {
    const sorted = [...samples[k]].sort((a, b) => a - b);
    return { name: item.name, median: sorted[Math.floor(sorted.length / 2)], samples: samples[k] };
  });
}
