// Structural checks of a Parquet file before parquet-wasm decodes any of it. The Rust decoder
// inside parquet-wasm allocates what a file declares (a Snappy preamble, a gzip or ZSTD stream's
// real output, a row count) in WebAssembly memory, which grows and never shrinks; a 1 KiB file
// could make it grow to 4 GiB and trap. So every size that drives an allocation is read here
// first, with hyparquet's metadata and page-header parsers (no hand-written Thrift), checked
// against the bytes present and charged to maxDecompressedBytes. These functions throw plain
// Errors (wrapped by the reader with the file context) or the typed size-limit error.
import { DataType, RecordBatchReader, type Schema } from 'apache-arrow';
import { decompress as zstdDecompress } from 'fzstd';
import { type ColumnChunk, type FileMetaData, parquetMetadata, parquetSchema, type SchemaTree, snappyUncompress } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import type * as Zlib from 'node:zlib';
import { PandasError } from '../errors/pandas-error.js';
import { checkZstdFrames } from './codec-frames.js';
import { checkIpcBounds } from './ipc-bounds.js';
import { allocateBytes } from './allocate.js';
import { readPandasMetadata } from './pandas-metadata.js';

/** What one read may still decompress and decode. */
export interface ParquetBudget {
  readonly limit: number;
  readonly source: string;
  readonly inputBytes: number;
  readonly explicit: boolean;
  readonly operation: string;
  used: number;
}

/** The codecs parquet-wasm decodes and these checks bound. */
const readableCodecs = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4_RAW']);

/** What the checks learnt from a file's footer. */
export interface ParquetLayout {
  readonly metadata: FileMetaData;
  /** Byte offset where the footer (metadata, its length, the magic) starts; pages end before it. */
  readonly footerStart: number;
  readonly byteLength: number;
  /** Top-level field names, in file order. */
  readonly fields: readonly string[];
  readonly keyValueMetadata: Readonly<Record<string, string>>;
  /** Fields pandas marks categorical: they decode to Arrow dictionaries, never materialized per row. */
  readonly categoricals: ReadonlySet<string>;
}

const MAGIC = 0x31524150; // "PAR1" little-endian

/** Where the footer of a `byteLength`-byte file starts, from its last 8 bytes. */
export function footerStartOf(last8: Uint8Array, byteLength: number): number {
  if (byteLength < 12) throw new Error(`a ${byteLength}-byte file is too short for Parquet (at least 12 bytes: two "PAR1" magics and a footer length)`);
  const view = new DataView(last8.buffer, last8.byteOffset, 8);
  if (view.getUint32(4, true) !== MAGIC) throw new Error('the file does not end with the "PAR1" magic (truncated, or not Parquet)');
  const length = view.getUint32(0, true);
  const start = byteLength - 8 - length;
  if (length === 0 || start < 4) throw new Error(`the footer declares ${length} bytes of metadata, which does not fit the ${byteLength}-byte file`);
  return start;
}

/** Parses and checks the footer; `tail` holds the file's bytes from `footerStart` to its end. */
export function readLayout(head: Uint8Array, tail: Uint8Array, byteLength: number, footerStart: number): ParquetLayout {
  if (head.byteLength < 4 || new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) !== MAGIC)
    throw new Error('the file does not start with the "PAR1" magic');
  const metadata = parquetMetadata(tail);
  const rows = Number(metadata.num_rows);
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`the footer declares ${String(metadata.num_rows)} rows`);
  let sum = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    if (!Number.isSafeInteger(groupRows) || groupRows < 0) throw new Error(`a row group declares ${String(group.num_rows)} rows`);
    sum += groupRows;
  }
  if (sum !== rows) throw new Error(`the row groups hold ${sum} rows but the footer declares ${rows}`);
  const tree: SchemaTree = parquetSchema(metadata);
  const fields = tree.children.map((child) => child.element.name);
  const keyValueMetadata: Record<string, string> = {};
  // (filled below; the pandas entry may come from the Arrow schema)
  for (const entry of metadata.key_value_metadata ?? []) if (typeof entry.value === 'string') keyValueMetadata[entry.key] = entry.value;
  const arrow = arrowSchemaOf(keyValueMetadata['ARROW:schema']);
  // Writers other than pyarrow (arrow-rs among them) keep pandas' metadata only in the Arrow schema.
  const pandasText = keyValueMetadata['pandas'] ?? arrow?.metadata.get('pandas');
  if (pandasText !== undefined) keyValueMetadata['pandas'] = pandasText;
  const categoricals = new Set<string>();
  if (arrow !== null) for (const field of arrow.fields) if (DataType.isDictionary(field.type)) categoricals.add(field.name);
  for (const column of readPandasMetadata(pandasText)?.columns ?? []) if (column.pandas_type === 'categorical') categoricals.add(column.field_name);
  return { metadata, footerStart, byteLength, fields, keyValueMetadata, categoricals };
}

