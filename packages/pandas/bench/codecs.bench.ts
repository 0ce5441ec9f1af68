// Issue 15 §4: Feather codecs against pyarrow, in the same run. pandas writes the files (its
// default LZ4, and ZSTD); a Python process times pyarrow.feather.read_table(p, memory_map=False)
// and write_feather one call at a time, interleaved with the JavaScript samples, so the drift of a
// loaded machine does not favour either side. JavaScript runs each codec implementation: the
// system decoders of @interop/native (liblz4, libzstd: straight into the decode arena, several
// threads), the napi-rs packages (lz4-napi, @toondepauw/node-zstd) and the pure-JS / WebAssembly
// browser fallbacks (lz4js, fzstd, @bokuweb/zstd-wasm). Also measured: the system decoders on one
// thread against several, to decide on parallel decoding.
import { formatTime, reportBenchmarks } from '@interop/config/bench';
import { pythonPeer } from '@interop/config/python';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { allocateBuffer, registerAllocator, registeredAllocator, resetAllocator } from '@interop/core';
import * as nativeModule from '@interop/native';
import { codecImplementations, loadZstdEncoder, readArrowIPC, useNativeCodecs, writeArrowIPC } from '../src/index.js';
// As a Node user of the package: importing the Node entry registers @interop/native's huge-page
// allocator with core's seam and installs its system decoders, when that package is installed.
import { nativeAllocatorInstalled, readFeather } from '../src/node/index.js';
import { defaultMaxDecompressedBytes } from '../src/internal/codecs.js';
import { checkIpcBounds } from '../src/internal/ipc-bounds.js';
import { installSystemCodecs } from '../src/internal/system-codecs.js';
import { readFileBytesSync } from '../src/node/internal/file-bytes.js';

const loadAtStart = loadavg()
  .map((value) => value.toFixed(1))
  .join(' / ');
const rows = Number(process.env['INTEROP_BENCH_ROWS'] ?? 2_000_000);
const seconds = Number(process.env['INTEROP_BENCH_SECONDS'] ?? 4);
const peer = pythonPeer(['numpy', 'pandas', 'pyarrow']);
if (!peer.ok) {
  console.log(`pandas-codecs: skipped (${peer.reason}); this benchmark needs pandas and pyarrow in the same run.`);
  process.exit(0);
}
const native = (() => {
  useNativeCodecs(true);
  return codecImplementations();
})();
if (native.lz4Decode === 'lz4js') console.log('note: the native codecs are not installed here; the "native" rows run the pure-JS codecs');
const systemInstalled = native.lz4Decode.includes('@interop/native');
if (!systemInstalled) console.log('note: the system decoders of @interop/native are not available here (addon or liblz4 missing)');
const napi = (() => {
  installSystemCodecs(null);
  try {
    return codecImplementations();
  } finally {
    installSystemCodecs(nativeModule);
  }
})();

const directory = mkdtempSync(join(tmpdir(), 'interop-pandas-codecs-'));
const lz4Path = join(directory, 'pandas-default.feather');
const zstdPath = join(directory, 'pandas-zstd.feather');
const outPath = join(directory, 'out.feather');

// Python creates the files: the frame pandas users write, 2M rows x 5 numeric columns, with
// pandas' default LZ4 and with ZSTD.
function createFiles(): void {
  if (!peer.ok) throw new Error('no python peer');
  peer.run(
    `import sys, numpy as np, pandas as pd
lz4, zstd, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(0)
df = pd.DataFrame({'a': rng.standard_normal(rows), 'b': np.arange(rows, dtype='int64'), 'c': rng.integers(0, 1000, rows).astype('int32'),
                   'd': np.round(rng.random(rows) * 100, 2), 'e': rng.random(rows).astype('float32')})
df.to_feather(lz4)
df.to_feather(zstd, compression='zstd')`,
    [lz4Path, zstdPath, String(rows)],
  );
}

type PythonOperation = 'readLz4' | 'readZstd' | 'writeLz4' | 'writeZstd';

