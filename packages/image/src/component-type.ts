import { parseFormat, typedArrayForFormat } from '@interop/core';
import { ImageError } from './errors/image-error.js';

/** The numeric type of one pixel component, with itk-wasm's names. */
export type ComponentType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float16' | 'float32' | 'float64';

/** Every component type, smallest first within each kind. */
export const componentTypes: readonly ComponentType[] = [
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float16',
  'float32',
  'float64',
];

/** The TypedArray holding a component type (float16 is stored as raw `Uint16Array` bits where `Float16Array` is absent). */
export type ComponentArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

interface ComponentInfo {
  readonly format: string;
  readonly itemsize: number;
  /** core's TypedArray for the format; float16 is raw `Uint16Array` bits on every engine. */
  readonly array: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ComponentArray;
}

function component(format: string): ComponentInfo {
  const array = (format === 'e' ? Uint16Array : typedArrayForFormat(format)) as ComponentInfo['array'];
  return { format, itemsize: parseFormat(format).itemsize, array };
}

const info: Readonly<Record<ComponentType, ComponentInfo>> = {
  int8: component('b'),
  uint8: component('B'),
  int16: component('h'),
  uint16: component('H'),
  int32: component('i'),
  uint32: component('I'),
  int64: component('q'),
  uint64: component('Q'),
  float16: component('e'),
  float32: component('f'),
  float64: component('d'),
};

/** True when `value` names a component type. */
export function isComponentType(value: unknown): value is ComponentType {
  return typeof value === 'string' && Object.hasOwn(info, value);
}

/**
 * Checks a component type name.
 *
 * @throws {ImageError} `ERR_IMAGE_COMPONENT_TYPE` when `value` is not a component type.
 */
export function assertComponentType(value: unknown): ComponentType {
  if (!isComponentType(value)) {
    throw new ImageError('ERR_IMAGE_COMPONENT_TYPE', `Unknown component type ${JSON.stringify(value)}; use one of ${componentTypes.join(', ')}.`);
  }
  return value;
}

/**
 * The PEP 3118 format (native byte order) of one component.
 *
 * @example
 * ```ts
 * import { componentFormat } from '@interop/image';
 * componentFormat('float32'); // "f"
 * ```
 * @throws {ImageError} `ERR_IMAGE_COMPONENT_TYPE` for an unknown component type.
 */
export function componentFormat(componentType: ComponentType): string {
  return info[assertComponentType(componentType)].format;
}

/**
 * Bytes per component.
 *
 * @throws {ImageError} `ERR_IMAGE_COMPONENT_TYPE` for an unknown component type.
 */
export function componentItemsize(componentType: ComponentType): number {
  return info[assertComponentType(componentType)].itemsize;
}

/**
 * A TypedArray of `length` components over existing memory (no copy).
 *
 * @throws {ImageError} `ERR_IMAGE_COMPONENT_TYPE` for an unknown component type.
 */
export function componentArray(componentType: ComponentType, buffer: ArrayBufferLike, byteOffset: number, length: number): ComponentArray {
  return new info[assertComponentType(componentType)].array(buffer, byteOffset, length);
}

/** What a PEP 3118 format means for an image: the component type and, for complex formats, two components. */
export interface FormatComponents {
  readonly componentType: ComponentType;
  /** True for `Zf` / `Zd`: one item is a complex number, two components. */
  readonly complex: boolean;
  /** Byte order of the items. */
  readonly endianness: 'little' | 'big';
}

/**
 * The component type a PEP 3118 format describes (`"<f"` -> float32, `"Zd"` -> complex float64).
 *
 * @example
 * ```ts
 * import { componentTypeFromFormat } from '@interop/image';
 * componentTypeFromFormat('<H').componentType; // "uint16"
 * ```
 * @throws {ImageError} `ERR_IMAGE_COMPONENT_TYPE` for records, booleans, characters and other formats with no image component type.
 * @throws {BufferError} `ERR_FORMAT_INVALID` for a malformed format.
 */
export function componentTypeFromFormat(format: string): FormatComponents {
  const parsed = parseFormat(format);
  const type = parsed.type;
  const refuse = (): never => {
    throw new ImageError(
      'ERR_IMAGE_COMPONENT_TYPE',
      `Format ${JSON.stringify(format)} has no image component type; images hold signed/unsigned integers of 1-8 bytes, float16/32/64 or complex float32/64.`,
      {
        details: { format },
      },
    );
  };
  if (type.kind !== 'scalar') return refuse();
  const { valueKind, size, endianness } = type;
  let componentType: ComponentType | undefined;
  let complex = false;
  if (valueKind === 'int' || valueKind === 'uint') {
    const bits = size * 8;
    if (bits === 8 || bits === 16 || bits === 32 || bits === 64) componentType = `${valueKind}${bits}` as ComponentType;
  } else if (valueKind === 'float') {
    if (size === 2 || size === 4 || size === 8) componentType = `float${size * 8}` as ComponentType;
  } else if (valueKind === 'complex') {
    complex = true;
    if (size === 8 || size === 16) componentType = `float${size * 4}` as ComponentType;
  }
  if (componentType === undefined) return refuse();
  return { componentType, complex, endianness };
}
