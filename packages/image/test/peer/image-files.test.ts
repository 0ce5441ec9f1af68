// Files written by this package, read by independent readers (nibabel for NIfTI; NumPy parsing
// NRRD and MetaImage headers by the formats' specifications; libtiff through sharp for TIFF), and
// files written by independent writers (NumPy + zlib writing PNG, TIFF, MetaImage and DICOM byte
// by byte) read by this package. Spacing, origin, direction, pixel type, components and every pixel
// must survive. (NIfTI and NRRD written by others are read in itk-wasm-files.test.ts; JPEG is
// cross-checked between jpeg-js and libjpeg-turbo in image-file.test.ts.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { pythonPeer } from '@interop/config/python';
import { Image, readImage } from '../../src/index.js';
import { readImageFile, writeImageFile } from '../../src/node/index.js';

const peer = pythonPeer(['numpy', 'nibabel']);

interface Parsed {
  readonly componentType: string;
  readonly size: number[];
  readonly components: number;
  readonly spacing: number[];
  readonly origin: number[];
  readonly direction: number[];
  /** Pixels in ITK buffer order (x fastest, components innermost). */
  readonly values: number[];
}

const readers = String.raw`
import gzip, json, sys, os, zlib
import numpy as np, nibabel as nib
d = sys.argv[1]
out = {}
dtypes = {"short": np.int16, "float": np.float32, "unsigned short": np.uint16, "uchar": np.uint8, "unsigned char": np.uint8, "double": np.float64, "int": np.int32}
names = {np.dtype(np.int16): "int16", np.dtype(np.float32): "float32", np.dtype(np.uint16): "uint16", np.dtype(np.uint8): "uint8", np.dtype(np.float64): "float64", np.dtype(np.int32): "int32"}

# NIfTI, by nibabel: RAS affine -> ITK's LPS geometry.
img = nib.load(os.path.join(d, "ours.nii.gz"))
a = img.affine
zooms = np.sqrt((a[:3, :3] ** 2).sum(axis=0))
lps = np.diag([-1.0, -1.0, 1.0])
data = np.asarray(img.dataobj)
out["nifti"] = {"componentType": names[data.dtype], "size": list(data.shape), "components": 1, "spacing": zooms.tolist(),
  "origin": (lps @ a[:3, 3]).tolist(), "direction": (lps @ (a[:3, :3] / zooms)).ravel().tolist(), "values": data.ravel(order="F").tolist()}

# NRRD, by its specification: "key: value" lines, a blank line, then raw or gzip data.
raw = open(os.path.join(d, "ours.nrrd"), "rb").read()
head, body = raw.split(b"\n\n", 1)
fields = dict(line.split(": ", 1) for line in head.decode().splitlines()[1:] if ": " in line and not line.startswith("#"))
kinds = fields["kinds"].split()
sizes = [int(v) for v in fields["sizes"].split()]
vectors = [v for v in fields["space directions"].split() if v != "none"]
axes = np.array([[float(x) for x in v.strip("()").split(",")] for v in vectors])  # one row per spatial axis
spacing = np.linalg.norm(axes, axis=1)
if fields["encoding"] == "gzip": body = gzip.decompress(body)
values = np.frombuffer(body, dtype=np.dtype(dtypes[fields["type"]]).newbyteorder("<" if fields["endian"] == "little" else ">"))
out["nrrd"] = {"componentType": names[np.dtype(dtypes[fields["type"]])], "size": [s for s, k in zip(sizes, kinds) if k == "domain"],
  "components": sizes[0] if kinds[0] == "vector" else 1, "spacing": spacing.tolist(),
  "origin": [float(x) for x in fields["space origin"].strip("()").split(",")], "direction": (axes / spacing[:, None]).T.ravel().tolist(), "values": values.astype(np.float64).tolist()}

# MetaImage, by its specification: "Key = value" lines up to ElementDataFile = LOCAL, then the data.
raw = open(os.path.join(d, "ours.mha"), "rb").read()
end = raw.index(b"ElementDataFile = LOCAL\n") + len(b"ElementDataFile = LOCAL\n")
meta = dict(line.split(" = ", 1) for line in raw[:end].decode().splitlines())
n = int(meta["NDims"])
body = raw[end:]
if meta["CompressedData"] == "True": body = zlib.decompress(body)
types = {"MET_SHORT": np.int16, "MET_FLOAT": np.float32, "MET_USHORT": np.uint16, "MET_UCHAR": np.uint8}
dtype = np.dtype(types[meta["ElementType"]]).newbyteorder(">" if meta["BinaryDataByteOrderMSB"] == "True" else "<")
matrix = np.array([float(v) for v in meta["TransformMatrix"].split()]).reshape(n, n).T  # stored column by column
out["meta"] = {"componentType": names[np.dtype(types[meta["ElementType"]])], "size": [int(v) for v in meta["DimSize"].split()],
  "components": int(meta.get("ElementNumberOfChannels", "1")), "spacing": [float(v) for v in meta["ElementSpacing"].split()],
  "origin": [float(v) for v in meta["Offset"].split()], "direction": matrix.ravel().tolist(), "values": np.frombuffer(body, dtype=dtype).astype(np.float64).tolist()}
print(json.dumps(out))
`;

