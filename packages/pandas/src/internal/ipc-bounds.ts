import { ByteBuffer } from 'flatbuffers';
import { CompressionType } from 'apache-arrow/fb/compression-type';
import { DictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import type { Field } from 'apache-arrow/fb/field';
import { Footer } from 'apache-arrow/fb/footer';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { Schema } from 'apache-arrow/fb/schema';
import { type DecodeBudget, limitError } from './codecs.js';

/**
 * Checks the framing and the flatbuffer vector lengths of Arrow IPC bytes before apache-arrow
 * decodes them. apache-arrow trusts every count it reads, so a corrupted count in a 1 KiB file
 * makes it build arrays of millions of entries (fuzzing found files that exhausted a 4 GiB heap).
 * Here every vector must fit inside the metadata it is read from, every message inside the
 * bytes, and every row count inside what the message body can hold: decoding then allocates in
 * proportion to the input size. Throws a plain Error; the caller wraps it with the file context.
 * Returns every compressed record batch buffer it checked (where its compressed bytes start in
 * `bytes.buffer`, its declared length, its buffer index in the batch), for `planDecodeArena`.
 */
export function checkIpcBounds(bytes: Uint8Array, isFile: boolean, budget: DecodeBudget): CompressedBuffer[] {
  const slots: CompressedBuffer[] = [];
  const total = bytes.byteLength;
  const view = new DataView(bytes.buffer, bytes.byteOffset, total);
  let position = isFile ? 8 : 0;
  let end = total;
  if (isFile) {
    // [magic + padding][messages][footer flatbuffer][int32 footer length][magic]
    if (total < 18) throw new Error(`a ${total}-byte file is too short for an Arrow IPC file`);
    const footerLength = view.getInt32(total - 10, true);
    const footerStart = total - 10 - footerLength;
    if (footerLength <= 0 || footerStart < 8) throw new Error(`the footer length ${footerLength} does not fit the ${total}-byte file`);
    const footer = Footer.getRootAsFooter(new ByteBuffer(bytes.subarray(footerStart, footerStart + footerLength)));
    if ((footer.recordBatchesLength() + footer.dictionariesLength()) * 24 > footerLength) throw new Error('the footer lists more blocks than it can hold');
    const schema = footer.schema();
    if (schema !== null) checkSchema(schema, footerLength);
    end = footerStart;
  }
  let index = 0;
  while (position + 4 <= end) {
    let length = view.getInt32(position, true);
    position += 4;
    if (length === -1) {
      if (position + 4 > end) break;
      length = view.getInt32(position, true);
      position += 4;
    }
    if (length === 0) break; // end-of-stream marker
    if (length < 0 || position + length > end)
      throw new Error(`message ${index} declares ${length} bytes of metadata at byte ${position}, past the end of the data`);
    const message = Message.getRootAsMessage(new ByteBuffer(bytes.subarray(position, position + length)));
    const body = Number(message.bodyLength());
    if (!Number.isSafeInteger(body) || body < 0 || position + length + body > end)
      throw new Error(`message ${index} declares a ${String(message.bodyLength())}-byte body that does not fit the data`);
    if (message.customMetadataLength() * 4 > length) throw new Error(`message ${index} lists more metadata entries than it can hold`);
    switch (message.headerType()) {
      case MessageHeader.Schema: {
        const schema = message.header(new Schema()) as Schema | null;
        if (schema !== null) checkSchema(schema, length);
        break;
      }
      case MessageHeader.RecordBatch:
        checkBatch(message.header(new RecordBatch()) as RecordBatch | null, length, { view, start: position + length, length: body, budget, slots }, index);
        break;
      case MessageHeader.DictionaryBatch:
        checkBatch(
          (message.header(new DictionaryBatch()) as DictionaryBatch | null)?.data() ?? null,
          length,
          { view, start: position + length, length: body, budget, slots: null },
          index,
        );
        break;
      default:
        break;
    }
    position += length + body;
    index++;
  }
  return slots;
}

/** One compressed buffer of a record batch, as `checkIpcBounds` found it. */
export interface CompressedBuffer {
  /** Where the compressed bytes (after the 8-byte length prefix) start in the input's ArrayBuffer. */
  readonly position: number;
  /** Its compressed length (without the prefix). */
  readonly compressed: number;
  /** The uncompressed length its prefix declares. */
  readonly declared: number;
  /** Its index among the buffers of its batch (the same column buffer in every batch). */
  readonly index: number;
  /** The batch's codec. */
  readonly codec: 'lz4' | 'zstd';
}

interface Body {
  readonly view: DataView;
  readonly start: number;
  readonly length: number;
  /** maxDecompressedBytes of the read. */
  readonly budget: DecodeBudget;
  /** Where compressed record batch buffers are collected (null for dictionary batches). */
  readonly slots: CompressedBuffer[] | null;
}

function checkBatch(batch: RecordBatch | null, metadataLength: number, body: Body, index: number): void {
  if (batch === null) return;
  const nodes = batch.nodesLength();
  if (nodes * 16 + batch.buffersLength() * 16 + batch.variadicBufferCountsLength() * 8 > metadataLength) {
    throw new Error(`record batch ${index} lists more field nodes or buffers than its metadata can hold`);
  }
  const bodyLength = batch.compression() === null ? body.length : decompressedBodyLength(batch, body, index);
  // Every row of a column with data needs at least one bit of the (decompressed) body (a validity
  // or boolean bit); allow a small slack for all-null columns of null type.
  const maxRows = bodyLength * 8 + 4096;
  const rows = Number(batch.length());
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > maxRows)
    throw new Error(`record batch ${index} claims ${String(batch.length())} rows, more than its ${bodyLength}-byte body can hold`);
  for (let i = 0; i < nodes; i++) {
    const node = batch.nodes(i);
    const length = Number(node?.length() ?? 0);
    if (!Number.isSafeInteger(length) || length < 0 || length > maxRows)
      throw new Error(`record batch ${index}, field node ${i} claims ${length} values, more than the body can hold`);
  }
}

