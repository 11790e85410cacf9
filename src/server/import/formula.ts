/**
 * Spreadsheet formula injection (OWASP "CSV injection"): a cell starting with one of these is run
 * as a formula when the file is opened in Excel.
 */
const FORMULA_LEADERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * On import, for free-text fields only: the leading formula characters are removed (with the blanks
 * between them), so "=HYPERLINK(…)" is stored as "HYPERLINK(…)". Fields like a phone number
 * ("+47 …") are never passed here: the definition marks which fields are `text`.
 */
export function neutraliseImportedText(value: string): string {
  let start = 0;
  while (start < value.length && (FORMULA_LEADERS.has(value[start]!) || value[start] === ' ')) start++;
  return start === 0 ? value : value.slice(start);
}

/** On export, every cell: one leading single quote makes Excel show the text instead of running it. */
export function neutraliseExportedCell(value: string): string {
  return value.length > 0 && FORMULA_LEADERS.has(value[0]!) ? `'${value}` : value;
}
