// The Python side of the demo: NumPy and pandas open the files the demo wrote and check them
// against what Node computed (identical bytes, identical values). Runs only when a Python that
// imports numpy and pandas is there (the discovery the peer tests use); otherwise says why not.
import { execFileSync } from 'node:child_process';
import { findPython } from '@interop/config/python';

/** What Node knows about the files, for Python to check. */
export interface Expected {
  readonly npy: { readonly path: string; readonly shape: readonly number[]; readonly dtype: string; readonly sha256: string };
  readonly tables: readonly { readonly path: string; readonly reader: 'feather' | 'parquet'; readonly columns: Record<string, readonly number[]> }[];
}

const script = String.raw`
import hashlib, json, os, sys
import numpy as np, pandas as pd
expected = json.load(sys.stdin)
lines, ok = [], True
n = expected["npy"]
a = np.load(n["path"])
same = a.shape == tuple(n["shape"]) and a.dtype == np.dtype(n["dtype"]) and hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest() == n["sha256"]
ok &= same
lines.append(f"np.load(volume.npy): shape {a.shape}, dtype {a.dtype}, bytes identical: {same}")
for t in expected["tables"]:
    df = pd.read_feather(t["path"]) if t["reader"] == "feather" else pd.read_parquet(t["path"])
    cols = t["columns"]
    same = list(df.columns) == list(cols) and all(df[c].tolist() == cols[c] for c in cols)
    ok &= same
    name = t["path"].rsplit("/", 1)[-1]
    lines.append(f"pd.read_{t['reader']}({name}): {len(df)} rows, dtypes {', '.join(f'{c}={df[c].dtype}' for c in df.columns)}, values identical: {same}")
print(json.dumps({"ok": bool(ok), "lines": lines, "versions": f"Python {sys.version.split()[0]}, NumPy {np.__version__}, pandas {pd.__version__}"}))
sys.stdout.flush()
# Leave without the interpreter's teardown: pyarrow's threads can abort it after the verdict is out
# ("terminate called without an active exception"), which would turn a good verdict into a failure.
os._exit(0)
`;

/** Runs the check; `undefined` when there is no suitable Python (with the reason printed by the caller). */
export function pythonVerdict(expected: Expected): { ok: boolean; lines: string[]; versions: string } | { skipped: string } {
  const found = findPython(['numpy', 'pandas', 'pyarrow']);
  if (!found.ok) return { skipped: found.reason };
  const output = execFileSync(found.python, ['-c', script], { input: JSON.stringify(expected), encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(output.trim().split('\n').pop()!) as { ok: boolean; lines: string[]; versions: string };
}
