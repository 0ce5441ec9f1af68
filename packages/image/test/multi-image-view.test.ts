import { describe, expect, it } from 'vitest';
import { BufferFlags, getBuffer, MemoryView, releaseBuffer } from '@interop/core';
import { expectErrorCode } from '@interop/core/testing';
import { fromArray, ImageView, MultiImageView, toArray } from '../src/iolink/index.js';
import { nd } from './helpers.js';

function frame(seed: number): ImageView {
  const view = ImageView.allocate([4, 3], 'INT16', { axesInterpretation: 'IMAGE' });
  for (let row = 0; row < 3; row++) for (let column = 0; column < 4; column++) view.setValue([column, row], seed * 100 + row * 10 + column);
  return view;
}

describe('MultiImageView', () => {
  it('exports frames in separate buffers through the indirect form (one segment per frame)', () => {
    const frames = [frame(1), frame(2), frame(3)];
    const stack = new MultiImageView(frames);
    const info = getBuffer(stack, BufferFlags.FULL_RO);
    expect(info.shape).toEqual([3, 3, 4]);
    expect(info.suboffsets).toEqual([0, -1, -1]);
    expect(info.segments).toHaveLength(3);
    const strides = info.strides!;
    info.segments!.forEach((segment, position) => {
      expect(segment.buffer).not.toBe(info.segments![(position + 1) % 3]!.buffer);
      const data = new DataView(segment.buffer as ArrayBuffer, segment.byteOffset, segment.byteLength);
      for (let row = 0; row < 3; row++) {
        for (let column = 0; column < 4; column++) {
          const at = info.suboffsets![0]! + row * strides[1]! + column * strides[2]!;
          expect(data.getInt16(at, true)).toBe((position + 1) * 100 + row * 10 + column);
        }
      }
    });
    // Each frame is held while the stack is exported.
    expect(frames.map((view) => view.exports)).toEqual([1, 1, 1]);
    expectErrorCode(() => frames[0]!.setShape([2, 2]), 'ERR_BUFFER_EXPORTED');
    expectErrorCode(() => stack.addFrame(frame(4)), 'ERR_BUFFER_EXPORTED');
    releaseBuffer(info);
    expect(frames.map((view) => view.exports)).toEqual([0, 0, 0]);
    stack.addFrame(frame(4));
    expect(stack.frameCount).toBe(4);
    expect(stack.removeFrame(0)).toBe(frames[0]);
  });

  it('refuses consumers that did not ask for INDIRECT, leaving no frame export behind', () => {
    const frames = [frame(1), frame(2)];
    const stack = new MultiImageView(frames);
    expectErrorCode(() => getBuffer(stack, BufferFlags.STRIDED_RO), 'ERR_BUFFER_FLAGS_UNSUPPORTED');
    expect(frames.map((view) => view.exports)).toEqual([0, 0]);
  });

  it('makes a contiguous copy on request: a sequence view whose array is [frames, rows, columns]', () => {
    const stack = new MultiImageView([frame(1), frame(2)]);
    const copy = stack.toContiguous();
    expect(copy.axesInterpretation).toBe('IMAGE_SEQUENCE');
    const array = toArray(copy);
    expect(array.shape).toEqual([2, 3, 4]);
    expect(array.cContiguous).toBe(true);
    expect(array.get([1, 2, 3])).toBe(223);
    expect(array.get([0, 0, 1])).toBe(101);
    // Core's MemoryView reads the indirect export directly, with the same values.
    const indirect = MemoryView.from(stack);
    expect(indirect.suboffsets).toEqual([0, -1, -1]);
    expect(indirect.toList()).toEqual(array.toList());
    expectErrorCode(() => stack.removeFrame(0), 'ERR_BUFFER_EXPORTED');
    indirect.release();
    array.release();
  });

  it('copies UNKNOWN frames with the frame index first', () => {
    const a = nd(new Uint8Array([1, 2, 3, 4]), [2, 2]);
    const b = nd(new Uint8Array([5, 6, 7, 8]), [2, 2]);
    const stack = new MultiImageView([fromArray(a), fromArray(b)]);
    const array = toArray(stack.toContiguous());
    expect(array.toList()).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    array.release();
    for (const view of stack.frames) view.release();
    a.release();
    b.release();
  });

  it('refuses frames that disagree, and frames laid out differently at export', () => {
    const stack = new MultiImageView([frame(1)]);
    expectErrorCode(() => stack.addFrame(ImageView.allocate([4, 4], 'INT16', { axesInterpretation: 'IMAGE' })), 'ERR_IMAGE_FRAMES_MISMATCH');
    expectErrorCode(() => stack.addFrame(ImageView.allocate([4, 3], 'UINT16', { axesInterpretation: 'IMAGE' })), 'ERR_IMAGE_FRAMES_MISMATCH');
    // Same shape and type as the allocated frames, but COLUMN is not the fastest dimension.
    const transposedSource = nd(new Int16Array(12), [4, 3]).transpose();
    const oddLayout = fromArray(transposedSource, 'IMAGE');
    expect(oddLayout.shape).toEqual([4, 3]);
    stack.addFrame(oddLayout);
    expectErrorCode(() => getBuffer(stack, BufferFlags.FULL_RO), 'ERR_IMAGE_FRAMES_MISMATCH');
    expect(stack.frames.map((view) => view.exports)).toEqual([0, 0]);
    expectErrorCode(() => new MultiImageView().toContiguous(), 'ERR_IMAGE_FRAMES_MISMATCH');
    oddLayout.release();
    transposedSource.release();
  });
});
