// The zip directory and the bomb guard: parts are inflated by name, never more than a byte
// budget, so a zip bomb is refused from its directory or, if the directory lies, after at most one
// input chunk.

import { inflateRawSync } from 'node:zlib';
import { Inflate } from 'fflate';
import { LIMITS, fail } from './fast-read-failure.ts';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
}

const u16 = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, o: number): number => (u16(b, o) | (u16(b, o + 2) << 16)) >>> 0;

/** Fatal: a part that is not valid UTF-8 is damaged, not text with U+FFFD in it. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Per part name, the last shared part read in this thread: its compressed bytes (a copy) and its text. */
const SHARED_NAMES = 8;
/** A unit workbook's styles part compresses to a few KB. */
const SHARED_MAX_BYTES = 64 * 1024;
const LAST_SHARED = new Map<string, { method: number; declaredSize: number; compressed: Uint8Array; text: string }>();
/** Entry names are only compared, never shown as content; an odd byte must not refuse the file. */
const LENIENT_UTF8 = new TextDecoder();
const EOCD_SIG = 0x06054b50;
const CD_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export function zipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('notZip', 'no PK signature');
  // The end record sits in the last 22 bytes plus an optional comment of at most 65,535 bytes. The
  // comment may itself contain the signature, so the record taken is the one whose comment length
  // reaches exactly to the end of the file; failing that, the last signature (a trailing byte or two).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 0xffff; i--) {
    if (u32(bytes, i) !== EOCD_SIG) continue;
    if (i + 22 + u16(bytes, i + 20) === bytes.length) {
      eocd = i;
      break;
    }
    if (eocd < 0) eocd = i;
  }
  if (eocd < 0) fail('truncated', 'end of central directory not found');
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  if (cdOffset === 0xffffffff || count === 0xffff) fail('corrupt', 'zip64 archives are not expected for a workbook');
  if (cdOffset + cdSize > eocd) fail('truncated', 'central directory points past the end of the file');
  if (count > LIMITS.zipEntries) fail('refused', `${count} zip entries`, { what: `压缩包内有 ${count} 个条目，远多于工作簿应有的数量` });
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || u32(bytes, p) !== CD_SIG) fail('corrupt', `central directory entry ${i} is damaged`);
    const nameLength = u16(bytes, p + 28);
    const entry: ZipEntry = {
      name: LENIENT_UTF8.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      method: u16(bytes, p + 10),
      compressedSize: u32(bytes, p + 20),
      declaredSize: u32(bytes, p + 24),
      localOffset: u32(bytes, p + 42),
    };
    // Part names are case-insensitive (ECMA-376 Part 2 §9.1.1.1); some writers capitalise them.
    // Two entries of one name let two readers see two different workbooks: refused, not guessed.
    const key = entry.name.toLowerCase();
    if (entries.has(key)) {
      fail('refused', `duplicate zip entry ${entry.name}`, { what: `压缩包内有两个同名的部件“${entry.name}”，可能被人为改动过` });
    }
    entries.set(key, entry);
    p += 46 + nameLength + u16(bytes, p + 30) + u16(bytes, p + 32);
  }
  return entries;
}

/** Small enough that one push of a maximally compressed chunk (≈1,032:1) stays near 16 MB. */
const INFLATE_CHUNK = 16 * 1024;
/** At deflate's ≈1,032:1 limit this much input decodes in well under a second even if it lies. */
const ONE_SHOT_MAX_COMPRESSED = 64 * 1024;

