import {
  BufferFlags,
  ExportLock,
  exportBuffer,
  getBuffer,
  getbuffer,
  MemoryView,
  releaseBuffer,
  releasebuffer,
  resolveLayout,
  type BufferInfo,
  type BufferSegment,
  type Exporter,
} from '@interop/core';
import { ImageError } from '../errors/image-error.js';
import { ImageView } from './image-view.js';

/** What one held export of every frame looks like (carried to `releasebuffer`). */
interface HeldFrames {
  readonly frames: readonly BufferInfo[];
}

/**
 * A sequence of image views (frames) each in its own memory, as IOLink's `MultiImageView`. It
 * exports through the buffer protocol's indirect form: dimension 0 indexes the frames, one
 * `BufferSegment` per frame, `suboffsets = [s0, -1, ...]`, each frame laid out as `toArray(frame)`.
 * A consumer that does not ask for INDIRECT is refused; `toContiguous()` makes a C-contiguous copy.
 * While exported it holds an export of every frame, and refuses to add, remove or replace frames.
 *
 * @example
 * ```ts
 * import { ImageView, MultiImageView } from '@interop/image/iolink';
 * const stack = new MultiImageView([ImageView.allocate([4, 3], 'UINT8', { axesInterpretation: 'IMAGE' }), ImageView.allocate([4, 3], 'UINT8', { axesInterpretation: 'IMAGE' })]);
 * stack.frameCount; // 2
 * ```
 * @throws {ImageError} `ERR_IMAGE_FRAMES_MISMATCH` when frames disagree in shape, data type or axes.
 */
export class MultiImageView implements Exporter {
  readonly #lock = new ExportLock();
  readonly #frames: ImageView[] = [];

  constructor(frames: readonly ImageView[] = []) {
    const given: unknown = frames;
    if (!Array.isArray(given)) {
      throw new ImageError(
        'ERR_INVALID_ARGUMENT',
        `new MultiImageView(frames) takes an array of ImageView frames; received ${frames === null ? 'null' : typeof frames}. Pass [] for an empty sequence.`,
      );
    }
    // Each frame is compared with the first one given (the list is stored only once all agree).
    for (const frame of frames) this.#check(frame, frames[0]);
    this.#frames.push(...frames);
  }

  /** The frames (a copy of the list; the views themselves are shared). */
  get frames(): ImageView[] {
    return this.#frames.slice();
  }

  get frameCount(): number {
    return this.#frames.length;
  }

  /** Number of live exports. */
  get exports(): number {
    return this.#lock.exports;
  }

  /**
   * The frame at `position`.
   *
   * @throws {ImageError} `ERR_INDEX_OUT_OF_RANGE`.
   */
  frame(position: number): ImageView {
    const frame = this.#frames[position];
    if (frame === undefined || !Number.isInteger(position)) {
      throw new ImageError('ERR_INDEX_OUT_OF_RANGE', `Frame ${position} does not exist; the view has ${this.#frames.length} frames.`);
    }
    return frame;
  }

  /**
   * Appends a frame.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while exported.
   * @throws {ImageError} `ERR_IMAGE_FRAMES_MISMATCH`.
   */
  addFrame(frame: ImageView): void {
    this.#lock.assertUnlocked('addFrame');
    this.#check(frame, this.#frames[0]);
    this.#frames.push(frame);
  }

  /**
   * Replaces the frame at `position`.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while exported.
   * @throws {ImageError} `ERR_IMAGE_FRAMES_MISMATCH`, `ERR_INDEX_OUT_OF_RANGE`.
   */
  setFrame(position: number, frame: ImageView): void {
    this.#lock.assertUnlocked('setFrame');
    this.frame(position);
    this.#check(frame, this.#frames.length > 1 ? this.#frames[position === 0 ? 1 : 0] : undefined);
    this.#frames[position] = frame;
  }

  /**
   * Removes and returns the frame at `position`.
   *
   * @throws {BufferError} `ERR_BUFFER_EXPORTED` while exported.
   * @throws {ImageError} `ERR_INDEX_OUT_OF_RANGE`.
   */
  removeFrame(position: number): ImageView {
    this.#lock.assertUnlocked('removeFrame');
    const frame = this.frame(position);
    this.#frames.splice(position, 1);
    return frame;
  }

