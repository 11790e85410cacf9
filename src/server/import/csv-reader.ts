import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DomainError } from '../errors';
import { decodeChunks, type ImportEncoding, LineDecoder } from './encoding';
import { type CsvSeparator, detectSeparator } from './separator';

/** One data row of a file: its 1-based number among the data rows (the header is not counted). */
export interface CsvRow {
  rowNumber: number;
  cells: string[];
  /** How far into the file this row ends (bytes of the decoded text, close to the file's): for a progress bar. */
  position?: number;
}

export interface CsvReader {
  separator: CsvSeparator;
  /** The header's cells ([] for an empty file). */
  header: string[];
  /** The data rows, streamed: read them once. */
  rows: AsyncGenerator<CsvRow>;
  /** The encoding of what was read so far (final once `rows` is exhausted). */
  encoding(): ImportEncoding;
}

/** A record longer than this is a broken file (an unclosed quote swallowing the rest), not data. */
const MAX_RECORD_CHARS = 64 * 1024;

const SEPARATOR_SAMPLE_CHARS = 64 * 1024;
const SEPARATOR_SAMPLE_LINES = 20;

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** Codes an import may fail with (stored on the import, shown translated; never the file's content). */
export const CSV_FAILURE = {
  malformed: 'import.csv_malformed',
  empty: 'import.csv_empty',
} as const;

/**
 * Opens a CSV file given as its chunks (CRM-4): decodes (see encoding.ts), detects the separator
 * from the first lines, and streams the records through csv-parse, so memory holds about one chunk
 * however long the file is. `separator` may be given (stored by an earlier inspection).
 */
export async function openCsv(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, options: { separator?: CsvSeparator } = {}): Promise<CsvReader> {
  const decoder = new LineDecoder();
  const texts = decodeChunks(chunks, decoder);
  // Enough of the start to judge the separator by (a UTF-16 piece need not end at a line).
  let firstText = '';
  while (firstText.length < SEPARATOR_SAMPLE_CHARS && countNewlines(firstText) < SEPARATOR_SAMPLE_LINES) {
    const piece = await texts.next();
    if (piece.done) break;
    firstText += piece.value;
  }
  const separator = options.separator ?? detectSeparator(firstText);
  async function* allTexts(): AsyncGenerator<string> {
    if (firstText.length > 0) yield firstText;
    yield* texts;
  }
  // One decoded piece (about a chunk) read ahead, not Readable's default of 16: memory stays near one chunk.
  const parser = Readable.from(allTexts(), { highWaterMark: 1 }).pipe(
    parse({
      delimiter: separator,
      relax_column_count: true,
      // Excel's output has stray quotes inside unquoted cells (a name like Ole "Olsen" Hansen).
      relax_quotes: true,
      trim: true,
      skip_empty_lines: true,
      // Excel writes a row it once had as ";;;;": not a row of the import.
      skip_records_with_empty_values: true,
      bom: true,
      max_record_size: MAX_RECORD_CHARS,
      info: true,
    }),
  );
  const records: AsyncIterator<{ record: string[]; info: { bytes: number } }> = parser[Symbol.asyncIterator]();
  const next = async (): Promise<IteratorResult<{ record: string[]; info: { bytes: number } }>> => {
    try {
      return await records.next();
    } catch (error) {
      // csv-parse's message quotes the offending text: keep only a code.
      throw new DomainError('bad_request', CSV_FAILURE.malformed, { cause: (error as { code?: unknown }).code });
    }
  };
  const headerResult = await next();
  const header = headerResult.done ? [] : headerResult.value.record;
  async function* rows(): AsyncGenerator<CsvRow> {
    let rowNumber = 0;
    try {
      for (;;) {
        const result = await next();
        if (result.done) return;
        rowNumber++;
        yield { rowNumber, cells: result.value.record, position: result.value.info.bytes };
      }
    } finally {
      parser.destroy();
      // Wait for a chunk read in flight: the caller's transaction may end right after this.
      await texts.return(undefined).catch(() => undefined);
    }
  }
  return { separator, header, rows: rows(), encoding: () => decoder.encoding };
}
