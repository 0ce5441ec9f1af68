// Fuzzing every entry of @interop/image that takes a foreign description or buffer: itk-wasm
// images, image dicts, ImageData, arrays (typed arrays, strided MemoryViews and hostile exporters)
// with random and hostile options. Invariants: only typed errors (ImageError, BufferError) escape;
// an image or view that is returned exports only memory inside its buffer, of exactly the size its
// geometry needs; it allocates no more than the input holds (a copy of an array allocates one
// element per element of the array). CI runs a bounded number of cases; `pnpm fuzz` the long mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferFlags, type BufferInfo, getbuffer, getBuffer, InteropError, MemoryView, releasebuffer, releaseBuffer, validateBufferInfo } from '@interop/core';
import { fuzzOptions, fuzzTimeout } from '@interop/config/fuzz';
import { expectBufferError, expectErrorCode } from '@interop/core/testing';
import {
  componentItemsize,
  componentTypes,
  fromItkWasm,
  Image,
  imageFromArray,
  imageFromDict,
  imageFromImageData,
  type ImageFromArrayOptions,
  imageViewFromArray,
  pixelTypes,
  type ItkWasmImage,
} from '@interop/image';
import { fromArray, fromArrayWithAxes, ImageView } from '@interop/image/iolink';

const typedArrays = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
  Float32Array,
  Float64Array,
] as const;

/** Numbers a hostile description may hold where a size, count or coordinate is expected. */
const hostileNumber = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -2, max: 5 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.5,
      1.5,
      -0,
      2 ** 31,
      2 ** 32 + 1,
      2 ** 40,
      2 ** 53,
      Number.MAX_SAFE_INTEGER,
      1e308,
    ),
  },
  { weight: 1, arbitrary: fc.double() },
);
const hostileList = fc.oneof(
  { weight: 8, arbitrary: fc.array(hostileNumber, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, 'abc', {}) },
);
const componentTypeName = fc.constantFrom(...componentTypes, 'int128', '', 'Float32', 'bool');
const pixelTypeName = fc.constantFrom(...pixelTypes, 'Bogus', '');

interface DataSpec {
  readonly kind: number;
  readonly length: number;
  readonly match: boolean;
  readonly offset: number;
  readonly detach: boolean;
}
const dataSpec: fc.Arbitrary<DataSpec | null> = fc.option(
  fc.record({
    kind: fc.nat({ max: typedArrays.length - 1 }),
    length: fc.nat({ max: 64 }),
    match: fc.boolean(),
    offset: fc.nat({ max: 3 }),
    detach: fc.boolean(),
  }),
  { nil: null, freq: 5 },
);

function product(values: unknown): number {
  if (!Array.isArray(values)) return Number.NaN;
  return values.reduce((total: number, value) => total * (typeof value === 'number' ? value : Number.NaN), 1);
}

/** A typed array as the spec asks: its own length or the one the description needs, maybe offset or detached. */
function makeData(spec: DataSpec | null, needed: number): { data: ArrayBufferView | null; bytes: number } {
  if (spec === null) return { data: null, bytes: 0 };
  const Type = typedArrays[spec.kind]!;
  const length = spec.match && Number.isSafeInteger(needed) && needed >= 0 && needed <= 4096 ? needed : spec.length;
  const buffer = new ArrayBuffer((length + spec.offset) * Type.BYTES_PER_ELEMENT);
  const data = new Type(buffer, spec.offset * Type.BYTES_PER_ELEMENT, length);
  if (spec.detach) structuredClone(buffer, { transfer: [buffer] });
  return { data, bytes: buffer.byteLength };
}

function expectTyped(error: unknown): void {
  if (!InteropError.isInstance(error)) throw error instanceof Error ? error : new Error('a non-Error value was thrown', { cause: error });
}

/** Checks one export of `exporter`: valid, inside its buffer, of `byteLength` bytes when given. */
function checkExport(exporter: object, byteLength?: number): void {
  const info = getBuffer(exporter, BufferFlags.FULL_RO);
  try {
    validateBufferInfo(info);
    expect(info.byteOffset + info.byteLength).toBeLessThanOrEqual(info.buffer.byteLength);
    if (byteLength !== undefined) expect(info.byteLength).toBe(byteLength);
  } finally {
    releaseBuffer(info);
  }
}

/** An image that came back: its pixel memory is exactly what its geometry needs, inside its buffer, no larger than `inputBytes`. */
function checkImage(image: Image, inputBytes: number): void {
  try {
    if (!image.allocated) return;
    const bytes = image.pixelCount * image.components * componentItemsize(image.componentType);
    expect(bytes).toBeLessThanOrEqual(inputBytes);
    checkExport(image, bytes);
    if (image.pixelCount > 0) {
      try {
        image.getPixel(image.index);
      } catch (error) {
        expectTyped(error);
      }
    }
  } finally {
    image.release();
  }
}

