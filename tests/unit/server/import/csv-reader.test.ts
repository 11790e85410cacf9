import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type CsvRow, openCsv } from '../../../../src/server/import/csv-reader';
import { LineDecoder } from '../../../../src/server/import/encoding';

/** A file's bytes handed over in chunks of `size` (the upload's chunking, or a worse one). */
function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function readAll(bytes: Buffer, chunkSize = 512 * 1024) {
  const reader = await openCsv(chunksOf(bytes, chunkSize));
  const rows: CsvRow[] = [];
  let lastPosition = 0;
  for await (const { position, ...row } of reader.rows) {
    // The position (for the progress bar) moves forward with each row.
    expect(position).toBeGreaterThan(lastPosition);
    lastPosition = position ?? 0;
    rows.push(row);
  }
  return { header: reader.header, separator: reader.separator, encoding: reader.encoding(), rows };
}

/** As Excel in Norway saves "CSV (semikolonseparert)": cp1252, `;`, CRLF, quotes around cells with ; " or a line break. */
const EXCEL_TEXT = [
  'Navn;Fødselsnummer;Telefon;Merknad',
  'Åse Ødegård;01017012345;+47 912 34 567;"Kontor; 2. etasje"',
  'Bjørn Ærø;02028054321;+4798765432;"Første linje',
  'andre linje med ""sitat"""',
  ';;;',
  'Per Å;03039099999;;',
].join('\r\n');

describe('CSV as Excel writes it (CRM-4)', () => {
  it('reads a Windows-1252 file with ; separators, quoted ; and a line break inside a cell', async () => {
    const bytes = iconv.encode(EXCEL_TEXT, 'win1252');
    // The bytes really are cp1252: ø is one byte 0xF8, which UTF-8 refuses.
    expect(bytes.includes(0xf8)).toBe(true);
    // Tiny chunks: a line and a quoted cell cut anywhere still come out whole.
    for (const chunkSize of [7, 64, 512 * 1024]) {
      const { header, separator, encoding, rows } = await readAll(bytes, chunkSize);
      expect(encoding).toBe('windows-1252');
      expect(separator).toBe(';');
      expect(header).toEqual(['Navn', 'Fødselsnummer', 'Telefon', 'Merknad']);
      expect(rows).toEqual([
        { rowNumber: 1, cells: ['Åse Ødegård', '01017012345', '+47 912 34 567', 'Kontor; 2. etasje'] },
        { rowNumber: 2, cells: ['Bjørn Ærø', '02028054321', '+4798765432', 'Første linje\r\nandre linje med "sitat"'] },
        { rowNumber: 3, cells: ['Per Å', '03039099999', '', ''] },
      ]);
    }
  });

  it('reads UTF-8 with a BOM and strips the BOM from the first header cell', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('fnr,navn\n01017012345,Åse\n', 'utf8')]);
    const { header, separator, encoding, rows } = await readAll(bytes, 2);
    expect(encoding).toBe('utf-8-bom');
    expect(separator).toBe(',');
    expect(header).toEqual(['fnr', 'navn']);
    expect(rows).toEqual([{ rowNumber: 1, cells: ['01017012345', 'Åse'] }]);
  });

  it('reads UTF-8 without a BOM', async () => {
    const { encoding, rows } = await readAll(Buffer.from('navn;by\nÆsa;Tromsø', 'utf8'));
    expect(encoding).toBe('utf-8');
    expect(rows).toEqual([{ rowNumber: 1, cells: ['Æsa', 'Tromsø'] }]);
  });

  it('reads a mixed file: UTF-8 rows with rows appended in Excel as cp1252, each line decoded by itself', async () => {
    const bytes = Buffer.concat([
      Buffer.from('navn;by\r\nÅse;Tromsø\r\n', 'utf8'),
      iconv.encode('Bjørn;Bodø\r\n', 'win1252'),
      Buffer.from('Ærlig;Ålesund\r\n', 'utf8'),
      iconv.encode('Øystein;"Sør; Fron"\r\n', 'win1252'),
    ]);
    const { encoding, rows } = await readAll(bytes, 5);
    expect(encoding).toBe('mixed');
    expect(rows.map((row) => row.cells)).toEqual([
      ['Åse', 'Tromsø'],
      ['Bjørn', 'Bodø'],
      ['Ærlig', 'Ålesund'],
      ['Øystein', 'Sør; Fron'],
    ]);
  });

  it('reads UTF-16LE ("Unicode text" from Excel, tab-separated)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Navn\tBy\r\nÅse\tTromsø\r\n', 'utf16le')]);
    // An odd chunk size splits code units: the streaming decoder joins them.
    const { encoding, separator, header, rows } = await readAll(bytes, 3);
    expect(encoding).toBe('utf-16le');
    expect(separator).toBe('\t');
    expect(header).toEqual(['Navn', 'By']);
    expect(rows).toEqual([{ rowNumber: 1, cells: ['Åse', 'Tromsø'] }]);
  });

  it('refuses a broken file (an unclosed quote past the record limit) with a code, never the file\'s text', async () => {
    const bytes = Buffer.from(`navn;fnr\nÅse;01017012345\n"${'hemmelig '.repeat(10_000)}\n`, 'utf8');
    const error = await readAll(bytes).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'bad_request', message: 'import.csv_malformed' });
    expect(JSON.stringify(error)).not.toContain('hemmelig');
    expect(String((error as Error).cause)).not.toContain('hemmelig');
  });

  it('reads an empty file as no header and no rows', async () => {
    const { header, rows } = await readAll(Buffer.alloc(0));
    expect(header).toEqual([]);
    expect(rows).toEqual([]);
  });

  it('tells an ASCII-only file as utf-8 and a cp1252 line as windows-1252', () => {
    const ascii = new LineDecoder();
    ascii.push(Buffer.from('a;b\n'));
    ascii.end();
    expect(ascii.encoding).toBe('utf-8');
    const cp1252 = new LineDecoder();
    expect(cp1252.push(Buffer.from([0x61, 0x3b, 0xe6, 0x0a])) + cp1252.end()).toBe('a;æ\n');
    expect(cp1252.encoding).toBe('windows-1252');
  });

  it('streams 50,000 rows in 512 KiB chunks without holding the file (heap grows well under 100 MB)', async () => {
    const line = (index: number) => `Person ${index} Ødegård;${String(10_000_000_000 + index)};+47 ${900_00_000 + index};"Merknad; nr ${index}"\r\n`;
    // Generated chunk by chunk, so the test itself does not hold the file either.
    async function* file(): AsyncGenerator<Buffer> {
      yield iconv.encode('Navn;Fødselsnummer;Telefon;Merknad\r\n', 'win1252');
      let pending: string[] = [];
      let size = 0;
      for (let index = 1; index <= 50_000; index++) {
        const text = line(index);
        pending.push(text);
        size += text.length;
        if (size >= 512 * 1024) {
          yield iconv.encode(pending.join(''), 'win1252');
          pending = [];
          size = 0;
        }
      }
      if (pending.length > 0) yield iconv.encode(pending.join(''), 'win1252');
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const reader = await openCsv(file());
    let count = 0;
    let last: CsvRow | undefined;
    for await (const row of reader.rows) {
      count++;
      last = row;
      if (count % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(50_000);
    expect(last).toMatchObject({ rowNumber: 50_000, cells: ['Person 50000 Ødegård', '10000050000', '+47 90050000', 'Merknad; nr 50000'] });
    expect(reader.encoding()).toBe('windows-1252');
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });
});
