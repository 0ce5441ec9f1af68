import { BufferError } from '../errors/buffer-error.js';
import { codeTable, roundUp, unitAlignment, unitSize } from './code-table.js';
import { parseFormat } from './parse.js';
import type { ByteOrderChar, FormatField, FormatType, ParsedFormat, ScalarFormat, StructFormat } from './types.js';

interface ItemsText {
  readonly text: string;
  readonly end: number;
  readonly alignment: number;
}

function invalid(message: string, path: string): never {
  throw new BufferError(
    'ERR_INVALID_ARGUMENT',
    `Cannot print format ${path}: ${message}. Pass a ParsedFormat from parseFormat() or a type built with the same layout rules.`,
    {
      details: { operation: 'formatToString', path },
    },
  );
}

function unsupported(message: string, path: string): never {
  throw new BufferError('ERR_FORMAT_UNSUPPORTED', `Cannot print format ${path}: ${message}.`, { details: { operation: 'formatToString', path } });
}

function padding(bytes: number): string {
  return bytes === 0 ? '' : bytes === 1 ? 'x' : `${bytes}x`;
}

/**
 * Writes a format type back as text, simulating the parser's layout as it goes, so the output
 * reparses to the same offsets: gaps the layout rules do not produce become explicit `x` padding.
 */
class Printer {
  /** The byte order in force in the text written so far (the parser's state at that point). */
  byteOrder: ByteOrderChar = '@';

  scalar(type: ScalarFormat, path: string): { switchText: string; text: string; size: number; alignment: number; aligned: boolean; counted: boolean } {
    const spec = codeTable[type.code];
    if (spec === undefined) invalid(`unknown struct code ${JSON.stringify(type.code)}`, path);
    // "!" and ">" mean the same; the canonical form writes ">".
    const byteOrder: ByteOrderChar = type.byteOrder === '!' ? '>' : type.byteOrder;
    const unit = unitSize(spec, byteOrder);
    if (unit === 0) invalid(`code "${type.code}" has no standard size, so it cannot be written in "${byteOrder}" mode`, path);
    let text: string;
    if (spec.unit !== undefined) {
      const count = type.size / spec.unit;
      if (!Number.isSafeInteger(count) || count < 0) invalid(`size ${type.size} is not a whole number of ${spec.unit}-byte "${type.code}" units`, path);
      text = count === 1 ? type.code : `${count}${type.code}`;
    } else {
      if (type.size !== unit) invalid(`code "${type.code}" is ${unit} bytes in "${byteOrder}" mode, but the type says ${type.size}`, path);
      text = type.code;
    }
    const switchText = byteOrder === this.byteOrder ? '' : byteOrder;
    this.byteOrder = byteOrder;
    return { switchText, text, size: type.size, alignment: unitAlignment(spec, byteOrder), aligned: byteOrder === '@', counted: spec.unit !== undefined };
  }

  items(fields: readonly FormatField[], path: string): ItemsText {
    let text = '';
    let offset = 0;
    let alignment = 1;
    const names = new Set<string>();
    fields.forEach((field, index) => {
      const fieldPath = `${path}.fields[${index}]`;
      if (field.name !== null) {
        if (field.name.length === 0 || field.name.includes(':'))
          unsupported(`field name ${JSON.stringify(field.name)} cannot be written as ":name:" (it must be non-empty and contain no ":")`, fieldPath);
        if (names.has(field.name)) invalid(`duplicate field name ${JSON.stringify(field.name)}`, fieldPath);
        names.add(field.name);
      }
      for (const dim of field.shape) if (!Number.isSafeInteger(dim) || dim < 0) invalid(`sub-array dimension ${dim} is not a non-negative integer`, fieldPath);
      let switchText = '';
      let counted = false;
      let typeText: string;
      let typeSize: number;
      let typeAlignment: number;
      let aligned: boolean;
      if (field.type.kind === 'scalar') {
        const printed = this.scalar(field.type, `${fieldPath}.type`);
        ({ switchText, text: typeText, size: typeSize, alignment: typeAlignment, aligned, counted } = printed);
      } else {
        const printed = this.struct(field.type, `${fieldPath}.type`);
        typeText = printed.text;
        typeSize = field.type.size;
        typeAlignment = printed.alignment;
        aligned = this.byteOrder === '@';
      }
      let elements = 1;
      for (const dim of field.shape) elements *= dim;
      if (field.size !== typeSize * elements) invalid(`field size ${field.size} is not its type size ${typeSize} times its ${elements} elements`, fieldPath);
      const align = aligned ? typeAlignment : 1;
      let pad = 0;
      if (roundUp(offset, align) !== field.offset) {
        if (field.offset < offset || roundUp(field.offset, align) !== field.offset) {
          unsupported(
            `field at offset ${field.offset} cannot follow the previous field ending at ${offset} with alignment ${align} (fields must be in order and aligned in "@" mode)`,
            fieldPath,
          );
        }
        pad = field.offset - offset;
      }
      if (aligned) alignment = Math.max(alignment, typeAlignment);
      // Explicit padding is written in the byte order in force before this field's own switch;
      // `x` has size 1 and alignment 1 in every mode, so the order does not change its layout.
      // NumPy's parser wants the byte order after a shape: "(2,3)>i".
      const useCount = !counted && field.shape.length === 1 && field.shape[0] !== 1;
      const shape = field.shape.length === 0 || useCount ? '' : `(${field.shape.join(',')})`;
      const count = useCount ? String(field.shape[0]) : '';
      text += padding(pad) + shape + switchText + count + typeText + (field.name === null ? '' : `:${field.name}:`);
      offset = field.offset + field.size;
    });
    return { text, end: offset, alignment };
  }

