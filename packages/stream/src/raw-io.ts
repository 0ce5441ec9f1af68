import { StreamError } from './errors/stream-error.js';
import { allocateBuffer, releaseBuffer } from '@interop/core';
import { acquireSource, byteLengthOf, checkCount, checkOpen, checkReportedBytes, checkReportedCount, describe } from './internal/checks.js';
import type { StreamAccess, Whence } from './stream-access.js';

/**
 * A Python `io.RawIOBase`-shaped view of a stream, with Python's method names and conventions, for
 * code ported from Python: `read(-1)` / `read(null)` read everything, `readable()` is a method
 * that raises on a closed stream, `closed` is a property.
 */
export interface RawIO {
  /** Reads into `b` in place; returns the count, 0 at end of stream. */
  readinto(b: unknown): number;
  /** Reads until end of stream. */
  readall(): Uint8Array;
  /** Reads up to `size` bytes; everything when `size` is negative, null or omitted. */
  read(size?: number | null): Uint8Array;
  /** Writes `b` (any exporter); returns the count written, possibly fewer (a partial write). */
  write(b: unknown): number;
  seek(offset: number, whence?: Whence): number;
  tell(): number;
  truncate(size?: number | null): number;
  readable(): boolean;
  writable(): boolean;
  seekable(): boolean;
  flush(): void;
  isatty(): boolean;
  /** Reads one line, up to and including `\n` (at most `size` bytes when non-negative). */
  readline(size?: number | null): Uint8Array;
  /** Reads lines until end of stream (or until `hint` bytes have been read). */
  readlines(hint?: number | null): Uint8Array[];
  /** Writes every line (no separators are added). */
  writelines(lines: Iterable<unknown>): void;
  close(): void;
  readonly closed: boolean;
  /** Iterates over lines, as Python's `for line in f`. */
  [Symbol.iterator](): Iterator<Uint8Array>;
  [Symbol.dispose](): void;
}

/**
 * Adapts a `StreamAccess` to Python's `io.RawIOBase` method names and semantics (IOLink's
 * `to_raw_io()`): `readinto`, `readall`, `read`, `write`, `seek`, `tell`, `truncate`, `readable`,
 * `writable`, `seekable`, `close`, `closed`, plus IOBase's `flush`, `isatty`, `readline`,
 * `readlines`, `writelines` and line iteration. Errors keep their `StreamError` codes (Python's
 * `ValueError` on a closed file is `ERR_BUFFER_RELEASED`; `io.UnsupportedOperation` is
 * `ERR_STREAM_NOT_READABLE`, `ERR_STREAM_NOT_WRITABLE` or `ERR_STREAM_NOT_SEEKABLE`).
 *
 * @example
 * ```ts
 * import { MemoryStream, toRawIO } from '@interop/stream';
 * const raw = toRawIO(new MemoryStream(new TextEncoder().encode('one\ntwo\n')));
 * console.log(raw.readline(), raw.read(-1)); // "one\n" then "two\n", as bytes
 * ```
 * @throws {StreamError} `ERR_INVALID_ARGUMENT` when `stream` is not a StreamAccess.
 */
export function toRawIO(stream: StreamAccess): RawIO {
  if (
    typeof stream !== 'object' ||
    stream === null ||
    typeof (stream as Partial<StreamAccess>).readInto !== 'function' ||
    typeof (stream as Partial<StreamAccess>).tell !== 'function'
  ) {
    throw new StreamError(
      'ERR_INVALID_ARGUMENT',
      `toRawIO expects a synchronous StreamAccess (MemoryStream, BufferStream, FileStream...); received ${describe(stream)}.`,
      {
        details: { operation: 'toRawIO' },
      },
    );
  }
  return new RawIOAdapter(stream);
}

class RawIOAdapter implements RawIO {
  readonly #stream: StreamAccess;

  constructor(stream: StreamAccess) {
    this.#stream = stream;
  }

  get closed(): boolean {
    return this.#stream.closed;
  }

