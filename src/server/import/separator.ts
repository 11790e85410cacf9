/** The separators a CSV file may use: Excel in Norway writes `;`, most other tools `,`, "Unicode text" a tab. */
export type CsvSeparator = ';' | ',' | '\t';

const CANDIDATES: readonly CsvSeparator[] = [';', ',', '\t'];
const SAMPLE_RECORDS = 20;

/**
 * Counts each candidate per record (outside quotes, so `"Storgata 1, Oslo"` does not count a comma,
 * and a quoted cell spanning lines stays one record) over the first records.
 */
function countPerRecord(text: string): Map<CsvSeparator, number[]> {
  const counts = new Map<CsvSeparator, number[]>(CANDIDATES.map((candidate) => [candidate, [0]]));
  let isQuoted = false;
  let records = 0;
  for (let index = 0; index < text.length && records < SAMPLE_RECORDS; index++) {
    const char = text[index]!;
    if (char === '"') {
      isQuoted = !isQuoted;
    } else if (!isQuoted && char === '\n') {
      records++;
      for (const list of counts.values()) list.push(0);
    } else if (!isQuoted) {
      const list = counts.get(char as CsvSeparator);
      if (list) list[list.length - 1]!++;
    }
  }
  return counts;
}

/**
 * The separator of a file, from its first lines: the candidate found in the header and the same
 * number of times on the most records wins (a comma in a ;-file's decimal number "12,5" is not
 * consistent; a `;` in a comma file's free text rarely is). Ties go to `;`, Excel's choice here.
 */
export function detectSeparator(firstText: string): CsvSeparator {
  const counts = countPerRecord(firstText);
  let best: CsvSeparator = ';';
  let bestScore = -1;
  for (const candidate of CANDIDATES) {
    // Blank lines (the last one after the final newline among them) say nothing.
    const perRecord = counts.get(candidate)!;
    const header = perRecord[0] ?? 0;
    if (header === 0) continue;
    const consistent = perRecord.filter((count) => count === header).length;
    if (consistent > bestScore) {
      best = candidate;
      bestScore = consistent;
    }
  }
  return best;
}