export class Inflater {
  inflated = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, ZipEntry>,
    private readonly budget: number,
  ) {}

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** Declared sizes are checked up front so an honest bomb is refused without inflating a byte. */
  checkDeclared(names: readonly string[]): void {
    let total = 0;
    for (const name of names) total += this.entries.get(name.toLowerCase())?.declaredSize ?? 0;
    if (total > this.budget) fail('bomb', `parts declare ${total} bytes, over the ${this.budget} byte limit`);
  }

  /**
   * The part's text. `shared`: a part that workbooks made by `kaohe workbooks` hold byte for byte
   * alike (styles, workbook, rels): when its compressed bytes equal those last read under its
   * name, the text read then is returned without inflating again — inflating is deterministic,
   * and the bytes are compared whole, not by checksum.
   */
  text(name: string, shared = false): string | null {
    const entry = this.entries.get(name.toLowerCase());
    if (!entry) return null;
    if (entry.declaredSize > LIMITS.partBytes) {
      fail('refused', `${entry.name} declares ${entry.declaredSize} bytes`, {
        what: `其中的部件“${entry.name}”解压后有 ${Math.round(entry.declaredSize / 1024 / 1024)} MB，超过单个部件 ${LIMITS.partBytes / 1024 / 1024} MB 的上限`,
      });
    }
    if (!shared) return this.decode(entry, this.inflate(entry));
    const key = entry.name.toLowerCase();
    const compressed = this.compressed(entry);
    const last = LAST_SHARED.get(key);
    if (last && last.method === entry.method && last.declaredSize === entry.declaredSize && Buffer.from(last.compressed.buffer, last.compressed.byteOffset, last.compressed.length).equals(compressed)) {
      this.charge(entry, entry.declaredSize);
      return last.text;
    }
    const text = this.decode(entry, this.inflate(entry));
    if (compressed.length <= SHARED_MAX_BYTES) {
      // Names are the file's to choose: a few are kept, so odd ones cannot pile up.
      if (!LAST_SHARED.has(key) && LAST_SHARED.size >= SHARED_NAMES) LAST_SHARED.clear();
      LAST_SHARED.set(key, { method: entry.method, declaredSize: entry.declaredSize, compressed: compressed.slice(), text });
    }
    return text;
  }

  private decode(entry: ZipEntry, data: Uint8Array): string {
    try {
      return UTF8.decode(data);
    } catch {
      return fail('corrupt', `${entry.name} is not valid UTF-8`, { what: `其中的部件“${entry.name}”含有无效的 UTF-8 编码（文字已损坏）` });
    }
  }

  /** The entry's compressed bytes, within the file. */
  private compressed(entry: ZipEntry): Uint8Array {
    const { bytes } = this;
    const p = entry.localOffset;
    if (p + 30 > bytes.length || u32(bytes, p) !== LOCAL_SIG) fail('truncated', `local header of ${entry.name} missing`);
    const start = p + 30 + u16(bytes, p + 26) + u16(bytes, p + 28);
    const end = start + entry.compressedSize;
    if (end > bytes.length) fail('truncated', `${entry.name} runs past the end of the file`);
    return bytes.subarray(start, end);
  }

  /** Counts `size` inflated bytes against the budget, refusing the entry if they do not fit. */
  private charge(entry: ZipEntry, size: number): void {
    if (size > this.budget - this.inflated) fail('bomb', `${entry.name} declares ${entry.declaredSize} bytes, over the limit`);
    this.inflated += size;
  }

  private inflate(entry: ZipEntry): Uint8Array {
    const data = this.compressed(entry);
    const room = Math.min(entry.declaredSize, this.budget - this.inflated);
    if (entry.declaredSize > room) fail('bomb', `${entry.name} declares ${entry.declaredSize} bytes, over the limit`);
    if (entry.method === 0) {
      if (data.length !== entry.declaredSize) fail('corrupt', `${entry.name} stored size mismatch`);
      this.inflated += data.length;
      return data;
    }
    if (entry.method !== 8) fail('corrupt', `${entry.name} uses compression method ${entry.method}`);
    const out = data.length <= ONE_SHOT_MAX_COMPRESSED ? this.inflateOneShot(entry, data) : this.inflateStreaming(entry, data);
    if (out.length > entry.declaredSize) fail('bomb', `${entry.name} inflates past its declared ${entry.declaredSize} bytes`);
    if (out.length !== entry.declaredSize) fail('corrupt', `${entry.name} inflates to ${out.length} of ${entry.declaredSize} declared bytes`);
    this.inflated += out.length;
    return out;
  }

  /**
   * One call to zlib (about twice fflate's speed on these small parts), told to stop one byte
   * past the declared size, so a longer stream shows as too long and the work stays bounded.
   */
  private inflateOneShot(entry: ZipEntry, data: Uint8Array): Uint8Array {
    try {
      return inflateRawSync(data, { maxOutputLength: entry.declaredSize + 1 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') fail('bomb', `${entry.name} inflates past its declared ${entry.declaredSize} bytes`);
      fail('corrupt', `${entry.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Chunk by chunk, stopping as soon as the output passes the declared size. */
  private inflateStreaming(entry: ZipEntry, data: Uint8Array): Uint8Array {
    const out = new Uint8Array(entry.declaredSize + 1);
    let written = 0;
    const inflate = new Inflate((chunk) => {
      const room = out.length - written;
      out.set(chunk.length > room ? chunk.subarray(0, room) : chunk, written);
      written += Math.min(chunk.length, room);
    });
    try {
      for (let i = 0; i < data.length && written < out.length; i += INFLATE_CHUNK) {
        const last = i + INFLATE_CHUNK >= data.length;
        inflate.push(data.subarray(i, last ? data.length : i + INFLATE_CHUNK), last);
      }
    } catch (e) {
      fail('corrupt', `${entry.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return out.subarray(0, written);
  }
}