/**
 * The Arrow schema Arrow writers store under `ARROW:schema` (a base64 IPC schema message), read
 * with apache-arrow after the same bounds checks as an IPC stream; null when absent or unreadable
 * (the decoder then fails on its own, with a typed error).
 */
function arrowSchemaOf(text: string | undefined): Schema | null {
  if (text === undefined) return null;
  try {
    const binary = atob(text);
    const bytes = allocateBytes(binary.length + 8);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    bytes.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], binary.length); // end-of-stream marker
    checkIpcBounds(bytes, false, { limit: 0, source: 'ARROW:schema', inputBytes: bytes.byteLength, explicit: true, used: 0 });
    const reader = RecordBatchReader.from(bytes);
    reader.open();
    return (reader.schema as Schema | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Reads `[start, end)` of the file (a subarray in memory, a positioned read on disk). */
export type RangeReader = (start: number, end: number) => Uint8Array | Promise<Uint8Array>;

/**
 * Checks every selected column chunk of one row group: its byte range, codec, every page header
 * and, per codec, that a page cannot decompress to more than its header declares. Charges the
 * declared page sizes and the decoded column size to the budget.
 */
export async function checkRowGroup(
  layout: ParquetLayout,
  index: number,
  fields: ReadonlySet<string> | null,
  read: RangeReader,
  budget: ParquetBudget,
): Promise<void> {
  const group = layout.metadata.row_groups[index];
  if (group === undefined) throw new Error(`row group ${index} does not exist`);
  const rows = Number(group.num_rows);
  for (const chunk of group.columns) {
    const path = chunk.meta_data?.path_in_schema ?? [];
    if (fields !== null && !fields.has(path[0] ?? '')) continue;
    await checkChunk(layout, chunk, rows, read, budget, `row group ${index}, column ${path.join('.')}`);
  }
}

async function checkChunk(layout: ParquetLayout, chunk: ColumnChunk, rows: number, read: RangeReader, budget: ParquetBudget, where: string): Promise<void> {
  const meta = chunk.meta_data;
  if (meta === undefined) throw new Error(`${where} has no column metadata (encrypted or external column chunks are not supported)`);
  if (chunk.file_path !== undefined) throw new Error(`${where} lives in another file (${chunk.file_path}), which is not supported`);
  const codec = String(meta.codec);
  if (!readableCodecs.has(codec)) {
    throw new PandasError(
      'ERR_PANDAS_CODEC_UNSUPPORTED',
      `${budget.source}: ${where} is compressed with ${meta.codec === undefined ? 'an unknown codec' : codec}, which cannot be read. Readable codecs: ${[...readableCodecs].join(', ')}; rewrite the file with one of them (pandas: df.to_parquet(..., compression="snappy")).`,
      {
        details: { operation: budget.operation, source: budget.source, codec },
      },
    );
  }
  const dictionary = meta.dictionary_page_offset === undefined ? undefined : Number(meta.dictionary_page_offset);
  const data = Number(meta.data_page_offset);
  const start = dictionary !== undefined && dictionary > 0 && dictionary < data ? dictionary : data;
  const length = Number(meta.total_compressed_size);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || start < 4 || length < 0 || start + length > layout.footerStart) {
    throw new Error(`${where} declares pages at bytes ${start}..${start + length}, outside the ${layout.footerStart} bytes before the footer`);
  }
  // Decoded Arrow arrays: at most 8 bytes of values or offsets per row plus the page bytes.
  charge(budget, rows * 8, `by ${rows} decoded rows of ${where}`);
  const bytes = await read(start, start + length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = { view, offset: 0 };
  let values = 0;
  // Strings decoded from a dictionary (or from DELTA_BYTE_ARRAY prefixes) can be far larger than
  // the pages: a 1 MiB dictionary entry repeated on every row. Unless the column stays a
  // dictionary (a pandas categorical), charge rows x the longest entry.
  const materializes = meta.type === 'BYTE_ARRAY' && !layout.categoricals.has(meta.path_in_schema[0] ?? '');
  while (reader.offset < bytes.byteLength) {
    const header = parquetHeader(reader);
    const compressed = header.compressed_page_size;
    const uncompressed = header.uncompressed_page_size;
    const payloadStart = reader.offset;
    if (
      !Number.isSafeInteger(compressed) ||
      !Number.isSafeInteger(uncompressed) ||
      compressed < 0 ||
      uncompressed < 0 ||
      payloadStart + compressed > bytes.byteLength
    ) {
      throw new Error(
        `a page of ${where} declares ${String(compressed)} compressed bytes at chunk byte ${payloadStart}, past the end of its ${bytes.byteLength}-byte chunk`,
      );
    }
    charge(budget, uncompressed, `by a page header of ${where}`);
    let payload = bytes.subarray(payloadStart, payloadStart + compressed);
    let declared = uncompressed;
    let isCompressed = codec !== 'UNCOMPRESSED';
    const v2 = header.data_page_header_v2;
    if (v2 !== undefined) {
      const levels = Number(v2.definition_levels_byte_length) + Number(v2.repetition_levels_byte_length);
      if (!(levels >= 0) || levels > compressed || levels > uncompressed)
        throw new Error(`a version 2 data page of ${where} declares ${levels} bytes of levels, more than the page holds`);
      payload = payload.subarray(levels);
      declared = uncompressed - levels;
      isCompressed &&= v2.is_compressed !== false;
      values += checkCount(v2.num_values, where);
      if (materializes && String(v2.encoding) === 'DELTA_BYTE_ARRAY')
        charge(budget, Number(v2.num_values) * uncompressed, `by prefix-coded strings of ${where}`);
    } else if (header.data_page_header !== undefined) {
      values += checkCount(header.data_page_header.num_values, where);
      if (materializes && String(header.data_page_header.encoding) === 'DELTA_BYTE_ARRAY')
        charge(budget, header.data_page_header.num_values * uncompressed, `by prefix-coded strings of ${where}`);
    }
    if (isCompressed) await checkPayload(codec, payload, declared, where, budget);
    else if (payload.byteLength !== declared && header.type !== 'INDEX_PAGE')
      throw new Error(`an uncompressed page of ${where} holds ${payload.byteLength} bytes but its header declares ${declared}`);
    if (header.dictionary_page_header !== undefined) {
      const entries = checkCount(header.dictionary_page_header.num_values, where);
      if (materializes) {
        const longest = await longestEntry(codec, isCompressed, payload, declared, entries, rows, budget, where);
        charge(budget, rows * longest, `by ${rows} rows of strings from the dictionary of ${where}, whose longest entry has ${longest} bytes`);
      }
    }
    reader.offset = payloadStart + compressed;
  }
  const expected = Number(meta.num_values);
  if (values !== expected) throw new Error(`the pages of ${where} hold ${values} values but its metadata declares ${expected}`);
}

/**
 * The longest entry of a PLAIN byte-array dictionary page: decompresses the page (its size was
 * checked and charged above) and walks the 4-byte length prefixes. LZ4_RAW has no decoder on
 * this side: the whole page size is taken as the bound.
 */
async function longestEntry(
  codec: string,
  isCompressed: boolean,
  payload: Uint8Array,
  declared: number,
  entries: number,
  rows: number,
  budget: ParquetBudget,
  where: string,
): Promise<number> {
  // Cheap bound first: most dictionaries fit without decompressing anything.
  if (rows * declared <= budget.limit - budget.used) return declared;
  let page: Uint8Array;
  if (!isCompressed) page = payload;
  else if (codec === 'SNAPPY') {
    page = allocateBytes(declared);
    snappyUncompress(payload, page);
  } else if (codec === 'ZSTD') page = zstdDecompress(payload, allocateBytes(declared));
  else if (codec === 'GZIP' || codec === 'BROTLI') page = await inflate(codec, payload, declared);
  else return declared;
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  let longest = 0;
  let at = 0;
  for (let entry = 0; entry < entries; entry++) {
    if (at + 4 > page.byteLength) throw new Error(`the dictionary page of ${where} ends inside entry ${entry} of ${entries}`);
    const length = view.getUint32(at, true);
    at += 4 + length;
    if (at > page.byteLength) throw new Error(`entry ${entry} of the dictionary page of ${where} declares ${length} bytes, past the end of the page`);
    if (length > longest) longest = length;
  }
  return longest;
}

/** Inflates a gzip or Brotli page already checked to decompress to exactly `declared` bytes. */
async function inflate(codec: 'GZIP' | 'BROTLI', payload: Uint8Array, declared: number): Promise<Uint8Array> {
  const node = codec === 'BROTLI' ? await nodeZlib() : null;
  if (node !== null) return node.brotliDecompressSync(payload, { maxOutputLength: Math.max(1, declared) });
  const page = allocateBytes(declared);
  const reader = new Blob([payload as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream((codec === 'GZIP' ? 'gzip' : 'brotli') as CompressionFormat))
    .getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return page;
    if (at + value.byteLength > declared) throw new Error(`a ${codec} page inflates past its declared ${declared} bytes`);
    page.set(value, at);
    at += value.byteLength;
  }
}

function checkCount(count: unknown, where: string): number {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new Error(`a page of ${where} declares ${String(count)} values`);
  return count;
}

/** Proves that one compressed page cannot decompress to more than `declared` bytes (exported for tests). */
export async function checkPayload(codec: string, payload: Uint8Array, declared: number, where: string, budget: ParquetBudget): Promise<void> {
  switch (codec) {
    case 'SNAPPY': {
      // The Snappy preamble (a varint) is what the decoder allocates.
      const length = snappyPreamble(payload);
      if (length !== declared) throw new Error(`a Snappy page of ${where} declares ${length} bytes in its preamble but ${declared} in its page header`);
      return;
    }
    case 'ZSTD': {
      const frames = checkZstdFrames(payload, declared);
      if (frames.output > budget.limit || frames.window > budget.limit)
        throw limitError(budget, frames.output, `by a ZSTD page of ${where} whose frames could expand to ${frames.output} bytes`);
      return;
    }
    case 'GZIP':
    case 'BROTLI': {
      const length = codec === 'GZIP' ? await streamLength('gzip', payload, declared) : await brotliLength(payload, declared, budget);
      if (length !== declared)
        throw new Error(
          `a ${codec === 'GZIP' ? 'gzip' : 'Brotli'} page of ${where} decompresses to ${length > declared ? `more than ${declared}` : length} bytes but its page header declares ${declared}`,
        );
      return;
    }
    default:
      // LZ4_RAW: the Rust decoder decompresses into a buffer of the declared page size.
      return;
  }
}

function snappyPreamble(bytes: Uint8Array): number {
  let value = 0;
  for (let index = 0; index < 5; index++) {
    const byte = bytes[index];
    if (byte === undefined) break;
    value += (byte & 0x7f) * 2 ** (7 * index);
    if (byte < 0x80) return value;
  }
  throw new Error('a Snappy page has no valid length preamble');
}

/**
 * Decompresses a stream only to count its bytes (the runtime's DecompressionStream, in browsers
 * and Node alike), stopping as soon as it exceeds `declared`: the output is never held.
 */
async function streamLength(format: string, payload: Uint8Array, declared: number): Promise<number> {
  const stream = new Blob([payload as BlobPart]).stream().pipeThrough(new DecompressionStream(format as CompressionFormat));
  const reader = stream.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return total;
      total += value.byteLength;
      if (total > declared) return total;
    }
  } catch (error) {
    throw new Error(`a ${format} page is corrupt: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

let zlib: Promise<typeof Zlib | null> | undefined;

/** node:zlib under Node (loaded on first use, never by bundlers: the specifier is a variable), else null. */
function nodeZlib(): Promise<typeof Zlib | null> {
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  const specifier = 'node:zlib';
  zlib ??= versions?.node === undefined ? Promise.resolve(null) : (import(/* @vite-ignore */ specifier) as Promise<typeof Zlib>).catch(() => null);
  return zlib;
}

/**
 * Brotli: Node's zlib stops at `maxOutputLength`; elsewhere the runtime's DecompressionStream
 * counts, where it supports Brotli. Without either, Brotli pages cannot be bounded and are refused.
 */
async function brotliLength(payload: Uint8Array, declared: number, budget: ParquetBudget): Promise<number> {
  const node = await nodeZlib();
  if (node !== null) {
    try {
      return node.brotliDecompressSync(payload, { maxOutputLength: Math.max(1, declared) }).byteLength;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return declared + 1;
      throw new Error(`a Brotli page is corrupt: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  try {
    new DecompressionStream('brotli' as CompressionFormat);
  } catch {
    throw new PandasError(
      'ERR_PANDAS_CODEC_UNSUPPORTED',
      `${budget.source} has Brotli-compressed pages, and this runtime has no bounded Brotli decoder (DecompressionStream("brotli")) to check them before decoding. Read it under Node, or rewrite it with Snappy or ZSTD.`,
      {
        details: { operation: budget.operation, source: budget.source, codec: 'BROTLI' },
      },
    );
  }
  return streamLength('brotli', payload, declared);
}

function charge(budget: ParquetBudget, bytes: number, why: string): void {
  if (bytes > budget.limit - budget.used) throw limitError(budget, bytes, why);
  budget.used += bytes;
}

/** The typed error for a file that declares (or needs) more than the read's limit. */
export function limitError(budget: ParquetBudget, declared: number, why: string): PandasError {
  const limitText = budget.explicit
    ? `maxDecompressedBytes (${budget.limit})`
    : `the default maxDecompressedBytes (${budget.limit} for ${budget.inputBytes} input bytes: 255 x the input size, at least 256 MiB and at most 4 GiB)`;
  return new PandasError(
    'ERR_SIZE_LIMIT',
    `Refusing to decode ${budget.source}: ${declared} bytes are declared (${why}), which with the ${budget.used} bytes already accounted for exceeds ${limitText}. If the file is trusted, pass a larger maxDecompressedBytes (Infinity for no limit), or read fewer columns or row groups at a time.`,
    { details: { operation: budget.operation, source: budget.source, declared, alreadyCounted: budget.used, maxDecompressedBytes: budget.limit } },
  );
}
