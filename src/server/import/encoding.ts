import iconv from 'iconv-lite';

/**
 * What the importer found a file to be written in (CRM-4). Deterministic, not statistical: a line
 * that is valid UTF-8 is UTF-8, any other line is Windows-1252 (what Excel writes in Norway). Valid
 * UTF-8 with bytes above 0x7F almost never arises from cp1252 text (æøå in cp1252 are lone bytes
 * 0xE6 0xF8 0xE5, which UTF-8 rejects), so the test is exact for these two encodings where a
 * statistical detector guesses from letter frequencies and fails on short, name-only files.
 */
export type ImportEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'windows-1252' | 'mixed';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const NEWLINE = 0x0a;

/** Tracks which encodings the lines so far were in, to report one word for the file. */
class EncodingTally {
  hasUtf8Bom = false;
  isUtf16 = false;
  /** Lines with bytes above 0x7F that decoded as UTF-8 (ASCII-only lines say nothing). */
  utf8Lines = 0;
  cp1252Lines = 0;

  get encoding(): ImportEncoding {
    if (this.isUtf16) return 'utf-16le';
    if (this.cp1252Lines > 0 && (this.utf8Lines > 0 || this.hasUtf8Bom)) return 'mixed';
    if (this.cp1252Lines > 0) return 'windows-1252';
    return this.hasUtf8Bom ? 'utf-8-bom' : 'utf-8';
  }
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length; index++) if (bytes[index]! > 0x7f) return true;
  return false;
}

/**
 * Decodes a file's chunks to text, never holding more than one chunk (plus one unfinished line):
 * each yielded string is whole lines joined with "\n", so a quoted cell spanning lines still
 * reaches the CSV parser intact. Splitting on 0x0A is safe for UTF-8 and cp1252 (the byte never
 * occurs inside a multi-byte sequence); UTF-16LE goes through a streaming decoder instead.
 */
export class LineDecoder {
  private readonly tally = new EncodingTally();
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private utf16: TextDecoder | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private isStarted = false;

  get encoding(): ImportEncoding {
    return this.tally.encoding;
  }

  /** The text of the whole lines this chunk completes ('' when it completes none). */
  push(chunk: Buffer): string {
    let bytes = chunk;
    if (!this.isStarted) {
      bytes = Buffer.concat([this.pending, bytes]);
      // The BOM may be split over the first two chunks only in absurdly small chunks; wait for 3 bytes.
      if (bytes.length < 3) {
        this.pending = bytes;
        return '';
      }
      this.pending = Buffer.alloc(0);
      this.isStarted = true;
      if (bytes.subarray(0, 3).equals(UTF8_BOM)) {
        this.tally.hasUtf8Bom = true;
        bytes = bytes.subarray(3);
      } else if (bytes.subarray(0, 2).equals(UTF16LE_BOM)) {
        this.tally.isUtf16 = true;
        this.utf16 = new TextDecoder('utf-16le');
        bytes = bytes.subarray(2);
      }
    }
    if (this.utf16) return this.utf16.decode(bytes, { stream: true });
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      this.pending = this.pending.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.pending, bytes]);
      return '';
    }
    const complete = this.pending.length === 0 ? bytes.subarray(0, lastNewline + 1) : Buffer.concat([this.pending, bytes.subarray(0, lastNewline + 1)]);
    // A copy: the caller's chunk buffer may be reused, and a subarray would keep the whole chunk alive.
    this.pending = Buffer.from(bytes.subarray(lastNewline + 1));
    return this.decodeLines(complete);
  }

  /** The last line (a file need not end with a newline). */
  end(): string {
    if (!this.isStarted) {
      // A file shorter than 3 bytes: no BOM possible.
      this.isStarted = true;
      const rest = this.pending;
      this.pending = Buffer.alloc(0);
      return rest.length === 0 ? '' : this.decodeLines(rest);
    }
    if (this.utf16) return this.utf16.decode();
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest.length === 0 ? '' : this.decodeLines(rest);
  }

  private decodeLines(bytes: Buffer): string {
    // The common case first: the whole block is UTF-8 (or plain ASCII), one decode call.
    const whole = this.tryUtf8(bytes);
    if (whole !== undefined) {
      if (hasHighBytes(bytes)) this.tally.utf8Lines++;
      return whole;
    }
    const parts: string[] = [];
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline < 0 ? bytes.length : newline + 1;
      const line = bytes.subarray(start, end);
      const asUtf8 = this.tryUtf8(line);
      if (asUtf8 !== undefined) {
        if (hasHighBytes(line)) this.tally.utf8Lines++;
        parts.push(asUtf8);
      } else {
        this.tally.cp1252Lines++;
        parts.push(iconv.decode(line, 'win1252'));
      }
      start = end;
    }
    return parts.join('');
  }

  private tryUtf8(bytes: Uint8Array): string | undefined {
    try {
      return this.utf8.decode(bytes);
    } catch {
      return undefined;
    }
  }
}

/** Decodes an async iterable of chunks as text pieces (whole lines), reporting the encoding through `decoder`. */
export async function* decodeChunks(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, decoder: LineDecoder = new LineDecoder()): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    const text = decoder.push(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}
