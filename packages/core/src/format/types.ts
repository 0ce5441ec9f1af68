/** Byte order of a scalar as stored in memory. */
export type Endianness = 'little' | 'big';

/**
 * The kind of value a scalar format code holds:
 * signed/unsigned integers, booleans, floats, complex numbers, characters and opaque bytes.
 */
export type ScalarKind = 'int' | 'uint' | 'bool' | 'float' | 'complex' | 'char' | 'bytes' | 'ucs2' | 'ucs4' | 'pointer' | 'object' | 'padding';

/** A parsed scalar item: one struct code (`i`, `<d`, `Zf`, `10s`...). */
export interface ScalarFormat {
  readonly kind: 'scalar';
  /** The struct code, e.g. `"i"`, `"Zd"`, `"s"`. */
  readonly code: string;
  readonly valueKind: ScalarKind;
  /**
   * Bytes per item. For the counted codes the count is a length: `10s` is one 10-byte item,
   * `5w` one 20-byte UCS-4 string, `3x` three bytes of padding.
   */
  readonly size: number;
  /** Alignment in bytes: the C alignment of the code in native (`@`) mode; 1 otherwise. */
  readonly alignment: number;
  readonly endianness: Endianness;
  /** True when this item was read in native size mode (`@` or `^`). */
  readonly nativeSize: boolean;
  /** The byte-order character in force for this item (`@ = < > ! ^`). */
  readonly byteOrder: ByteOrderChar;
}

/** A parsed `T{...}` struct (or a multi-item format at top level). */
export interface StructFormat {
  readonly kind: 'struct';
  /** Members in layout order, explicit padding (`x`) included. */
  readonly fields: readonly FormatField[];
  /** Bytes per struct, trailing padding included (a `T{...}` closed in `@` mode is rounded up to its alignment). */
  readonly size: number;
  /** The largest alignment applied to a member (1 when no member was laid out in `@` mode). */
  readonly alignment: number;
}

/** Any parsed format item. */
export type FormatType = ScalarFormat | StructFormat;

/** One member of a struct: a named or unnamed item at a byte offset, possibly a sub-array. */
export interface FormatField {
  /** The `:name:` of the field, or null when unnamed. */
  readonly name: string | null;
  readonly offset: number;
  readonly type: FormatType;
  /** Sub-array shape from a `(2,3)` prefix or a repeat count of a numeric code; `[]` for a single item. */
  readonly shape: readonly number[];
  /** Bytes the field occupies: `type.size * product(shape)`. */
  readonly size: number;
  /** True for `x` padding (named padding keeps its name). */
  readonly padding: boolean;
}

/** PEP 3118 byte-order / size / alignment characters. */
export type ByteOrderChar = '@' | '=' | '<' | '>' | '!' | '^';

/** The result of parsing a whole format string. */
export interface ParsedFormat {
  /** The source string. */
  readonly source: string;
  /** Size in bytes of one item described by the format. */
  readonly itemsize: number;
  readonly alignment: number;
  /**
   * The item: a scalar when the format is a single code (repeat count 1, no name), otherwise a
   * struct whose fields carry offsets.
   */
  readonly type: FormatType;
}
