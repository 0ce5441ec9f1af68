// The zip container of .npz archives: central-directory reading (zip64 aware) and writing.
// Compression itself is fflate's (inflate/deflate); only the container layout lives here.
import { NpyError } from '../errors/npy-error.js';

/** One member as the central directory records it. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const corrupt = (message: string): never => {
  throw new NpyError('ERR_NPZ_CORRUPT', `The .npz archive is corrupt: ${message}. Obtain an intact copy of the file.`);
};

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  // Slice-by-8 tables: table[k * 256 + n] advances n by k more zero bytes.
  for (let n = 0; n < 256; n++) {
    let c = table[n]!;
    for (let k = 1; k < 8; k++) {
      c = table[c & 0xff]! ^ (c >>> 8);
      table[k * 256 + n] = c >>> 0;
    }
  }
  return table;
})();

/** CRC-32 (ISO 3309, the zip checksum) of `bytes`. */
export function crc32(bytes: Uint8Array, seed = 0): number {
  const t = CRC_TABLE;
  let crc = ~seed >>> 0;
  let i = 0;
  const n = bytes.length;
  for (; i + 8 <= n; i += 8) {
    const a = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) ^ crc;
    crc =
      t[7 * 256 + (a & 0xff)]! ^
      t[6 * 256 + ((a >>> 8) & 0xff)]! ^
      t[5 * 256 + ((a >>> 16) & 0xff)]! ^
      t[4 * 256 + (a >>> 24)]! ^
      t[3 * 256 + bytes[i + 4]!]! ^
      t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < n; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

// Code page 437, which zip uses for names without the UTF-8 flag (bytes 0x80-0xff).
const CP437_HIGH = 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeName(bytes: Uint8Array, utf8: boolean): string {
  if (utf8) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return corrupt('a member name flagged UTF-8 is not valid UTF-8');
    }
  }
  let name = '';
  for (const b of bytes) name += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80]!;
  return name;
}

function u64(view: DataView, offset: number): number {
  const low = view.getUint32(offset, true);
  const high = view.getUint32(offset + 4, true);
  const value = high * 2 ** 32 + low;
  if (!Number.isSafeInteger(value)) corrupt('a 64-bit size or offset is beyond 2^53');
  return value;
}