  /** Writes `T{...}`, adding trailing padding so the struct keeps its size. */
  struct(type: StructFormat, path: string): { text: string; alignment: number } {
    if (type.fields.length === 0) invalid('a struct needs at least one field', path);
    const body = this.items(type.fields, path);
    const closesAligned = this.byteOrder === '@';
    const natural = closesAligned ? roundUp(body.end, body.alignment) : body.end;
    let trailing = 0;
    if (natural !== type.size) {
      if (type.size < body.end || (closesAligned && roundUp(type.size, body.alignment) !== type.size)) {
        unsupported(`struct size ${type.size} cannot be reached from its fields (they end at ${body.end}, alignment ${body.alignment})`, path);
      }
      trailing = type.size - body.end;
    }
    if (body.alignment !== type.alignment) {
      unsupported(`struct alignment ${type.alignment} differs from the alignment ${body.alignment} its fields produce`, path);
    }
    return { text: `T{${body.text}${padding(trailing)}}`, alignment: body.alignment };
  }
}

/**
 * Prints a format (a string, a `ParsedFormat` or a `FormatType`) in canonical PEP 3118 form: no
 * whitespace, a byte-order character only where the order changes (`!` written as `>`), 1-D
 * sub-arrays as repeat counts (`3i`, also read by CPython's struct module; `(1)i` and sub-arrays
 * of counted codes such as `(2)10s` keep parentheses), others as `(2,3)`, byte order after a
 * shape as NumPy writes it (`(2,3)>i`),
 * and explicit `x` padding wherever the layout rules would not reproduce an offset.
 *
 * Guarantee: `parseFormat(formatToString(parseFormat(s)))` has the same itemsize, alignment,
 * field names, offsets, shapes and scalar kinds, sizes and endianness as `parseFormat(s)`.
 *
 * @example
 * ```ts
 * import { formatToString } from '@interop/core';
 * console.log(formatToString(' T{ <i:a: !d:b: } ')); // "T{<i:a:>d:b:}"
 * ```
 * @throws {BufferError} `ERR_FORMAT_INVALID` when a string argument is malformed;
 * `ERR_INVALID_ARGUMENT` when a type is inconsistent (unknown code, sizes that disagree, duplicate
 * names); `ERR_FORMAT_UNSUPPORTED` when a hand-built type has offsets, sizes, alignments or names
 * the format syntax cannot express.
 */
export function formatToString(format: string | ParsedFormat | FormatType): string {
  if (typeof format === 'string') return formatToString(parseFormat(format));
  if (typeof format !== 'object' || format === null) {
    throw new BufferError(
      'ERR_INVALID_ARGUMENT',
      `formatToString expects a format string, a ParsedFormat or a FormatType; received ${format === null ? 'null' : typeof format}.`,
      {
        details: { operation: 'formatToString' },
      },
    );
  }
  if ('kind' in format) return typeText(format);
  const type = format.type;
  if (type.kind === 'scalar') return typeText(type);
  // A top-level struct: as `T{...}` when that keeps the itemsize, otherwise as a bare item list
  // (which gets no trailing rounding, as in struct.calcsize: "di" is 12 bytes, "T{di}" 16).
  const asStruct = new Printer();
  try {
    const { text } = asStruct.struct(type, 'format');
    if (type.size === format.itemsize) return text;
  } catch (error) {
    if (!BufferError.isInstance(error) || error.code !== 'ERR_FORMAT_UNSUPPORTED') throw error;
  }
  const bare = new Printer();
  const body = bare.items(type.fields, 'format');
  if (format.itemsize < body.end) unsupported(`itemsize ${format.itemsize} is smaller than the fields' extent ${body.end}`, 'format');
  if (body.alignment !== format.alignment)
    unsupported(`alignment ${format.alignment} differs from the alignment ${body.alignment} its fields produce`, 'format');
  return body.text + padding(format.itemsize - body.end);
}

function typeText(type: FormatType): string {
  const printer = new Printer();
  if (type.kind === 'struct') return printer.struct(type, 'type').text;
  const printed = printer.scalar(type, 'type');
  return printed.switchText + printed.text;
}
