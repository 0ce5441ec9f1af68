import { MAX_NDIM, type NumpyDatetimeField, type NumpyDescr } from '@interop/core';
import { NpyError } from './errors/npy-error.js';
import { descrFromLiteral } from './internal/descr.js';
import { parsePythonLiteral, type PyValue } from './internal/python-literal.js';

/** A `.npy` format version. */
export type NpyVersion = '1.0' | '2.0' | '3.0';

/** Everything the header of a `.npy` file says, plus what follows from it. */
export interface NpyHeader {
  readonly version: NpyVersion;
  /** The dtype exactly as the header spells it: a dtype string or a structured descr. */
  readonly descr: NumpyDescr;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** The PEP 3118 format of one item (`'<f'`, `'>q'`, `'T{<i:a:<d:b:}'`...). */
  readonly format: string;
  readonly itemsize: number;
  /** Byte alignment that zero-copy typed access to an item needs. */
  readonly alignment: number;
  /** For `M8[unit]` / `m8[unit]` arrays: the unit of the int64 values; otherwise null. */
  readonly timeUnit: NumpyDatetimeField | null;
  /** Offset of the first data byte from the start of the file (magic + length + header). */
  readonly dataOffset: number;
  /** Bytes of data the header promises: itemsize x product(shape). */
  readonly nbytes: number;
}

/** Options for reading `.npy` headers. */
export interface NpyHeaderOptions {
  /** Longest header accepted, in characters (NumPy's default 10000). Raise it for very wide structured dtypes. */
  readonly maxHeaderSize?: number;
}

/** NumPy's default `max_header_size`. */
export const DEFAULT_MAX_HEADER_SIZE = 10_000;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** Size of the magic string plus version bytes. */
export const NPY_PREFIX_LENGTH = 8;

/**
 * Reads the fixed prefix (magic, version, header length). Needs the first 8 bytes to find the
 * version, then 10 (1.0) or 12 (2.0, 3.0) bytes in all.
 *
 * @internal
 */
export function readNpyPrefix(bytes: Uint8Array): { version: NpyVersion; lengthFieldSize: 2 | 4; headerLength: number | null } {
  const available = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < available; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new NpyError(
        'ERR_NPY_BAD_MAGIC',
        `These bytes are not a .npy file: they start with ${hexPrefix(bytes)} instead of the magic string "\\x93NUMPY". Check that the file is a NumPy .npy (not .npz, which is a zip archive: use readNpz).`,
      );
    }
  }
  if (bytes.length < NPY_PREFIX_LENGTH) throw truncated(`the file is ${bytes.length} bytes, shorter than the 8-byte magic string and version`);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  let version: NpyVersion;
  if (minor === 0 && major >= 1 && major <= 3) version = `${major}.0` as NpyVersion;
  else {
    throw new NpyError(
      'ERR_NPY_UNSUPPORTED_VERSION',
      `The .npy format version is ${major}.${minor}; only 1.0, 2.0 and 3.0 exist. The file is corrupt or from a future NumPy.`,
      {
        details: { major, minor },
      },
    );
  }
  const lengthFieldSize = version === '1.0' ? 2 : 4;
  if (bytes.length < NPY_PREFIX_LENGTH + lengthFieldSize) return { version, lengthFieldSize, headerLength: null };
  const view = new DataView(bytes.buffer, bytes.byteOffset, NPY_PREFIX_LENGTH + lengthFieldSize);
  const headerLength = lengthFieldSize === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  return { version, lengthFieldSize, headerLength };
}

function hexPrefix(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ') || '(nothing)';
}

function truncated(what: string): NpyError {
  return new NpyError(
    'ERR_NPY_TRUNCATED',
    `The .npy file is truncated: ${what}. The file was cut short (an interrupted download or write); obtain a complete copy.`,
  );
}

let utf8Decoder: TextDecoder | undefined;

function decodeLatin1(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  // ASCII (every header NumPy writes for latin-1 versions in practice) decodes natively; WHATWG's
  // "latin1" label is windows-1252, so other bytes are mapped one by one.
  if (ascii) return (utf8Decoder ??= new TextDecoder('utf-8')).decode(bytes);
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

/**
 * Parses a `.npy` header from the start of `bytes` (the data may follow, or not). Nothing in the
 * header is evaluated: it is parsed as the Python literal it is.
 *
 * @example
 * ```ts
 * import { parseNpyHeader, writeNpy } from '@interop/npy';
 * const header = parseNpyHeader(writeNpy(new Float32Array([1, 2, 3])));
 * console.log(header.descr, header.shape, header.dataOffset); // "<f4" [3] 128
 * ```
 * @throws {NpyError} `ERR_NPY_BAD_MAGIC`, `ERR_NPY_UNSUPPORTED_VERSION`, `ERR_NPY_TRUNCATED`,
 * `ERR_NPY_HEADER_TOO_LARGE`, `ERR_NPY_HEADER_ENCODING`, `ERR_NPY_HEADER_SYNTAX`,
 * `ERR_NPY_HEADER_NOT_DICT`, `ERR_NPY_HEADER_KEYS`, `ERR_NPY_BAD_SHAPE`,
 * `ERR_NPY_BAD_FORTRAN_ORDER`, `ERR_NPY_BAD_DESCR`, `ERR_NPY_OBJECT_DTYPE`,
 * `ERR_NPY_UNSUPPORTED_DTYPE`, `ERR_NPY_SIZE_OVERFLOW`.
 */
export function parseNpyHeader(bytes: Uint8Array, options: NpyHeaderOptions = {}): NpyHeader {
  const maxHeaderSize = options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE;
  if (!Number.isSafeInteger(maxHeaderSize) || maxHeaderSize < 0) {
    throw new NpyError('ERR_INVALID_ARGUMENT', `maxHeaderSize must be a non-negative integer; received ${String(maxHeaderSize)}.`);
  }
  const prefix = readNpyPrefix(bytes);
  if (prefix.headerLength === null) throw truncated(`the file ends inside the header length field (${bytes.length} bytes)`);
  const start = NPY_PREFIX_LENGTH + prefix.lengthFieldSize;
  checkHeaderLength(prefix.version, prefix.headerLength, maxHeaderSize);
  const end = start + prefix.headerLength;
  if (end > bytes.length) throw truncated(`the header length field says ${prefix.headerLength} bytes but only ${bytes.length - start} follow`);
  const raw = bytes.subarray(start, end);
  let text: string;
  if (prefix.version === '3.0') {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
    } catch (cause) {
      throw new NpyError('ERR_NPY_HEADER_ENCODING', 'The header of this format 3.0 .npy file is not valid UTF-8. The file is corrupt.', { cause });
    }
  } else {
    text = decodeLatin1(raw);
  }
  if (text.length > maxHeaderSize) throw tooLarge(text.length, maxHeaderSize);
  return interpretHeader(text, prefix.version, end);
}