const writers = String.raw`
import json, struct, sys, os, zlib
import numpy as np
d = sys.argv[1]
out = {}

def png(path, pixels, colour_type, depth):
    h, w = pixels.shape[:2]
    rows = pixels.astype(">u2" if depth == 16 else "u1").reshape(h, -1)
    raw = b"".join(b"\x00" + row.tobytes() for row in rows)  # filter type 0 on every row
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

rgb = (np.arange(7 * 5 * 3).reshape(5, 7, 3) * 11 % 256).astype(np.uint8)
png(os.path.join(d, "numpy-rgb.png"), rgb, 2, 8)
grey16 = (np.arange(6 * 4).reshape(4, 6) * 2731 % 65536).astype(np.uint16)
png(os.path.join(d, "numpy-grey16.png"), grey16, 0, 16)
out["png_rgb"] = rgb.ravel().tolist()
out["png_grey16"] = grey16.ravel().tolist()

# A baseline little-endian TIFF: one strip of uncompressed uint16 grey.
tiff = (np.arange(5 * 3).reshape(3, 5) * 4099 % 65536).astype("<u2")
h, w = tiff.shape
entries = [(256, 3, 1, w), (257, 3, 1, h), (258, 3, 1, 16), (259, 3, 1, 1), (262, 3, 1, 1), (273, 4, 1, 8), (277, 3, 1, 1), (278, 3, 1, h), (279, 4, 1, tiff.nbytes)]
ifd_offset = 8 + tiff.nbytes
ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHI", tag, kind, count) + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)) for tag, kind, count, value in entries) + struct.pack("<I", 0)
with open(os.path.join(d, "numpy-grey16.tif"), "wb") as f:
    f.write(b"II*\x00" + struct.pack("<I", ifd_offset) + tiff.tobytes() + ifd)
out["tiff"] = tiff.ravel().tolist()

# MetaImage: 3-D uint16, 3 channels, oblique direction; TransformMatrix is stored column by column.
direction = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
size = [3, 4, 2]
values = (np.arange(3 * 4 * 2 * 3) * 97 % 65536).astype("<u2")
header = "\n".join(["ObjectType = Image", "NDims = 3", "BinaryData = True", "BinaryDataByteOrderMSB = False", "CompressedData = False",
  "TransformMatrix = " + " ".join("%g" % v for v in direction.T.ravel()), "Offset = -1.5 2 7.25", "ElementSpacing = 0.25 1.5 3",
  "DimSize = 3 4 2", "ElementNumberOfChannels = 3", "ElementType = MET_USHORT", "ElementDataFile = LOCAL"]) + "\n"
with open(os.path.join(d, "numpy.mha"), "wb") as f:
    f.write(header.encode() + values.tobytes())
out["meta"] = {"size": size, "spacing": [0.25, 1.5, 3], "origin": [-1.5, 2, 7.25], "direction": direction.ravel().tolist(), "values": values.tolist()}

# DICOM (Part 10, explicit VR little endian): a CT slice with spacing, position and an in-plane rotation.
def el(group, elem, vr, value):
    if isinstance(value, str):
        value = value.encode()
        if len(value) % 2: value += b" " if vr != "UI" else b"\0"
    if vr in ("OB", "OW", "SQ", "UN", "UT"):
        return struct.pack("<HH2sHI", group, elem, vr.encode(), 0, len(value)) + value
    return struct.pack("<HH2sH", group, elem, vr.encode(), len(value)) + value
rows, cols = 3, 4
dicom = (np.arange(rows * cols).reshape(rows, cols) * 250 - 1000).astype("<i2")
sop_class = "1.2.840.10008.5.1.4.1.1.2"  # CT Image Storage
sop_inst = "1.2.3.4.5.6.7.8"
ts = "1.2.840.10008.1.2.1"  # explicit VR little endian
meta_body = el(0x0002, 0x0001, "OB", b"\0\1") + el(0x0002, 0x0002, "UI", sop_class) + el(0x0002, 0x0003, "UI", sop_inst) + el(0x0002, 0x0010, "UI", ts)
meta = el(0x0002, 0x0000, "UL", struct.pack("<I", len(meta_body))) + meta_body
direction_row = [0.0, 1.0, 0.0]; direction_col = [-1.0, 0.0, 0.0]
ds = b"".join([
  el(0x0008, 0x0016, "UI", sop_class), el(0x0008, 0x0018, "UI", sop_inst), el(0x0008, 0x0060, "CS", "CT"),
  el(0x0020, 0x000D, "UI", "1.2.3.4"), el(0x0020, 0x000E, "UI", "1.2.3.4.5"),
  el(0x0020, 0x0032, "DS", "12.5\\-3\\7.25"), el(0x0020, 0x0037, "DS", "\\".join("%g" % v for v in direction_row + direction_col)),
  el(0x0028, 0x0002, "US", struct.pack("<H", 1)), el(0x0028, 0x0004, "CS", "MONOCHROME2"),
  el(0x0028, 0x0010, "US", struct.pack("<H", rows)), el(0x0028, 0x0011, "US", struct.pack("<H", cols)),
  el(0x0028, 0x0030, "DS", "0.5\\0.75"),
  el(0x0028, 0x0100, "US", struct.pack("<H", 16)), el(0x0028, 0x0101, "US", struct.pack("<H", 16)), el(0x0028, 0x0102, "US", struct.pack("<H", 15)), el(0x0028, 0x0103, "US", struct.pack("<H", 1)),
  el(0x7FE0, 0x0010, "OW", dicom.tobytes()),
])
with open(os.path.join(d, "numpy.dcm"), "wb") as f:
    f.write(b"\0" * 128 + b"DICM" + meta + ds)
out["dicom"] = dicom.ravel().tolist()
print(json.dumps(out))
`;

