// Each vocabulary has its own entry (issue 17 §3): ITK's names and what both models share in
// "@interop/image", IOLink's in "@interop/image/iolink", file paths in "@interop/image/node". The
// imports go through the package's exports map, as a user's do; test/package-smoke.mjs checks the
// same against the built, packed package.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as root from '@interop/image';
import * as iolink from '@interop/image/iolink';
import * as node from '@interop/image/node';

const iolinkNames = [
  'AxesInterpretation',
  'DataTypeId',
  'ImageAxis',
  'ImageView',
  'MultiImageView',
  'dataTypeInfo',
  'dataTypeOf',
  'fromArray',
  'fromArrayWithAxes',
  'interpretationAxes',
  'interpretationOfAxes',
  'isAxesInterpretation',
  'toArray',
  'toArrayWithAxes',
];

const itkNames = [
  ...['Image', 'arrayFromImage', 'arrayViewFromImage', 'imageFromArray', 'imageViewFromArray'],
  ...['dictFromImage', 'imageFromDict', 'fromItkWasm', 'toItkWasm'],
];
const sharedNames = [
  ...['ImageError', 'imageErrorCodes', 'componentTypes', 'pixelTypes'],
  ...['readImage', 'writeImage', 'toRGBA', 'imageDataFromImage', 'imageFromImageData', 'releaseImageData'],
];

describe('entry points', () => {
  it("@interop/image/iolink exports exactly IOLink's names", () => {
    expect(Object.keys(iolink).sort()).toEqual([...iolinkNames].sort());
  });

  it("@interop/image exports ITK's names and the shared ones, and none of IOLink's", () => {
    for (const name of [...itkNames, ...sharedNames]) expect(root, name).toHaveProperty(name);
    expect(Object.keys(root).filter((name) => iolinkNames.includes(name))).toEqual([]);
  });

  it('no name has two homes', () => {
    const entries: Record<string, readonly string[]> = { '.': Object.keys(root), './iolink': Object.keys(iolink), './node': Object.keys(node) };
    const seen = new Map<string, string>();
    for (const [entry, names] of Object.entries(entries)) {
      for (const name of names) {
        expect(seen.get(name), `${name} is exported by ${seen.get(name)} and ${entry}`).toBeUndefined();
        seen.set(name, entry);
      }
    }
  });

  it('the IOLink entry works on its own: an array in, a view, an array out', () => {
    const array = new Uint16Array([11, 12, 13, 21, 22, 23]);
    const view = iolink.fromArray(array, 'UNKNOWN');
    const back = iolink.toArray(view);
    expect(back.toList()).toEqual([11, 12, 13, 21, 22, 23]);
    back.release();
    view.release();
  });

  it('the exports map gives every entry its source, its types and its build, and nothing else', () => {
    const manifestPath = fileURLToPath(new URL('../package.json', import.meta.url));
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(manifest.exports)).toEqual(['.', './iolink', './node', './internal/*', './package.json']);
    for (const [entry, folder] of [
      ['.', ''],
      ['./iolink', 'iolink/'],
      ['./node', 'node/'],
    ] as const) {
      expect(manifest.exports[entry], entry).toEqual({
        '@interop/source': `./src/${folder}index.ts`,
        types: `./dist/${folder}index.d.ts`,
        default: `./dist/${folder}index.js`,
      });
      expect(existsSync(fileURLToPath(new URL(`../src/${folder}index.ts`, import.meta.url))), entry).toBe(true);
    }
  });
});