/**
 * Refuses a header length over the limit before any of it is read.
 *
 * @internal
 */
export function checkHeaderLength(version: NpyVersion, headerLength: number, maxHeaderSize: number): void {
  // A UTF-8 character is at most 4 bytes: a header over 4x the limit cannot decode to fewer characters.
  const byteLimit = version === '3.0' ? maxHeaderSize * 4 : maxHeaderSize;
  if (headerLength > byteLimit) throw tooLarge(headerLength, maxHeaderSize);
}

function tooLarge(length: number, limit: number): NpyError {
  return new NpyError(
    'ERR_NPY_HEADER_TOO_LARGE',
    `The .npy header is ${length} characters long, over the limit of ${limit} (NumPy's max_header_size). If you trust the file (very wide structured dtypes have long headers), pass a larger maxHeaderSize.`,
    { details: { headerLength: length, maxHeaderSize: limit } },
  );
}

function interpretHeader(text: string, version: NpyVersion, dataOffset: number): NpyHeader {
  const literal = parsePythonLiteral(text, { allowLongSuffix: version !== '3.0' });
  if (literal.kind !== 'dict') {
    throw new NpyError(
      'ERR_NPY_HEADER_NOT_DICT',
      `The .npy header must be a Python dict; it is a ${literal.kind}. The file is corrupt or not written by NumPy.`,
    );
  }
  const values = new Map<string, PyValue>();
  const keys: string[] = [];
  for (const [key, value] of literal.entries) {
    const name = key.kind === 'str' ? key.value : `<${key.kind}>`;
    if (!values.has(name)) keys.push(name);
    values.set(name, value);
  }
  const expected = ['descr', 'fortran_order', 'shape'];
  if (keys.length !== 3 || !expected.every((key) => values.has(key))) {
    throw new NpyError(
      'ERR_NPY_HEADER_KEYS',
      `The .npy header must have exactly the keys 'descr', 'fortran_order' and 'shape'; it has ${JSON.stringify(keys.sort())}.`,
      {
        details: { keys },
      },
    );
  }
  const shapeValue = values.get('shape')!;
  if (shapeValue.kind !== 'tuple') throw badShape(`shape is a ${shapeValue.kind}, not a tuple`);
  if (shapeValue.items.length > MAX_NDIM) throw badShape(`shape has ${shapeValue.items.length} dimensions; at most ${MAX_NDIM} are supported (as in NumPy)`);
  const shapeBig: bigint[] = [];
  for (const [i, item] of shapeValue.items.entries()) {
    if (item.kind !== 'int') throw badShape(`shape[${i}] is a ${item.kind}, not an integer`);
    if (item.value < 0n) throw badShape(`shape[${i}] is negative (${item.value})`);
    shapeBig.push(item.value);
  }
  const fortranValue = values.get('fortran_order')!;
  if (fortranValue.kind !== 'bool') {
    throw new NpyError('ERR_NPY_BAD_FORTRAN_ORDER', `fortran_order must be True or False; the header has a ${fortranValue.kind}. The file is corrupt.`);
  }
  const { descr, info } = descrFromLiteral(values.get('descr')!);
  // Checked exactly: the product of arbitrary-size integers must fit in a safe byte count.
  let total = BigInt(info.itemsize);
  for (const dim of shapeBig) total *= dim;
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new NpyError(
      'ERR_NPY_SIZE_OVERFLOW',
      `The header promises shape (${shapeBig.join(', ')}) of ${info.itemsize}-byte items = ${total} bytes, more than can be addressed (2^53 - 1). The file is corrupt or hostile.`,
      {
        details: { nbytes: total.toString() },
      },
    );
  }
  return {
    version,
    descr,
    fortranOrder: fortranValue.value,
    shape: shapeBig.map(Number),
    format: info.format,
    itemsize: info.itemsize,
    alignment: info.alignment,
    timeUnit: info.timeUnit,
    dataOffset,
    nbytes: Number(total),
  };
}

function badShape(what: string): NpyError {
  return new NpyError('ERR_NPY_BAD_SHAPE', `Invalid shape in the .npy header: ${what}. NumPy writes a tuple of non-negative integers; the file is corrupt.`);
}