function attempt<Result>(build: () => Result, check: (result: Result) => void): void {
  let result: Result;
  try {
    result = build();
  } catch (error) {
    expectTyped(error);
    return;
  }
  check(result);
}

const description = fc.record({
  dimension: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: hostileNumber }),
  componentType: componentTypeName,
  pixelType: pixelTypeName,
  components: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: hostileNumber }),
  size: hostileList,
  index: fc.oneof(fc.constant(undefined), hostileList),
  spacing: fc.oneof(fc.constant(undefined), hostileList),
  origin: fc.oneof(fc.constant(undefined), hostileList),
  direction: fc.oneof(fc.constant(undefined), fc.array(hostileNumber, { maxLength: 16 })),
  data: dataSpec,
});

/** A random (often hostile) exporter: its getbuffer returns whatever layout was generated. */
const hostileExporter = fc
  .record({
    bufferBytes: fc.nat({ max: 256 }),
    byteOffset: hostileNumber,
    itemsize: hostileNumber,
    format: fc.constantFrom('B', 'b', 'h', '<H', '>i', 'f', 'd', 'q', 'Zf', 'e', '?', 'x', '3B', 'T{B:a:}', null),
    shape: fc.option(fc.array(hostileNumber, { maxLength: 4 }), { nil: null }),
    strides: fc.option(fc.array(fc.oneof(hostileNumber, fc.integer({ min: -64, max: 64 })), { maxLength: 4 }), { nil: null }),
    readonly: fc.boolean(),
    byteLength: hostileNumber,
  })
  .map((spec) => {
    const buffer = new ArrayBuffer(spec.bufferBytes);
    const exporter = {
      spec, // shown in counterexamples
      [getbuffer](): BufferInfo {
        return {
          obj: exporter,
          buffer,
          byteOffset: spec.byteOffset,
          byteLength: spec.byteLength,
          readonly: spec.readonly,
          itemsize: spec.itemsize,
          format: spec.format,
          ndim: spec.shape?.length ?? 1,
          shape: spec.shape,
          strides: spec.strides,
          suboffsets: null,
        };
      },
      [releasebuffer](): void {},
    };
    return { exporter: exporter, bytes: spec.bufferBytes };
  });

/** A well-formed array, C-ordered or strided (sliced, transposed), of a random format. */
const strideArray = fc
  .record({
    kind: fc.nat({ max: typedArrays.length - 1 }),
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    transpose: fc.boolean(),
    step: fc.integer({ min: 1, max: 2 }),
  })
  .map((spec) => {
    const Type = typedArrays[spec.kind]!;
    const length = spec.shape.reduce((a, b) => a * b, 1);
    const base = MemoryView.from(new Type(length));
    let view = base.reshape(spec.shape);
    base.release();
    if (spec.transpose) {
      const next = view.transpose();
      view.release();
      view = next;
    }
    if (spec.step > 1) {
      const next = view.slice({ start: 0, step: spec.step });
      view.release();
      view = next;
    }
    return { exporter: view, bytes: length * Type.BYTES_PER_ELEMENT };
  });

const arrayInput = fc.oneof(
  strideArray,
  hostileExporter,
  dataSpec.map((spec) => {
    const made = makeData(spec, 0);
    return { exporter: made.data ?? {}, bytes: made.bytes };
  }),
);

const arrayOptions: fc.Arbitrary<ImageFromArrayOptions> = fc.oneof(
  fc.constant({}),
  fc.record({ isVector: fc.boolean() }),
  fc.record({
    ttype: fc.record(
      { pixelType: pixelTypeName, componentType: componentTypeName, dimension: hostileNumber, components: hostileNumber },
      { requiredKeys: ['pixelType'] },
    ),
    isVector: fc.option(fc.boolean(), { nil: undefined }),
  }),
) as fc.Arbitrary<ImageFromArrayOptions>;

const axisName = fc.constantFrom('COLUMN', 'ROW', 'SLICE', 'CHANNEL', 'SEQUENCE', 'TIME', 'x');
const interpretationName = fc.constantFrom(
  'UNKNOWN',
  'IMAGE',
  'VOLUME',
  'MULTISPECTRAL_IMAGE',
  'MULTISPECTRAL_VOLUME',
  'IMAGE_SEQUENCE',
  'VOLUME_SEQUENCE',
  'NOPE',
);

function releaseSource(exporter: object): void {
  if (exporter instanceof MemoryView) exporter.release();
}