function expectGeometry(image: Image, parsed: Parsed): void {
  expect(image.componentType).toBe(parsed.componentType);
  expect(image.size).toEqual(parsed.size);
  expect(image.components).toBe(parsed.components);
  parsed.spacing.forEach((value, axis) => expect(image.spacing[axis]).toBeCloseTo(value, 6));
  parsed.origin.forEach((value, axis) => expect(image.origin[axis]).toBeCloseTo(value, 6));
  parsed.direction.forEach((value, entry) => expect(image.direction[entry]).toBeCloseTo(value, 6));
  expect(Array.from(image.data as ArrayLike<number>)).toEqual(parsed.values);
}

describe.skipIf(!peer.ok)(`peer: image files vs nibabel / NumPy / libtiff${peer.ok ? '' : ` (skipped: ${peer.reason})`}`, () => {
  const directory = mkdtempSync(join(tmpdir(), 'interop-image-peer-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const oblique = { spacing: [0.5, 0.75, 2.5], origin: [1, -2, 3], direction: [0, 1, 0, -1, 0, 0, 0, 0, 1] };
  const scalar = new Image({ componentType: 'int16', size: [5, 4, 3], ...oblique }).allocate();
  (scalar.data as Int16Array).forEach((_, i, values) => (values[i] = i * 37 - 900));
  const vectors = new Image({ componentType: 'float32', pixelType: 'Vector', components: 2, size: [4, 3, 2], ...oblique }).allocate();
  (vectors.data as Float32Array).forEach((_, i, values) => (values[i] = i / 8 - 2));
  let parsed: Record<string, Parsed> = {};
  let written: Record<string, unknown> = {};

  beforeAll(async () => {
    await writeImageFile(scalar, join(directory, 'ours.nii.gz'));
    await writeImageFile(vectors, join(directory, 'ours.nrrd'), { useCompression: true });
    await writeImageFile(vectors, join(directory, 'ours.mha'), { useCompression: true });
    if (!peer.ok) return;
    parsed = JSON.parse(peer.run(readers, [directory]).toString('utf8')) as Record<string, Parsed>;
    written = JSON.parse(peer.run(writers, [directory]).toString('utf8')) as Record<string, unknown>;
  }, 120_000);

  it('NIfTI written here: nibabel reads the same voxels, spacing, origin and direction', () => {
    const nifti = parsed.nifti!;
    expect(nifti.values).toEqual(Array.from(scalar.data as Int16Array));
    expectGeometry(scalar, nifti);
  });

  it('NRRD written here (gzip): the header and data say the same as the image, vector pixels included', () => {
    expectGeometry(vectors, parsed.nrrd!);
  });

  it('MetaImage written here (zlib): the header and data say the same as the image', () => {
    expectGeometry(vectors, parsed.meta!);
  });

  it('MetaImage written by NumPy: 3-channel uint16 pixels with an oblique direction', async () => {
    const want = written.meta as { size: number[]; spacing: number[]; origin: number[]; direction: number[]; values: number[] };
    const image = await readImageFile(join(directory, 'numpy.mha'));
    expectGeometry(image, { componentType: 'uint16', components: 3, ...want });
  });

  it('DICOM written by NumPy byte by byte: pixels, PixelSpacing, ImagePositionPatient and ImageOrientationPatient', async () => {
    const image = await readImageFile(join(directory, 'numpy.dcm'));
    expect(image.componentType).toBe('int16');
    expect(image.size).toEqual([4, 3, 1]);
    // PixelSpacing holds the row spacing, then the column spacing: x (along a row) is the second.
    expect(image.spacing.slice(0, 2)).toEqual([0.75, 0.5]);
    expect(image.origin).toEqual([12.5, -3, 7.25]);
    // Columns of the direction: the row cosines (0, 1, 0), the column cosines (-1, 0, 0), their cross product.
    image.direction.forEach((value, entry) => expect(value).toBeCloseTo([0, -1, 0, 1, 0, 0, 0, 0, 1][entry]!, 12));
    expect(Array.from(image.data as Int16Array)).toEqual(written.dicom);
  });

  it('PNG written by NumPy + zlib: read exactly by both codecs', async () => {
    for (const codec of ['fast-png', 'sharp'] as const) {
      const rgb = await readImage(readFileSync(join(directory, 'numpy-rgb.png')), { codec });
      expect(rgb.imageType).toEqual({ dimension: 2, componentType: 'uint8', pixelType: 'RGB', components: 3 });
      expect(rgb.size).toEqual([7, 5]);
      expect(Array.from(rgb.data as Uint8Array)).toEqual(written.png_rgb);
      const grey = await readImage(readFileSync(join(directory, 'numpy-grey16.png')), { codec });
      expect(grey.imageType).toEqual({ dimension: 2, componentType: 'uint16', pixelType: 'Scalar', components: 1 });
      expect(Array.from(grey.data as Uint16Array)).toEqual(written.png_grey16);
    }
  });

  it('TIFF written by NumPy is read exactly; TIFF written here is read exactly by libtiff (sharp)', async () => {
    const theirs = await readImageFile(join(directory, 'numpy-grey16.tif'));
    expect(theirs.componentType).toBe('uint16');
    expect(theirs.size.slice(0, 2)).toEqual([5, 3]);
    expect(Array.from(theirs.data as Uint16Array)).toEqual(written.tiff);
    const ours = new Image({ componentType: 'uint16', size: [6, 4] }).allocate();
    (ours.data as Uint16Array).forEach((_, i, values) => (values[i] = (i * 5003) % 65536));
    const path = join(directory, 'ours.tif');
    await writeImageFile(ours, path);
    const { data, info } = await sharp(path).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([6, 4, 1]);
    expect(Array.from(new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2))).toEqual(Array.from(ours.data as Uint16Array));
  });
});
