import type { ComponentType } from '../component-type.js';
import { ImageError } from '../errors/image-error.js';

/** IOLink data type names: a scalar, or a vector of 2-4 scalars (`VEC3_UINT16`) that adds a channel dimension. */
export const DataTypeId: {
  readonly UINT8: 'UINT8';
  readonly INT8: 'INT8';
  readonly UINT16: 'UINT16';
  readonly INT16: 'INT16';
  readonly UINT32: 'UINT32';
  readonly INT32: 'INT32';
  readonly UINT64: 'UINT64';
  readonly INT64: 'INT64';
  readonly FLOAT16: 'FLOAT16';
  readonly FLOAT: 'FLOAT';
  readonly DOUBLE: 'DOUBLE';
  readonly VEC2_UINT8: 'VEC2_UINT8';
  readonly VEC2_INT8: 'VEC2_INT8';
  readonly VEC2_UINT16: 'VEC2_UINT16';
  readonly VEC2_INT16: 'VEC2_INT16';
  readonly VEC2_UINT32: 'VEC2_UINT32';
  readonly VEC2_INT32: 'VEC2_INT32';
  readonly VEC2_UINT64: 'VEC2_UINT64';
  readonly VEC2_INT64: 'VEC2_INT64';
  readonly VEC2_FLOAT16: 'VEC2_FLOAT16';
  readonly VEC2_FLOAT: 'VEC2_FLOAT';
  readonly VEC2_DOUBLE: 'VEC2_DOUBLE';
  readonly VEC3_UINT8: 'VEC3_UINT8';
  readonly VEC3_INT8: 'VEC3_INT8';
  readonly VEC3_UINT16: 'VEC3_UINT16';
  readonly VEC3_INT16: 'VEC3_INT16';
  readonly VEC3_UINT32: 'VEC3_UINT32';
  readonly VEC3_INT32: 'VEC3_INT32';
  readonly VEC3_UINT64: 'VEC3_UINT64';
  readonly VEC3_INT64: 'VEC3_INT64';
  readonly VEC3_FLOAT16: 'VEC3_FLOAT16';
  readonly VEC3_FLOAT: 'VEC3_FLOAT';
  readonly VEC3_DOUBLE: 'VEC3_DOUBLE';
  readonly VEC4_UINT8: 'VEC4_UINT8';
  readonly VEC4_INT8: 'VEC4_INT8';
  readonly VEC4_UINT16: 'VEC4_UINT16';
  readonly VEC4_INT16: 'VEC4_INT16';
  readonly VEC4_UINT32: 'VEC4_UINT32';
  readonly VEC4_INT32: 'VEC4_INT32';
  readonly VEC4_UINT64: 'VEC4_UINT64';
  readonly VEC4_INT64: 'VEC4_INT64';
  readonly VEC4_FLOAT16: 'VEC4_FLOAT16';
  readonly VEC4_FLOAT: 'VEC4_FLOAT';
  readonly VEC4_DOUBLE: 'VEC4_DOUBLE';
} = {
  UINT8: 'UINT8',
  INT8: 'INT8',
  UINT16: 'UINT16',
  INT16: 'INT16',
  UINT32: 'UINT32',
  INT32: 'INT32',
  UINT64: 'UINT64',
  INT64: 'INT64',
  FLOAT16: 'FLOAT16',
  FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE',
  VEC2_UINT8: 'VEC2_UINT8',
  VEC2_INT8: 'VEC2_INT8',
  VEC2_UINT16: 'VEC2_UINT16',
  VEC2_INT16: 'VEC2_INT16',
  VEC2_UINT32: 'VEC2_UINT32',
  VEC2_INT32: 'VEC2_INT32',
  VEC2_UINT64: 'VEC2_UINT64',
  VEC2_INT64: 'VEC2_INT64',
  VEC2_FLOAT16: 'VEC2_FLOAT16',
  VEC2_FLOAT: 'VEC2_FLOAT',
  VEC2_DOUBLE: 'VEC2_DOUBLE',
  VEC3_UINT8: 'VEC3_UINT8',
  VEC3_INT8: 'VEC3_INT8',
  VEC3_UINT16: 'VEC3_UINT16',
  VEC3_INT16: 'VEC3_INT16',
  VEC3_UINT32: 'VEC3_UINT32',
  VEC3_INT32: 'VEC3_INT32',
  VEC3_UINT64: 'VEC3_UINT64',
  VEC3_INT64: 'VEC3_INT64',
  VEC3_FLOAT16: 'VEC3_FLOAT16',
  VEC3_FLOAT: 'VEC3_FLOAT',
  VEC3_DOUBLE: 'VEC3_DOUBLE',
  VEC4_UINT8: 'VEC4_UINT8',
  VEC4_INT8: 'VEC4_INT8',
  VEC4_UINT16: 'VEC4_UINT16',
  VEC4_INT16: 'VEC4_INT16',
  VEC4_UINT32: 'VEC4_UINT32',
  VEC4_INT32: 'VEC4_INT32',
  VEC4_UINT64: 'VEC4_UINT64',
  VEC4_INT64: 'VEC4_INT64',
  VEC4_FLOAT16: 'VEC4_FLOAT16',
  VEC4_FLOAT: 'VEC4_FLOAT',
  VEC4_DOUBLE: 'VEC4_DOUBLE',
};

