// vs NumPy / pyarrow in the browser (issue 15 §5): the browser entries of @interop/npy, core, image
// and pandas, bundled by Vite, run in real Chromium (Debian's, through playwright-core) the same
// work as the Node rows of bench:vs-numpy-npy, vs-numpy-core, vs-numpy-image and pandas-codecs,
// interleaved round by round with NumPy / pyarrow in one Python process of the same run.
// Run: `pnpm bench browser vs-peers` (from the repository root:
// `flock /tmp/interop-bench.lock pnpm bench browser vs-peers`). Skips, saying why, without
// Chromium or without a Python that imports numpy, pandas and pyarrow.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTime, reportBenchmarks } from '@interop/config/bench';
import { findChromium, launchChromium, serveStatic, type Browser, type StaticServer } from '@interop/config/browser';
import { interleaveRounds, startPythonTimer, type PythonTimer, type RoundCase } from '@interop/config/peer-timer';
import { findPython } from '@interop/config/python';
import { writeNpy } from '@interop/npy';
import { build, defaultClientConditions } from 'vite';
import type { BenchInfo, BenchSetup, BrowserCase } from './page/protocol.js';

const SECTION = 'vs-peers-browser';
const MiB = 2 ** 20;
const ROUNDS = Number(process.env['INTEROP_BENCH_ROUNDS'] ?? 9);
const NPY_ITEMS = (256 * MiB) / 4; // float32, as bench:vs-numpy-npy
const COPY_ITEMS = (64 * MiB) / 4; // as bench:vs-numpy-core
const IMAGE_SIZE: [number, number, number] = [512, 512, 256]; // x, y, z: 256 MiB float32, as bench:vs-numpy-image
const FEATHER_ROWS = Number(process.env['INTEROP_BENCH_ROWS'] ?? 2_000_000); // as bench:pandas-codecs
const VIEW_BATCH = 1000;
const pageRoot = join(dirname(fileURLToPath(import.meta.url)), 'page');

const chromium = findChromium();
const python = findPython(['numpy', 'pandas', 'pyarrow']);
if (!chromium.ok || !python.ok) {
  const reasons = [chromium.ok ? null : chromium.reason, python.ok ? null : python.reason].filter((reason) => reason !== null);
  console.log(`${SECTION}: skipped (${reasons.join('; ')}); this benchmark runs the browser build in Chromium and NumPy / pyarrow in the same run.`);
  process.exit(0);
}

/** Linux: the transparent huge page mode, and the anonymous memory of the page's renderer process(es). */
function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Every process's parent and minor page faults so far (fields 4 and 10 of /proc/<pid>/stat). */
function processTable(): Map<number, { parent: number; minorFaults: number }> {
  const table = new Map<number, { parent: number; minorFaults: number }>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = readProc(`/proc/${entry}/stat`);
    // The command name (field 2) is in parentheses and may hold spaces: field 3 follows its closing one.
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields !== undefined) table.set(Number(entry), { parent: Number(fields[1]), minorFaults: Number(fields[7]) });
  }
  return table;
}

/** The renderer processes of the Chromium this process launched (descendants with --type=renderer). */
function rendererPids(): number[] {
  const table = processTable();
  const ours = (pid: number): boolean => {
    for (let at = table.get(pid)?.parent, hops = 0; at !== undefined && at > 1 && hops < 16; at = table.get(at)?.parent, hops++) {
      if (at === process.pid) return true;
    }
    return false;
  };
  return [...table.keys()].filter((pid) => ours(pid) && (readProc(`/proc/${pid}/cmdline`) ?? '').includes('--type=renderer'));
}

function minorFaults(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => {
    const stat = readProc(`/proc/${pid}/stat`);
    return sum + Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[7] ?? 0);
  }, 0);
}

