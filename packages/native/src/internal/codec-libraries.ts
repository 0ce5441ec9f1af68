// Where the system compression libraries are looked for, and what was found (per thread; the
// addon keeps the first library opened for the whole process). Internal: tests point a codec at a
// file that does not exist to see the "library absent" path, then call resetCodecLibraries().

/** The codecs whose system library the addon can open. */
export type SystemCodec = 'lz4' | 'zstd';

function defaultCandidates(codec: SystemCodec): readonly string[] {
  const name = codec === 'lz4' ? 'liblz4' : 'libzstd';
  if (process.platform === 'darwin') return [`${name}.1.dylib`, `/opt/homebrew/lib/${name}.1.dylib`, `/usr/local/lib/${name}.1.dylib`];
  if (process.platform === 'win32') return [];
  // The runtime package's soname (liblz4-1 / libzstd1 on Debian and Ubuntu, lz4-libs / libzstd on Fedora).
  return [`${name}.so.1`];
}

/** The files tried, in order, for each codec. Tests replace an entry; resetCodecLibraries() restores both. */
export const codecLibraryCandidates: Record<SystemCodec, readonly string[]> = {
  lz4: defaultCandidates('lz4'),
  zstd: defaultCandidates('zstd'),
};

/** The outcome of opening a codec's library: the file and version, or why none could be used. */
export type CodecLibraryState = { readonly ok: true; readonly file: string; readonly version: string } | { readonly ok: false; readonly reason: string };

/** What was found per codec in this thread (filled on first use). */
export const codecLibraryStates = new Map<SystemCodec, CodecLibraryState>();

/** Forgets what was found and restores the default candidates (tests). */
export function resetCodecLibraries(): void {
  codecLibraryCandidates.lz4 = defaultCandidates('lz4');
  codecLibraryCandidates.zstd = defaultCandidates('zstd');
  codecLibraryStates.clear();
}
