// The data step of `pnpm dev` and of the test: writes public/volume.npy, which Vite serves as ./volume.npy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { volumeNpy } from '../src/volume.js';

const publicDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'public');
mkdirSync(publicDir, { recursive: true });
const bytes = volumeNpy();
writeFileSync(join(publicDir, 'volume.npy'), bytes);
process.stdout.write(`wrote public/volume.npy (${bytes.byteLength} bytes)\n`);