// The body a compressed batch decompresses to: the sum of its buffers' declared lengths (the
// 8-byte prefixes; -1 marks a buffer stored uncompressed). More than maxDecompressedBytes is
// refused here with the typed limit error; the decoders check every buffer again as they run.
function decompressedBodyLength(batch: RecordBatch, body: Body, index: number): number {
  let total = 0;
  // Another codec number is corrupt metadata: apache-arrow refuses it when it reads the batch.
  const codecNumber = batch.compression()?.codec();
  const codec = codecNumber === CompressionType.LZ4_FRAME ? 'lz4' : codecNumber === CompressionType.ZSTD ? 'zstd' : null;
  for (let i = 0; i < batch.buffersLength(); i++) {
    const buffer = batch.buffers(i);
    const offset = Number(buffer?.offset() ?? 0);
    const length = Number(buffer?.length() ?? 0);
    if (length === 0) continue;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 8 || offset + length > body.length) {
      throw new Error(
        `compressed buffer ${i} of record batch ${index} (offset ${offset}, ${length} bytes) does not fit its ${body.length}-byte body with an 8-byte length prefix`,
      );
    }
    const declared = Number(body.view.getBigInt64(body.start + offset, true));
    total += declared === -1 ? length - 8 : Math.max(0, declared);
    if (declared > 0 && codec !== null)
      body.slots?.push({ position: body.view.byteOffset + body.start + offset + 8, compressed: length - 8, declared, index: i, codec });
  }
  if (total > body.budget.limit) throw limitError(body.budget, total, `by the buffers of compressed record batch ${index}`);
  return total;
}

function checkSchema(schema: Schema, limit: number): void {
  if (schema.fieldsLength() * 4 > limit || schema.customMetadataLength() * 4 > limit)
    throw new Error('the schema lists more fields or metadata entries than it can hold');
  for (let i = 0; i < schema.fieldsLength(); i++) {
    const field = schema.fields(i);
    if (field !== null) checkField(field, limit, 1);
  }
}

function checkField(field: Field, limit: number, depth: number): void {
  if (depth > 64) throw new Error('the schema nests fields more than 64 deep');
  if (field.childrenLength() * 4 > limit || field.customMetadataLength() * 4 > limit)
    throw new Error('a schema field lists more children or metadata entries than it can hold');
  for (let i = 0; i < field.childrenLength(); i++) {
    const child = field.children(i);
    if (child !== null) checkField(child, limit, depth + 1);
  }
}
