// A Python process kept open for the length of a benchmark, so that NumPy's timings are taken in
// the same run as ours and interleaved with them round by round (on a shared machine, drift then
// hits both sides alike). Each `time(statement)` runs one timed execution of `statement` in a
// persistent namespace; a result bound to `_` is dropped after the clock stops, as our side drops
// its results before the next collection.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatTime, reportBenchmarks } from './bench.js';
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

/**
 * Starts the Python timer, runs `body` with it and closes it, whatever happens; a benchmark that
 * needs the peer fails (rather than skips) without it.
 * @template T
 * @param {string[]} modules
 * @param {(timer: import('./peer-timer.js').PythonTimer) => Promise<T>} body
 * @returns {Promise<T>}
 */
export async function withPythonTimer(modules, body) {
  const timer = await startPythonTimer(modules);
  if (!timer.ok) throw new Error(`${modules.join(', ')} must be importable for this benchmark: ${timer.reason}`);
  try {
    return await body(timer);
  } finally {
    timer.close();
  }
}

/**
 * A `setup` for `timeOnce` that registers @interop/native's huge-page allocator (passed in: this
 * package does not depend on it) from `threshold` bytes on, or fails the benchmark when it cannot.
 * @param {(options: { force: boolean, threshold: number }) => boolean} installNativeAllocator
 * @param {number} [threshold]
 */
export function hugePageSetup(installNativeAllocator, threshold = 4 * 2 ** 20) {
  return () => {
    if (!installNativeAllocator({ force: true, threshold })) throw new Error('the huge-page allocator is not available (build @interop/native)');
  };
}

/**
 * Writes the section `id` of docs/benchmarks.md for a benchmark run in interleaved rounds against
 * a peer: a table of our medians against the baselines of the same run (ratio, goal, met), the
 * method, the notes, every sample, and how to reproduce it.
 * @param {import('./peer-timer.js').RoundsReport} report
 */
export function reportRounds(report) {
  const { id, title, rounds, rows, results, reproduce, notes = [], baselineHeader = 'baseline, same run' } = report;
  const row = ({ name, ours, baselineName, baseline, goal = 'report', limit }) => {
    const ratio = ours / baseline;
    const met = limit === undefined ? '-' : ratio <= limit ? 'yes' : 'no';
    return `| ${name} | ${formatTime(ours)} | ${baselineName} ${formatTime(baseline)} | ${ratio.toFixed(2)}x | ${goal} | ${met} |`;
  };
  const samples = results.flat().map((result) => `${result.name}: ${result.samples.map((sample) => formatTime(sample)).join(', ')}`);
  reportBenchmarks(
    id,
    [
      `### ${title}`,
      '',
      `| case | ours | ${baselineHeader} | ratio | goal | met? |`,
      '|---|---|---|---|---|---|',
      ...rows.map(row),
      '',
      `Each round runs every case once, in rotated order (the peer's timings come from one persistent Python process driven by the benchmark,`,
      `\`gc.collect()\` before each; ours after \`gc()\`); medians of ${rounds} rounds after one warm-up.`,
      ...notes,
      '',
      `All samples: ${samples.join('; ')}.`,
      '',
      'Figures taken under load (2 shared cores, other work running): expect noise; the ratios are from interleaved medians.',
      `Reproduce: \`${reproduce}\``,
    ].join('\n'),
  );
}
