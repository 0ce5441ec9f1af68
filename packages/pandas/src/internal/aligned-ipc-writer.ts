// An Arrow IPC file writer whose record batch bodies and buffers start on 64-byte boundaries of the
// file (apache-arrow writes 8, the format's minimum; 64 is what the format recommends and what
// SIMD code and a memory-mapped reader want). Mapped at a page boundary, every buffer is then
// 64-byte aligned in memory too. Dictionary batches keep apache-arrow's 8-byte layout.
// The file's pieces are collected as views (of the frame's own memory for the column buffers)
// instead of being concatenated, so that they can be copied once, straight to their destination.
import { Message, MessageHeader, RecordBatchFileWriter, type RecordBatch, type TypeMap, type Vector } from 'apache-arrow';

const ALIGNMENT = 64;
const align = (value: number, to: number): number => Math.ceil(value / to) * to;

type Assembled = ReturnType<RecordBatchFileWriter['_assembleRecordBatch']>;
type Region = Assembled['bufferRegions'][number];

/** @internal */
export class AlignedFileWriter<T extends TypeMap = TypeMap> extends RecordBatchFileWriter<T> {
  /** Every piece of the file, in order (views, not copies). */
  readonly pieces: Uint8Array[] = [];

  #byteLength = 0;

  /** Bytes written so far (the file's length once `writeAll` returned). */
  get byteLength(): number {
    return this.#byteLength;
  }

  protected override _write(chunk: ArrayBufferView): this {
    if (this._started && chunk.byteLength > 0) {
      this.pieces.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this._position += chunk.byteLength;
      this.#byteLength += chunk.byteLength;
    }
    return this;
  }

  /** Copies the file into `target` (at least `byteLength` bytes). */
  copyTo(target: Uint8Array): void {
    let offset = 0;
    for (const piece of this.pieces) {
      target.set(piece, offset);
      offset += piece.byteLength;
    }
  }

  protected override _assembleRecordBatch(batch: RecordBatch<T> | Vector): Assembled {
    const assembled = super._assembleRecordBatch(batch);
    const buffers: ArrayBufferView[] = [];
    const bufferRegions: Region[] = [];
    // apache-arrow's body writer pads every buffer it writes to 8 bytes; the zero buffers added
    // here (multiples of 8) move each real buffer to the next 64-byte offset.
    let offset = 0;
    assembled.buffers.forEach((buffer, index) => {
      const region = assembled.bufferRegions[index]!;
      if (buffer.byteLength === 0) {
        bufferRegions.push({ offset, length: 0 });
        return;
      }
      const start = align(offset, ALIGNMENT);
      if (start > offset) buffers.push(new Uint8Array(start - offset));
      bufferRegions.push({ offset: start, length: region.length });
      buffers.push(buffer);
      offset = start + align(buffer.byteLength, 8);
    });
    const byteLength = align(offset, ALIGNMENT);
    if (byteLength > offset) buffers.push(new Uint8Array(byteLength - offset));
    return { ...assembled, byteLength, bufferRegions, buffers };
  }

  protected override _writeMessage<H extends MessageHeader>(message: Message<H>, alignment = 8): this {
    if (message.headerType !== MessageHeader.RecordBatch) return super._writeMessage(message, alignment);
    // The metadata is padded so that the body after it starts on a 64-byte offset of the file.
    const encoded = Message.encode(message);
    const prefixSize = 8;
    const metaDataLength = align(this._position + prefixSize + encoded.byteLength, ALIGNMENT) - this._position;
    this._recordBatchBlocks.push({ metaDataLength, bodyLength: message.bodyLength, offset: this._position });
    this._write(Int32Array.of(-1));
    this._write(Int32Array.of(metaDataLength - prefixSize));
    this._write(encoded);
    return this._writePadding(metaDataLength - prefixSize - encoded.byteLength);
  }
}