// A Python process that stays up and times one pyarrow call per request, so its samples
// interleave with the JavaScript ones (A, B, pyarrow, A, B, pyarrow...) and a machine whose load
// comes and goes weighs on both sides alike.
function startPythonTimer(): { time(operation: PythonOperation): Promise<number>; stop(): void } {
  if (!peer.ok) throw new Error('no python peer');
  const script = `import sys, time, pyarrow.feather as feather
lz4, zstd, out = sys.argv[1], sys.argv[2], sys.argv[3]
table = feather.read_table(lz4, memory_map=False)
ops = {
    'readLz4': lambda: feather.read_table(lz4, memory_map=False),
    'readZstd': lambda: feather.read_table(zstd, memory_map=False),
    'writeLz4': lambda: feather.write_feather(table, out, compression='lz4'),
    'writeZstd': lambda: feather.write_feather(table, out, compression='zstd'),
}
print('ready', flush=True)
for line in sys.stdin:
    op = line.strip()
    if not op: break
    t = time.perf_counter(); ops[op](); elapsed = time.perf_counter() - t
    print(elapsed * 1e9, flush=True)`;
  const child = spawn(peer.python, ['-u', '-c', script, lz4Path, zstdPath, join(directory, 'pyarrow-out.feather')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error('the Python timer stopped');
    return line.value;
  };
  const ready = next();
  return {
    async time(operation) {
      if ((await ready) !== 'ready') throw new Error('the Python timer did not start');
      child.stdin.write(`${operation}\n`);
      return Number(await next());
    },
    stop() {
      child.stdin.end();
      child.kill();
    },
  };
}

/**
 * Times JavaScript functions and one pyarrow operation in rounds (each JavaScript function once,
 * then pyarrow once), for `seconds` per candidate and at least 7 rounds after one warm-up round.
 * Returns the median of each, JavaScript first, pyarrow last (nanoseconds).
 */
async function interleaved(fns: readonly (() => unknown)[], python: ReturnType<typeof startPythonTimer>, operation: PythonOperation): Promise<number[]> {
  const samples: number[][] = [...fns, null].map(() => []);
  const deadline = performance.now() + seconds * 1000 * (fns.length + 1);
  for (let round = 0; round < 1 || performance.now() < deadline || round < 8; round++) {
    for (let index = 0; index < fns.length; index++) {
      const t0 = performance.now();
      (fns[index] as () => unknown)();
      const elapsed = (performance.now() - t0) * 1e6;
      if (round > 0) samples[index]?.push(elapsed);
    }
    const pythonTime = await python.time(operation);
    if (round > 0) samples[fns.length]?.push(pythonTime);
  }
  return samples.map((list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN);
}

/** Times JavaScript functions alone in rounds (each once per round), `seconds` per candidate, at least 7 rounds; medians in ns. */
function measureRounds(fns: readonly (() => unknown)[]): number[] {
  const samples: number[][] = fns.map(() => []);
  const deadline = performance.now() + seconds * 1000 * fns.length;
  for (let round = 0; round < 1 || performance.now() < deadline || round < 8; round++) {
    fns.forEach((fn, index) => {
      const t0 = performance.now();
      fn();
      if (round > 0) samples[index]?.push((performance.now() - t0) * 1e6);
    });
  }
  return samples.map((list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN);
}

const table: string[] = [];
const row = (work: string, ours: number, peerName: string, peerTime: number, goal: string): void => {
  const ratio = ours / peerTime;
  const met = goal === '-' ? '-' : ratio <= Number(goal.replace(/[^\d.]/g, '')) ? 'yes' : 'no';
  table.push(`| ${work} | ${formatTime(ours)} | ${peerName}: ${formatTime(peerTime)} | ${ratio.toFixed(2)}x | ${goal} | ${met} |`);
};

/** Runs `fn` with core's default allocator (new ArrayBuffer), then puts the registered one back. */
function withoutAllocator<Result>(fn: () => Result): () => Result {
  return () => {
    const registration = registeredAllocator();
    resetAllocator();
    try {
      return fn();
    } finally {
      if (registration !== null) registerAllocator(registration.allocator, { threshold: registration.threshold, fallback: registration.fallback });
    }
  };
}

/** Runs `fn` with the napi-rs codecs (lz4-napi, node-zstd) instead of @interop/native's system decoders. */
function withoutSystemDecoders<Result>(fn: () => Result): () => Result {
  return () => {
    installSystemCodecs(null);
    try {
      return fn();
    } finally {
      installSystemCodecs(nativeModule);
    }
  };
}

function withCodecs<Result>(useNative: boolean, fn: () => Result): () => Result {
  return () => {
    useNativeCodecs(useNative);
    try {
      return fn();
    } finally {
      useNativeCodecs(true);
    }
  };
}

try {
  createFiles();
  const python = startPythonTimer();
  await loadZstdEncoder();
  const lz4Size = statSync(lz4Path).size;
  // Check before timing: both paths read the same values.
  const a = readFeather(lz4Path);
  for (const other of [withoutSystemDecoders(() => readFeather(lz4Path))(), withCodecs(false, () => readFeather(lz4Path))()]) {
    for (const name of a.columnNames) {
      const x = a.column(name).values as Float64Array;
      const y = other.column(name).values as Float64Array;
      if (Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(y.buffer, y.byteOffset, y.byteLength)) !== 0 || a.numRows !== rows) {
        throw new Error('the LZ4 decoders disagree');
      }
    }
  }
  const frame = a;
  const [readSystem = 0, readPlain = 0, readWithoutNative = 0, readBuffer = 0, readNapi = 0, readJs = 0, fileSeam = 0, file = 0, readLz4 = 0] =
    await interleaved(
      [
        () => readFeather(lz4Path),
        withoutAllocator(() => readFeather(lz4Path)),
        withoutAllocator(withoutSystemDecoders(() => readFeather(lz4Path))),
        () => readArrowIPC(readFileSync(lz4Path)),
        withoutSystemDecoders(() => readFeather(lz4Path)),
        withCodecs(false, () => readFeather(lz4Path)),
        () => readFileBytesSync(lz4Path, 'bench'),
        () => readFileSync(lz4Path),
      ],
      python,
      'readLz4',
    );
  const [zstdSystem = 0, zstdNapi = 0, zstdJs = 0, readZstd = 0] = await interleaved(
    [() => readFeather(zstdPath), withoutSystemDecoders(() => readFeather(zstdPath)), withCodecs(false, () => readFeather(zstdPath))],
    python,
    'readZstd',
  );
  const [writeNative = 0, writeJs = 0, writeLz4 = 0] = await interleaved(
    [
      () => writeFileSync(outPath, writeArrowIPC(frame, { compression: 'lz4' })),
      withCodecs(false, () => writeFileSync(outPath, writeArrowIPC(frame, { compression: 'lz4' }))),
    ],
    python,
    'writeLz4',
  );
  const [writeZstdNative = 0, writeZstdWasm = 0, writeZstd = 0] = await interleaved(
    [
      () => writeFileSync(outPath, writeArrowIPC(frame, { compression: 'zstd' })),
      withCodecs(false, () => writeFileSync(outPath, writeArrowIPC(frame, { compression: 'zstd' }))),
    ],
    python,
    'writeZstd',
  );
  python.stop();

  // Parallel decoding: every compressed buffer of the file into one fresh allocation from the
  // seam (as readArrowIPC does), by @interop/native's decompressManyInto on 1 thread and on every
  // core; and the same into memory allocated once, to separate decoding from first-touch faults.
  let parallelNote = 'The system decoders of @interop/native are not available here: parallel decoding not measured.';
  if (systemInstalled) {
    const parallel: string[] = [];
    for (const [codec, path] of [
      ['lz4', lz4Path],
      ['zstd', zstdPath],
    ] as const) {
      const bytes = readFileBytesSync(path, 'bench');
      const slots = checkIpcBounds(bytes, true, {
        limit: defaultMaxDecompressedBytes(bytes.length),
        source: path,
        inputBytes: bytes.length,
        explicit: false,
        used: 0,
      });
      let total = 0;
      const ranges = slots.map((slot) => {
        const range = {
          sourceOffset: slot.position - bytes.byteOffset,
          sourceLength: slot.compressed,
          destinationOffset: total,
          destinationLength: slot.declared,
        };
        total += (slot.declared + 7) & ~7;
        return range;
      });
      const held = new Uint8Array(allocateBuffer(total));
      const many = (threads: number, fresh: boolean) => () =>
        nativeModule.decompressManyInto(codec, bytes, fresh ? new Uint8Array(allocateBuffer(total)) : held, ranges, { threads });
      const cores = availableParallelism();
      const [one = 0, all = 0, oneHeld = 0, allHeld = 0] = measureRounds([many(1, true), many(cores, true), many(1, false), many(cores, false)]);
      parallel.push(
        `${codec.toUpperCase()} (${slots.length} buffers, ${(total / 2 ** 20).toFixed(0)} MiB): into a new zero-filled allocation from the seam ${formatTime(one)} on 1 thread, ${formatTime(all)} on ${cores} (${(all / one).toFixed(2)}x); into memory touched before ${formatTime(oneHeld)} and ${formatTime(allHeld)} (${(allHeld / oneHeld).toFixed(2)}x)`,
      );
    }
    parallelNote = `Parallel decoding (\`decompressManyInto\` of @interop/native, the calling thread plus worker threads, all buffers of the file in one call): ${parallel.join('; ')}. ${cpus().length} cores shared with other work. The system decoders use one thread per core by default (\`os.availableParallelism()\`): across runs on this shared machine the second thread gave between 0.8x and 1.06x, paying when a core is free and costing little when none is.`;
  }

  row(
    `\`readFeather(p)\` (@interop/pandas/node), pandas default LZ4 Feather (${(lz4Size / 2 ** 20).toFixed(0)} MiB, ${rows / 1e6}M rows x 5): file read into seam memory, ${native.lz4Decode}, ${nativeAllocatorInstalled ? 'huge-page allocator of @interop/native (the @interop/pandas/node default)' : 'new ArrayBuffer (the huge-page allocator is not installed: INTEROP_ALLOCATOR=default, or no @interop/native)'}`,
    readSystem,
    '`pyarrow.feather.read_table(p, memory_map=False)`',
    readLz4,
    '<= 1.5x',
  );
  row('the same without the huge-page allocator (`INTEROP_ALLOCATOR=default`: new ArrayBuffer)', readPlain, 'pyarrow', readLz4, '-');
  row(`the same without @interop/native at all (${napi.lz4Decode}, new ArrayBuffer)`, readWithoutNative, 'pyarrow', readLz4, '-');
  row(`\`readArrowIPC(readFileSync(p))\` (Node's own file buffer), ${native.lz4Decode}`, readBuffer, 'pyarrow', readLz4, '-');
  row(
    `\`readFeather(p)\` with ${napi.lz4Decode} (the decoder before @interop/native's; its own output, copied into the arena)`,
    readNapi,
    'pyarrow',
    readLz4,
    '-',
  );
  row('the same, pure-JS codec (lz4js, the browser path)', readJs, 'pyarrow', readLz4, '-');
  row('reading the file alone, into seam memory (what `readFeather` does first)', fileSeam, 'pyarrow', readLz4, '-');
  row('reading the file alone, `fs.readFileSync(p)`', file, 'pyarrow', readLz4, '-');
  row(`\`readFeather(p)\` of the ZSTD Feather, ${native.zstdDecode}`, zstdSystem, '`read_table` (ZSTD)', readZstd, '-');
  row(`the same, ${napi.zstdDecode}`, zstdNapi, '`read_table` (ZSTD)', readZstd, '-');
  row('the same, pure JS (fzstd)', zstdJs, '`read_table` (ZSTD)', readZstd, '-');
  row(
    `\`writeArrowIPC(frame, { compression: 'lz4' })\` + \`writeFileSync\`, native (${native.lz4Encode})`,
    writeNative,
    "`write_feather(table, p, compression='lz4')`",
    writeLz4,
    '-',
  );
  row('the same, pure JS (lz4js)', writeJs, '`write_feather` (LZ4)', writeLz4, '-');
  row(
    `\`writeArrowIPC(frame, { compression: 'zstd' })\` + \`writeFileSync\`, native (${native.zstdEncode ?? 'none'})`,
    writeZstdNative,
    "`write_feather(table, p, compression='zstd')`",
    writeZstd,
    '-',
  );
  row('the same, WebAssembly (@bokuweb/zstd-wasm)', writeZstdWasm, '`write_feather` (ZSTD)', writeZstd, '-');

  reportBenchmarks(
    'pandas-codecs',
    `## @interop/pandas — Feather codecs vs pyarrow (issue 15 §4)

| work | ours (median) | pyarrow, same run | ratio | goal | met? |
|---|---|---|---|---|---|
${table.join('\n')}

Every figure is a median of samples taken in rounds: each JavaScript variant once, then pyarrow
once in a Python process that stays up for the run (A, B, pyarrow, A, B, pyarrow...), ${seconds} s per
candidate and at least 7 rounds after a warm-up round, so load that comes and goes on the shared
machine weighs on both sides alike. The frame is what pandas writes with \`df.to_feather(p)\`:
LZ4 frames in 64K-row record batches, 5 numeric columns (float64, int64, int32, float64, float32).

**Decoder choice.** Reading, on Node with @interop/native installed (what \`@interop/pandas/node\`
installs): the system's liblz4 (frame API) and libzstd, opened by the addon with \`dlopen\` at first
use, so nothing is needed at build time and a machine without them falls back cleanly (linking
\`-llz4\` instead would make liblz4-dev a build dependency for every user and run the same library
code). They decompress every compressed buffer of the file in one call, on up to one thread per
core, straight into the one allocation the read's buffers live in (the decode arena, from core's
seam): no decoder-owned output, no copy. They are the libraries pyarrow uses, and ran ${(readNapi / readSystem).toFixed(1)}x faster
than lz4-napi 2.10.0 (lz4_flex, which returns its own buffer, then copied; row 5) and
${(zstdNapi / zstdSystem).toFixed(1)}x faster than @toondepauw/node-zstd 2.0.0 here. Without @interop/native (or without its
libraries) lz4-napi and node-zstd decode, as before; in browsers lz4js and fzstd. Writing is
unchanged: lz4-napi / lz4js for LZ4, node-zstd / @bokuweb/zstd-wasm 0.0.27 (after
\`await loadZstdEncoder()\`) for ZSTD. lz4-wasm 0.9.2 only speaks LZ4's block format, not the frame
format Arrow uses; zstd-napi compiles libzstd at install and @mongodb-js/zstd downloads its binary
at install, which fails offline. Every size check (declared lengths against
\`maxDecompressedBytes\`, LZ4 and ZSTD frame headers, the output length against the declared one)
runs in front of whichever decoder runs; the system decoders are also bounded by the exact size of
each destination range.

**Where the time goes** (row 1, about ${((rows * 32) / 2 ** 20).toFixed(0)} MiB decompressed per read). A \`--cpu-prof\` of 100
\`readFeather\` calls (main thread, load average about 4) gave: decompression 48 % (the main thread
decodes and waits for the second thread: about 29 ms a read), the file read 20 % (12 ms), V8's
garbage collector 9 % (the 105 MiB handed to V8 per read trigger a scavenge and a mark-compact,
about 4-6 ms a read), apache-arrow's metadata reading, our bounds and frame-header checks and
building the frame about 3 %, idle 6 %. pyarrow spends the same decompression time (the same
library) and reads the file the same way; the garbage collections have no counterpart there.
Memory: the huge-page allocator keeps up to 4 freed regions mapped (its cache, on by default), and
the file buffer and the arena are requested with \`zeroFill: false\` (every byte is overwritten),
so a read after the first reuses warm memory without zeroing it, as pyarrow's allocator does.
Without the huge-page allocator (row 2) every read takes fresh 4 KiB pages from V8, at about 10 µs
per page on these virtual machines (issue 15); without @interop/native at all (row 3) lz4-napi's
own output buffers are fresh memory too, and are copied. Node's \`readFileSync\` (rows 4 and 8)
also takes fresh memory.

${parallelNote}

Load average of the machine (2 cores, shared with other builds): ${loadAtStart} at the start of the run, ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' / ')} at the end (1, 5, 15 minutes); under heavy load both sides slow down and the ratios move
by tens of percent. Reproduce: \`flock /tmp/interop-bench.lock pnpm bench pandas codecs\`; without the
huge-page allocator throughout: \`INTEROP_ALLOCATOR=default pnpm bench pandas codecs\`.`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
