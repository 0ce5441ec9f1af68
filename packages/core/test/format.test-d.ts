import { expectTypeOf } from 'vitest';
import {
  arrowFormatFromFormat,
  DlpackTypeCode,
  dlpackDtypeFromFormat,
  formatForTypedArray,
  formatFromArrowFormat,
  formatFromDlpackDtype,
  formatFromNumpyDtype,
  formatToString,
  numpyDtypeFromFormat,
  parseFormat,
  typedArrayForFormat,
  type DlpackDtype,
  type FormatField,
  type FormatType,
  type NumpyDatetimeField,
  type NumpyDescr,
  type NumpyDescrField,
  type NumpyFieldName,
  type NumpyFieldTitle,
  type NumpyFormat,
  type ParsedFormat,
  type TypedArrayConstructor,
} from '../src/index.js';

// parseFormat keeps its public shape.
expectTypeOf(parseFormat).returns.toEqualTypeOf<ParsedFormat>();
expectTypeOf<keyof ParsedFormat>().toEqualTypeOf<'source' | 'itemsize' | 'alignment' | 'type'>();
expectTypeOf<keyof FormatField>().toEqualTypeOf<'name' | 'offset' | 'type' | 'shape' | 'size' | 'padding'>();
expectTypeOf<FormatField['name']>().toEqualTypeOf<string | null>();
expectTypeOf<FormatType['kind']>().toEqualTypeOf<'scalar' | 'struct'>();

// The printer accepts text, a parse result or a type.
expectTypeOf(formatToString).parameter(0).toEqualTypeOf<string | ParsedFormat | FormatType>();
expectTypeOf(formatToString).returns.toEqualTypeOf<string>();

// TypedArray mapping.
expectTypeOf(typedArrayForFormat('d')).toEqualTypeOf<TypedArrayConstructor>();
expectTypeOf(new (typedArrayForFormat('d'))(4)).toMatchTypeOf<ArrayBufferView>();
expectTypeOf(formatForTypedArray(new Float64Array(1))).toEqualTypeOf<string>();
expectTypeOf(formatForTypedArray(BigInt64Array)).toEqualTypeOf<string>();
// @ts-expect-error a plain array is not a TypedArray
formatForTypedArray([1, 2]);

// NumPy descr is modelled as nested tuples.
const descr: NumpyDescr = [
  ['a', '<i4'],
  ['b', '|u1', [2, 3]],
  ['', '|V3'],
  ['n', [['x', '<f8']]],
];
expectTypeOf(formatFromNumpyDtype(descr)).toEqualTypeOf<NumpyFormat>();
expectTypeOf<NumpyFormat['datetimes']>().toEqualTypeOf<readonly NumpyDatetimeField[]>();
expectTypeOf<NumpyDatetimeField['kind']>().toEqualTypeOf<'datetime' | 'timedelta'>();
expectTypeOf(numpyDtypeFromFormat('<f')).toEqualTypeOf<NumpyDescr>();
expectTypeOf(numpyDtypeFromFormat(formatFromNumpyDtype('<M8[ns]'))).toEqualTypeOf<NumpyDescr>();
expectTypeOf<NumpyDescrField>().toMatchTypeOf<readonly [NumpyFieldName, NumpyDescr, ...unknown[]]>();
expectTypeOf<NumpyFieldName>().toEqualTypeOf<string | readonly [title: string, name: string]>();
expectTypeOf<NumpyFormat['titles']>().toEqualTypeOf<readonly NumpyFieldTitle[]>();
// @ts-expect-error a descr entry needs a type
const broken: NumpyDescr = [['a']];
void broken;

// Arrow and DLPack.
expectTypeOf(arrowFormatFromFormat('f')).toEqualTypeOf<string>();
expectTypeOf(formatFromArrowFormat).parameter(1).toEqualTypeOf<{ readonly temporalAsStorage?: boolean } | undefined>();
expectTypeOf(dlpackDtypeFromFormat('f')).toEqualTypeOf<DlpackDtype>();
expectTypeOf(DlpackTypeCode.kDLBool).toEqualTypeOf<6>();
expectTypeOf(formatFromDlpackDtype).parameter(0).toEqualTypeOf<DlpackDtype>();
