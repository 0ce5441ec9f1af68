// Hostile callers of the methods changed for issue 16: null, wrong types, detached memory and
// random arguments given to toArray, toArrayWithAxes, toItkWasm, fromItkWasm, imageFromArray,
// MultiImageView and the pixel methods of Image / ImageView. Invariant: only typed errors
// (InteropError) escape, never a plain TypeError or RangeError. `pnpm fuzz` runs the long mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InteropError } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import { fromItkWasm, Image, imageFromArray, toItkWasm, type ItkWasmImage } from '../src/index.js';
import { fromArray, ImageView, MultiImageView, toArray, toArrayWithAxes } from '../src/iolink/index.js';

const hostile = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    0,
    -1,
    1.5,
    Number.NaN,
    '',
    'IMAGE',
    true,
    Symbol('x'),
    [],
    [null],
    {},
    { length: 2 ** 40 },
    new ArrayBuffer(8),
    new DataView(new ArrayBuffer(8)),
  ),
  fc.anything({ maxDepth: 2 }),
);

describe('typed errors for hostile arguments (issue 16, finding 7)', () => {
  it('toArray / toArrayWithAxes of a non-view', () => {
    expectErrorCode(() => toArray(null as never), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toArrayWithAxes(null as never, ['COLUMN']), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toArray({} as never), 'ERR_INVALID_ARGUMENT');
  });

  it('toItkWasm of null or a plain object', () => {
    expectErrorCode(() => toItkWasm(null as never), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => toItkWasm({} as never), 'ERR_INVALID_ARGUMENT');
  });

  it('fromItkWasm without a direction, or with a non-array one', () => {
    const base: ItkWasmImage = {
      imageType: { dimension: 2, componentType: 'uint8', pixelType: 'Scalar', components: 1 },
      name: '',
      origin: [0, 0],
      spacing: [1, 1],
      direction: Float64Array.of(1, 0, 0, 1),
      size: [2, 2],
      metadata: new Map(),
      data: new Uint8Array(4),
    };
    expect(() => fromItkWasm(base)).not.toThrow();
    const { direction: _omitted, ...withoutDirection } = base;
    expectErrorCode(() => fromItkWasm(withoutDirection as never), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => fromItkWasm({ ...base, direction: null } as never), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => fromItkWasm({ ...base, direction: 5 } as never), 'ERR_INVALID_ARGUMENT');
  });

  it('imageFromArray with ttype null', () => {
    expectErrorCode(() => imageFromArray(new Float32Array(4), { ttype: null as never }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => imageFromArray(new Float32Array(4), { ttype: 'RGB' as never }), 'ERR_INVALID_ARGUMENT');
  });

  it('new MultiImageView(null) and frames that disagree (ERR_IMAGE_FRAMES_MISMATCH, as documented)', () => {
    expectErrorCode(() => new MultiImageView(null as never), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => new MultiImageView([ImageView.allocate([2, 2], 'UINT8'), ImageView.allocate([3, 2], 'UINT8')]), 'ERR_IMAGE_FRAMES_MISMATCH');
    expectErrorCode(() => new MultiImageView([ImageView.allocate([2, 2], 'UINT8'), ImageView.allocate([2, 2], 'UINT16')]), 'ERR_IMAGE_FRAMES_MISMATCH');
    expectErrorCode(() => new MultiImageView([ImageView.allocate([2, 2], 'UINT8'), {} as never]), 'ERR_INVALID_ARGUMENT');
    expect(new MultiImageView([ImageView.allocate([2, 2], 'UINT8'), ImageView.allocate([2, 2], 'UINT8')]).frameCount).toBe(2);
  });
});

describe('hostile-caller fuzz of the changed entry points', () => {
  it('only typed errors escape, whatever the arguments', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(hostile, hostile, fc.boolean(), (first, second, detach) => {
        const buffer = new ArrayBuffer(16);
        const view = fromArray(new Uint8Array(buffer), 'IMAGE');
        const image = new Image({ componentType: 'uint8', size: [4, 4] }).allocate();
        if (detach) {
          structuredClone(buffer, { transfer: [buffer] });
          structuredClone(image.data.buffer, { transfer: [image.data.buffer] });
        }
        const calls: (() => unknown)[] = [
          () => toArray(first as never),
          () => toArrayWithAxes(view, first as never),
          () => toArrayWithAxes(first as never, second as never),
          () => toItkWasm(first as never),
          () => toItkWasm(image),
          () => fromItkWasm(first as never),
          () =>
            fromItkWasm({
              imageType: { dimension: 2, componentType: 'uint8', pixelType: 'Scalar', components: 1 },
              size: [4, 4],
              spacing: [1, 1],
              origin: [0, 0],
              direction: first,
              data: second,
            } as never),
          () => imageFromArray(new Uint8Array(16), { ttype: first } as never),
          () => imageFromArray(first, second as never),
          () => new MultiImageView(first as never),
          () => new MultiImageView([view, first] as never),
          () => view.getValue(first as never),
          () => view.setValue(first as never, second as never),
          () => image.getPixel(first as never),
          () => image.setPixel(first as never, second as never),
          () => image.fill(first as never),
        ];
        for (const call of calls) {
          try {
            call();
          } catch (error) {
            if (!InteropError.isInstance(error)) throw error;
            // Detached memory is always reported as such by the pixel methods of both objects.
            if (detach && (call === calls[11] || call === calls[13]))
              expect(['ERR_BUFFER_DETACHED', 'ERR_IMAGE_DIMENSION', 'ERR_INDEX_OUT_OF_RANGE']).toContain(error.code);
          }
        }
      }),
      fuzzOptions(300),
    );
  });
});