/** An IOLink data type name (see `DataTypeId`). */
export type DataTypeId = (typeof DataTypeId)[keyof typeof DataTypeId];

/** What a data type holds: the component type and how many components one element has. */
export interface DataTypeInfo {
  readonly id: DataTypeId;
  readonly componentType: ComponentType;
  /** 1 for scalars, 2-4 for `VECn_*` (those add a CHANNEL dimension in array form). */
  readonly components: number;
}

const scalarNames: Readonly<Record<string, ComponentType>> = {
  UINT8: 'uint8',
  INT8: 'int8',
  UINT16: 'uint16',
  INT16: 'int16',
  UINT32: 'uint32',
  INT32: 'int32',
  UINT64: 'uint64',
  INT64: 'int64',
  FLOAT16: 'float16',
  FLOAT: 'float32',
  DOUBLE: 'float64',
};

/**
 * The component type and component count of an IOLink data type.
 *
 * @example
 * ```ts
 * import { dataTypeInfo } from '@interop/image/iolink';
 * dataTypeInfo('VEC3_UINT16'); // { id: 'VEC3_UINT16', componentType: 'uint16', components: 3 }
 * ```
 * @throws {ImageError} `ERR_IMAGE_DATA_TYPE` for an unknown name.
 */
export function dataTypeInfo(id: DataTypeId): DataTypeInfo {
  if (typeof id === 'string' && Object.hasOwn(DataTypeId, id)) {
    const match = /^(?:VEC([234])_)?(\w+)$/.exec(id)!;
    return { id, componentType: scalarNames[match[2]!]!, components: match[1] === undefined ? 1 : Number(match[1]) };
  }
  throw new ImageError('ERR_IMAGE_DATA_TYPE', `Unknown IOLink data type ${JSON.stringify(id)}; use a DataTypeId such as UINT16, FLOAT or VEC3_UINT16.`);
}

/**
 * The data type holding `components` values of `componentType` per element.
 *
 * @example
 * ```ts
 * import { dataTypeOf } from '@interop/image/iolink';
 * dataTypeOf('float32', 3); // "VEC3_FLOAT"
 * ```
 * @throws {ImageError} `ERR_IMAGE_DATA_TYPE` when no data type has that many components.
 */
export function dataTypeOf(componentType: ComponentType, components = 1): DataTypeId {
  const scalar = Object.keys(scalarNames).find((name) => scalarNames[name] === componentType);
  if (scalar === undefined || !Number.isInteger(components) || components < 1 || components > 4) {
    throw new ImageError(
      'ERR_IMAGE_DATA_TYPE',
      `No IOLink data type holds ${String(components)} x ${String(componentType)}; data types hold 1-4 components of an integer or float type.`,
    );
  }
  return (components === 1 ? scalar : `VEC${components}_${scalar}`) as DataTypeId;
}
