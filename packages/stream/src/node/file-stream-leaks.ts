import { closeSync } from 'node:fs';

/**
 * The safety net for `FileStream`s dropped without `close()`: the descriptor is closed when the
 * stream is garbage-collected and one process warning names the site that created it (once per
 * site), as leaked exports are reported by @interop/core and Python reports unclosed files with a
 * ResourceWarning. The state must not reference the stream.
 */
interface OpenDescriptor {
  readonly fd: number;
  readonly path: string | undefined;
  readonly site: string;
}

const warnedSites = new Set<string>();
const registry = new FinalizationRegistry<OpenDescriptor>(closeLeaked);

/** Watches `stream`, which owns `fd`; returns the token `forgetFileStream` takes on close. */
export function watchFileStream(stream: object, fd: number, path: string | undefined): object {
  const token = {};
  registry.register(stream, { fd, path, site: creationSite() }, token);
  return token;
}

/** Stops watching a stream that was closed explicitly. */
export function forgetFileStream(token: object): void {
  registry.unregister(token);
}

function closeLeaked(state: OpenDescriptor): void {
  try {
    closeSync(state.fd);
  } catch {
    // Already closed by someone else: nothing leaked any more. A finaliser must never throw.
  }
  if (warnedSites.has(state.site)) return;
  warnedSites.add(state.site);
  const what = state.path === undefined ? `descriptor ${state.fd}` : JSON.stringify(state.path);
  process.emitWarning(
    `A FileStream over ${what} was garbage-collected without close(); its descriptor has been closed now. Close streams explicitly (stream.close() or \`using\`). It was created at:\n${state.site}`,
    { type: 'InteropLeakWarning', code: 'INTEROP_LEAKED_FILE_STREAM' },
  );
}

// The creating call, without the frames of this package's own stream code; it keys the
// once-per-site rule, so it keeps only the first few caller frames (no sizes or paths).
function creationSite(): string {
  const stack = new Error('FileStream created here').stack ?? '';
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !/[\\/]stream[\\/](src|dist)[\\/]node[\\/]/.test(line))
    .slice(0, 4)
    .join('\n');
}

/** Forgets which sites were already reported (for tests of the once-per-site rule). */
export function resetFileStreamLeakReports(): void {
  warnedSites.clear();
}
