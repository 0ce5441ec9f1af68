// A tiny reference model of Python's io.BytesIO (CPython Modules/_io/bytesio.c), plus the three
// documented deviations of MemoryStream: a seek before byte 0 raises instead of clamping, truncate
// past the end extends with zeros, and while an export is held only size changes are refused
// (BytesIO refuses every write). Also the operation generator shared with the Python peer test.
import fc from 'fast-check';
import { BufferFlags, getBuffer, releaseBuffer, type BufferInfo, BufferError } from '@interop/core';
import { MemoryStream, type StreamAccess, StreamError, type Whence } from '@interop/stream';

export type Operation =
  | { readonly op: 'read'; readonly size: number | null }
  | { readonly op: 'readinto'; readonly size: number }
  | { readonly op: 'write'; readonly data: readonly number[] }
  | { readonly op: 'seek'; readonly offset: number; readonly whence: Whence }
  | { readonly op: 'truncate'; readonly size: number | null }
  | { readonly op: 'tell' }
  | { readonly op: 'export' }
  | { readonly op: 'release' };

/** What one operation produced: a value, or the error code it raised. */
export type Outcome = { readonly value: number | readonly number[] } | { readonly error: string };

export const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ op: fc.constant('read' as const), size: fc.option(fc.nat(12), { nil: null }) }),
  fc.record({ op: fc.constant('readinto' as const), size: fc.nat(12) }),
  fc.record({ op: fc.constant('write' as const), data: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }) }),
  fc.record({ op: fc.constant('seek' as const), offset: fc.integer({ min: -20, max: 30 }), whence: fc.constantFrom<Whence>(0, 1, 2) }),
  fc.record({ op: fc.constant('truncate' as const), size: fc.option(fc.integer({ min: -2, max: 30 }), { nil: null }) }),
  fc.record({ op: fc.constant('tell' as const) }),
  fc.record({ op: fc.constant('export' as const) }),
  fc.record({ op: fc.constant('release' as const) }),
);

/** The model: BytesIO's state (contents, position) and the number of held exports. */
export class BytesIOModel {
  data: number[] = [];
  position = 0;
  exports = 0;

  constructor(initial: readonly number[] = []) {
    this.data = [...initial];
  }

  apply(operation: Operation): Outcome {
    switch (operation.op) {
      case 'read':
      case 'readinto': {
        const available = Math.max(0, this.data.length - this.position);
        const count = operation.size === null ? available : Math.min(operation.size, available);
        const out = this.data.slice(this.position, this.position + count);
        this.position += count;
        return { value: operation.op === 'read' ? out : count };
      }
      case 'write': {
        const n = operation.data.length;
        if (n === 0) return { value: 0 };
        const end = this.position + n;
        if (end > this.data.length && this.exports > 0) return { error: 'ERR_BUFFER_EXPORTED' };
        while (this.data.length < this.position) this.data.push(0);
        for (let i = 0; i < n; i++) this.data[this.position + i] = operation.data[i]!;
        this.position = end;
        return { value: n };
      }
      case 'seek': {
        if (operation.whence === 0 && operation.offset < 0) return { error: 'ERR_INVALID_ARGUMENT' };
        const base = operation.whence === 0 ? 0 : operation.whence === 1 ? this.position : this.data.length;
        const target = base + operation.offset;
        // BytesIO clamps to 0 here; MemoryStream (like FileIO) refuses.
        if (target < 0) return { error: 'ERR_STREAM_SEEK_OUT_OF_RANGE' };
        this.position = target;
        return { value: target };
      }
      case 'truncate': {
        const size = operation.size ?? this.position;
        if (size < 0) return { error: 'ERR_INVALID_ARGUMENT' };
        if (size !== this.data.length && this.exports > 0) return { error: 'ERR_BUFFER_EXPORTED' };
        if (size < this.data.length) this.data.length = size;
        // BytesIO leaves a shorter buffer as is; MemoryStream extends with zeros, like FileIO.
        while (this.data.length < size) this.data.push(0);
        return { value: size };
      }
      case 'tell':
        return { value: this.position };
      case 'export':
        this.exports++;
        return { value: this.data.length };
      case 'release':
        if (this.exports === 0) return { value: -1 };
        this.exports--;
        return { value: this.exports };
    }
  }
}

/** The stream operations every StreamAccess has (not 'export' / 'release'), applied to `stream`; errors propagate. */
export function applyStreamOperation(stream: StreamAccess, operation: Exclude<Operation, { op: 'export' | 'release' }>): Outcome {
  switch (operation.op) {
    case 'read':
      return { value: [...(operation.size === null ? stream.read() : stream.read(operation.size))] };
    case 'readinto':
      return { value: stream.readInto(new Uint8Array(operation.size)) };
    case 'write':
      return { value: stream.write(new Uint8Array(operation.data)) };
    case 'seek':
      return { value: stream.seek(operation.offset, operation.whence) };
    case 'truncate':
      return { value: operation.size === null ? stream.truncate() : stream.truncate(operation.size) };
    case 'tell':
      return { value: stream.tell() };
  }
}

/** Runs operations on a real MemoryStream, holding real exports for 'export'. */
export class MemoryStreamRunner {
  readonly stream: MemoryStream;
  readonly held: BufferInfo[] = [];

  constructor(initial: readonly number[] = []) {
    this.stream = new MemoryStream(new Uint8Array(initial));
  }

  apply(operation: Operation): Outcome {
    const stream = this.stream;
    try {
      switch (operation.op) {
        case 'export': {
          const info = getBuffer(stream, BufferFlags.CONTIG_RO);
          this.held.push(info);
          return { value: info.byteLength };
        }
        case 'release': {
          const info = this.held.pop();
          if (info === undefined) return { value: -1 };
          releaseBuffer(info);
          return { value: this.held.length };
        }
        default:
          return applyStreamOperation(stream, operation);
      }
    } catch (error) {
      if (StreamError.isInstance(error) || BufferError.isInstance(error)) return { error: error.code };
      throw error;
    }
  }

  dispose(): void {
    for (const info of this.held.splice(0)) releaseBuffer(info);
    this.stream.close();
  }
}

/** True when BytesIO itself agrees with the model on `operation` in the model's current state. */
export function isCommonWithBytesIO(model: BytesIOModel, operation: Operation): boolean {
  if (operation.op === 'export' || operation.op === 'release') return false;
  if (operation.op === 'seek' && operation.whence !== 0) {
    const base = operation.whence === 1 ? model.position : model.data.length;
    return base + operation.offset >= 0;
  }
  if (operation.op === 'truncate') return (operation.size ?? model.position) <= model.data.length;
  return true;
}