describe('fuzz: foreign image descriptions', () => {
  it('fromItkWasm: only typed errors; images export exactly their pixels, inside the given data', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(description, fc.string({ maxLength: 4 }), (spec, name) => {
        const needed = product(spec.size) * (typeof spec.components === 'number' ? spec.components : 1);
        const { data, bytes } = makeData(spec.data, needed);
        const itk = {
          imageType: {
            dimension: spec.dimension ?? (Array.isArray(spec.size) ? spec.size.length : 2),
            componentType: spec.componentType,
            pixelType: spec.pixelType,
            components: spec.components ?? 1,
          },
          name,
          origin: spec.origin,
          spacing: spec.spacing,
          direction: spec.direction === undefined ? new Float64Array(0) : Float64Array.from(spec.direction),
          size: spec.size,
          metadata: new Map(),
          data,
        } as unknown as ItkWasmImage;
        attempt(
          () => fromItkWasm(itk),
          (image) => checkImage(image, bytes),
        );
      }),
      fuzzOptions(400),
    );
  });

  it('imageFromDict (shared and copied) and new Image: only typed errors; memory bounded by the input', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(description, fc.boolean(), (spec, copy) => {
        const needed = product(spec.size) * (typeof spec.components === 'number' ? spec.components : 1);
        const { data, bytes } = makeData(spec.data, needed);
        const dict = { ...spec, name: 'fuzz', data } as unknown as Parameters<typeof imageFromDict>[0];
        attempt(
          () => imageFromDict(dict, { copy }),
          (image) => checkImage(image, bytes),
        );
        attempt(
          () => new Image({ ...spec, data: undefined } as unknown as ConstructorParameters<typeof Image>[0]),
          (image) => {
            expect(image.allocated).toBe(false);
            image.release();
          },
        );
      }),
      fuzzOptions(400),
    );
  });

  it('allocate(): the exact buffer its geometry needs, or a typed error for an unaddressable one', { timeout: fuzzTimeout }, () => {
    // Sizes are either small (the allocation succeeds) or beyond 2^53 bytes (refused before any
    // allocation); sizes between would really allocate, or make the engine collect garbage before
    // refusing (a unit test covers that path once).
    const extent = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 16 }) },
      { weight: 1, arbitrary: fc.constantFrom(2 ** 20, 2 ** 26, 2 ** 40, 2 ** 52) },
    );
    fc.assert(
      fc.property(fc.array(extent, { minLength: 1, maxLength: 4 }), componentTypeName, pixelTypeName, (size, componentType, pixelType) => {
        let image: Image;
        try {
          image = new Image({ size, componentType, pixelType } as unknown as ConstructorParameters<typeof Image>[0]);
        } catch (error) {
          expectTyped(error);
          return;
        }
        const bytes = image.pixelCount * image.components * componentItemsize(image.componentType);
        if (bytes > 2 ** 24 && bytes <= Number.MAX_SAFE_INTEGER) return;
        attempt(
          () => image.allocate(),
          (allocated) => checkImage(allocated, bytes),
        );
      }),
      fuzzOptions(300),
    );
  });

  it('imageFromImageData: only typed errors; the image shares exactly the ImageData bytes', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(hostileNumber, hostileNumber, dataSpec, (width, height, spec) => {
        const { data, bytes } = makeData(spec, width * height * 4);
        attempt(
          () => imageFromImageData({ data, width, height } as unknown as Parameters<typeof imageFromImageData>[0]),
          (image) => checkImage(image, bytes),
        );
      }),
      fuzzOptions(300),
    );
  });

  it('imageViewFromArray / imageFromArray: only typed errors; views stay inside the array, copies are as large as the array', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(arrayInput, arrayOptions, ({ exporter, bytes }, options) => {
        try {
          attempt(
            () => imageViewFromArray(exporter, options),
            (image) => checkImage(image, bytes),
          );
          attempt(
            () => imageFromArray(exporter, options),
            (image) => {
              // A copy has one component per element of the array as MemoryView reads it (a strided
              // array may have more elements than bytes between them).
              const array = MemoryView.from(exporter, BufferFlags.RECORDS_RO);
              const elements = array.shape.reduce((a, b) => a * b, 1);
              array.release();
              checkImage(image, elements * componentItemsize(image.componentType));
            },
          );
        } finally {
          releaseSource(exporter);
        }
      }),
      fuzzOptions(400),
    );
  });

  it('fromArray / fromArrayWithAxes / ImageView.allocate: only typed errors; views export inside the array', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(
        arrayInput,
        interpretationName,
        fc.array(axisName, { maxLength: 5 }),
        fc.array(hostileNumber, { maxLength: 4 }),
        (input, interpretation, axes, shape) => {
          const { exporter } = input;
          const checkView = (view: ImageView): void => {
            try {
              checkExport(view);
            } finally {
              view.release();
            }
          };
          try {
            attempt(() => fromArray(exporter, interpretation as Parameters<typeof fromArray>[1]), checkView);
            attempt(() => fromArrayWithAxes(exporter, axes as Parameters<typeof fromArrayWithAxes>[1]), checkView);
          } finally {
            releaseSource(exporter);
          }
          if (product(shape) <= 4096) {
            attempt(() => ImageView.allocate(shape, 'UINT8', { axesInterpretation: interpretation as 'UNKNOWN' }), checkView);
          }
        },
      ),
      fuzzOptions(400),
    );
  });
});