  /**
   * A copy of every frame (C-contiguous in array form for known axes), stacked along a new first dimension, as an allocated
   * `ImageView` whose array form is [frames, ...toArray(frame).shape]: the SEQUENCE axis is added
   * to the frames' interpretation (UNKNOWN stays UNKNOWN).
   *
   * @throws {ImageError} `ERR_IMAGE_FRAMES_MISMATCH` when there are no frames, `ERR_IMAGE_AXES_INVALID` when the frames already have a SEQUENCE axis.
   */
  toContiguous(): ImageView {
    const first = this.#frames[0];
    if (first === undefined) throw new ImageError('ERR_IMAGE_FRAMES_MISMATCH', 'A MultiImageView with no frames has nothing to copy.');
    const axes = first.axes;
    if (axes?.includes('SEQUENCE') === true) {
      throw new ImageError('ERR_IMAGE_AXES_INVALID', 'The frames already have a SEQUENCE axis; a stack of them has no axis left to index frames.');
    }
    // Known axes: SEQUENCE is canonical-last, so it comes first in array form; UNKNOWN keeps order, so put it first.
    const shape = axes === null ? [this.#frames.length, ...first.shape] : [...first.shape, this.#frames.length];
    const target = ImageView.allocate(shape, first.dataType, axes === null ? {} : { axesInterpretation: interpretationWithSequence(first.axesInterpretation) });
    const array = MemoryView.from(target, BufferFlags.FULL);
    try {
      this.#frames.forEach((frame, position) => {
        const source = MemoryView.from(frame, BufferFlags.FULL_RO);
        const slot = array.slice(position);
        try {
          source.copyInto(slot);
        } finally {
          slot.release();
          source.release();
        }
      });
    } finally {
      array.release();
    }
    return target;
  }

  /**
   * Exports the frames as one indirect buffer: shape [frames, ...frameShape], one segment per
   * frame. `strides[0]` is the byte size of one frame (what it would be if the frames were packed).
   *
   * @throws {BufferError} `ERR_BUFFER_FLAGS_UNSUPPORTED` without INDIRECT, and the other refusals of `exportBuffer`.
   * @throws {ImageError} `ERR_IMAGE_FRAMES_MISMATCH` when there are no frames or their layouts differ.
   */
  [getbuffer](flags: number): BufferInfo {
    if (this.#frames.length === 0) throw new ImageError('ERR_IMAGE_FRAMES_MISMATCH', 'A MultiImageView with no frames cannot be exported; add frames first.');
    const writable = (flags & BufferFlags.WRITABLE) !== 0;
    const held: BufferInfo[] = [];
    try {
      for (const frame of this.#frames) held.push(getBuffer(frame, writable ? BufferFlags.FULL : BufferFlags.FULL_RO));
      const layouts = held.map((info) => resolveLayout(info));
      const first = layouts[0]!;
      const frameShape = first.shape;
      const frameStrides = first.strides;
      // One segment per frame: the bytes its elements span; the suboffset locates element 0 inside.
      let low = 0;
      let high = first.itemsize;
      frameShape.forEach((extent, axis) => {
        const reach = (extent - 1) * frameStrides[axis]!;
        if (extent === 0) return;
        if (reach < 0) low += reach;
        else high += reach;
      });
      const segments: BufferSegment[] = layouts.map((layout, position) => {
        if (
          layout.format !== first.format ||
          layout.strides.some((stride, axis) => stride !== frameStrides[axis]) ||
          layout.shape.some((extent, axis) => extent !== frameShape[axis])
        ) {
          throw new ImageError(
            'ERR_IMAGE_FRAMES_MISMATCH',
            `Frame ${position} is laid out differently from frame 0 (shape, strides or format); an indirect export needs identical frame layouts. Use toContiguous().`,
          );
        }
        return { buffer: layout.buffer, byteOffset: layout.byteOffset + low, byteLength: high - low };
      });
      const frameBytes = frameShape.reduce((product, extent) => product * extent, first.itemsize);
      return exportBuffer(
        this,
        {
          buffer: first.buffer,
          byteOffset: 0,
          format: first.format,
          itemsize: first.itemsize,
          shape: [this.#frames.length, ...frameShape],
          strides: [frameBytes, ...frameStrides],
          readonly: layouts.some((layout) => layout.readonly),
          segments,
          suboffset: 0 - low,
          internal: { frames: held } satisfies HeldFrames,
        },
        flags,
        this.#lock,
      );
    } catch (error) {
      for (const info of held) releaseBuffer(info);
      throw error;
    }
  }

  /** Ends one export, and the frame exports it held. */
  [releasebuffer](info: BufferInfo): void {
    this.#lock.release();
    const internal = info.internal as HeldFrames | undefined;
    for (const frame of internal?.frames ?? []) releaseBuffer(frame);
  }

  #check(frame: ImageView, reference: ImageView | undefined): void {
    if (!(frame instanceof ImageView)) throw new ImageError('ERR_INVALID_ARGUMENT', 'A MultiImageView frame must be an ImageView.');
    if (reference === undefined) return;
    const same =
      frame.dataType === reference.dataType &&
      frame.axesInterpretation === reference.axesInterpretation &&
      frame.shape.length === reference.shape.length &&
      frame.shape.every((extent, axis) => extent === reference.shape[axis]);
    if (!same) {
      throw new ImageError(
        'ERR_IMAGE_FRAMES_MISMATCH',
        `Every frame needs the same shape, data type and interpretation: frame 0 is [${reference.shape.join(', ')}] ${reference.dataType} ${reference.axesInterpretation}, this one [${frame.shape.join(', ')}] ${frame.dataType} ${frame.axesInterpretation}.`,
      );
    }
  }
}

function interpretationWithSequence(
  interpretation: string,
): 'SEQUENCE' | 'IMAGE_SEQUENCE' | 'VOLUME_SEQUENCE' | 'MULTISPECTRAL_IMAGE_SEQUENCE' | 'MULTISPECTRAL_VOLUME_SEQUENCE' {
  switch (interpretation) {
    case 'IMAGE':
      return 'IMAGE_SEQUENCE';
    case 'VOLUME':
      return 'VOLUME_SEQUENCE';
    case 'MULTISPECTRAL_IMAGE':
      return 'MULTISPECTRAL_IMAGE_SEQUENCE';
    case 'MULTISPECTRAL_VOLUME':
      return 'MULTISPECTRAL_VOLUME_SEQUENCE';
    default:
      throw new ImageError('ERR_IMAGE_AXES_INVALID', `Frames interpreted as ${interpretation} cannot be stacked into a sequence interpretation.`);
  }
}
