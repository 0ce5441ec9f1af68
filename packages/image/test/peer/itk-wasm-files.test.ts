// Real files read through @itk-wasm/image-io in Node: a NIfTI written by nibabel and an NRRD
// written by hand in Python. Python reports what ITK must see (pixels in ITK order, spacing,
// origin and direction in ITK's LPS space); fromItkWasm must give exactly that, without a copy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonPeer } from '@interop/config/python';
import { readImageNode } from '@itk-wasm/image-io';
import { arrayViewFromImage, fromItkWasm, toItkWasm } from '../../src/index.js';

const peer = pythonPeer(['numpy', 'nibabel']);

interface Expected {
  readonly componentType: string;
  readonly size: number[];
  readonly spacing: number[];
  readonly origin: number[];
  readonly direction: number[];
  /** Pixels in ITK buffer order (x fastest). */
  readonly values: number[];
  /** NumPy's shape of the data in [z, y, x] order. */
  readonly numpyShape: number[];
  /** [x, y, z] -> value probes, from NumPy indexing. */
  readonly probes: [number[], number][];
}

const script = String.raw`
import json, sys, os
import numpy as np, nibabel as nib
directory = sys.argv[1]
out = {}

# NIfTI: int16 data[x, y, z], an oblique affine (90 degree rotation in-plane), anisotropic voxels.
data = (np.arange(5 * 4 * 3, dtype=np.int16).reshape(5, 4, 3) * 3 - 50)
affine = np.array([[0.0, -2.0, 0.0, 10.0], [1.5, 0.0, 0.0, -5.0], [0.0, 0.0, 3.0, 7.0], [0.0, 0.0, 0.0, 1.0]])
nib.save(nib.Nifti1Image(data, affine), os.path.join(directory, "oblique.nii.gz"))
zooms = np.sqrt((affine[:3, :3] ** 2).sum(axis=0))
ras_direction = affine[:3, :3] / zooms
lps = np.diag([-1.0, -1.0, 1.0])  # ITK reports NIfTI's RAS world in LPS
out["nifti"] = {
    "componentType": "int16",
    "size": list(data.shape),
    "spacing": zooms.tolist(),
    "origin": (lps @ affine[:3, 3]).tolist(),
    "direction": (lps @ ras_direction).ravel().tolist(),
    "values": data.ravel(order="F").tolist(),
    "numpyShape": list(data.T.shape),
    "probes": [[[4, 3, 2], int(data[4, 3, 2])], [[1, 2, 0], int(data[1, 2, 0])], [[0, 0, 1], int(data[0, 0, 1])]],
}

# NRRD written by hand: float32, 2 components per pixel, 3-D, LPS space with explicit directions.
size = (4, 3, 2)
values = (np.arange(2 * 4 * 3 * 2, dtype=np.float32) / 4 - 1)  # x fastest, components innermost
directions = np.array([[0.0, 0.5, 0.0], [-1.25, 0.0, 0.0], [0.0, 0.0, 2.0]])  # one row per axis
origin = [3.0, -4.5, 1.25]
header = "\n".join([
    "NRRD0004",
    "type: float",
    "dimension: 4",
    "space: left-posterior-superior",
    "sizes: 2 4 3 2",
    "space directions: none " + " ".join("(%.17g,%.17g,%.17g)" % tuple(float(v) for v in row) for row in directions),
    "kinds: vector domain domain domain",
    "endian: little",
    "encoding: raw",
    "space origin: (%.17g,%.17g,%.17g)" % tuple(origin),
]) + "\n\n"
with open(os.path.join(directory, "vectors.nrrd"), "wb") as handle:
    handle.write(header.encode("ascii"))
    handle.write(values.astype("<f4").tobytes())
spacing = np.linalg.norm(directions, axis=1)
out["nrrd"] = {
    "componentType": "float32",
    "size": list(size),
    "spacing": spacing.tolist(),
    "origin": origin,
    "direction": (directions / spacing[:, None]).T.ravel().tolist(),  # columns are the axis directions
    "values": values.tolist(),
    "numpyShape": [2, 3, 4, 2],
    "probes": [],
}
print(json.dumps(out))
`;

describe.skipIf(!peer.ok)(`peer: itk-wasm files vs nibabel/NumPy${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  const directory = mkdtempSync(join(tmpdir(), 'interop-image-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const expected = peer.ok ? (JSON.parse(peer.run(script, [directory]).toString('utf8')) as Record<string, Expected>) : {};

  async function check(file: string, want: Expected, components: number): Promise<void> {
    const itkImage = await readImageNode(join(directory, file));
    const image = fromItkWasm(itkImage);
    expect(image.data).not.toBeNull();
    expect(image.data.buffer).toBe(itkImage.data!.buffer);
    expect(image.componentType).toBe(want.componentType);
    expect(image.components).toBe(components);
    expect(image.size).toEqual(want.size);
    image.spacing.forEach((value, axis) => expect(value).toBeCloseTo(want.spacing[axis]!, 9));
    image.origin.forEach((value, axis) => expect(value).toBeCloseTo(want.origin[axis]!, 9));
    image.direction.forEach((value, entry) => expect(value).toBeCloseTo(want.direction[entry]!, 9));
    expect(Array.from(image.data as ArrayLike<number>)).toEqual(want.values);
    for (const [index, value] of want.probes) expect(image.getPixel(index)).toBe(value);
    const array = arrayViewFromImage(image);
    expect(array.shape).toEqual(want.numpyShape);
    array.release();
    // Back to itk-wasm: the same buffer, the same geometry.
    const again = toItkWasm(image);
    expect(again.data).toBe(image.data);
    expect(Array.from(again.direction as Float64Array)).toEqual(Array.from(itkImage.direction as Float64Array));
    image.release();
  }

  it('reads a NIfTI written by nibabel: int16 pixels, spacing, LPS origin and direction', async () => {
    await check('oblique.nii.gz', expected.nifti!, 1);
  });

  it('reads a hand-written NRRD with 2-component float pixels and oblique directions', async () => {
    await check('vectors.nrrd', expected.nrrd!, 2);
  });
});