/** Reads the central directory. Every offset and size is checked against the archive's length. */
export function readCentralDirectory(bytes: Uint8Array): { entries: ZipEntry[]; memberAreaEnd: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  if (length < 22) corrupt(`it is ${length} bytes, shorter than a zip end record (22 bytes)`);
  let eocd = -1;
  const lowest = Math.max(0, length - 22 - 0xffff);
  for (let i = length - 22; i >= lowest; i--) {
    if (view.getUint32(i, true) === 0x06054b50 && i + 22 + view.getUint16(i + 20, true) === length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    for (let i = length - 22; i >= lowest; i--) {
      if (view.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
  }
  if (eocd < 0) {
    if (bytes[0] === 0x93 && bytes[1] === 0x4e) {
      throw new NpyError('ERR_NPZ_CORRUPT', 'These bytes are a .npy file, not a .npz archive: use readNpy (or loadNpy) instead.');
    }
    corrupt('no end-of-central-directory record (is it a zip file?)');
  }
  const disk = view.getUint16(eocd + 4, true);
  const cdDisk = view.getUint16(eocd + 6, true);
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) corrupt('a zip64 archive without its zip64 end locator');
    const record = u64(view, locator + 8);
    if (record + 56 > locator || view.getUint32(record, true) !== 0x06064b50) corrupt('the zip64 end record is out of range');
    count = u64(view, record + 32);
    cdSize = u64(view, record + 40);
    cdOffset = u64(view, record + 48);
  } else if (disk !== 0 || cdDisk !== 0) {
    throw new NpyError('ERR_NPZ_UNSUPPORTED', 'The .npz archive spans several disks; NumPy never writes such archives. Join the parts into one zip file.');
  }
  if (cdOffset + cdSize > eocd) corrupt(`the central directory [${cdOffset}, ${cdOffset + cdSize}) overlaps the end record at ${eocd}`);
  if (count * 46 > cdSize) corrupt(`${count} entries cannot fit in a ${cdSize}-byte central directory`);
  const entries: ZipEntry[] = [];
  let position = cdOffset;
  const end = cdOffset + cdSize;
  for (let k = 0; k < count; k++) {
    if (position + 46 > end || view.getUint32(position, true) !== 0x02014b50) corrupt(`central directory entry ${k} is out of range or has a bad signature`);
    const flags = view.getUint16(position + 8, true);
    const method = view.getUint16(position + 10, true);
    const crc = view.getUint32(position + 16, true);
    let compressedSize = view.getUint32(position + 20, true);
    let size = view.getUint32(position + 24, true);
    const nameLength = view.getUint16(position + 28, true);
    const extraLength = view.getUint16(position + 30, true);
    const commentLength = view.getUint16(position + 32, true);
    let localHeaderOffset = view.getUint32(position + 42, true);
    const nameStart = position + 46;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > end) corrupt(`central directory entry ${k} runs past the directory`);
    const name = decodeName(bytes.subarray(nameStart, extraStart), (flags & 0x0800) !== 0);
    // Zip64 extended information: present fields are those whose 32-bit value is saturated.
    for (let e = extraStart; e + 4 <= extraStart + extraLength;) {
      const id = view.getUint16(e, true);
      const fieldLength = view.getUint16(e + 2, true);
      const fieldEnd = e + 4 + fieldLength;
      if (fieldEnd > extraStart + extraLength) corrupt(`an extra field of "${name}" runs past its entry`);
      if (id === 0x0001) {
        let p = e + 4;
        const take = (): number => {
          if (p + 8 > fieldEnd) return corrupt(`the zip64 field of "${name}" is too short`);
          const value = u64(view, p);
          p += 8;
          return value;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      e = fieldEnd;
    }
    if (localHeaderOffset + 30 > cdOffset) corrupt(`the local header of "${name}" at ${localHeaderOffset} is outside the member area`);
    entries.push({ name, method, flags, crc32: crc, compressedSize, size, localHeaderOffset });
    position = next;
  }
  return { entries, memberAreaEnd: cdOffset };
}

/** The compressed bytes of `entry`, located through (and checked against) its local header. */
export function memberData(bytes: Uint8Array, entry: ZipEntry, memberAreaEnd: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (view.getUint32(at, true) !== 0x04034b50) corrupt(`the local header of "${entry.name}" has a bad signature`);
  const nameLength = view.getUint16(at + 26, true);
  const extraLength = view.getUint16(at + 28, true);
  // As Python's zipfile (BadZipFile "File name in directory ... and header ... differ"): a local
  // header naming another file than the directory is a forged or damaged archive.
  if (at + 30 + nameLength > memberAreaEnd) corrupt(`the local header of "${entry.name}" runs past the member area (${memberAreaEnd})`);
  const localName = decodeName(bytes.subarray(at + 30, at + 30 + nameLength), (view.getUint16(at + 6, true) & 0x0800) !== 0);
  if (localName !== entry.name)
    corrupt(`the member is named ${JSON.stringify(entry.name)} in the central directory but ${JSON.stringify(localName)} in its local header`);
  const start = at + 30 + nameLength + extraLength;
  const end = start + entry.compressedSize;
  if (end > memberAreaEnd) corrupt(`the data of "${entry.name}" [${start}, ${end}) runs past the member area (${memberAreaEnd})`);
  return bytes.subarray(start, end);
}

/** One member to write. */
export interface ZipMemberInput {
  readonly name: string;
  readonly data: Uint8Array;
  readonly compressed: Uint8Array | null;
  readonly crc32: number;
}

/** Writes a zip archive (zip64 records only when sizes or offsets need them), like Python's zipfile. */
export function writeZip(members: readonly ZipMemberInput[]): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const LIMIT = 0xffffffff;
  for (const member of members) {
    const name = encoder.encode(member.name);
    // eslint-disable-next-line no-control-regex
    const utf8 = !/^[\u0000-\u007f]*$/.test(member.name);
    const payload = member.compressed ?? member.data;
    const method = member.compressed === null ? 0 : 8;
    const big = member.data.length >= LIMIT || payload.length >= LIMIT;
    const localExtra = big ? 20 : 0;
    const local = new Uint8Array(30 + name.length + localExtra);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, big ? 45 : 20, true);
    lv.setUint16(6, utf8 ? 0x0800 : 0, true);
    lv.setUint16(8, method, true);
    lv.setUint16(10, 0, true); // time 00:00
    lv.setUint16(12, 0x21, true); // date 1980-01-01
    lv.setUint32(14, member.crc32, true);
    lv.setUint32(18, big ? LIMIT : payload.length, true);
    lv.setUint32(22, big ? LIMIT : member.data.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, localExtra, true);
    local.set(name, 30);
    if (big) {
      lv.setUint16(30 + name.length, 0x0001, true);
      lv.setUint16(32 + name.length, 16, true);
      setU64(lv, 34 + name.length, member.data.length);
      setU64(lv, 42 + name.length, payload.length);
    }
    const needOffset = offset >= LIMIT;
    const centralExtra = (big ? 16 : 0) + (needOffset ? 8 : 0);
    const entry = new Uint8Array(46 + name.length + (centralExtra > 0 ? 4 + centralExtra : 0));
    const cv = new DataView(entry.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, big || needOffset ? 45 : 20, true);
    cv.setUint16(6, big || needOffset ? 45 : 20, true);
    cv.setUint16(8, utf8 ? 0x0800 : 0, true);
    cv.setUint16(10, method, true);
    cv.setUint16(12, 0, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, member.crc32, true);
    cv.setUint32(20, big ? LIMIT : payload.length, true);
    cv.setUint32(24, big ? LIMIT : member.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, centralExtra > 0 ? 4 + centralExtra : 0, true);
    cv.setUint32(38, 0o600 << 16, true); // external attributes: -rw-------
    cv.setUint32(42, needOffset ? LIMIT : offset, true);
    entry.set(name, 46);
    if (centralExtra > 0) {
      let p = 46 + name.length;
      cv.setUint16(p, 0x0001, true);
      cv.setUint16(p + 2, centralExtra, true);
      p += 4;
      if (big) {
        setU64(cv, p, member.data.length);
        setU64(cv, p + 8, payload.length);
        p += 16;
      }
      if (needOffset) setU64(cv, p, offset);
    }
    parts.push(local, payload);
    central.push(entry);
    offset += local.length + payload.length;
  }
  const cdOffset = offset;
  const cdSize = central.reduce((sum, c) => sum + c.length, 0);
  const zip64 = members.length >= 0xffff || cdOffset >= LIMIT || cdSize >= LIMIT;
  const tail = new Uint8Array((zip64 ? 56 + 20 : 0) + 22);
  const tv = new DataView(tail.buffer);
  let p = 0;
  if (zip64) {
    tv.setUint32(0, 0x06064b50, true);
    setU64(tv, 4, 44);
    tv.setUint16(12, 45, true);
    tv.setUint16(14, 45, true);
    setU64(tv, 24, members.length);
    setU64(tv, 32, members.length);
    setU64(tv, 40, cdSize);
    setU64(tv, 48, cdOffset);
    tv.setUint32(56, 0x07064b50, true);
    setU64(tv, 64, cdOffset + cdSize);
    tv.setUint32(72, 1, true);
    p = 76;
  }
  tv.setUint32(p, 0x06054b50, true);
  tv.setUint16(p + 8, Math.min(members.length, 0xffff), true);
  tv.setUint16(p + 10, Math.min(members.length, 0xffff), true);
  tv.setUint32(p + 12, Math.min(cdSize, LIMIT), true);
  tv.setUint32(p + 16, Math.min(cdOffset, LIMIT), true);
  const out = new Uint8Array(offset + cdSize + tail.length);
  let at = 0;
  for (const part of [...parts, ...central, tail]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function setU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % 2 ** 32, true);
  view.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
}