  // Every count and array the wrapped stream returns is checked against the request (found by
  // fuzzing: a broken stream's results went through unchecked), as CPython's buffered layer checks
  // what raw readinto() and write() report.
  readinto(b: unknown): number {
    const count = this.#stream.readInto(b);
    return checkReportedCount(count, byteLengthOf(b), 'readinto');
  }

  readall(): Uint8Array {
    return checkReportedBytes(this.#stream.readAll(), Number.MAX_SAFE_INTEGER, 'readall');
  }

  read(size: number | null = -1): Uint8Array {
    if (size === null || (typeof size === 'number' && Number.isSafeInteger(size) && size < 0)) return this.readall();
    return checkReportedBytes(this.#stream.read(size), checkCount(size, 'size', 'read'), 'read');
  }

  write(b: unknown): number {
    const count = this.#stream.write(b);
    return checkReportedCount(count, byteLengthOf(b), 'write');
  }

  seek(offset: number, whence: Whence = 0): number {
    return this.#stream.seek(offset, whence);
  }

  tell(): number {
    return this.#stream.tell();
  }

  truncate(size: number | null = null): number {
    return size === null ? this.#stream.truncate() : this.#stream.truncate(size);
  }

  readable(): boolean {
    checkOpen(this.#stream, 'readable');
    return this.#stream.readable;
  }

  writable(): boolean {
    checkOpen(this.#stream, 'writable');
    return this.#stream.writable;
  }

  seekable(): boolean {
    checkOpen(this.#stream, 'seekable');
    return this.#stream.seekable;
  }

  flush(): void {
    this.#stream.flush();
  }

  isatty(): boolean {
    checkOpen(this.#stream, 'isatty');
    return false;
  }

  readline(size: number | null = -1): Uint8Array {
    const limit =
      size === null || (typeof size === 'number' && Number.isSafeInteger(size) && size < 0) ? Number.POSITIVE_INFINITY : checkCount(size, 'size', 'readline');
    const stream = this.#stream;
    const parts: Uint8Array[] = [];
    let total = 0;
    // Seekable streams read ahead and seek back past the newline; others read byte by byte, as
    // IOBase.readline does without peek().
    const step = stream.seekable ? 256 : 1;
    while (total < limit) {
      const wanted = Math.min(step, limit - total);
      const chunk = checkReportedBytes(stream.read(wanted), wanted, 'readline');
      if (chunk.length === 0) break;
      const newline = chunk.indexOf(10);
      if (newline >= 0) {
        const keep = newline + 1;
        if (keep < chunk.length) stream.seek(keep - chunk.length, 1);
        parts.push(chunk.subarray(0, keep));
        total += keep;
        break;
      }
      parts.push(chunk);
      total += chunk.length;
    }
    if (parts.length === 1) return parts[0]!.slice();
    const out = new Uint8Array(allocateBuffer(total));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  readlines(hint: number | null = -1): Uint8Array[] {
    const limit = hint === null || hint <= 0 ? Number.POSITIVE_INFINITY : checkCount(hint, 'hint', 'readlines');
    const lines: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const line = this.readline();
      if (line.length === 0) break;
      lines.push(line);
      total += line.length;
      if (total >= limit) break;
    }
    return lines;
  }

  writelines(lines: Iterable<unknown>): void {
    checkOpen(this.#stream, 'writelines');
    for (const line of lines) {
      const held = acquireSource(line, 'writelines');
      try {
        // A raw write may be partial; keep writing the rest of the line.
        let written = 0;
        while (written < held.bytes.length) {
          const count = checkReportedCount(
            this.#stream.write(written === 0 ? held.bytes : held.bytes.subarray(written)),
            held.bytes.length - written,
            'writelines',
          );
          if (count === 0)
            throw new StreamError('ERR_STREAM_NO_SPACE', `writelines: the stream accepted no bytes after ${written} of ${held.bytes.length}.`, {
              details: { operation: 'writelines' },
            });
          written += count;
        }
      } finally {
        releaseBuffer(held.info);
      }
    }
  }

  close(): void {
    this.#stream.close();
  }

  *[Symbol.iterator](): Iterator<Uint8Array> {
    for (;;) {
      const line = this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
