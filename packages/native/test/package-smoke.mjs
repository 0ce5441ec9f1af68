// The packaging check's smoke example for @interop/native (tools/scripts/pack-check.mjs): run in
// plain Node ESM in a fresh project where only this package's tarball (and the @interop packages it
// needs) is installed with npm. It imports public entry points only and throws on a wrong result.
import { mapFile } from '@interop/native';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const path = join(tmpdir(), `interop-native-smoke-${process.pid}.bin`);
writeFileSync(path, new Uint8Array([7, 8, 9]));
const mapped = mapFile(path, { mode: 'r' });
if (mapped.byteLength !== 3) throw new Error('native smoke failed: byteLength ' + mapped.byteLength);
mapped.close();
rmSync(path);
