#!/usr/bin/env node
// Memory checks of the native code, with zero errors and zero leaks required:
//   1. test/c/layout_test.c (the layout checks of interop/layout.h) built with
//      -fsanitize=address,undefined and run with LeakSanitizer on;
//   2. interop/buffer.h compiled as C11 (the header must stay valid C);
//   3. test/memcheck/scenario.mjs (both directions of the C API, handles, mapFile, SharedMemory,
//      the huge-page allocator, the LZ4 / ZSTD decoders on good and damaged frames, against the
//      built dist/ and both addons) under valgrind --leak-check=full: no memory errors, no
//      definite or indirect leaks.
//
//   node scripts/memcheck.mjs [rounds]      (default 40 rounds; about 1-2 minutes on 2 cores)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const include = join(packageDir, 'include');
const nodeInclude = join(dirname(dirname(process.execPath)), 'include', 'node');
const rounds = process.argv[2] ?? '40';
const work = mkdtempSync(join(tmpdir(), 'interop-memcheck-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const started = performance.now();
let failed = false;

function step(title, command, args, options = {}) {
  console.log(`\n== ${title}\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: packageDir, ...options });
  if (result.status !== 0) {
    console.error(`!! ${title}: exit ${String(result.status ?? result.signal)}`);
    failed = true;
  }
  return result.status === 0;
}

const cc = process.env.CC ?? 'cc';
const sanitize = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer', '-g', '-O1'];
const layoutTest = join(work, 'layout_test');
if (
  step('build layout_test with ASan/UBSan', cc, [
    '-std=c11',
    '-Wall',
    '-Wextra',
    '-Werror',
    ...sanitize,
    `-I${include}`,
    'test/c/layout_test.c',
    '-o',
    layoutTest,
  ])
) {
  step('run layout_test (ASan + UBSan + LeakSanitizer)', layoutTest, [], {
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0:halt_on_error=1', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' },
  });
}
step('interop/buffer.h compiles as C11', cc, [
  '-std=c11',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-fsyntax-only',
  `-I${include}`,
  `-I${nodeInclude}`,
  'test/c/header_compiles.c',
]);

// The scenario runs against built output: build core + native dist and both addons first.
console.log('\n== build dist/ and the addons');
execFileSync(process.execPath, [createRequire(join(packageDir, 'package.json')).resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
  cwd: packageDir,
  stdio: 'inherit',
});
execFileSync(process.execPath, ['scripts/build.mjs', '--if-missing'], { cwd: packageDir, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build.mjs', '--sample'], { cwd: packageDir, stdio: 'inherit' });

step('scenario under valgrind', 'valgrind', [
  '--error-exitcode=99',
  '--leak-check=full',
  '--show-leak-kinds=definite,indirect',
  '--errors-for-leak-kinds=definite,indirect',
  '--track-origins=no',
  `--suppressions=${join(packageDir, 'test', 'memcheck', 'node.supp')}`,
  process.execPath,
  'test/memcheck/scenario.mjs',
  rounds,
]);

const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(failed ? `\nmemcheck FAILED after ${seconds} s` : `\nmemcheck passed: 0 errors, 0 leaks (${seconds} s)`);
process.exit(failed ? 1 : 0);
