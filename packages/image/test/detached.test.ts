import { BufferFlags, MemoryView, getBuffer, getbuffer, releaseBuffer, releasebuffer } from '@interop/core';
import { expectDetachedEverywhere, loseMemory, resizableBuffer, type MemoryLoss, expectErrorCode } from '@interop/core/testing';
import { describe, it } from 'vitest';
import { Image, imageViewFromArray } from '../src/index.js';
import { fromArray, ImageView, MultiImageView, toArray } from '../src/iolink/index.js';

// Methods that only read or change geometry (spacing, origin, direction, region, transforms)
// touch no pixel memory, so they keep working; release / dispose / releasebuffer always work.
const imageGeometry = [
  'allocate',
  'setRegions',
  'setSpacing',
  'setOrigin',
  'setDirection',
  'transformContinuousIndexToPhysicalPoint',
  'transformIndexToPhysicalPoint',
  'transformPhysicalPointToContinuousIndex',
  'transformPhysicalPointToIndex',
  'isInside',
  'arrayGeometry',
];
const always = ['release', Symbol.dispose, releasebuffer];

const imageCalls: Record<string | symbol, (image: Image) => unknown> = {
  getPixel: (image) => image.getPixel([1, 1]),
  setPixel: (image) => image.setPixel([1, 1], 3),
  fill: (image) => image.fill(2),
  clone: (image) => image.clone(),
  [getbuffer]: (image): unknown => image[getbuffer](BufferFlags.FULL_RO),
};

const viewCalls: Record<string | symbol, (view: ImageView) => unknown> = {
  getValue: (view) => view.getValue([1, 1]),
  setValue: (view) => view.setValue([1, 1], 3),
  setShape: (view) => view.setShape([3, 3]),
  setDataType: (view) => view.setDataType('UINT16'),
  [getbuffer]: (view): unknown => view[getbuffer](BufferFlags.FULL_RO),
};

describe('Image, ImageView and MultiImageView over memory taken away', () => {
  it('an image whose own pixel buffer was transferred refuses every pixel method', async () => {
    await expectDetachedEverywhere(
      () => {
        const object = new Image({ componentType: 'float32', size: [4, 3] }).allocate();
        object.fill(7);
        return { object, lose: () => loseMemory(object.data.buffer, 'transfer') };
      },
      { calls: imageCalls, exempt: [...imageGeometry, ...always], getters: { data: (image) => image.data } },
    );
  });

  for (const loss of ['transfer', 'shrink'] as const satisfies readonly MemoryLoss[]) {
    it(`an image viewing an array refuses every pixel method after a ${loss}`, async () => {
      await expectDetachedEverywhere(
        () => {
          const buffer = loss === 'shrink' ? resizableBuffer(48) : new ArrayBuffer(48);
          new Float32Array(buffer).fill(7);
          const array = MemoryView.from(new Float32Array(buffer, 0, 12), BufferFlags.FULL).reshape([3, 4]);
          return { object: imageViewFromArray(array), lose: () => loseMemory(buffer, loss) };
        },
        { calls: imageCalls, exempt: [...imageGeometry, ...always], getters: { data: (image) => image.data } },
      );
    });

    it(`an ImageView refuses every method after a ${loss} (own memory and a view of an array)`, async () => {
      await expectDetachedEverywhere(
        () => {
          const object = ImageView.allocate([3, 2], 'UINT8');
          return { object, lose: () => loseMemory(getBufferOf(object), 'transfer') };
        },
        { calls: viewCalls, exempt: always },
      );
      await expectDetachedEverywhere(
        () => {
          const buffer = loss === 'shrink' ? resizableBuffer(6) : new ArrayBuffer(6);
          return { object: fromArray(new Uint8Array(buffer, 0, 6)), lose: () => loseMemory(buffer, loss) };
        },
        {
          calls: { ...viewCalls, getValue: (view) => view.getValue([1]), setValue: (view) => view.setValue([1], 3) },
          exempt: always,
          liveRefusals: ['setShape', 'setDataType'],
        },
      );
    });
  }

  it('a MultiImageView refuses to copy or export frames whose memory is gone; list methods touch no pixels', async () => {
    await expectDetachedEverywhere(
      () => {
        const frames = [ImageView.allocate([2, 2], 'UINT8'), ImageView.allocate([2, 2], 'UINT8')];
        return { object: new MultiImageView(frames), lose: () => loseMemory(getBufferOf(frames[1]!), 'transfer') };
      },
      {
        calls: { toContiguous: (stack) => stack.toContiguous(), [getbuffer]: (stack): unknown => stack[getbuffer](BufferFlags.FULL_RO) },
        // frame/addFrame/setFrame/removeFrame manage the list; each frame refuses on its own.
        exempt: ['frame', 'addFrame', 'setFrame', 'removeFrame', releasebuffer],
      },
    );
  });

  it('toArray of a view whose memory is gone is a typed error, not an engine TypeError', () => {
    const buffer = new ArrayBuffer(8);
    const view = fromArray(new Uint8Array(buffer));
    loseMemory(buffer, 'transfer');
    expectErrorCode(() => toArray(view), 'ERR_BUFFER_DETACHED');
  });
});

function getBufferOf(view: ImageView): ArrayBuffer {
  const info = getBuffer(view, BufferFlags.FULL_RO);
  releaseBuffer(info);
  return info.buffer as ArrayBuffer;
}