describe('fuzz regressions', () => {
  it('allocate() reports an allocation the engine refuses as a typed error, not a RangeError', () => {
    const image = new Image({ componentType: 'int8', size: [2 ** 40, 11] }); // 11 TiB: a safe size no engine allocates
    expectErrorCode(() => image.allocate(), 'ERR_INVALID_ARGUMENT');
    expect(image.allocated).toBe(false);
  });

  it('refuses an empty image size whose other extents overflow the byte strides', () => {
    expectErrorCode(() => new Image({ componentType: 'uint64', size: [0, 2 ** 52, 1] }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => new Image({ size: [1, 1] }).setRegions([0, 2 ** 52]), 'ERR_INVALID_ARGUMENT');
    const empty = new Image({ componentType: 'uint64', size: [0, 2 ** 20, 1] }).allocate();
    checkImage(empty, 0);
  });

  it('refuses an empty view shape whose other extents overflow the byte strides', () => {
    expectErrorCode(() => ImageView.allocate([0, 2 ** 32 + 1, 2 ** 31], 'UINT8', { axesInterpretation: 'VOLUME' }), 'ERR_INVALID_ARGUMENT');
    expectErrorCode(() => ImageView.allocate([2 ** 32 + 1, 2 ** 40, 0], 'UINT8'), 'ERR_INVALID_ARGUMENT');
  });

  it('fromItkWasm reports a data length mismatch of an image without a size as a typed error (found in the long run)', () => {
    const itk = {
      imageType: { dimension: 2, componentType: 'uint64', pixelType: 'SymmetricSecondRankTensor', components: 3 },
      name: '',
      size: null,
      data: new BigUint64Array(0),
      direction: new Float64Array([0, 1, 1, 0]),
      metadata: new Map(),
    };
    expectErrorCode(() => fromItkWasm(itk as unknown as ItkWasmImage), 'ERR_SHAPE_MISMATCH');
  });

  it('imageFromDict with copy reports detached data as a typed error (found in the long run)', () => {
    const data = new Uint8Array(0);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    const dict = {
      name: '',
      dimension: 1,
      componentType: 'uint8',
      pixelType: 'Scalar',
      components: 1,
      size: [0],
      index: [0],
      spacing: [1],
      origin: [0],
      direction: [1],
      data,
    };
    expectErrorCode(() => imageFromDict(dict as Parameters<typeof imageFromDict>[0], { copy: true }), 'ERR_BUFFER_DETACHED');
  });

  it('refuses an export without a shape whose byteLength is not whole items (found in the long run; core validation)', () => {
    const buffer = new ArrayBuffer(2);
    const exporter = {
      [getbuffer](): BufferInfo {
        return {
          obj: exporter,
          buffer,
          byteOffset: 0,
          byteLength: 2,
          readonly: false,
          itemsize: 2 ** 31,
          format: null,
          ndim: 1,
          shape: null,
          strides: null,
          suboffsets: null,
        };
      },
      [releasebuffer](): void {},
    };
    expectBufferError(() => fromArray(exporter), 'ERR_BUFFER_INVALID_LAYOUT');
  });

  it('views an export without a shape as items of its format (whole items)', () => {
    const buffer = new ArrayBuffer(8);
    const exporter = {
      [getbuffer](): BufferInfo {
        return {
          obj: exporter,
          buffer,
          byteOffset: 0,
          byteLength: 8,
          readonly: false,
          itemsize: 4,
          format: null,
          ndim: 1,
          shape: null,
          strides: null,
          suboffsets: null,
        };
      },
      [releasebuffer](): void {},
    };
    const view = fromArray(exporter);
    expect(view.shape).toEqual([8]);
    checkExport(view, 8);
    view.release();
  });

  it('refuses strides an exporter gives without a shape (core validation: an export without ND is flat bytes)', () => {
    const buffer = new ArrayBuffer(4);
    const exporter = {
      [getbuffer](): BufferInfo {
        return {
          obj: exporter,
          buffer,
          byteOffset: 0,
          byteLength: 4,
          readonly: false,
          itemsize: 1,
          format: 'B',
          ndim: 1,
          shape: null,
          strides: [],
          suboffsets: null,
        };
      },
      [releasebuffer](): void {},
    };
    expectBufferError(() => fromArray(exporter), 'ERR_BUFFER_INVALID_LAYOUT');
    expectBufferError(() => fromArrayWithAxes(exporter, ['COLUMN']), 'ERR_BUFFER_INVALID_LAYOUT');
  });
});