/** Anonymous memory of the renderers, and how much of it is in transparent huge pages. */
function rendererMemory(pids: readonly number[]): { anonKiB: number; hugeKiB: number } | null {
  let found = false;
  let anonKiB = 0;
  let hugeKiB = 0;
  for (const pid of pids) {
    const rollup = readProc(`/proc/${pid}/smaps_rollup`);
    if (rollup === null) continue;
    found = true;
    anonKiB += Number(/^Anonymous:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    hugeKiB += Number(/^AnonHugePages:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  }
  return found ? { anonKiB, hugeKiB } : null;
}

const directory = mkdtempSync(join(tmpdir(), 'interop-browser-vs-peers-'));
let timer: PythonTimer | { ok: false; reason: string } | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
try {
  const loadBefore = loadavg()[0]!;
  const npyPath = join(directory, 'big.npy');
  const featherPath = join(directory, 'pandas-default.feather');
  const npy = ((): Uint8Array => {
    const values = new Float32Array(NPY_ITEMS);
    for (let i = 0; i < values.length; i++) values[i] = i * 0.5;
    return writeNpy(values);
  })();
  writeFileSync(npyPath, npy);

  timer = await startPythonTimer(['numpy', 'pandas', 'pyarrow']);
  if (!timer.ok) throw new Error(`the Python peer did not start: ${timer.reason}`);
  const py = timer;
  const [z, y, x] = [IMAGE_SIZE[2], IMAGE_SIZE[1], IMAGE_SIZE[0]];
  // pandas writes the Feather file (its default, LZ4) from the frame of bench:pandas-codecs.
  await py.exec(`import io, json, numpy as np, pandas as pd, pyarrow as pa, pyarrow.feather as feather
npy_path, feather_path, rows = ${JSON.stringify(npyPath)}, ${JSON.stringify(featherPath)}, ${FEATHER_ROWS}
rng = np.random.default_rng(0)
df = pd.DataFrame({'a': rng.standard_normal(rows), 'b': np.arange(rows, dtype='int64'), 'c': rng.integers(0, 1000, rows).astype('int32'),
                   'd': np.round(rng.random(rows) * 100, 2), 'e': rng.random(rows).astype('float32')})
df.to_feather(feather_path)
del df
data = open(npy_path, 'rb').read()
offset = len(data) - ${NPY_ITEMS * 4}
assert np.load(io.BytesIO(data))[${NPY_ITEMS - 1}] == np.float32(${NPY_ITEMS - 1} * 0.5)
flat = np.arange(${COPY_ITEMS}, dtype=np.float32)
img = np.zeros((${z}, ${y}, ${x}), dtype=np.float32)
img[...] = 1
feather_bytes = pa.py_buffer(open(feather_path, 'rb').read())
table = feather.read_table(feather_path, memory_map=False)
import sys
versions = json.dumps({'numpy': np.__version__, 'pyarrow': pa.__version__, 'pandas': pd.__version__, 'python': sys.version.split()[0]})`);
  const versionsPath = join(directory, 'versions.json');
  await py.exec(`open(${JSON.stringify(versionsPath)}, 'w').write(versions)`);
  const versions = JSON.parse(readFileSync(versionsPath, 'utf8')) as { numpy: string; pyarrow: string; pandas: string; python: string };
  const feather = readFileSync(featherPath);

  // The page: the packages' browser entries bundled from their TypeScript sources (the
  // "@interop/source" condition, so that no stale dist/ is ever measured), minified, as an app's build.
  const out = join(directory, 'out');
  mkdirSync(out);
  await build({
    root: pageRoot,
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['@interop/source', ...defaultClientConditions] },
    build: { outDir: out, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  });
  server = await serveStatic(out, { files: { '/big.npy': npy, '/pandas-default.feather': feather }, crossOriginIsolated: true });
  browser = await launchChromium(chromium.path, { args: ['--js-flags=--expose-gc'] });
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready]', { timeout: 120_000 });
  const config: BenchSetup = {
    npyUrl: '/big.npy',
    featherUrl: '/pandas-default.feather',
    copyItems: COPY_ITEMS,
    imageSize: IMAGE_SIZE,
    featherRows: FEATHER_ROWS,
    viewBatch: VIEW_BATCH,
  };
  const info: BenchInfo = await page.evaluate((setup) => window.interopBench!.setup(setup), config);
  if (!info.gcExposed) throw new Error('gc() is not exposed in the page (--js-flags=--expose-gc was not honoured)');
  const problems = await page.evaluate(() => window.interopBench!.verify());
  if (problems.length > 0 || pageErrors.length > 0) throw new Error(`the page computed wrong results: ${[...problems, ...pageErrors].join('; ')}`);
  // The renderer's memory once the page holds its inputs (after a collection): is any of it in huge pages?
  await page.evaluate(() => (globalThis as { gc?: () => void }).gc?.());
  const renderers = rendererPids();
  const memory = rendererMemory(renderers);
  const chromiumVersion = browser.version();
  const thp = readProc('/sys/kernel/mm/transparent_hugepage/enabled')?.trim() ?? 'not available';

  // Minor page faults of each call (read from /proc around it, off the clock; Linux only): first touches of fresh 4 KiB
  // pages show up one fault each, of 2 MiB huge pages one per 2 MiB. The warm-up call is left out.
  const pythonPidPath = join(directory, 'python.pid');
  await py.exec(`import os\nopen(${JSON.stringify(pythonPidPath)}, 'w').write(str(os.getpid()))`);
  const pythonPid = Number(readFileSync(pythonPidPath, 'utf8'));
  const faults = new Map<string, number[]>();
  const counted = (name: string, pids: readonly number[], run: () => Promise<number>): RoundCase => ({
    name,
    run: async () => {
      const before = minorFaults(pids);
      const ns = await run();
      faults.set(name, [...(faults.get(name) ?? []), minorFaults(pids) - before]);
      return ns;
    },
  });
  const inPage = (name: BrowserCase): RoundCase => counted(name, renderers, () => page.evaluate((which) => window.interopBench!.run(which), name));
  const inPython = (name: string, code: string, per = 1): RoundCase => counted(name, [pythonPid], async () => (await py.time(code)) / per);
  const npyRounds = await interleaveRounds(
    [
      inPage('readNpy copy'),
      inPython('np.load(BytesIO)', '_ = np.load(io.BytesIO(data))'),
      inPython('np.frombuffer + copy', '_ = np.frombuffer(data, dtype=np.float32, offset=offset).copy()'),
      inPage('fresh 256 MiB memcpy'),
      inPage('fetch + readNpy'),
      inPython('np.load(path)', '_ = np.load(npy_path)'),
      inPage('readNpy view'),
      inPython('np.frombuffer', `for _i in range(${VIEW_BATCH}): _ = np.frombuffer(data, dtype=np.float32, offset=offset)`, VIEW_BATCH),
    ],
    ROUNDS,
  );
  const copyRounds = await interleaveRounds([inPage('MemoryView.copy'), inPython('a.copy()', '_ = flat.copy()'), inPage('fresh 64 MiB memcpy')], ROUNDS);
  const imageRounds = await interleaveRounds([inPage('arrayFromImage'), inPython('np.array(a, copy=True)', '_ = np.array(img, copy=True)')], ROUNDS);
  const readRounds = await interleaveRounds(
    [
      inPage('readArrowIPC'),
      inPython('read_table(BufferReader)', '_ = feather.read_table(pa.BufferReader(feather_bytes))'),
      inPython('read_table(path)', '_ = feather.read_table(feather_path, memory_map=False)'),
    ],
    ROUNDS,
  );
  const writeRounds = await interleaveRounds(
    [
      inPage('writeArrowIPC'),
      inPython('write_feather(BufferOutputStream)', "_ = pa.BufferOutputStream(); feather.write_feather(table, _, compression='lz4'); _ = _.getvalue()"),
    ],
    ROUNDS,
  );
  if (pageErrors.length > 0) throw new Error(`the page failed during the rounds: ${pageErrors.join('; ')}`);
  const loadAfter = loadavg()[0]!;

  const all = [...npyRounds, ...copyRounds, ...imageRounds, ...readRounds, ...writeRounds];
  const median = (name: string): number => {
    const found = all.find((item) => item.name === name);
    if (found === undefined) throw new Error(`no case named ${name}`);
    return found.median;
  };
  const faultMedian = (name: string): string => {
    const list = (faults.get(name) ?? []).slice(1).sort((a, b) => a - b);
    return renderers.length === 0 || list.length === 0 ? '?' : String(list[Math.floor(list.length / 2)]);
  };
  const row = (work: string, ours: string, peerText: string, peer: string, showFaults = true): string => {
    const ratio = `${(median(ours) / median(peer)).toFixed(2)}x`;
    const pageFaults = showFaults ? `${faultMedian(ours)} / ${faultMedian(peer)}` : '-';
    return `| ${work} | ${formatTime(median(ours))} | ${peerText} ${formatTime(median(peer))} | ${ratio} | ${pageFaults} |`;
  };
  const memoryNote =
    memory === null
      ? 'The renderer process was not found under /proc, so its memory was not inspected.'
      : [
          'Chromium does not mark its own ArrayBuffer memory either: once the page held its inputs (the 256 MiB .npy bytes, the 256 MiB',
          "image, the 64 MiB copy source, the Feather bytes and frame) and had collected garbage, the renderer's anonymous memory was",
          `${(memory.anonKiB / 1024).toFixed(0)} MiB, of which ${(memory.hugeKiB / 1024).toFixed(0)} MiB in huge pages`,
          '(`AnonHugePages` of `/proc/<renderer>/smaps_rollup`).',
        ].join(' ');
  const faultsNote =
    renderers.length === 0
      ? 'Page faults were not counted (no renderer process found under /proc).'
      : [
          `The last column shows where the time goes: a fresh 256 MiB array costs the page ${faultMedian('readNpy copy')} minor page faults,`,
          `one per 4 KiB page, where NumPy takes ${faultMedian('np.load(BytesIO)')}, about one per 2 MiB page (it marks its large allocations`,
          `\`MADV_HUGEPAGE\`; transparent huge pages`,
          `here: \`${thp}\`), and pyarrow's read ${faultMedian('read_table(BufferReader)')} (its allocator reuses memory it already holds). First touches cost`,
          'microseconds each on these VMs. The memcpy context rows, which only allocate and copy, take about as long as the package calls:',
          "the gap is in the fresh memory, not in the packages' code. The fetch row faults",
          `${(Number(faultMedian('fetch + readNpy')) / (NPY_ITEMS / 1024)).toFixed(1)} times per 4 KiB page of the file: the body passes through`,
          'fresh memory more than once inside Chromium before `arrayBuffer()` resolves; `readNpy` then adds nothing (it is the zero-copy view).',
        ].join(' ');
  const samples = all.map((item) => `${item.name}: ${item.samples.map((s) => formatTime(s)).join(', ')}`).join('; ');

  reportBenchmarks(
    SECTION,
    [
      `### In the browser: Chromium ${chromiumVersion} vs NumPy ${versions.numpy} / pyarrow ${versions.pyarrow} (issue 15 §5)`,
      '',
      'The same work as the Node rows above (`vs-numpy-npy`, `vs-numpy-core`, `vs-numpy-image`, `pandas-codecs`), done by the browser entries',
      'of the packages in a page Vite bundles, in headless Chromium; Python in the same run. No huge-page allocator: see the notes.',
      '',
      '| work | browser (Chromium) | peer, same run | ratio | page faults per call, browser / peer |',
      '|---|---|---|---|---|',
      row(
        '`readNpy(bytes, { copy: true })`, 256 MiB float32 `.npy` already in memory: a fresh array',
        'readNpy copy',
        '`np.load(io.BytesIO(data))`',
        'np.load(BytesIO)',
      ),
      row('the same', 'readNpy copy', '`np.frombuffer(data, offset=header).copy()`', 'np.frombuffer + copy'),
      row('memcpy of the 256 MiB into a fresh `ArrayBuffer` (context)', 'fresh 256 MiB memcpy', '`np.load(io.BytesIO(data))`', 'np.load(BytesIO)'),
      row(
        '`readNpy(bytes)`, the default: a zero-copy view, per call',
        'readNpy view',
        '`np.frombuffer(data, offset=header)`, per call',
        'np.frombuffer',
        false,
      ),
      row(
        '`readNpy(new Uint8Array(await (await fetch(url)).arrayBuffer()))`, 256 MiB over HTTP from 127.0.0.1',
        'fetch + readNpy',
        '`np.load(path)` (file in the page cache)',
        'np.load(path)',
      ),
      row('`MemoryView.copy` 64 MiB float32', 'MemoryView.copy', '`a.copy()`', 'a.copy()'),
      row('memcpy of the 64 MiB into a fresh `ArrayBuffer` (context)', 'fresh 64 MiB memcpy', '`a.copy()`', 'a.copy()'),
      row('`arrayFromImage` 512 x 512 x 256 float32 (256 MiB)', 'arrayFromImage', '`np.array(a, copy=True)`', 'np.array(a, copy=True)'),
      row(
        `\`readArrowIPC(bytes)\`, pandas-default LZ4 Feather (${(info.featherBytes / MiB).toFixed(0)} MiB, ${FEATHER_ROWS / 1e6}M rows x 5) in memory, ` +
          info.codecs.lz4Decode,
        'readArrowIPC',
        '`feather.read_table(pa.BufferReader(bytes))`',
        'read_table(BufferReader)',
      ),
      row('the same', 'readArrowIPC', "`feather.read_table(path, memory_map=False)` (the Node row's peer)", 'read_table(path)'),
      row(
        `\`writeArrowIPC(frame, { compression: 'lz4' })\` to bytes (${(info.writtenBytes / MiB).toFixed(0)} MiB), ${info.codecs.lz4Encode}`,
        'writeArrowIPC',
        "`feather.write_feather(table, pa.BufferOutputStream(), compression='lz4')`",
        'write_feather(BufferOutputStream)',
      ),
      '',
      `**How.** The bench builds \`examples/browser/bench/page\` with Vite (production, minified; the packages' browser entries resolved to`,
      'their TypeScript sources through the `@interop/source` condition, so no stale `dist/` is measured), serves it from 127.0.0.1 with',
      `COOP / COEP headers (cross-origin isolated: ${info.crossOriginIsolated}, so \`performance.now()\` has 5 µs steps, not 100 µs) and drives it`,
      "through playwright-core with `--js-flags=--expose-gc`. Each page case times itself after `gc()` (the driver's round trip is outside",
      "the clock); Python's come from one persistent process, `gc.collect()` before each. Every round runs each case of a group once, in an",
      `order rotated each round; medians of ${ROUNDS} rounds after one warm-up. Ratios are browser / peer.`,
      '',
      '**Bytes, not files.** A page has no file system: `readNpy` and `readArrowIPC` get bytes the page already holds (fetched once,',
      'untimed). The NumPy peer for that is `np.load(io.BytesIO(data))`, the call a NumPy user makes on bytes in memory: it parses the',
      'header and returns a fresh array, as `readNpy(bytes, { copy: true })` does (NumPy copies in 256 KiB chunks through temporary',
      'bytes objects). `np.frombuffer(...).copy()` is shown too as the least work that yields a fresh array (one memcpy, header offset',
      "given, not parsed). `readNpy`'s default is a zero-copy view of the bytes, O(1) like `np.frombuffer` (neither depends on the size): that row is per call",
      `(batches of ${VIEW_BATCH}). The fetch row adds the transport: Node serves the file from memory over loopback HTTP to Chromium's`,
      "network process, which hands it to the renderer; NumPy's counterpart reads the same file from the page cache. pyarrow reads the",
      'Feather bytes through `pa.BufferReader` (in memory, like the page) and, as in the Node row, from the file with `memory_map=False`;',
      'it may decode on its thread pool (`use_threads=True`, the default; 2 cores here), the page decodes on its one thread. The page uses lz4js',
      'for LZ4 both ways (pure JavaScript: lz4-napi is a Node addon), reported above as the codec in use.',
      '',
      '**No huge-page allocator in the browser.** These rows run the default of the allocation seam of @interop/core, `new ArrayBuffer`',
      `(the page reports \`registeredAllocator()\` = ${info.allocator ?? 'null'}). The huge-page allocator is @interop/native, a Node-API addon:`,
      'a page cannot load it, and no web API lets a page ask for 2 MiB-aligned memory or `madvise` it. ' + memoryNote,
      faultsNote,
      '',
      `All samples: ${samples}.`,
      '',
      "Figures taken on a 2-core machine shared with other helpers' builds and tests",
      `(load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end): expect noise; compare ratios within this run only.`,
      'Reproduce: `flock /tmp/interop-bench.lock pnpm bench browser vs-peers`',
      `(pandas ${versions.pandas} writes the Feather file; Python from \`findPython\`:`,
      `INTEROP_PYTHON, the repository's .venv, python3; this run: Python ${versions.python}; Chromium from INTEROP_CHROMIUM or /usr/bin/chromium).`,
    ].join('\n'),
  );
} finally {
  await browser?.close();
  await server?.close();
  if (timer?.ok === true) timer.close();
  rmSync(directory, { recursive: true, force: true });
}
